package io.voicedrop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Prints the cold-start benchmark's table: medians per row, the ratio to the baseline, and each artifact's size. */
final class ColdStartTable {

    /** One row's measurements: {init, prime, invoke, cpu} in ms per run. */
    record Row(String name, String mode, LambdaArtifact artifact, boolean baseline, List<long[]> samples,
               List<String> problems) {
        long median(int field) {
            long[] values = samples.stream().mapToLong(s -> s[field]).sorted().toArray();
            int n = values.length;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }
    }

    private ColdStartTable() {
    }

    static void print(List<Row> rows, int runs, Path work) {
        Row baseline = rows.stream().filter(Row::baseline).findFirst().orElseThrow();
        if (baseline.samples.isEmpty()) {
            System.out.println("the baseline never ran: " + baseline.problems);
            return;
        }
        long base = baseline.median(0) + baseline.median(2);
        long baseCpu = baseline.median(3);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-14s %-7s %8s %11s %9s %11s %8s %7s %9s %7s %6s %8s%n", "function", "mode",
                "init ms", "1st invoke", "total ms", "x baseline", "cpu ms", "x cpu", "prime ms", "zip MB", "jars",
                "jars MB");
        for (Row r : rows) {
            if (r.samples.isEmpty()) {
                System.out.printf(Locale.ROOT, "%-14s %-7s  no successful run: %s%n", r.name, r.mode, r.problems);
                continue;
            }
            long init = r.median(0);
            long invoke = r.median(2);
            long total = init + invoke;
            String prime = "primed".equals(r.mode) ? Long.toString(r.median(1)) : "-";
            String zip = r.baseline ? "-" : String.format(Locale.ROOT, "%.1f", mb(zipBytes(r.artifact)));
            String jars = r.baseline ? "-" : Integer.toString(r.artifact.count());
            String jarsMb = r.baseline ? "-" : String.format(Locale.ROOT, "%.1f", mb(bytes(r.artifact)));
            System.out.printf(Locale.ROOT, "%-14s %-7s %8d %11d %9d %11.2f %8d %7.2f %9s %7s %6s %8s%n", r.name, r.mode,
                    init, invoke, total, (double) total / base, r.median(3), (double) r.median(3) / baseCpu, prime, zip,
                    jars, jarsMb);
        }
        System.out.println();
        System.out.println("init = JVM launch -> handler constructed; 1st invoke = event deserialization + handleRequest;"
                + " total = init + 1st invoke; x baseline = total / the baseline's total; cpu = CPU time of the JVM until"
                + " the response (all threads); medians of " + runs + " fresh JVMs per row, launched in interleaved rounds"
                + " (plus one discarded warm-up round).");
        System.out.println("primed = SnapStart priming hook run after init (prime ms, paid once per published version),"
                + " then the first invocation: an estimate of a restored instance's first request, restore not included."
                + " zip MB = the deployment zip SAM builds (lib/*.jar, deflated); jars = its jar count.");
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
