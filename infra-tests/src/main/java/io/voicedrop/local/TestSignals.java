package io.voicedrop.local;

import java.util.Arrays;
import java.util.Random;

/**
 * Audio with known properties for the analysis tests and benchmark: speech-like passages and silent gaps of known
 * length, noise at a known SNR, deliberate clipping, a dead or inverted channel, and sine tones. Samples are floats
 * in [-1, 1], interleaved; {@link TestEncoders} writes them as WAV, FLAC or MP3.
 */
public final class TestSignals {

    /** Interleaved audio and its layout. */
    public record Signal(float[] samples, int rate, int channels) {
        public int frames() {
            return samples.length / channels;
        }

        public double seconds() {
            return frames() / (double) rate;
        }
    }

    private TestSignals() {
    }

    /**
     * A voice-like tone: a wandering 110-150 Hz pitch with harmonics and a 4 Hz syllable envelope that dips to a
     * tenth of its peak (never to zero: the pauses between syllables are shorter than the 0.3 s a pause must last),
     * with its peak at {@code peak}.
     */
    public static float[] speech(int rate, double seconds, double peak, long seed) {
        int n = (int) Math.round(seconds * rate);
        float[] out = new float[n];
        Random random = new Random(seed);
        double phase = 0;
        double drift = random.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double pitch = 130 + 20 * Math.sin(2 * Math.PI * 0.7 * t + drift);
            phase += 2 * Math.PI * pitch / rate;
            double syllable = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
            double voice = 0.6 * Math.sin(phase) + 0.25 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase)
                    + 0.05 * Math.sin(5 * phase);
            out[i] = (float) (peak * syllable * voice);
        }
        return out;
    }

    /**
     * Speech passages of {@code speechSeconds[i]} each, separated by {@code gapSeconds} of digital silence, and the
     * same silence before the first and after the last passage.
     */
    public static float[] speechWithGaps(int rate, double[] speechSeconds, double gapSeconds, double peak, long seed) {
        int gap = (int) Math.round(gapSeconds * rate);
        int total = gap;
        for (double s : speechSeconds) {
            total += (int) Math.round(s * rate) + gap;
        }
        float[] out = new float[total];
        int at = gap;
        for (int i = 0; i < speechSeconds.length; i++) {
            float[] passage = speech(rate, speechSeconds[i], peak, seed + i);
            System.arraycopy(passage, 0, out, at, passage.length);
            at += passage.length + gap;
        }
        return out;
    }

    /** Mean power of the non-silent samples (the speech passages). */
    public static double activePower(float[] x) {
        double sum = 0;
        long n = 0;
        for (float v : x) {
            if (v != 0) {
                sum += (double) v * v;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Adds white Gaussian noise everywhere, {@code snrDb} below the power of the passages. */
    public static float[] withNoise(float[] x, double snrDb, long seed) {
        double noiseRms = Math.sqrt(activePower(x) / Math.pow(10, snrDb / 10));
        Random random = new Random(seed);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (x[i] + noiseRms * random.nextGaussian());
        }
        return out;
    }

    /** Amplifies by {@code gain} and hard-clips at full scale. */
    public static float[] clipped(float[] x, double gain) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) Math.max(-1, Math.min(1, x[i] * gain));
        }
        return out;
    }

    /** Share of samples at full scale: the known clipping of {@link #clipped}. */
    public static double fullScaleShare(float[] x) {
        long n = 0;
        for (float v : x) {
            if (Math.abs(v) >= 1f) {
                n++;
            }
        }
        return n / (double) x.length;
    }

    /** Adds a constant. */
    public static float[] withDc(float[] x, double offset) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (x[i] + offset);
        }
        return out;
    }

    public static float[] sine(int rate, double hz, double amplitude, double seconds) {
        float[] out = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return out;
    }

    public static Signal mono(float[] x, int rate) {
        return new Signal(x, rate, 1);
    }

    /** Two channels: {@code left} and {@code right} sample by sample. */
    public static Signal stereo(float[] left, float[] right, int rate) {
        int n = Math.min(left.length, right.length);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = left[i];
            out[2 * i + 1] = right[i];
        }
        return new Signal(out, rate, 2);
    }

    public static float[] silence(int frames) {
        return new float[frames];
    }

    public static float[] inverted(float[] x) {
        float[] out = Arrays.copyOf(x, x.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
        return out;
    }
}
