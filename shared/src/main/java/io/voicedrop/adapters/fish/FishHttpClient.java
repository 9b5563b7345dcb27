package io.voicedrop.adapters.fish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.config.VoiceDropConfig.VoicesShape;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.port.CreateModelCall;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.UpdateModelCall;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.core.retry.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one client of the upstream Fish model API (Ace Data Cloud flavour: JSON with sample URLs): create, get, find
 * by marker tag, update and delete. It makes exactly one HTTP call per method: retrying is the caller's decision, because only the caller knows whether a repeat costs
 * money. Built on the JDK HTTP client, so no HTTP library ships with the functions.
 */
public final class FishHttpClient implements FishApi {

    private final HttpClient http;
    private final URI baseUrl;
    private final Supplier<String> token;
    private final Duration timeout;
    private final VoicesShape voicesShape;
    private final Clock clock;

    public FishHttpClient(URI baseUrl, Supplier<String> token, Duration timeout, VoicesShape voicesShape, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        this.baseUrl = baseUrl;
        this.token = token;
        this.timeout = timeout;
        this.voicesShape = voicesShape;
        this.clock = clock;
    }

    @Override
    public ModelEntity create(CreateModelCall call) throws UpstreamError {
        HttpRequest request = request("/fish/model").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(bodyOf(call)))).build();
        return Json.MAPPER.convertValue(send(request), ModelEntity.class);
    }

    /** The create body. Optional fields are sent explicitly: upstream defaults disagree between sources. */
    ObjectNode bodyOf(CreateModelCall call) {
        ModelSpec spec = call.spec();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("title", spec.title());
        if (voicesShape == VoicesShape.STRING && call.voiceUrls().size() == 1) {
            body.put("voices", call.voiceUrls().get(0));
        } else {
            ArrayNode voices = body.putArray("voices");
            call.voiceUrls().forEach(voices::add);
        }
        if (!call.texts().isEmpty()) {
            ArrayNode texts = body.putArray("texts");
            call.texts().forEach(texts::add);
        }
        body.put("description", spec.description());
        body.put("visibility", spec.visibility());
        body.put("type", spec.type());
        body.put("train_mode", spec.trainMode());
        body.put("enhance_audio_quality", spec.enhanceAudioQuality());
        ArrayNode tags = body.putArray("tags");
        spec.tags().forEach(tags::add);
        if (call.markerTag() != null) {
            tags.add(call.markerTag());
        }
        if (!spec.coverImage().isEmpty()) {
            body.put("cover_image", spec.coverImage());
        }
        if (spec.generateSample() != null) {
            body.put("generate_sample", spec.generateSample());
        }
        return body;
    }

    /**
     * {@code POST /fish/tts} (ADC answers JSON with {@code audio_url}, not the audio itself). The TTS model header is
     * not sent: upstream's default applies.
     */
    @Override
    public SpeechResult speak(SpeechCall call) throws UpstreamError {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("text", call.text());
        body.put("reference_id", call.referenceId());
        body.put("format", call.format());
        HttpRequest request = request("/fish/tts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        JsonNode answer = send(request);
        String url = answer.path("audio_url").asText("");
        if (url.isBlank()) {
            throw new UpstreamError(200, "invalid_response", "upstream's TTS answer has no audio_url", null, null, null);
        }
        JsonNode latency = answer.path("latency_ms");
        return new SpeechResult(url, latency.isNumber() ? latency.asLong() : null);
    }

    @Override
    public ModelEntity get(String modelId) throws UpstreamError {
        return Json.MAPPER.convertValue(send(request(modelPath(modelId)).GET().build()), ModelEntity.class);
    }

    /** JSON, as the platform takes every body; only the fields that change are sent. */
    @Override
    public Optional<ModelEntity> update(String modelId, UpdateModelCall call) throws UpstreamError {
        HttpRequest request = request(modelPath(modelId)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(Json.write(bodyOf(call)))).build();
        JsonNode answer = send(request);
        return answer.isObject() && answer.hasNonNull("_id")
                ? Optional.of(Json.MAPPER.convertValue(answer, ModelEntity.class)) : Optional.empty();
    }

    ObjectNode bodyOf(UpdateModelCall call) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (call.title() != null) {
            body.put("title", call.title());
        }
        if (call.description() != null) {
            body.put("description", call.description());
        }
        if (call.visibility() != null) {
            body.put("visibility", call.visibility());
        }
        if (call.tags() != null) {
            ArrayNode tags = body.putArray("tags");
            call.tags().forEach(tags::add);
        }
        if (call.coverImage() != null) {
            body.put("cover_image", call.coverImage());
        }
        return body;
    }

    @Override
    public void delete(String modelId) throws UpstreamError {
        send(request(modelPath(modelId)).DELETE().build());
    }

    private static String modelPath(String modelId) {
        return "/fish/model/" + URLEncoder.encode(modelId, StandardCharsets.UTF_8);
    }

    /**
     * Looks for our own model carrying {@code tag}: first through upstream's tag filter, then, in case the filter
     * is not honoured, among our newest models (a lost create is always recent). Both calls are free.
     */
    @Override
    public Optional<ModelEntity> findOwnByTag(String tag) throws UpstreamError {
        String tagged = "/fish/model?self=true&page_size=10&page_number=1&tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8);
        Optional<ModelEntity> found = firstWithTag(send(request(tagged).GET().build()), tag);
        if (found.isPresent()) {
            return found;
        }
        String newest = "/fish/model?self=true&page_size=50&page_number=1&sort_by=created_at";
        return firstWithTag(send(request(newest).GET().build()), tag);
    }

    private static Optional<ModelEntity> firstWithTag(JsonNode page, String tag) {
        for (JsonNode item : page.path("items")) {
            ModelEntity model = Json.MAPPER.convertValue(item, ModelEntity.class);
            if (model.tags().contains(tag)) {
                return Optional.of(model);
            }
        }
        return Optional.empty();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout)
                .header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) throws UpstreamError {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw UpstreamError.notSent("connect_timeout", "could not connect to upstream", e);
        } catch (HttpTimeoutException e) {
            throw UpstreamError.noResponse("timeout", "no answer from upstream within " + timeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw UpstreamError.notSent("connection_error", "connection to upstream failed: " + e.getClass().getSimpleName(), e);
        } catch (IOException e) {
            throw UpstreamError.noResponse("connection_error", "connection to upstream failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamError.noResponse("interrupted", "interrupted while waiting for upstream", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (response.body() == null || response.body().isBlank()) {
                return Json.MAPPER.missingNode(); // PATCH and DELETE may answer without a body
            }
            try {
                return Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new UpstreamError(status, "invalid_response", "upstream answered " + status + " with a body that is not JSON",
                        null, null, e);
            }
        }
        FishErrorBody error = FishErrorBody.parse(status, response.body());
        Duration retryAfter = RetryPolicy.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null), clock);
        throw new UpstreamError(status, error.code(), error.message(), error.traceId(), retryAfter, null);
    }
}
