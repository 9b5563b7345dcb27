package io.voicedrop.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.audio.analysis.Analysis;
import io.voicedrop.audio.analysis.Analysis.Outcome;
import io.voicedrop.audio.analysis.Measures;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.QualityReport.SampleQuality;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Figures become plain warnings against the documented thresholds; strict rejects only the chosen checks. */
class QualityRulesTest {

    private final QualityRules rules = new QualityRules(QualitySettings.DEFAULTS);

    private static Measures measures(double seconds, double speech, double clipped, double dc, Double lufs,
                                     Double snr, List<Double> levels, Double correlation) {
        return new Measures(16_000, levels.size(), seconds, speech, 1 - speech / seconds, clipped, dc, lufs, -1.0,
                snr == null ? null : -20 - snr, snr == null ? null : -20.0, snr, levels, correlation);
    }

    private static Measures clean(double seconds, double speech) {
        return measures(seconds, speech, 0, 0, -20.0, 30.0, List.of(-20.0), null);
    }

    private List<String> texts(Measures m) {
        return rules.evaluate("take2.wav", new Analysis(Outcome.COMPLETE, null, m)).findings().stream()
                .map(Finding::text).toList();
    }

    @Test
    void cleanSpeechHasNoFinding() {
        QualityRules.Evaluation e = rules.evaluate("take1.wav", new Analysis(Outcome.COMPLETE, null, clean(40, 38)));
        assertEquals(List.of(), e.findings());
        SampleQuality q = e.quality();
        assertEquals("analysed", q.status());
        assertEquals(38.0, q.speechSeconds());
        assertEquals(5.0, q.silencePercent());
        assertEquals("mono", q.channelUse());
    }

    @Test
    void everyFindingSaysWhatWasMeasuredAndWhatIsRecommended() {
        assertEquals(List.of("take2.wav: 61 % silence, 13.7 s of speech (30 s recommended)"),
                texts(clean(35.1, 13.7)));
        assertEquals(List.of("take2.wav: 4.2 % of samples clipped (at most 0.1 % recommended)"),
                texts(measures(40, 38, 0.042, 0, -20.0, 30.0, List.of(-20.0), null)));
        assertEquals(List.of("take2.wav: DC offset of 3.0 % of full scale (at most 1 % recommended)"),
                texts(measures(40, 38, 0, 0.03, -20.0, 30.0, List.of(-20.0), null)));
        assertEquals(List.of("take2.wav: very quiet: -41.2 LUFS (-35 LUFS or louder recommended)"),
                texts(measures(40, 38, 0, 0, -41.2, 30.0, List.of(-40.0), null)));
        assertEquals(List.of("take2.wav: very loud: -6.3 LUFS, peak -1.0 dBFS (-10 LUFS or quieter recommended)"),
                texts(measures(40, 38, 0, 0, -6.3, 30.0, List.of(-6.0), null)));
        assertEquals(List.of("take2.wav: noisy: speech is 9.5 dB above the noise floor (-29.5 dBFS); 15 dB or more"
                + " recommended"), texts(measures(40, 38, 0, 0, -20.0, 9.5, List.of(-20.0), null)));
        assertEquals(List.of("take2.wav: the right channel is silent (-120.0 dB against -18.0 dB): record or send"
                + " mono"), texts(measures(40, 38, 0, 0, -20.0, 30.0, List.of(-18.0, -120.0), null)));
        assertEquals(List.of("take2.wav: the two channels are inverted copies (correlation -0.99): they cancel out"
                + " when mixed to mono"), texts(measures(40, 38, 0, 0, -20.0, 30.0, List.of(-18.0, -18.0), -0.99)));
        assertEquals(List.of("take2.wav: 72 % silence (33.6 s of speech in 120.0 s); at most 50 % recommended: trim"
                + " long pauses"), texts(clean(120, 33.6)));
    }

    @Test
    void aSteadyToneIsNoSpeechAndAShortFileIsLeftToTheLengthWarning() {
        assertEquals(List.of("take2.wav: no speech found in 40.0 s of sound (a steady tone, hum or noise?); 30 s of"
                + " speech recommended"), texts(measures(40, 0, 0, 0, -20.0, null, List.of(-20.0), null)));
        assertEquals(List.of(), texts(clean(12, 11.5)), "under 30 s the header check already warns about length");
    }

