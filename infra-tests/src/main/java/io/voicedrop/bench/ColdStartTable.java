package io.voicedrop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Prints the cold-start benchmark's table: medians per row, the ratio to the row's baseline, and each artifact's size.
 * What the ratio compares depends on the mode (see {@link ColdStartBenchmark}): cold rows compare init + first invoke;
 * primed rows compare how much longer the first request takes than a warm one (a restored SnapStart instance never
 * runs init, and the requests of the functions do more work than the baseline's single GetItem).
 */
final class ColdStartTable {

    /** One row's measurements; {@code baseline} is the row it is compared with (null for a baseline row). */
    record Row(String name, String mode, LambdaArtifact artifact, Row baseline, List<FunctionLauncher.Result> samples,
               List<String> problems) {
        long median(ToLongFunction<FunctionLauncher.Result> field) {
            long[] values = samples.stream().mapToLong(field).sorted().toArray();
            int n = values.length;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }

        boolean primed() {
            return "primed".equals(mode);
        }

        long total() {
            return median(FunctionLauncher.Result::initMs) + median(FunctionLauncher.Result::invokeMs);
        }

        /** The first request against a warm one of the same kind (never below 1 ms, so the ratio is defined). */
        double firstPerWarm() {
            return (double) median(FunctionLauncher.Result::invokeMs) / Math.max(1, median(FunctionLauncher.Result::warmMs));
        }

        /** The ratio the targets use: total (cold), first-per-warm (primed), each against the baseline's. */
        double ratio() {
            return primed() ? firstPerWarm() / baseline.firstPerWarm() : (double) total() / baseline.total();
        }

        /** CPU time: the whole JVM until the first response (cold), the first invoke alone (primed). */
        long cpu() {
            return primed() ? median(FunctionLauncher.Result::invokeCpuMs) : median(FunctionLauncher.Result::cpuMs);
        }
    }

    private ColdStartTable() {
    }

    static void print(List<Row> rows, int runs, Path work) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-30s %-6s %7s %7s %6s %8s %11s %9s %7s %6s %8s %6s %5s %7s%n", "function", "mode",
                "init ms", "1st ms", "warm", "total", "x baseline", "1st/base", "cpu ms", "x cpu", "prime ms", "zip MB",
                "jars", "jars MB");
        for (Row r : rows) {
            if (r.samples.isEmpty()) {
                System.out.printf(Locale.ROOT, "%-30s %-6s  no successful run: %s%n", r.name, r.mode, r.problems);
                continue;
            }
            boolean compared = r.baseline != null && !r.baseline.samples.isEmpty();
            long first = r.median(FunctionLauncher.Result::invokeMs);
            String ratio = compared ? String.format(Locale.ROOT, "%.2f", r.ratio()) : "-";
            String raw = compared && r.primed()
                    ? String.format(Locale.ROOT, "%.2f", (double) first / r.baseline.median(FunctionLauncher.Result::invokeMs))
                    : "-";
            String cpuRatio = compared ? String.format(Locale.ROOT, "%.2f", (double) r.cpu() / r.baseline.cpu()) : "-";
            String prime = r.primed() ? Long.toString(r.median(FunctionLauncher.Result::primeMs)) : "-";
            System.out.printf(Locale.ROOT, "%-30s %-6s %7d %7d %6d %8d %11s %9s %7d %6s %8s %6.1f %5d %7.1f%n", r.name,
                    r.mode, r.median(FunctionLauncher.Result::initMs), first, r.median(FunctionLauncher.Result::warmMs),
                    r.total(), ratio, raw, r.cpu(), cpuRatio, prime, mb(zipBytes(r.artifact)), r.artifact.count(),
                    mb(bytes(r.artifact)));
        }
        System.out.println();
        System.out.println("init = JVM launch -> handler constructed; 1st = the first invocation (event deserialization +"
                + " handleRequest); warm = a second request of the same kind in the same JVM; total = init + 1st.");
        System.out.println("x baseline, cold rows: total / the total of the bare handler of the same event type"
                + " (baseline <EventType>). Primed rows: (1st / warm) / the primed baseline's (1st / warm): how much"
                + " longer than a warm request the first request of a restored instance takes, against a bare handler"
                + " primed as AWS documents (its request run once before the snapshot); init is not counted (a restored"
                + " instance never runs it) and restore is not simulated. 1st/base = 1st / the primed baseline's 1st"
                + " (raw; includes the request's own work: the functions make several AWS calls, the baseline one).");
        System.out.println("cpu = CPU time of the JVM (all threads) until the first response (cold) or during the 1st"
                + " invocation (primed); x cpu against the baseline's. prime ms = the priming hook, paid once per published"
                + " version before the snapshot, not by requests. zip MB = the deployment zip SAM builds (lib/*.jar,"
                + " deflated); jars = its jar count. Medians of " + runs + " fresh JVMs per row, launched in interleaved"
                + " rounds (plus one discarded warm-up round).");
        rows.stream().filter(r -> r.problems != null && !r.problems.isEmpty()).forEach(r ->
                System.out.println("WARNING " + r.name + "/" + r.mode + ": " + String.join("; ", r.problems)));
        System.out.println("Per-run logs and results: " + work);
    }

    private static long zipBytes(LambdaArtifact a) {
        try {
            return a.zipBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long bytes(LambdaArtifact a) {
        try {
            return a.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double mb(long bytes) {
        return bytes / 1_048_576.0;
    }
}
