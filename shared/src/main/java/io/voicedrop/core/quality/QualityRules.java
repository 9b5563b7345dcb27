package io.voicedrop.core.quality;

import io.voicedrop.audio.analysis.Analysis;
import io.voicedrop.audio.analysis.Measures;
import io.voicedrop.core.model.QualityReport.ModelQuality;
import io.voicedrop.core.model.QualityReport.SampleQuality;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns what the analysis measured into figures for people and warnings against {@link QualitySettings}. */
final class QualityRules {

    /** A channel this far under the loudest one is called silent (a dead cable, a mono source panned hard). */
    static final double SILENT_CHANNEL_DB = 30;
    /** Channels this anti-correlated are one signal with its polarity flipped: a mono mix cancels. */
    static final double INVERTED_CORRELATION = -0.7;
    /** Under this the whole sample is silence: no loudness, no separate level warnings. */
    static final double AUDIBLE_LUFS = -70;
    /** Pauses a sample needs before its noise floor is trusted enough to warn about. */
    static final double MIN_PAUSE_SECONDS = 1.0;

    private final QualitySettings settings;

    QualityRules(QualitySettings settings) {
        this.settings = settings;
    }

    /** One sample's figures and findings. */
    record Evaluation(SampleQuality quality, List<Finding> findings) {
    }

    Evaluation evaluate(String name, Analysis analysis) {
        List<Finding> findings = new ArrayList<>();
        Measures m = analysis.measures();
        String status = analysis.complete() ? "analysed" : m == null ? "not_analysed" : "partial";
        switch (analysis.outcome()) {
            case DAMAGED -> findings.add(new Finding(name, Check.DAMAGED, name + ": the audio is damaged ("
                    + analysis.detail() + ")" + (m == null ? "" : "; the figures cover what could be decoded")));
            case LENGTH_BOUND, TIME_LIMIT -> findings.add(new Finding(name, null, name + ": " + analysis.detail()
                    + "; the figures cover that part"));
            case FAILED -> findings.add(new Finding(name, null, name + ": not checked for sound quality: "
                    + analysis.detail()));
            default -> {
            }
        }
        if (m == null) {
            return new Evaluation(new SampleQuality(name, status, analysis.detail(), null, null, null, null, null,
                    null, null, null, null, null, null, checks(findings)), findings);
        }
        measure(name, m, analysis.complete(), findings);
        String channelUse = channelUse(m);
        SampleQuality q = new SampleQuality(name, status, analysis.detail(), round(m.analysedSeconds(), 1),
                round(m.speechSeconds(), 1), round(100 * m.silenceRatio(), 1), round(100 * m.clippedRatio(), 2),
                round(100 * m.dcOffset(), 2), round(m.loudnessLufs(), 1), round(m.peakDbfs(), 1),
                round(m.noiseFloorDb(), 1), round(m.snrDb(), 1), m.channels(), channelUse, checks(findings));
        return new Evaluation(q, findings);
    }