    @Test
    void withoutPausesTheNoiseFloorIsNotTrustedEnoughToWarn() {
        assertEquals(List.of(), texts(measures(40, 39.5, 0, 0, -20.0, 12.0, List.of(-20.0), null)));
    }

    @Test
    void aPartialOrFailedAnalysisLeavesANoteThatStrictNeverRejects() {
        QualityRules.Evaluation bound = rules.evaluate("long.wav", new Analysis(Outcome.LENGTH_BOUND,
                "only the first 600.0 s were analysed (the bound per sample)", clean(600, 20)));
        assertEquals(List.of("long.wav: 97 % silence (20.0 s of speech in 600.0 s); at most 50 % recommended: trim"
                + " long pauses", "long.wav: only the first 600.0 s were analysed (the bound per sample); the figures"
                + " cover that part"), bound.findings().stream().map(Finding::text).sorted().toList(),
                "silence is a fact of what was heard; too little speech is not, before the end");
        assertEquals("partial", bound.quality().status());
        Finding note = bound.findings().stream().filter(f -> f.check() == null).findFirst().orElseThrow();
        assertFalse(QualitySettings.DEFAULTS.rejectsWhenStrict(note));
        QualityRules.Evaluation damaged = rules.evaluate("bad.mp3", new Analysis(Outcome.DAMAGED,
                "MPEG audio damaged after 12.3 s: decoding stopped", clean(12.3, 12)));
        assertEquals(Check.DAMAGED, damaged.findings().get(0).check());
        assertTrue(QualitySettings.DEFAULTS.rejectsWhenStrict(damaged.findings().get(0)));
        QualityRules.Evaluation notDecoded = rules.evaluate("x.m4a", new Analysis(Outcome.NOT_DECODED,
                "m4a_aac (aac) is not decoded; WAV, FLAC and MP3 are", null));
        assertEquals("not_analysed", notDecoded.quality().status());
        assertEquals(List.of(), notDecoded.findings(), "a format that is not decoded is never held against a sample");
    }

    @Test
    void strictRejectsOnlyTheChosenChecks() {
        Finding silence = new Finding("a.wav", Check.SILENCE, "a.wav: 72 % silence");
        Finding clipping = new Finding("a.wav", Check.CLIPPING, "a.wav: 4.2 % of samples clipped");
        assertFalse(QualitySettings.DEFAULTS.rejectsWhenStrict(silence));
        assertTrue(QualitySettings.DEFAULTS.rejectsWhenStrict(clipping));
        assertEquals(EnumSet.of(Check.SILENCE, Check.DC_OFFSET), Check.parseList(" silence , DC_offset"));
        assertEquals(EnumSet.allOf(Check.class), Check.parseList("all"));
        assertEquals(EnumSet.noneOf(Check.class), Check.parseList("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Check.parseList("speach"));
        assertTrue(e.getMessage().startsWith("unknown quality check \"speach\" (known: all, none, speech,"), e.getMessage());
    }

    @Test
    void theSettingsAreReadFromTheEnvironmentWithTheDocumentedDefaults() {
        Map<String, String> env = new HashMap<>(Map.of("BUCKET_NAME", "b", "JOBS_TABLE", "j", "MODELS_TABLE", "m",
                "API_KEYS_TABLE", "k", "JOBS_QUEUE_URL", "q"));
        assertEquals(QualitySettings.DEFAULTS, VoiceDropConfig.from(env).quality());
        env.put("QUALITY_STRICT_CHECKS", "silence");
        env.put("STRICT_BY_DEFAULT", "true");
        env.put("QUALITY_MIN_SNR_DB", "20");
        QualitySettings s = VoiceDropConfig.from(env).quality();
        assertEquals(EnumSet.of(Check.SILENCE), s.strictChecks());
        assertTrue(s.strictByDefault());
        assertEquals(20.0, s.minSnrDb());
        env.put("QUALITY_STRICT_CHECKS", "loud");
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> VoiceDropConfig.from(env));
        assertTrue(bad.getMessage().startsWith("environment variable QUALITY_STRICT_CHECKS: unknown quality check"));
    }
}
