package io.voicedrop.bench;

import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.audio.ByteSource;
import io.voicedrop.audio.analysis.Analysis;
import io.voicedrop.audio.analysis.AudioAnalyzer;
import io.voicedrop.local.TestEncoders;
import io.voicedrop.local.TestSignals;
import io.voicedrop.local.TestSignals.Signal;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code scripts/bench-analysis.sh [minutes] [runs]}: the voice-quality analysis' cost per minute of audio, per format:
 * CPU seconds of the analysing thread (decode and measure, nothing else) and the bytes it allocated. Everything one
 * analysis holds is allocated during it, so the bytes allocated in a run bound its peak memory from above (heap
 * pool figures are too coarse to see a few hundred KiB). The audio is generated and encoded before the clock starts, then analysed once to warm
 * the JIT and {@code runs} times measured (the median is printed). Single-threaded, so it loads one core.
 */
public final class AnalysisBenchmark {

    private AnalysisBenchmark() {
    }

    private record Case(String name, int rate, int channels, Function<Signal, byte[]> encoder) {
    }

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Case> cases = List.of(
                new Case("WAV 16-bit 44.1 kHz mono", 44_100, 1, s -> TestEncoders.wav(s, 16)),
                new Case("WAV 16-bit 44.1 kHz stereo", 44_100, 2, s -> TestEncoders.wav(s, 16)),
                new Case("WAV 24-bit 48 kHz stereo", 48_000, 2, s -> TestEncoders.wav(s, 24)),
                new Case("WAV float 44.1 kHz stereo", 44_100, 2, TestEncoders::wavFloat),
                new Case("FLAC 16-bit 44.1 kHz mono", 44_100, 1, TestEncoders::flac),
                new Case("FLAC 16-bit 44.1 kHz stereo", 44_100, 2, TestEncoders::flac),
                new Case("MP3 128 kb/s 44.1 kHz mono", 44_100, 1, s -> TestEncoders.mp3(s, 128)),
                new Case("MP3 128 kb/s 44.1 kHz stereo", 44_100, 2, s -> TestEncoders.mp3(s, 128)),
                new Case("WAV 16-bit 16 kHz mono", 16_000, 1, s -> TestEncoders.wav(s, 16)));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "voice-quality analysis: %.1f min of speech-like audio per file, median of %d"
                + " runs, %d CPUs, %s %s%n", minutes, runs, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-30s | %9s | %12s | %12s | %13s | %s%n", "format", "file MB", "CPU s/min",
                "wall s/min", "alloc KB/min", "peak memory <= KB (all it allocated)");
        for (Case c : cases) {
            double seconds = minutes * 60;
            float[] voice = TestSignals.withNoise(TestSignals.speechWithGaps(c.rate(),
                    new double[] {seconds * 0.45, seconds * 0.45}, seconds * 0.1 / 3, 0.5, 1), 30, 2);
            Signal signal = c.channels() == 1 ? TestSignals.mono(voice, c.rate())
                    : TestSignals.stereo(voice, voice, c.rate());
            byte[] bytes = c.encoder().apply(signal);
            voice = null;
            signal = null;
            AudioInfo info = new AudioProbe().probe(ByteSource.of(bytes));
            analyse(info, bytes); // warm-up
            double[] cpu = new double[runs];
            double[] wall = new double[runs];
            double[] alloc = new double[runs];
            double audioMinutes = 0;
            for (int i = 0; i < runs; i++) {
                System.gc();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long alloc0 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                long wall0 = System.nanoTime();
                Analysis a = analyse(info, bytes);
                wall[i] = (System.nanoTime() - wall0) / 1e9;
                cpu[i] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                alloc[i] = (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - alloc0) / 1024.0;
                audioMinutes = a.measures().analysedSeconds() / 60;
            }
            System.out.printf(Locale.ROOT, "%-30s | %9.2f | %12.3f | %12.3f | %13.0f | %.0f%n", c.name(),
                    bytes.length / 1e6, median(cpu) / audioMinutes, median(wall) / audioMinutes,
                    median(alloc) / audioMinutes, median(alloc));
        }
        System.out.println("(what one analysis keeps grows by 0.2 KB per second of audio; the rest is a fixed decode"
                + " block)");
    }

    private static Analysis analyse(AudioInfo info, byte[] bytes) throws Exception {
        Analysis a = new AudioAnalyzer().analyse(info, new ByteArrayInputStream(bytes), 36_000,
                System.nanoTime() + 600_000_000_000L);
        if (!a.complete()) {
            throw new IllegalStateException(a.outcome() + ": " + a.detail());
        }
        return a;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
