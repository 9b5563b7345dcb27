package io.voicedrop.bench;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.sim.FishSimulator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Prints a drain's figures (see {@link WorkerDrainBenchmark}). */
final class DrainReport {

    private DrainReport() {
    }

    static void print(WorkerDrainBenchmark.Settings s, WorkerDrainBenchmark.DrainResult d, FishSimulator sim,
                      String emulator, String loadBefore, String loadAfter) {
        double seconds = d.time().toMillis() / 1000.0;
        double ideal = (double) s.jobs() / s.rate();
        int creates = sim.createCalls();
        System.out.printf("worker drain: N=%d jobs, upstream limit R=%d/s, latency L=%d ms, fleet budget %.1f/s, "
                + "concurrency C=%d%n", s.jobs(), s.rate(), s.latencyMs(), s.budget(), s.concurrency());
        System.out.printf("  machine         %s before, %s after; emulator %s%n", loadBefore, loadAfter.replace(
                "load average ", ""), emulator);
        System.out.printf("  drain time      %.1f s (ideal N/R = %.1f s, ratio %.2f)%n", seconds, ideal, seconds / ideal);
        System.out.printf("  create calls    %d; 429s %d (%.1f %% of creates)%n", creates, sim.status429Count(),
                creates == 0 ? 0 : 100.0 * sim.status429Count() / creates);
        System.out.printf("  succeeded       %d%n", d.succeeded());
        System.out.printf("  duplicates      %d (must be 0)%n", d.duplicates());
        System.out.printf("  lost            %d (must be 0)%n", s.jobs() - d.terminal());
        long calls = d.calls().values().stream().mapToLong(AwsCallMeter.Tally::calls).sum();
        List<Long> trips = new ArrayList<>();
        d.calls().values().forEach(t -> trips.addAll(t.roundTripMicros()));
        System.out.printf("  emulator        %d AWS calls = %.0f calls/s, median round trip %.1f ms%s;"
                        + " plus %d sample downloads by the simulator (upstream fetching voices)%n",
                calls, calls / seconds, percentile(trips, 50) / 1000.0, cpu(d.emulatorCpu(), calls), sim.modelsCreated());
        System.out.printf("  this JVM        CPU %s (functions, runner, simulator); peak heap %d MB of %d MB%n",
                d.jvmCpu().known() ? String.format("%.2f cores", d.jvmCpu().cores()) : "unknown",
                d.peakHeapBytes() >> 20, d.maxHeapBytes() >> 20);
        Collection<AwsCallMeter.JobTally> jobs = d.perJob().values();
        List<Long> upstream = d.finished().stream().map(DrainReport::upstreamMillis).toList();
        System.out.printf("  worker per job  own CPU p50 %.1f ms, p95 %.1f ms (the worker thread's CPU from the job's "
                        + "first AWS call to its last: our code and the SDK, without emulator or upstream)%n",
                ms(jobs, AwsCallMeter.JobTally::cpuNanos, 50), ms(jobs, AwsCallMeter.JobTally::cpuNanos, 95));
        System.out.printf("                  wall p50 %.0f ms, p95 %.0f ms, of which in AWS calls p50 %.0f ms, p95 %.0f ms;"
                        + " upstream calls p50 %d ms, p95 %d ms; the rest waits for a send slot%n",
                ms(jobs, AwsCallMeter.JobTally::spanNanos, 50), ms(jobs, AwsCallMeter.JobTally::spanNanos, 95),
                ms(jobs, AwsCallMeter.JobTally::awsNanos, 50), ms(jobs, AwsCallMeter.JobTally::awsNanos, 95),
                percentile(upstream, 50), percentile(upstream, 95));
        printCalls(d.calls(), s.jobs(), "AWS calls per job");
    }

    static void printCalls(Map<AwsCallMeter.Key, AwsCallMeter.Tally> calls, int per, String title) {
        System.out.printf("%s (SDK level; \"%s\" is what Lambda's pollers do in AWS)%n", title,
                AwsCallMeter.EVENT_SOURCE);
        System.out.printf("  %-17s %-15s %-20s %8s %10s %8s %8s %10s%n", "caller", "service", "operation", "per job",
                "conflicts", "RRU", "WRU", "median ms");
        double total = 0;
        double conflicts = 0;
        for (Map.Entry<AwsCallMeter.Key, AwsCallMeter.Tally> e : calls.entrySet()) {
            AwsCallMeter.Key k = e.getKey();
            AwsCallMeter.Tally t = e.getValue();
            if (k.caller().equals("benchmark")) {
                continue;
            }
            total += (double) t.calls() / per;
            conflicts += (double) t.conflicts() / per;
            System.out.printf("  %-17s %-15s %-20s %8.2f %10s %8s %8s %10.1f%n", k.caller(), k.service(),
                    k.operation(), (double) t.calls() / per, t.conflicts() == 0 ? "-" : String.format("%.3f",
                            (double) t.conflicts() / per),
                    t.readUnits() == 0 ? "-" : String.format("%.2f", t.readUnits() / per),
                    t.writeUnits() == 0 ? "-" : String.format("%.2f", t.writeUnits() / per),
                    percentile(t.roundTripMicros(), 50) / 1000.0);
        }
        System.out.printf("  %-54s %8.2f %10.3f%n", "all callers", total, conflicts);
    }

    private static String cpu(Machine.Cpu cpu, long calls) {
        if (!cpu.known()) {
            return "";
        }
        return String.format(", CPU %.2f cores = %.2f ms per call", cpu.cores(), cpu.seconds() * 1000 / Math.max(1, calls));
    }

    private static long upstreamMillis(Job job) {
        return job.history().stream().filter(a -> !Attempt.THROTTLED.equals(a.outcome()))
                .mapToLong(Attempt::latencyMs).sum();
    }

    private static double ms(Collection<AwsCallMeter.JobTally> jobs, ToLongFunction<AwsCallMeter.JobTally> f, int p) {
        return percentile(jobs.stream().map(j -> f.applyAsLong(j)).toList(), p) / 1e6;
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
