package io.voicedrop.audio.analysis;

/** One second-order IIR section (direct form II transposed), one channel's state. */
final class Biquad {

  private final double b0;
  private final double b1;
  private final double b2;
  private final double a1;
  private final double a2;
  private double z1;
  private double z2;

  Biquad(double b0, double b1, double b2, double a1, double a2) {
    this.b0 = b0;
    this.b1 = b1;
    this.b2 = b2;
    this.a1 = a1;
    this.a2 = a2;
  }

  double filter(double x) {
    double y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    return y;
  }

  /**
   * The two stages of the ITU-R BS.1770-4 K-weighting filter for {@code rate}: a high shelf of about +4 dB above
   * 1.5 kHz (the head's acoustic effect) and the RLB high-pass at 38 Hz. BS.1770 gives the coefficients for 48 kHz
   * only; these are the analogue prototypes (centre frequency, gain, Q) those coefficients come from, mapped to any
   * rate by the bilinear transform, which reproduces the published 48 kHz values.
   */
  static Biquad[] kWeighting(int rate) {
    double k = Math.tan(Math.PI * 1681.974450955533 / rate);
    double q = 0.7071752369554196;
    double vh = Math.pow(10, 3.999843853973347 / 20);
    double vb = Math.pow(vh, 0.4996667741545416);
    double a0 = 1 + k / q + k * k;
    Biquad shelf = new Biquad((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
        2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
    k = Math.tan(Math.PI * 38.13547087602444 / rate);
    q = 0.5003270373238773;
    a0 = 1 + k / q + k * k;
    Biquad highPass = new Biquad(1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
    return new Biquad[] {shelf, highPass};
  }
}
