package io.voicedrop.core.model;

import java.time.Instant;

/**
 * The spoken preview of a job's new voice, and how far it got. Each step is written to the job before the next
 * one starts, so a redelivered job knows what already happened and never pays for a second TTS call
 * (see {@code io.voicedrop.core.service.PreviewMaker}).
 *
 * @param state    {@link #REQUESTED} (the billable call was sent; its answer may have been lost), {@link #ANSWERED}
 *                 (upstream gave {@code audioUrl}), {@link #STORED} (the audio is in the bucket at {@code key}),
 *                 {@link #FAILED} (no preview; the job's warnings say why)
 * @param audioUrl upstream's {@code audio_url}, kept until the audio is stored so a retry can fetch it again for free;
 *                 never shown
 * @param key      the bucket key of the stored audio ({@code status/<upload path>.preview.mp3})
 * @param bytes    size of the stored audio
 */
public record Preview(String state, String text, String audioUrl, String key, long bytes, Instant updatedAt) {

    public static final String REQUESTED = "requested";
    public static final String ANSWERED = "answered";
    public static final String STORED = "stored";
    public static final String FAILED = "failed";

    public static Preview requested(String text, Instant now) {
        return new Preview(REQUESTED, text, null, null, 0, now);
    }

    public Preview answered(String url, Instant now) {
        return new Preview(ANSWERED, text, url, null, 0, now);
    }

    public Preview stored(String storedKey, long size, Instant now) {
        return new Preview(STORED, text, null, storedKey, size, now);
    }

    public Preview failed(Instant now) {
        return new Preview(FAILED, text, null, null, 0, now);
    }

    public boolean isFinal() {
        return STORED.equals(state) || FAILED.equals(state);
    }

    @Override
    public String toString() {
        return "Preview[state=" + state + ", key=" + key + ", bytes=" + bytes + "]";
    }
}
