package dev.sextant.inference.structured;

import java.util.Map;

/**
 * The JSON Schema {@code format}s decoding enforces, each as the pattern it is written under. Each pattern admits
 * only valid values (a validator asserting the format accepts every string it matches), at the cost of some valid
 * ones: no 29 February, no leap seconds, no quoted or IP-literal e-mail addresses, only {@code http(s)} URIs, e-mail domains under
 * twenty well-known top-level domains (validators check them against IANA's list).
 */
final class StringFormats {

    private static final String DATE = "\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])"
            + "|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))";
    private static final String TIME = "(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d{1,6})?"
            + "(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?";
    /** Validators check an address's top-level domain against IANA's list: these are on it. */
    private static final String TOP_LEVEL = "(?:com|org|net|edu|gov|io|dev|app|info|ai|co|de|fr|uk|nl|se|ch|eu|us|jp)";
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    private static final Map<String, String> PATTERNS = Map.of(
            "date", "^" + DATE + "$",
            "time", "^" + TIME + "$",
            "date-time", "^" + DATE + "T" + TIME + "$",
            "uuid", "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "email", "^[A-Za-z0-9_%+-]{1,32}(?:\\.[A-Za-z0-9_%+-]{1,32}){0,2}@" + LABEL + "(?:\\." + LABEL
                    + "){0,3}\\." + TOP_LEVEL + "$",
            "ipv4", "^" + OCTET + "(?:\\." + OCTET + "){3}$",
            "hostname", "^" + LABEL + "(?:\\." + LABEL + "){0,4}$",
            "uri", "^https?://" + LABEL + "(?:\\." + LABEL + "){0,4}(?:/[A-Za-z0-9._~-]{0,32}){0,6}$");

    private StringFormats() {
    }

    /** The pattern of {@code format}, or null when decoding does not enforce it. */
    static String pattern(String format) {
        return PATTERNS.get(format);
    }

    static java.util.Set<String> supported() {
        return PATTERNS.keySet();
    }
}
