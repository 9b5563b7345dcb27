package io.voicedrop.bench;

import io.voicedrop.local.LocalPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The local runner's function invocations while counting: how many, with how many records, and how long. */
final class Invocations implements LocalPipeline.InvocationListener {

    private volatile boolean counting;
    private final Map<String, List<long[]>> byFunction = new ConcurrentHashMap<>();

    /** One function's invocations: count, records handled, and durations in ms. */
    record Stats(int invocations, long records, List<Long> millis) {
        double totalSeconds() {
            return millis.stream().mapToLong(Long::longValue).sum() / 1000.0;
        }
    }

    void start() {
        counting = true;
    }

    void stop() {
        counting = false;
    }

    void reset() {
        byFunction.clear();
    }

    @Override
    public void invoked(String functionId, int records, Duration took) {
        if (counting) {
            List<long[]> list = byFunction.computeIfAbsent(functionId, f -> new ArrayList<>());
            synchronized (list) {
                list.add(new long[] {records, took.toMillis()});
            }
        }
    }

    Map<String, Stats> stats() {
        Map<String, Stats> out = new TreeMap<>();
        byFunction.forEach((fn, list) -> {
            synchronized (list) {
                out.put(fn, new Stats(list.size(), list.stream().mapToLong(a -> a[0]).sum(),
                        list.stream().map(a -> a[1]).toList()));
            }
        });
        return out;
    }
}
