package dev.herald.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time and resident memory of a process from /proc (Linux), and the generator's own CPU time. */
final class ProcStats {

    /** Clock ticks per second of /proc/PID/stat; 100 on Linux x86-64. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {}

    /** User plus system CPU seconds of a process, or NaN when it cannot be read. */
    static double cpuSeconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The CPU seconds of several processes summed (the nodes of a clustered broker), or NaN when there
     * are none or one of them cannot be read.
     */
    static double cpuSeconds(List<Long> pids) {
        if (pids.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (long pid : pids) {
            sum += cpuSeconds(pid);
        }
        return sum;
    }

    /** The CPU seconds of each process, in order (NaN for one that cannot be read). */
    static double[] cpuSecondsEach(List<Long> pids) {
        return pids.stream().mapToDouble(ProcStats::cpuSeconds).toArray();
    }

    /** Resident set size in kB, or -1 when it cannot be read. */
    static long rssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** CPU seconds this generator process has used. */
    static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }
}
