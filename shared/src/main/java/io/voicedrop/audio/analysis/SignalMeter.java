package io.voicedrop.audio.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures decoded audio in one pass, in constant memory per second of audio (one float per 20 ms frame and one
 * double per 100 ms loudness step):
 *
 * <ul>
 *   <li>loudness: ITU-R BS.1770-4 K-weighted mean square per 100 ms step; 400 ms blocks overlapping by 75 %; EBU R128
 *       gating (absolute gate -70 LUFS, relative gate 10 LU under the absolutely gated level);
 *   <li>voice activity: 20 ms frames of the DC-blocked signal (power averaged over channels, so an inverted channel
 *       cannot cancel the other), active when above the noise floor + 6 dB, above the loud level (95th percentile)
 *       - 40 dB and above -60 dBFS; pauses shorter than 0.3 s between active frames are filled (words have gaps)
 *       and bursts shorter than 0.1 s dropped (clicks);
 *   <li>noise floor: power mean of the quietest tenth of the frames; a recording without pauses has no pure-noise
 *       frames, so there its SNR is a lower bound;
 *   <li>clipping, DC offset, sample peak, per-channel RMS and the correlation of the first two channels.
 * </ul>
 */
final class SignalMeter implements PcmSink {

  /** A peak at least this high (-1 dBFS) is where clipping is looked for. */
  static final double CLIP_PEAK_MIN = 0.891;
  /** Samples within 1 % of such a peak count as clipped. */
  static final double CLIP_NEAR_PEAK = 0.99;
  private static final int HIST_BINS = 1000;
  private static final float HIST_FROM = 0.5f;
  static final double FRAME_SECONDS = 0.020;
  static final double STEP_SECONDS = 0.100;
  static final double ABSOLUTE_GATE_LUFS = -70;
  static final double RELATIVE_GATE_LU = 10;
  static final double FLOOR_DB = -120;
  static final int FILL_GAP_FRAMES = 15;
  static final int MIN_BURST_FRAMES = 5;
  static final double ACTIVE_ABOVE_NOISE_DB = 6;
  static final double ACTIVE_RANGE_DB = 40;
  static final double ACTIVE_MIN_DB = -60;

  private int rate;
  private int channels;
  private Biquad[][] kWeight;
  private double[] weights;
  private double[] dcPrev;
  private double[] dcOut;
  private double dcPole;
  private double[] rawSum;
  private double[] hpSquares;
  private double cross;
  /** Magnitudes from {@link #HIST_FROM} up, in bins of 0.0005; the last bin holds everything at or beyond 1.0. */
  private final long[] loudHistogram = new long[HIST_BINS + 1];
  private double peak;
  private long frames;

  private int frameLength;
  private int frameFill;
  private double frameEnergy;
  private float[] frameLevels = new float[1024];
  private int frameCount;

  private int stepLength;
  private int stepFill;
  private double[] stepK;
  private double[] stepPowers = new double[256];
  private int stepCount;

  @Override
  public void start(int sampleRateHz, int channelCount) {
    rate = sampleRateHz;
    channels = channelCount;
    kWeight = new Biquad[channels][];
    weights = new double[channels];
    for (int c = 0; c < channels; c++) {
      kWeight[c] = Biquad.kWeighting(rate);
      weights[c] = channelWeight(c, channels);
    }
    dcPrev = new double[channels];
    dcOut = new double[channels];
    dcPole = Math.exp(-2 * Math.PI * 20.0 / rate);
    rawSum = new double[channels];
    hpSquares = new double[channels];
    stepK = new double[channels];
    frameLength = Math.max(1, (int) Math.round(rate * FRAME_SECONDS));
    stepLength = Math.max(1, (int) Math.round(rate * STEP_SECONDS));
  }

  /** BS.1770-4 channel weights: 1.41 for the surround pair of 5.0/5.1 layouts, 0 for the LFE of 5.1, else 1. */
  static double channelWeight(int channel, int count) {
    if (count == 6) {
      return channel == 3 ? 0 : channel >= 4 ? 1.41 : 1;
    }
    if (count == 5) {
      return channel >= 3 ? 1.41 : 1;
    }
    return 1;
  }

