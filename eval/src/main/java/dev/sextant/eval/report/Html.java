package dev.sextant.eval.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Escaping and number formatting shared by the report's HTML and SVG. */
final class Html {

    private Html() {
    }

    /**
     * Text safe in element content and in double- or single-quoted attribute values: {@code & < > " '} become
     * entities; control characters other than tab, line feed and carriage return (not allowed in HTML) and lone
     * surrogates become U+FFFD. Null becomes the empty string.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)
                            || (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** {@code digits} decimals, or an en dash for NaN, infinity or null. */
    static String num(Double value, int digits) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return "\u2013";
        }
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    /** A coordinate for SVG: two decimals, no exponent. */
    static String xy(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static boolean finite(Double value) {
        return value != null && !value.isNaN() && !value.isInfinite();
    }

    /** Dollars: two decimals from one dollar up, else up to six (trailing zeros dropped, at least two). */
    static String usd(double value) {
        if (!finite(value)) {
            return "\u2013";
        }
        BigDecimal d = BigDecimal.valueOf(value).setScale(Math.abs(value) >= 1 ? 2 : 6, RoundingMode.HALF_UP)
                .stripTrailingZeros();
        if (d.scale() < 2) {
            d = d.setScale(2, RoundingMode.UNNECESSARY);
        }
        return d.signum() < 0 ? "-$" + d.negate().toPlainString() : "$" + d.toPlainString();
    }
}
