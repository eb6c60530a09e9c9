package dev.sextant.bench.ingest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time during a round, from /proc/stat and the JVM: this process's, every other process's (another job on the
 * machine slows the round down), and the hypervisor's steal; -1 where not available.
 */
public record CpuUsage(double processSeconds, double otherSeconds, double stealSeconds) {

    /** /proc/stat counts in USER_HZ ticks, 100 per second on every Linux architecture userland sees. */
    private static final double USER_HZ = 100.0;

    /** A reading to subtract a later one from; {@code busy} and {@code steal} are -1 without /proc/stat. */
    public record Mark(double process, double busy, double steal) {

        /**
         * A reading of the aggregate {@code cpu} line of /proc/stat ({@code cpu user nice system idle iowait irq
         * softirq steal ...}): busy is user + nice + system + irq + softirq, idle and iowait left out.
         */
        static Mark of(double processSeconds, String procStatCpuLine) {
            try {
                String[] f = procStatCpuLine.trim().split("\\s+");
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                        + Long.parseLong(f[6]) + Long.parseLong(f[7]);
                return new Mark(processSeconds, busy / USER_HZ, Long.parseLong(f[8]) / USER_HZ);
            } catch (RuntimeException e) {
                return new Mark(processSeconds, -1, -1);
            }
        }
    }

    /** Now. */
    public static Mark mark() {
        double process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        try {
            return Mark.of(process, Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return new Mark(process, -1, -1);
        }
    }

    /** From {@code start} until now. */
    public static CpuUsage since(Mark start) {
        return between(start, mark());
    }

    /** From {@code start} to {@code end}: other processes' time is the machine's busy time less this process's. */
    static CpuUsage between(Mark start, Mark end) {
        double process = end.process() - start.process();
        if (start.busy() < 0 || end.busy() < 0) {
            return new CpuUsage(process, -1, -1);
        }
        return new CpuUsage(process, Math.max(0, end.busy() - start.busy() - process), end.steal() - start.steal());
    }
}
