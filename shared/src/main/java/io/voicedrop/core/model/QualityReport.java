package io.voicedrop.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the voice-quality check heard in a job's samples (docs/user-guide.md, "What the quality check measures"),
 * stored with the job and shown as it is in the status report, {@code GET /jobs/{id}} and
 * {@code GET /models/{id}/source}. Figures are rounded for people; a null figure could not be measured.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record QualityReport(@JsonProperty("samples") List<SampleQuality> samples,
                            @JsonProperty("model") ModelQuality model) {

    public QualityReport {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /** The same report with every sample name passed through {@code clean} (e.g. to strip URLs for a view). */
    public QualityReport withNames(UnaryOperator<String> clean) {
        return new QualityReport(samples.stream().map(s -> s.withName(clean.apply(s.name()))).toList(), model);
    }

    /**
     * One sample.
     *
     * @param status      {@code analysed} (to the end), {@code partial} (stopped at a bound, or damaged: see
     *                    {@code note}) or {@code not_analysed} (a format that is not decoded, or the analysis failed)
     * @param channelUse  {@code mono}, {@code stereo}, {@code silent_channel} or {@code inverted}
     * @param findings    the checks this sample failed: {@code speech}, {@code silence}, {@code clipping},
     *                    {@code dc_offset}, {@code loudness}, {@code noise}, {@code channels}, {@code damaged}
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SampleQuality(@JsonProperty("name") String name,
                                @JsonProperty("status") String status,
                                @JsonProperty("note") String note,
                                @JsonProperty("analysed_seconds") Double analysedSeconds,
                                @JsonProperty("speech_seconds") Double speechSeconds,
                                @JsonProperty("silence_percent") Double silencePercent,
                                @JsonProperty("clipped_percent") Double clippedPercent,
                                @JsonProperty("dc_offset_percent") Double dcOffsetPercent,
                                @JsonProperty("loudness_lufs") Double loudnessLufs,
                                @JsonProperty("peak_dbfs") Double peakDbfs,
                                @JsonProperty("noise_floor_db") Double noiseFloorDb,
                                @JsonProperty("snr_db") Double snrDb,
                                @JsonProperty("channels") Integer channels,
                                @JsonProperty("channel_use") String channelUse,
                                @JsonProperty("findings") List<String> findings) {

        public SampleQuality {
            findings = findings == null ? List.of() : List.copyOf(findings);
        }

        SampleQuality withName(String newName) {
            return new SampleQuality(newName, status, note, analysedSeconds, speechSeconds, silencePercent,
                    clippedPercent, dcOffsetPercent, loudnessLufs, peakDbfs, noiseFloorDb, snrDb, channels,
                    channelUse, findings);
        }
    }

    /**
     * The samples together: sums over the analysed ones, and the extremes a user compares takes by.
     *
     * @param loudnessSpreadLu loudest minus quietest sample; a large spread means takes at very different levels
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ModelQuality(@JsonProperty("samples") int samples,
                               @JsonProperty("analysed") int analysed,
                               @JsonProperty("analysed_seconds") double analysedSeconds,
                               @JsonProperty("speech_seconds") double speechSeconds,
                               @JsonProperty("silence_percent") Double silencePercent,
                               @JsonProperty("loudness_min_lufs") Double loudnessMinLufs,
                               @JsonProperty("loudness_max_lufs") Double loudnessMaxLufs,
                               @JsonProperty("loudness_spread_lu") Double loudnessSpreadLu,
                               @JsonProperty("clipped_percent_max") Double clippedPercentMax,
                               @JsonProperty("snr_min_db") Double snrMinDb,
                               @JsonProperty("findings") int findings) {
    }
}
