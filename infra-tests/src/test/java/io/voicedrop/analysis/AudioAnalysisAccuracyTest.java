package io.voicedrop.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.analysis.Analyse.Format;
import io.voicedrop.audio.analysis.Analysis;
import io.voicedrop.audio.analysis.Measures;
import io.voicedrop.local.TestSignals;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every measure, through every decoded format, against a value known from how the audio was made. Tolerances:
 * lossless formats (WAV of 8 to 32 bits, float, FLAC) within ±0.1 LU of the BS.1770 reference loudness, ±0.3 s of
 * speech, ±1.5 dB of SNR, ±25 % (relative) of the clipped share; MP3 (128 kb/s) within ±0.75 LU (the encoder itself
 * lowers a tone by about 0.45 dB, as LAME's own decoder shows), ±0.4 s of speech and the same SNR and clipping
 * bounds. 8-bit WAV carries its own quantisation noise (about -50 dBFS), so it is left out of the SNR and silence
 * cases, where that noise is the signal being measured.
 */
class AudioAnalysisAccuracyTest {

    private static final int RATE = 44_100;

    private static Measures complete(Analysis a) {
        assertEquals(Analysis.Outcome.COMPLETE, a.outcome(), String.valueOf(a.detail()));
        return a.measures();
    }

    /**
     * BS.1770-4: a 1 kHz sine at full scale in one channel is -3.01 LUFS: its mean square is 1/2 (-3.01 dB), the
     * K-weighting gain at 1 kHz (+0.69 dB) and the -0.691 offset cancel. A -23 dBFS 1 kHz sine in both channels of
     * a stereo file is -23.0 LUFS (EBU Tech 3341, case 1): -26.01 dB per channel, +3.01 dB for two channels.
     */
    @ParameterizedTest
    @EnumSource(Format.class)
    void sineLoudnessAndPeakMatchTheBs1770Reference(Format format) {
        double tolerance = format.lossy ? 0.75 : 0.1;
        Measures full = complete(Analyse.bytes(format.encode(TestSignals.mono(
                TestSignals.sine(RATE, 1000, format == Format.MP3 ? 0.9 : 1.0, 10), RATE))));
        double expected = format == Format.MP3 ? -3.01 + 20 * Math.log10(0.9) : -3.01;
        assertEquals(expected, full.loudnessLufs(), tolerance, "full-scale sine");
        if (!format.lossy) {
            assertEquals(0.0, full.peakDbfs(), 0.1, "peak of a full-scale sine");
        }
        float[] quiet = TestSignals.sine(48_000, 1000, Math.pow(10, -23 / 20.0), 10);
        Measures stereo = complete(Analyse.bytes(format.encode(TestSignals.stereo(quiet, quiet, 48_000))));
        assertEquals(-23.0, stereo.loudnessLufs(), tolerance, "EBU Tech 3341 case 1");
        assertEquals(-23.0, stereo.peakDbfs(), format.lossy ? 0.75 : 0.1);
        assertEquals(0.0, stereo.speechSeconds(), "a steady tone is no speech");
        assertEquals("stereo", channelUse(stereo));
    }

    @ParameterizedTest
    @EnumSource(value = Format.class, names = "WAV_PCM8", mode = EnumSource.Mode.EXCLUDE)
    void speechTimeAndSilenceFollowTheKnownGaps(Format format) {
        // 5 + 4 + 6 s of speech; 2 s of digital silence before, between and after: 15 s of 23 s.
        float[] x = TestSignals.speechWithGaps(RATE, new double[] {5, 4, 6}, 2.0, 0.5, 11);
        Measures m = complete(Analyse.bytes(format.encode(TestSignals.mono(x, RATE))));
        assertEquals(15.0, m.speechSeconds(), format.lossy ? 0.4 : 0.3);
        assertEquals(8.0 / 23.0, m.silenceRatio(), 0.02);
        assertEquals(23.0, m.analysedSeconds(), format.lossy ? 0.1 : 0.001);
    }

    @ParameterizedTest
    @EnumSource(value = Format.class, names = "WAV_PCM8", mode = EnumSource.Mode.EXCLUDE)
    void noiseFloorAndSnrFollowTheNoiseAdded(Format format) {
        float[] speech = TestSignals.speechWithGaps(RATE, new double[] {6, 6}, 2.0, 0.5, 12);
        double speechDb = 10 * Math.log10(TestSignals.activePower(speech));
        for (double snr : new double[] {25, 10}) {
            Measures m = complete(Analyse.bytes(format.encode(TestSignals.mono(
                    TestSignals.withNoise(speech, snr, 13), RATE))));
            assertEquals(snr, m.snrDb(), 1.5, "SNR " + snr + " dB");
            assertEquals(speechDb - snr, m.noiseFloorDb(), 1.5, "noise floor at SNR " + snr + " dB");
            assertEquals(12.0, m.speechSeconds(), 0.5, "speech time at SNR " + snr + " dB");
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void clippingIsTheShareOfSamplesAtTheCeiling(Format format) {
        float[] speech = TestSignals.speech(RATE, 10, 0.5, 14);
        Measures clean = complete(Analyse.bytes(format.encode(TestSignals.mono(speech, RATE))));
        assertEquals(0.0, clean.clippedRatio(), "nothing clipped at -6 dBFS");
        float[] clipped = TestSignals.clipped(speech, 3);
        double known = TestSignals.fullScaleShare(clipped);
        Measures m = complete(Analyse.bytes(format.encode(TestSignals.mono(clipped, RATE))));
        assertEquals(known, m.clippedRatio(), 0.25 * known, "clipped share (known " + known + ")");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void dcOffsetIsTheMeanLevel(Format format) {
        float[] speech = TestSignals.speech(RATE, 8, 0.4, 15);
        Measures m = complete(Analyse.bytes(format.encode(TestSignals.mono(TestSignals.withDc(speech, 0.03), RATE))));
        // MP3 coding drops what is below 20 Hz or so: the offset is gone, which is also what the upstream would hear.
        if (format.lossy) {
            assertTrue(Math.abs(m.dcOffset()) < 0.03, "MP3 keeps at most the offset it was given: " + m.dcOffset());
        } else {
            assertEquals(0.03, m.dcOffset(), format == Format.WAV_PCM8 ? 0.005 : 0.001);
        }
        Measures none = complete(Analyse.bytes(format.encode(TestSignals.mono(speech, RATE))));
        assertEquals(0.0, none.dcOffset(), 0.005);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aSilentOrInvertedChannelIsSeen(Format format) {
        float[] speech = TestSignals.speech(RATE, 8, 0.5, 16);
        Measures dead = complete(Analyse.bytes(format.encode(TestSignals.stereo(speech,
                TestSignals.silence(speech.length), RATE))));
        assertEquals("silent_channel", channelUse(dead));
        assertTrue(dead.channelLevelsDb().get(1) < dead.channelLevelsDb().get(0) - 40, dead.channelLevelsDb().toString());
        assertNull(dead.channelCorrelation());
        Measures inverted = complete(Analyse.bytes(format.encode(TestSignals.stereo(speech,
                TestSignals.inverted(speech), RATE))));
        assertEquals("inverted", channelUse(inverted));
        assertEquals(-1.0, inverted.channelCorrelation(), 0.05);
        // The voice is still heard as speech: activity is measured on channel power, which inversion keeps.
        assertEquals(8.0, inverted.speechSeconds(), 0.3);
        Measures both = complete(Analyse.bytes(format.encode(TestSignals.stereo(speech, speech, RATE))));
        assertEquals("stereo", channelUse(both));
        assertEquals(1.0, both.channelCorrelation(), 0.05);
    }

    @ParameterizedTest
    @EnumSource(value = Format.class, names = {"WAV_PCM16", "FLAC", "MP3"})
    void speechAt16kHzIsMeasuredLikeAt44kHz(Format format) {
        float[] x = TestSignals.speechWithGaps(16_000, new double[] {10, 10, 12}, 3.0, 0.5, 17);
        Measures m = complete(Analyse.bytes(format.encode(TestSignals.mono(x, 16_000))));
        assertEquals(32.0, m.speechSeconds(), format.lossy ? 0.4 : 0.3);
        assertEquals(16_000, m.sampleRateHz());
        assertEquals(List.of(1).size(), m.channels());
    }

    private static String channelUse(Measures m) {
        // The rule the quality check applies (QualityRules.channelUse), restated so this test checks the figures
        // the rule reads.
        if (m.channels() == 1) {
            return "mono";
        }
        double loudest = Math.max(m.channelLevelsDb().get(0), m.channelLevelsDb().get(1));
        if (loudest > -60 && Math.min(m.channelLevelsDb().get(0), m.channelLevelsDb().get(1)) < loudest - 30) {
            return "silent_channel";
        }
        return m.channelCorrelation() != null && m.channelCorrelation() < -0.7 ? "inverted" : "stereo";
    }
}
