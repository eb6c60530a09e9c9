package dev.sextant.inference.template.jinja;

import static dev.sextant.inference.template.jinja.PythonStrings.zeroPad;

import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The functions transformers gives every chat template: {@code raise_exception(msg)} and {@code strftime_now(fmt)}. */
final class TemplateGlobals {

    /** Python's C locale, for day and month names. */
    static final Locale PYTHON_LOCALE = Locale.US;

    private TemplateGlobals() {
    }

    static void register(Context globals) {
        globals.registerFunction(function("raise_exception", "raiseException"));
        globals.registerFunction(function("strftime_now", "strftimeNow"));
    }

    /** So that {@code strftime_now is defined} holds, as it does for transformers' globals. */
    static void bindAsVariables(Map<String, Object> bindings) {
        bindings.put("strftime_now", new FunctionVariable("strftime_now"));
        bindings.put("raise_exception", new FunctionVariable("raise_exception"));
    }

    private static ELFunctionDefinition function(String name, String method) {
        try {
            Method m = TemplateGlobals.class.getDeclaredMethod(method, Object.class);
            m.setAccessible(true);
            return new ELFunctionDefinition("", name, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@code strftime_now} and {@code raise_exception} are as variables: defined, and printable. */
    private record FunctionVariable(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    private static Object raiseException(Object message) {
        throw new TemplateRaisedException(Objects.toString(message));
    }

    private static Object strftimeNow(Object format) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        JinjavaConfig config = interpreter.getConfig();
        ZonedDateTime now = Instant.ofEpochMilli(config.getDateTimeProvider().getCurrentTimeMillis())
                .atZone(config.getTimeZone());
        return strftime(now, Objects.toString(format));
    }

    /** Python's {@code datetime.strftime} in the C locale, for the common directives. */
    static String strftime(ZonedDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, PYTHON_LOCALE));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, PYTHON_LOCALE));
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, PYTHON_LOCALE));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, PYTHON_LOCALE));
                case 'd' -> out.append(zeroPad(t.getDayOfMonth(), 2));
                case 'e' -> out.append(String.format(PYTHON_LOCALE, "%2d", t.getDayOfMonth()));
                case 'm' -> out.append(zeroPad(t.getMonthValue(), 2));
                case 'y' -> out.append(zeroPad(t.getYear() % 100, 2));
                case 'Y' -> out.append(t.getYear());
                case 'H' -> out.append(zeroPad(t.getHour(), 2));
                case 'I' -> out.append(zeroPad(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2));
                case 'M' -> out.append(zeroPad(t.getMinute(), 2));
                case 'S' -> out.append(zeroPad(t.getSecond(), 2));
                case 'f' -> out.append(zeroPad(t.getNano() / 1000, 6));
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'j' -> out.append(zeroPad(t.getDayOfYear(), 3));
                case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
                case 'u' -> out.append(t.getDayOfWeek().getValue());
                case 'V' -> out.append(zeroPad(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2));
                case 'G' -> out.append(t.get(IsoFields.WEEK_BASED_YEAR));
                case 'z' -> out.append(offset(t));
                case 'Z' -> out.append(t.getZone().getDisplayName(TextStyle.SHORT, PYTHON_LOCALE));
                case 'F' -> out.append(t.getYear()).append('-').append(zeroPad(t.getMonthValue(), 2)).append('-')
                        .append(zeroPad(t.getDayOfMonth(), 2));
                case 'T' -> out.append(zeroPad(t.getHour(), 2)).append(':').append(zeroPad(t.getMinute(), 2))
                        .append(':').append(zeroPad(t.getSecond(), 2));
                case 'D' -> out.append(zeroPad(t.getMonthValue(), 2)).append('/').append(zeroPad(t.getDayOfMonth(), 2))
                        .append('/').append(zeroPad(t.getYear() % 100, 2));
                case 'U' -> out.append(zeroPad((t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7, 2));
                case 'W' -> out.append(zeroPad((t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7, 2));
                case 's' -> out.append(t.toEpochSecond());
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '%' -> out.append('%');
                default -> out.append('%').append(d);
            }
        }
        return out.toString();
    }

    private static String offset(ZonedDateTime t) {
        int seconds = t.getOffset().getTotalSeconds();
        int abs = Math.abs(seconds);
        return (seconds < 0 ? "-" : "+") + zeroPad(abs / 3600, 2) + zeroPad(abs / 60 % 60, 2);
    }
}
