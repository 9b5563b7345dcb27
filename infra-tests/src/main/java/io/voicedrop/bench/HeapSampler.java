package io.voicedrop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** The largest heap in use while it runs, sampled every 100 ms (in this JVM, so the emulator never sees it). */
final class HeapSampler {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    private HeapSampler() {
        thread = new Thread(this::sample, "heap-sampler");
        thread.setDaemon(true);
    }

    static HeapSampler start() {
        HeapSampler s = new HeapSampler();
        s.thread.start();
        return s;
    }

    private void sample() {
        while (running) {
            peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling; returns the peak in bytes. */
    long stop() {
        running = false;
        thread.interrupt();
        return Math.max(peak, memory.getHeapMemoryUsage().getUsed());
    }
}
