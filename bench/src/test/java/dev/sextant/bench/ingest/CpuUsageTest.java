package dev.sextant.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class CpuUsageTest {

    @Test
    void aProcStatLineCountsUserNiceSystemIrqAndSoftirqAsBusy() {
        //                                user nice system idle  iowait irq softirq steal guest guest_nice
        CpuUsage.Mark mark = CpuUsage.Mark.of(1.5, "cpu  1000 20   300    90000 500    7   3       40    0     0");
        assertThat(mark.process()).isEqualTo(1.5);
        assertThat(mark.busy()).isCloseTo((1000 + 20 + 300 + 7 + 3) / 100.0, offset(1e-9));
        assertThat(mark.steal()).isCloseTo(0.4, offset(1e-9));
    }

    @Test
    void otherProcessesGetTheMachinesBusyTimeLessThisProcesss() {
        CpuUsage.Mark start = new CpuUsage.Mark(10, 100, 2);
        CpuUsage.Mark end = new CpuUsage.Mark(25, 130, 2.5);
        CpuUsage usage = CpuUsage.between(start, end);
        assertThat(usage.processSeconds()).isEqualTo(15);
        assertThat(usage.otherSeconds()).isEqualTo(15);
        assertThat(usage.stealSeconds()).isEqualTo(0.5);
        // Tick rounding can make the machine's busy time look smaller than the process's: never negative.
        assertThat(CpuUsage.between(start, new CpuUsage.Mark(25, 110, 2)).otherSeconds()).isZero();
    }

    @Test
    void withoutProcStatOnlyTheProcessIsKnown() {
        CpuUsage.Mark unreadable = CpuUsage.Mark.of(3, "intr 1 2 3");
        assertThat(unreadable.busy()).isEqualTo(-1);
        assertThat(CpuUsage.Mark.of(3, "cpu 1 2").busy()).isEqualTo(-1);
        CpuUsage usage = CpuUsage.between(unreadable, new CpuUsage.Mark(5, 100, 1));
        assertThat(usage).isEqualTo(new CpuUsage(2, -1, -1));
    }

    @Test
    void aRealReadingMovesForward() {
        CpuUsage.Mark start = CpuUsage.mark();
        long sum = 0;
        for (int i = 0; i < 20_000_000; i++) {
            sum += i % 7;
        }
        CpuUsage usage = CpuUsage.since(start);
        assertThat(sum).isPositive();
        assertThat(usage.processSeconds()).isPositive();
        assertThat(usage.otherSeconds()).isGreaterThanOrEqualTo(0); // Linux: /proc/stat is there
    }
}
