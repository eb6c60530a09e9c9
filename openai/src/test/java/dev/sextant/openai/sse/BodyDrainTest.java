package dev.sextant.openai.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BodyDrainTest {

    /** A body whose server went quiet: reads block until it is closed, as the JDK client's body stream does. */
    static final class Stalled extends InputStream {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public int read() throws IOException {
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aBodyThatEndsIsReadToItsEnd() {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[1000]);
        assertThat(BodyDrain.drain(body)).isTrue();
        assertThat(body.available()).isZero();
    }

    @Test
    void moreThanTheLimitIsCutOff() {
        assertThat(BodyDrain.drain(new ByteArrayInputStream(new byte[101]), Duration.ofSeconds(5), 100)).isFalse();
        assertThat(BodyDrain.drain(new ByteArrayInputStream(new byte[100]), Duration.ofSeconds(5), 100)).isTrue();
    }

    @Test
    void aBodyThatStallsIsClosedAfterTheGrace() {
        Stalled body = new Stalled();
        long start = System.nanoTime();
        assertThat(BodyDrain.drain(body, Duration.ofMillis(100), 1000)).isFalse();
        assertThat(body.closed.getCount()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
