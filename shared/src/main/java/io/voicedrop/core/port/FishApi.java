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
}
