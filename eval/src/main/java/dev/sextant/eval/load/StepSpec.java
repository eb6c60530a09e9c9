package dev.sextant.eval.load;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The load one step applied.
 *
 * @param targetRate  requests per second offered (open loop); NaN for closed loop
 * @param concurrency clients sending back to back (closed loop); 0 for open loop
 * @param maxInFlight in-flight cap of the open loop, 0 for none (and for closed loop)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepSpec(Mode mode, double targetRate, int concurrency, double durationSeconds, double warmUpSeconds,
                       int maxInFlight, double timeoutSeconds) {

    public enum Mode {
        /** Constant arrival rate, independent of responses (wrk2, Gatling's constantUsersPerSec). */
        OPEN,
        /** A fixed number of clients, each sending its next request when the previous one ended. */
        CLOSED;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code open 50/s} or {@code closed 16 clients}: names the step in tables and matches steps of two runs. */
    public String label() {
        if (mode == Mode.OPEN) {
            return "open " + plain(targetRate) + "/s";
        }
        return "closed " + concurrency + (concurrency == 1 ? " client" : " clients");
    }

    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