    private void measure(String name, Measures m, boolean complete, List<Finding> out) {
        boolean audible = m.loudnessLufs() != null && m.loudnessLufs() > AUDIBLE_LUFS;
        double silence = 100 * m.silenceRatio();
        // A partial analysis has not heard all the speech: it cannot say there is too little.
        boolean speechShort = complete && m.speechSeconds() < settings.minSpeechSeconds()
                && m.analysedSeconds() >= settings.minSpeechSeconds();
        if (speechShort && m.speechSeconds() == 0 && audible) {
            out.add(new Finding(name, Check.SPEECH, name + ": no speech found in " + seconds(m.analysedSeconds())
                    + " of sound (a steady tone, hum or noise?); " + number(settings.minSpeechSeconds())
                    + " s of speech recommended"));
        } else if (speechShort) {
            out.add(new Finding(name, Check.SPEECH, String.format(Locale.ROOT, "%s: %.0f %% silence, %s of speech"
                    + " (%s s recommended)", name, silence, seconds(m.speechSeconds()),
                    number(settings.minSpeechSeconds()))));
        } else if (silence > settings.maxSilencePercent()) {
            out.add(new Finding(name, Check.SILENCE, String.format(Locale.ROOT, "%s: %.0f %% silence (%s of speech"
                    + " in %s); at most %s %% recommended: trim long pauses", name, silence,
                    seconds(m.speechSeconds()), seconds(m.analysedSeconds()), number(settings.maxSilencePercent()))));
        }
        if (100 * m.clippedRatio() > settings.maxClippedPercent()) {
            out.add(new Finding(name, Check.CLIPPING, name + ": " + percent(100 * m.clippedRatio())
                    + " of samples clipped (at most " + number(settings.maxClippedPercent()) + " % recommended)"));
        }
        if (Math.abs(100 * m.dcOffset()) > settings.maxDcOffsetPercent()) {
            out.add(new Finding(name, Check.DC_OFFSET, name + ": DC offset of " + percent(100 * m.dcOffset())
                    + " of full scale (at most " + number(settings.maxDcOffsetPercent()) + " % recommended)"));
        }
        if (audible && m.loudnessLufs() < settings.minLoudnessLufs()) {
            out.add(new Finding(name, Check.LOUDNESS, String.format(Locale.ROOT, "%s: very quiet: %.1f LUFS (%s LUFS"
                    + " or louder recommended)", name, m.loudnessLufs(), number(settings.minLoudnessLufs()))));
        } else if (audible && m.loudnessLufs() > settings.maxLoudnessLufs()) {
            out.add(new Finding(name, Check.LOUDNESS, String.format(Locale.ROOT, "%s: very loud: %.1f LUFS, peak"
                    + " %.1f dBFS (%s LUFS or quieter recommended)", name, m.loudnessLufs(), m.peakDbfs(),
                    number(settings.maxLoudnessLufs()))));
        }
        // The noise floor is read from the quietest frames; without a second of pauses those are speech, and the
        // figure is only a lower bound: too unsure to warn on.
        boolean pauses = m.analysedSeconds() - m.speechSeconds() >= MIN_PAUSE_SECONDS;
        if (pauses && m.snrDb() != null && m.snrDb() < settings.minSnrDb()) {
            out.add(new Finding(name, Check.NOISE, String.format(Locale.ROOT, "%s: noisy: speech is %.1f dB above"
                    + " the noise floor (%.1f dBFS); %s dB or more recommended", name, m.snrDb(), m.noiseFloorDb(),
                    number(settings.minSnrDb()))));
        }
        String channels = channelUse(m);
        if ("silent_channel".equals(channels)) {
            int quiet = quietestChannel(m);
            out.add(new Finding(name, Check.CHANNELS, String.format(Locale.ROOT, "%s: the %s channel is silent"
                    + " (%.1f dB against %.1f dB): record or send mono", name, channelName(quiet, m.channels()),
                    m.channelLevelsDb().get(quiet), loudest(m))));
        } else if ("inverted".equals(channels)) {
            out.add(new Finding(name, Check.CHANNELS, String.format(Locale.ROOT, "%s: the two channels are"
                    + " inverted copies (correlation %.2f): they cancel out when mixed to mono", name,
                    m.channelCorrelation())));
        }
    }

    static String channelUse(Measures m) {
        if (m.channels() == 1) {
            return "mono";
        }
        double loudest = loudest(m);
        if (loudest > -60 && m.channelLevelsDb().get(quietestChannel(m)) < loudest - SILENT_CHANNEL_DB) {
            return "silent_channel";
        }
        if (m.channelCorrelation() != null && m.channelCorrelation() < INVERTED_CORRELATION) {
            return "inverted";
        }
        return "stereo";
    }

    private static double loudest(Measures m) {
        return m.channelLevelsDb().stream().mapToDouble(Double::doubleValue).max().orElse(-120);
    }

    private static int quietestChannel(Measures m) {
        int q = 0;
        for (int c = 1; c < m.channels(); c++) {
            if (m.channelLevelsDb().get(c) < m.channelLevelsDb().get(q)) {
                q = c;
            }
        }
        return q;
    }

    private static String channelName(int channel, int count) {
        if (count == 2) {
            return channel == 0 ? "left" : "right";
        }
        return "number " + (channel + 1);
    }

    /** The samples together. */
    static ModelQuality summary(List<SampleQuality> samples, int findings) {
        int analysed = 0;
        double seconds = 0;
        double speech = 0;
        Double minLufs = null;
        Double maxLufs = null;
        Double maxClip = null;
        Double minSnr = null;
        for (SampleQuality s : samples) {
            if (s.analysedSeconds() == null) {
                continue;
            }
            analysed++;
            seconds += s.analysedSeconds();
            speech += s.speechSeconds();
            if (s.loudnessLufs() != null) {
                minLufs = minLufs == null ? s.loudnessLufs() : Math.min(minLufs, s.loudnessLufs());
                maxLufs = maxLufs == null ? s.loudnessLufs() : Math.max(maxLufs, s.loudnessLufs());
            }
            maxClip = maxClip == null ? s.clippedPercent() : Math.max(maxClip, s.clippedPercent());
            if (s.snrDb() != null) {
                minSnr = minSnr == null ? s.snrDb() : Math.min(minSnr, s.snrDb());
            }
        }
        Double silence = seconds > 0 ? round(100 * (1 - speech / seconds), 1) : null;
        Double spread = minLufs == null ? null : round(maxLufs - minLufs, 1);
        return new ModelQuality(samples.size(), analysed, round(seconds, 1), round(speech, 1), silence, minLufs,
                maxLufs, spread, maxClip, minSnr, findings);
    }

    private static List<String> checks(List<Finding> findings) {
        return findings.stream().filter(f -> f.check() != null).map(f -> f.check().id()).distinct().toList();
    }

    static Double round(Double v, int decimals) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, Math.abs(p) >= 1 ? "%.1f %%" : "%.2f %%", p);
    }

    /** A setting as written: no trailing ".0". */
    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
