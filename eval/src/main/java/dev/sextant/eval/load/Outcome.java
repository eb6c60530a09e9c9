package dev.sextant.eval.load;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How one scheduled request ended. Only {@link #OK} counts as a success. */
public enum Outcome {
    /** 2xx, and for a stream: ended with {@code data: [DONE]} and carried no error event. */
    OK,
    /** 429: the server (or the router's admission) shed the request. */
    RATE_LIMITED,
    /** Any other 4xx. */
    CLIENT_ERROR,
    SERVER_ERROR,
    /** 1xx or 3xx (the generator's default client follows no redirects). */
    OTHER_STATUS,
    /** 2xx whose event stream carried an error event, a malformed event, or ended without {@code [DONE]}. */
    STREAM_ERROR,
    /** The connection failed or broke (refused, reset, closed mid-body). */
    IO_ERROR,
    /** No complete answer within the request timeout, counted from the actual send. */
    TIMEOUT,
    /** Not sent: the in-flight cap was reached at its scheduled time (open loop only). */
    DROPPED;

    /** The class of an HTTP status, as counted for a request whose body was read in full. */
    public static Outcome ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status >= 400 && status < 500) {
            return CLIENT_ERROR;
        }
        if (status >= 500 && status < 600) {
            return SERVER_ERROR;
        }
        return OTHER_STATUS;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
