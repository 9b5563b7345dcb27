package io.voicedrop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;

/** Facts about this machine for the benchmarks' figures: load average, and CPU time and memory used by a process. */
final class Machine {

    /** Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ) on every platform Lambda-like machines use. */
    private static final double TICKS_PER_SECOND = 100.0;

    private Machine() {
    }

    /** CPU seconds used, and over how long (to give cores busy). */
    record Cpu(double seconds, Duration over) {
        static final Cpu UNKNOWN = new Cpu(Double.NaN, Duration.ZERO);

        Cpu minus(Cpu before, Duration over) {
            return new Cpu(seconds - before.seconds, over);
        }

        double cores() {
            return over.isZero() ? Double.NaN : seconds / (over.toMillis() / 1000.0);
        }

        boolean known() {
            return !Double.isNaN(seconds);
        }
    }

    /** {@code uptime}'s three load averages, and the cores. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load average " + f[0] + " " + f[1] + " " + f[2] + " on " + Runtime.getRuntime().availableProcessors()
                    + " cores";
        } catch (IOException | RuntimeException e) {
            return "load average unknown";
        }
    }

    /** User plus system CPU time of another process (from /proc), e.g. the emulator's. */
    static Cpu processCpu(OptionalLong pid) {
        if (pid.isEmpty()) {
            return Cpu.UNKNOWN;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid.getAsLong() + "/stat"));
            // Fields after the command name (which may contain spaces) start after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new Cpu((Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND, Duration.ZERO);
        } catch (IOException | RuntimeException e) {
            return Cpu.UNKNOWN;
        }
    }

    /**
     * Resident memory of another process, now and at its peak ({@code VmRSS}, {@code VmHWM} of
     * {@code /proc/<pid>/status}), e.g. what a table of a given size costs the emulator that holds it.
     */
    static String processMemory(OptionalLong pid) {
        if (pid.isEmpty()) {
            return "unknown (not started here)";
        }
        try {
            long rss = 0;
            long peak = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid.getAsLong() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line);
                }
            }
            return String.format(Locale.ROOT, "RSS %.2f GB (peak %.2f GB)", rss / 1048576.0, peak / 1048576.0);
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    /** CPU time of this JVM: the functions, the runner's pollers and the Fish simulator. */
    static Cpu jvmCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return new Cpu(os.getProcessCpuTime() / 1e9, Duration.ZERO);
        }
        return Cpu.UNKNOWN;
    }
}