  @Override
  public boolean accept(float[] x, int n) {
    int p = 0;
    for (int i = 0; i < n; i++) {
      double energy = 0;
      double first = 0;
      for (int c = 0; c < channels; c++, p++) {
        float v = x[p];
        float a = Math.abs(v);
        if (a >= HIST_FROM) {
          loudHistogram[Math.min(HIST_BINS, (int) ((a - HIST_FROM) * (2 * HIST_BINS)))]++;
        }
        if (a > peak) {
          peak = a;
        }
        rawSum[c] += v;
        double hp = v - dcPrev[c] + dcPole * dcOut[c]; // one-pole DC blocker at 20 Hz
        dcPrev[c] = v;
        dcOut[c] = hp;
        hpSquares[c] += hp * hp;
        energy += hp * hp;
        if (c == 0) {
          first = hp;
        } else if (c == 1) {
          cross += first * hp;
        }
        Biquad[] k = kWeight[c];
        double y = k[1].filter(k[0].filter(v));
        stepK[c] += y * y;
      }
      frameEnergy += energy / channels;
      if (++frameFill == frameLength) {
        addFrame(frameEnergy / frameLength);
        frameEnergy = 0;
        frameFill = 0;
      }
      if (++stepFill == stepLength) {
        double weighted = 0;
        for (int c = 0; c < channels; c++) {
          weighted += weights[c] * stepK[c] / stepLength;
          stepK[c] = 0;
        }
        addStep(weighted);
        stepFill = 0;
      }
    }
    frames += n;
    return true;
  }

  private void addFrame(double meanSquare) {
    if (frameCount == frameLevels.length) {
      frameLevels = Arrays.copyOf(frameLevels, frameCount * 2);
    }
    frameLevels[frameCount++] = (float) db(meanSquare);
  }

  private void addStep(double weightedMeanSquare) {
    if (stepCount == stepPowers.length) {
      stepPowers = Arrays.copyOf(stepPowers, stepCount * 2);
    }
    stepPowers[stepCount++] = weightedMeanSquare;
  }

  long frames() {
    return frames;
  }

  int sampleRate() {
    return rate;
  }

  /** The figures for everything accepted so far; null before any audio arrived. */
  Measures measures() {
    if (rate == 0 || frames == 0) {
      return null;
    }
    double seconds = frames / (double) rate;
    boolean[] active = voiceActivity();
    int speechFrames = 0;
    double speechPower = 0;
    for (int i = 0; i < frameCount; i++) {
      if (active[i]) {
        speechFrames++;
        speechPower += Math.pow(10, frameLevels[i] / 10);
      }
    }
    double speechSeconds = Math.min(seconds, speechFrames * frameLength / (double) rate);
    Double noise = frameCount == 0 ? null : noiseFloor();
    Double speechLevel = speechFrames == 0 ? null : db(speechPower / speechFrames);
    Double snr = speechLevel == null || noise == null ? null : speechLevel - noise;
    List<Double> levels = new ArrayList<>();
    double dc = 0;
    for (int c = 0; c < channels; c++) {
      levels.add(db(hpSquares[c] / frames));
      double mean = rawSum[c] / frames;
      if (Math.abs(mean) > Math.abs(dc)) {
        dc = mean;
      }
    }
    Double correlation = null;
    if (channels >= 2 && hpSquares[0] > 0 && hpSquares[1] > 0) {
      correlation = cross / Math.sqrt(hpSquares[0] * hpSquares[1]);
    }
    return new Measures(rate, channels, seconds, speechSeconds, 1 - speechSeconds / seconds,
        clippedShare(), dc, integratedLoudness(), peak > 0 ? 20 * Math.log10(peak) : FLOOR_DB,
        noise, speechLevel, snr, levels, correlation);
  }

