package io.voicedrop.audio.analysis;

import java.util.List;

/**
 * What the decoded audio of one sample measured. Levels are in dB relative to full scale; a null figure could not
 * be measured (for example no loudness for audio below the -70 LUFS gate, no SNR without speech).
 *
 * @param analysedSeconds how much audio the figures cover
 * @param speechSeconds time with voice activity (pauses under 0.3 s between words count as speech)
 * @param silenceRatio the rest of the analysed time, 0..1
 * @param clippedRatio share of samples at the recording's ceiling (see {@link SignalMeter}), 0..1
 * @param dcOffset the largest channel mean, as a fraction of full scale (signed)
 * @param loudnessLufs integrated loudness per ITU-R BS.1770-4 with EBU R128 gating
 * @param peakDbfs highest sample magnitude (sample peak, not true peak)
 * @param noiseFloorDb mean level of the quietest tenth of the 20 ms frames
 * @param speechLevelDb mean level of the speech frames
 * @param snrDb speech level minus noise floor
 * @param channelLevelsDb RMS level of each channel
 * @param channelCorrelation correlation of the first two channels, -1..1; null for mono or a silent channel
 */
public record Measures(int sampleRateHz, int channels, double analysedSeconds, double speechSeconds,
                       double silenceRatio, double clippedRatio, double dcOffset, Double loudnessLufs,
                       Double peakDbfs, Double noiseFloorDb, Double speechLevelDb, Double snrDb,
                       List<Double> channelLevelsDb, Double channelCorrelation) {

  public Measures {
    channelLevelsDb = List.copyOf(channelLevelsDb);
  }
}
