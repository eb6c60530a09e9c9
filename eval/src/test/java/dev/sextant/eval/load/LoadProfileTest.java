package dev.sextant.eval.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadProfileTest {

    static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @Test
    void requestCountIsRateTimesDurationRoundedUp() {
        assertThat(LoadProfile.requestCount(50, TWO_SECONDS)).isEqualTo(100);
        assertThat(LoadProfile.requestCount(0.3, Duration.ofSeconds(10))).isEqualTo(3); // not 4
        assertThat(LoadProfile.requestCount(3, Duration.ofMillis(500))).isEqualTo(2); // due at 0 and 333 ms
        assertThat(LoadProfile.requestCount(1000, Duration.ofNanos(1))).isEqualTo(1);
        assertThat(LoadProfile.requestCount(50, Duration.ZERO)).isZero();
    }

    @Test
    void defaultsAndWithers() {
        LoadProfile p = LoadProfile.of(List.of(10.0, 20.0), TWO_SECONDS);
        assertThat(p.warmUp()).isZero();
        assertThat(p.maxInFlight()).isEqualTo(LoadProfile.NO_CAP);
        assertThat(p.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        LoadProfile q = p.withWarmUp(Duration.ofSeconds(1)).withMaxInFlight(8).withRequestTimeout(Duration.ofSeconds(5));
        assertThat(q).isEqualTo(new LoadProfile(List.of(10.0, 20.0), TWO_SECONDS, Duration.ofSeconds(1), 8,
                Duration.ofSeconds(5)));
    }

    @Test
    void badProfilesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> LoadProfile.of(List.of(), TWO_SECONDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a load profile needs at least one rate");
        assertThatThrownBy(() -> LoadProfile.of(List.of(10.0, 0.0), TWO_SECONDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("> 0, got 0.0");
        assertThatThrownBy(() -> LoadProfile.of(List.of(-5.0), TWO_SECONDS)).hasMessageContaining("got -5.0");
        assertThatThrownBy(() -> LoadProfile.of(List.of(Double.NaN), TWO_SECONDS)).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> LoadProfile.of(List.of(Double.POSITIVE_INFINITY), TWO_SECONDS))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> LoadProfile.of(Arrays.asList(1.0, null), TWO_SECONDS))
                .hasMessageContaining("got null");
        assertThatThrownBy(() -> LoadProfile.of(List.of(10.0), Duration.ZERO))
                .hasMessage("durationPerRate must be > 0, got PT0S");
        assertThatThrownBy(() -> LoadProfile.of(List.of(10.0), TWO_SECONDS).withWarmUp(Duration.ofSeconds(-1)))
                .hasMessageContaining("warmUp must not be negative");
        assertThatThrownBy(() -> LoadProfile.of(List.of(10.0), TWO_SECONDS).withMaxInFlight(-1))
                .hasMessageContaining("maxInFlight must be >= 1");
        assertThatThrownBy(() -> LoadProfile.of(List.of(10.0), TWO_SECONDS).withRequestTimeout(Duration.ZERO))
                .hasMessageContaining("requestTimeout must be > 0");
    }

    @Test
    void badClosedLoopProfilesAreRefused() {
        assertThatThrownBy(() -> ClosedLoopProfile.of(List.of(), TWO_SECONDS))
                .hasMessageContaining("at least one client count");
        assertThatThrownBy(() -> ClosedLoopProfile.of(List.of(4, 0), TWO_SECONDS))
                .hasMessageContaining("client count must be >= 1, got 0");
        assertThatThrownBy(() -> ClosedLoopProfile.of(List.of(4), Duration.ofSeconds(-1)))
                .hasMessageContaining("durationPerStep must be > 0");
    }
}