  /**
   * Clipping piles samples up at the recording's ceiling. The ceiling is full scale for a lossless file, but lossy
   * coding and later gain move it (MP3 typically lands a clipped recording a few tenths of a dB under full scale),
   * so the samples counted are those within 1 % of the file's own peak, when that peak is within 1 dB of full
   * scale. A steady tone that loud counts too: it sits at the ceiling in the same way.
   */
  private double clippedShare() {
    if (peak < CLIP_PEAK_MIN) {
      return 0;
    }
    double level = CLIP_NEAR_PEAK * Math.min(peak, 1.0);
    int from = (int) Math.ceil((level - HIST_FROM) * (2 * HIST_BINS));
    long n = 0;
    for (int b = Math.max(0, from); b <= HIST_BINS; b++) {
      n += loudHistogram[b];
    }
    return n / (double) (frames * channels);
  }

  private boolean[] voiceActivity() {
    boolean[] active = new boolean[frameCount];
    if (frameCount == 0) {
      return active;
    }
    float[] sorted = Arrays.copyOf(frameLevels, frameCount);
    Arrays.sort(sorted);
    double loud = sorted[Math.min(frameCount - 1, (int) Math.floor(frameCount * 0.95))];
    double threshold = Math.max(Math.max(noiseFloor() + ACTIVE_ABOVE_NOISE_DB, loud - ACTIVE_RANGE_DB),
        ACTIVE_MIN_DB);
    for (int i = 0; i < frameCount; i++) {
      active[i] = frameLevels[i] > threshold;
    }
    fillGaps(active);
    dropBursts(active);
    return active;
  }

  private static void fillGaps(boolean[] a) {
    int lastActive = -1;
    for (int i = 0; i < a.length; i++) {
      if (a[i]) {
        if (lastActive >= 0 && i - lastActive - 1 < FILL_GAP_FRAMES) {
          Arrays.fill(a, lastActive + 1, i, true);
        }
        lastActive = i;
      }
    }
  }

  private static void dropBursts(boolean[] a) {
    int start = -1;
    for (int i = 0; i <= a.length; i++) {
      boolean on = i < a.length && a[i];
      if (on && start < 0) {
        start = i;
      } else if (!on && start >= 0) {
        if (i - start < MIN_BURST_FRAMES) {
          Arrays.fill(a, start, i, false);
        }
        start = -1;
      }
    }
  }

  private double noiseFloor() {
    float[] sorted = Arrays.copyOf(frameLevels, frameCount);
    Arrays.sort(sorted);
    int quiet = Math.max(1, frameCount / 10);
    double power = 0;
    for (int i = 0; i < quiet; i++) {
      power += Math.pow(10, sorted[i] / 10);
    }
    return db(power / quiet);
  }

  /** Integrated loudness of the 400 ms blocks (4 steps, hop 1 step) that pass both gates; null when none do. */
  private Double integratedLoudness() {
    int blocks = stepCount - 3;
    if (blocks <= 0) {
      return null;
    }
    double[] z = new double[blocks];
    double sum = 0;
    int n = 0;
    for (int j = 0; j < blocks; j++) {
      z[j] = (stepPowers[j] + stepPowers[j + 1] + stepPowers[j + 2] + stepPowers[j + 3]) / 4;
      if (lufs(z[j]) > ABSOLUTE_GATE_LUFS) {
        sum += z[j];
        n++;
      }
    }
    if (n == 0) {
      return null;
    }
    double relativeGate = lufs(sum / n) - RELATIVE_GATE_LU;
    sum = 0;
    n = 0;
    for (double zj : z) {
      double l = lufs(zj);
      if (l > ABSOLUTE_GATE_LUFS && l > relativeGate) {
        sum += zj;
        n++;
      }
    }
    return n == 0 ? null : lufs(sum / n);
  }

  static double lufs(double weightedMeanSquare) {
    return weightedMeanSquare <= 0 ? Double.NEGATIVE_INFINITY : -0.691 + 10 * Math.log10(weightedMeanSquare);
  }

  static double db(double meanSquare) {
    return meanSquare <= 1e-12 ? FLOOR_DB : 10 * Math.log10(meanSquare);
  }
}
