package io.voicedrop.core.port;

import io.voicedrop.core.model.ModelEntity;
import java.util.Optional;

/** The upstream voice-model API (Fish Audio through the Ace Data Cloud proxy). Each method is one HTTP call. */
public interface FishApi {

    /** {@code POST /fish/model}. Billable. */
    ModelEntity create(CreateModelCall call) throws UpstreamError;

    /** {@code GET /fish/model/{id}}. Free. */
    ModelEntity get(String modelId) throws UpstreamError;

    /** {@code GET /fish/model?self=true&tag=...}: our own model carrying this tag, if upstream has one. Free. */
    Optional<ModelEntity> findOwnByTag(String tag) throws UpstreamError;

    /**
     * {@code PATCH /fish/model/{id}}. Free. Returns the model when upstream answers with it; upstream may instead
     * answer {@code {"status":"ok"}} or nothing (reference section 5), then empty.
     */
    Optional<ModelEntity> update(String modelId, UpdateModelCall call) throws UpstreamError;

    /**
     * {@code DELETE /fish/model/{id}}. Free. An upstream 404 is thrown like any error: the caller tells "already
     * gone" from "not offered" with {@link UpstreamError#isNotOffered()}.
     */
    void delete(String modelId) throws UpstreamError;

    /**
     * {@code POST /fish/tts} with the model as {@code reference_id}: upstream speaks {@code text} and answers where
     * the audio is ({@code {"audio_url": ...}}, reference section 9). Billable. An {@link UpstreamError} that
     * {@link UpstreamError#neverSent() was never sent} cost nothing; any other error without an answer may have.
     */
    SpeechResult speak(SpeechCall call) throws UpstreamError;

    /** One {@code POST /fish/tts}: the text, the voice ({@code reference_id}) and the audio format. */
    record SpeechCall(String text, String referenceId, String format) {
        @Override
        public String toString() {
            return "SpeechCall[referenceId=" + referenceId + ", format=" + format + ", chars=" + text.length() + "]";
        }
    }

    /** Upstream's answer: where to download the audio (a URL upstream chose) and how long it took, if it said. */
    record SpeechResult(String audioUrl, Long latencyMs) {
        @Override
        public String toString() {
            return "SpeechResult[audioUrl=<redacted>, latencyMs=" + latencyMs + "]";
        }
    }
}
