package io.voicedrop.bench;

import io.voicedrop.local.AwsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The emulator process's resident memory, now and at its peak ({@code VmRSS}, {@code VmHWM} of
 * {@code /proc/<pid>/status}): what a table of a given size costs the machine that holds it. Read once, when asked,
 * so it never loads the emulator.
 */
final class EmulatorMemory {

    private EmulatorMemory() {
    }

    static String of(AwsEmulator emulator) {
        if (emulator.processId().isEmpty()) {
            return "unknown (not started here)";
        }
        try {
            long rss = 0;
            long peak = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(emulator.processId().getAsLong()),
                    "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line);
                }
            }
            return String.format(Locale.ROOT, "RSS %.2f GB (peak %.2f GB)", rss / 1048576.0, peak / 1048576.0);
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
