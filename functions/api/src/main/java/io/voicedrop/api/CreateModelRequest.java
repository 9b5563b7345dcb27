package io.voicedrop.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpStatus;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.JobOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /fish/model} request, from either encoding (reference sections 3 and 3.1), with every problem its
 * fields have:
 * <ul>
 *   <li>{@code application/json} (the platform variant): {@code voices} is an array of URLs or a single URL string;
 *       {@code texts} and {@code tags} are arrays (a single string is one value); {@code cover_image} is a URL;</li>
 *   <li>{@code multipart/form-data} (the official clients): {@code voices} are file parts (repeated); a text
 *       {@code voices} field is taken as a URL. {@code texts} and {@code tags} are repeated fields, or one field
 *       with comma-joined values as npm {@code fish-audio} sends them: one {@code tags} field is split on commas;
 *       one {@code texts} field is split on commas only when that gives exactly one text per voice (so a single
 *       voice's transcript may contain commas). {@code cover_image} is a file part (stored with the samples and
 *       presigned for the upstream, which takes a URL) or a URL field. Booleans are {@code true}/{@code false}.</li>
 * </ul>
 * Rules: {@code title} required, 1..200 characters; {@code voices} required, 1..{@code maxVoices} (20 by default, as
 * upstream); {@code texts}, when given, exactly one per voice, each at most 5,000 characters; {@code tags} at most 20
 * of at most 100 characters; {@code description} at most 2,000 characters; {@code visibility} one of {@code public},
 * {@code unlist}, {@code private} (default {@code private}), and {@code public} needs a {@code cover_image};
 * {@code type} only {@code tts}; {@code train_mode} only {@code fast}; {@code enhance_audio_quality} a boolean
 * (default {@code true}); {@code generate_sample} a boolean, passed to upstream when given; {@code callback_url} an
 * http(s) URL of at most 2,048 characters (checked against the outbound-URL guard by {@link ModelSubmissions}) that
 * gets the signed job view when the job ends; {@code preview_text} at most 500 characters spoken with the trained
 * voice (empty: no preview); {@code remove_samples_when_trained} a boolean (default {@code false}; {@code true}
 * removes the samples from the bucket once the model is trained). Unknown fields are ignored. A body that cannot be read at all is a 400 at once; field problems
 * are collected in {@link #problems()} so that the caller hears all of them (422).
 */
record CreateModelRequest(String title, String description, List<String> tags, String visibility,
                          boolean enhanceAudioQuality, String coverImageUrl, Attachment coverImageFile,
                          List<Voice> voices, List<String> texts, List<String> warnings,
                          List<FieldProblem> problems, Boolean generateSample, String callbackUrl,
                          String previewText, boolean removeSamplesWhenTrained) {

    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_TAGS = 20;
    static final int MAX_TAG = 100;
    static final int MAX_TEXT = 5000;
    static final int MAX_URL = VoiceFetcher.MAX_URL_LENGTH;
    static final Set<String> VISIBILITIES = Set.of("public", "unlist", "private");

    /** One voice: a URL to download, or a file that came with the request. */
    record Voice(String url, String fileName, String contentType, byte[] bytes) {
        boolean isUrl() {
            return url != null;
        }
    }

    /** A file part other than a voice (the cover image). */
    record Attachment(String fileName, String contentType, byte[] bytes) {
    }

    static CreateModelRequest parse(RequestBody body, int maxVoices) {
        String type = body.mediaType();
        if (type.equals("application/json") || type.endsWith("+json")) {
            return fromJson(body.bytes(), maxVoices);
        }
        if (type.equals("multipart/form-data")) {
            return fromMultipart(Multipart.parse(body.bytes(), body.parameter("boundary")), maxVoices);
        }
        throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Send application/json (voices as URLs) or multipart/form-data (voices as files).");
    }

    // ------------------------------------------------------------------------------------------------ JSON

    static CreateModelRequest fromJson(byte[] bytes, int maxVoices) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        Fields f = new Fields();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            switch (name) {
                case "title", "description", "visibility", "type", "train_mode", "cover_image", "callback_url",
                        "preview_text" -> f.scalar.put(name, scalar(name, v, f));
                case "enhance_audio_quality", "generate_sample", "remove_samples_when_trained" ->
                        f.scalar.put(name, bool(name, v, f));
                case "voices" -> f.voices = strings(name, v, f);
                case "texts" -> f.texts = v.isNull() ? null : strings(name, v, f);
                case "tags" -> f.tags = v.isNull() ? List.of() : strings(name, v, f);
                default -> {
                    // unknown fields are ignored, as upstream does
                }
            }
        }
        List<Voice> voices = new ArrayList<>();
        if (f.voices != null) {
            for (String url : f.voices) {
                voices.add(new Voice(url.strip(), null, null, null));
            }
        }
        return validate(f, voices, f.texts, maxVoices);
    }

    private static String scalar(String name, JsonNode v, Fields f) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            f.problem(name, name + " must be a string");
            return null;
        }
        return v.asText();
    }

    private static String bool(String name, JsonNode v, Fields f) {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.booleanValue());
        }
        if (v.isTextual()) {
            return v.asText();
        }
        f.problem(name, name + " must be true or false");
        return null;
    }

    private static List<String> strings(String name, JsonNode v, Fields f) {
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (!v.isArray() || v.size() > 1000) {
            f.problem(name, name + (v.isArray() ? " has far too many values" : " must be a string or an array of strings"));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                f.problem(name, name + " must be a string or an array of strings");
                return null;
            }
            out.add(item.asText());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ multipart

    static CreateModelRequest fromMultipart(List<Multipart.Part> parts, int maxVoices) {
        Fields f = new Fields();
        List<Voice> voices = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        boolean textsGiven = false;
        for (Multipart.Part p : parts) {
            String name = p.name();
            if (name.equals("voices") || name.equals("voices[]")) {
                voices.add(p.isFile() ? new Voice(null, p.filename(), p.contentType(), p.data())
                        : new Voice(p.text().strip(), null, null, null));
                continue;
            }
            if (p.isFile()) {
                if (name.equals("cover_image") && p.data().length > 0) {
                    f.coverFile = new Attachment(p.filename(), p.contentType(), p.data());
                }
                continue; // an unknown file part is ignored like an unknown field
            }
            switch (name) {
                case "texts", "texts[]" -> {
                    texts.add(p.text());
                    textsGiven = true;
                }
                case "tags", "tags[]" -> tags.add(p.text());
                case "title", "description", "visibility", "type", "train_mode", "cover_image", "callback_url",
                        "preview_text", "enhance_audio_quality", "generate_sample", "remove_samples_when_trained" ->
                        f.scalar.put(name, p.text());
                default -> {
                    // unknown fields are ignored, as upstream does
                }
            }
        }
        if (tags.size() == 1 && tags.get(0).contains(",")) {
            tags = List.of(tags.get(0).split(","));
        }
        f.tags = tags;
        List<String> finalTexts = null;
        if (textsGiven) {
            finalTexts = texts;
            if (texts.size() == 1 && voices.size() > 1) {
                String[] split = texts.get(0).split(",", -1);
                if (split.length == voices.size()) {
                    finalTexts = List.of(split);
                }
            }
        }
        return validate(f, voices, finalTexts, maxVoices);
    }

    // ------------------------------------------------------------------------------------------------ rules

    private static final class Fields {
        final Map<String, String> scalar = new LinkedHashMap<>();
        final List<FieldProblem> problems = new ArrayList<>();
        List<String> voices;
        List<String> texts;
        List<String> tags = List.of();
        Attachment coverFile;

        void problem(String field, String message) {
            problems.add(new FieldProblem(field, message));
        }
    }

    private static CreateModelRequest validate(Fields f, List<Voice> voices, List<String> texts, int maxVoices) {
        List<String> warnings = new ArrayList<>();
        String title = f.scalar.get("title");
        title = title == null ? "" : title.strip();
        if (title.isEmpty()) {
            f.problem("title", "title is required");
        } else if (length(title) > MAX_TITLE) {
            f.problem("title", "title must be at most " + MAX_TITLE + " characters");
        }
        if (voices.isEmpty() && f.problems.stream().noneMatch(p -> p.field().equals("voices"))) {
            f.problem("voices", "voices is required: at least one audio sample");
        }
        if (voices.size() > maxVoices) {
            f.problem("voices", "at most " + maxVoices + " voices are allowed, got " + voices.size());
        }
        for (int i = 0; i < voices.size() && i < maxVoices; i++) {
            Voice v = voices.get(i);
            if (v.isUrl() && (v.url().isEmpty() || v.url().length() > MAX_URL)) {
                f.problem(FieldProblem.voice(i), FieldProblem.voice(i) + " must be a URL of at most "
                        + MAX_URL + " characters");
            }
        }
        if (texts != null) {
            if (texts.size() != voices.size()) {
                f.problem("texts", "texts must have one transcript per voice: " + texts.size() + " texts for "
                        + voices.size() + " voices");
            }
            if (texts.stream().anyMatch(t -> length(t) > MAX_TEXT)) {
                f.problem("texts", "each text must be at most " + MAX_TEXT + " characters");
            }
        }
        List<String> tags = f.tags.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
        if (tags.size() > MAX_TAGS) {
            f.problem("tags", "at most " + MAX_TAGS + " tags are allowed, got " + tags.size());
        }
        if (tags.stream().anyMatch(t -> length(t) > MAX_TAG)) {
            f.problem("tags", "each tag must be at most " + MAX_TAG + " characters");
        }
        String description = f.scalar.get("description");
        description = description == null ? "" : description;
        if (length(description) > MAX_DESCRIPTION) {
            f.problem("description", "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        String visibility = f.scalar.get("visibility");
        visibility = visibility == null || visibility.isBlank() ? "private" : visibility.strip();
        if (!VISIBILITIES.contains(visibility)) {
            f.problem("visibility", "visibility must be one of public, unlist, private");
        }
        String type = f.scalar.get("type");
        if (type != null && !type.isBlank() && !type.strip().equals("tts")) {
            f.problem("type", "type must be tts");
        }
        String trainMode = f.scalar.get("train_mode");
        if (trainMode != null && !trainMode.isBlank() && !trainMode.strip().equals("fast")) {
            f.problem("train_mode", "train_mode must be fast");
        }
        boolean enhance = flag(f, "enhance_audio_quality", true);
        boolean removeSamples = flag(f, "remove_samples_when_trained", false);
        String rawGenerate = f.scalar.get("generate_sample");
        Boolean generateSample = rawGenerate == null || rawGenerate.isBlank() ? null
                : flag(f, "generate_sample", false);
        String callback = f.scalar.get("callback_url");
        callback = callback == null || callback.isBlank() ? null : callback.strip();
        if (callback != null) {
            String lower = callback.toLowerCase(Locale.ROOT);
            if (callback.length() > MAX_URL || !(lower.startsWith("https://") || lower.startsWith("http://"))) {
                f.problem("callback_url", "callback_url must be an http(s) URL of at most " + MAX_URL + " characters");
            }
        }
        String previewText = f.scalar.get("preview_text");
        if (previewText != null && length(previewText) > JobOptions.MAX_PREVIEW_TEXT) {
            f.problem("preview_text", "preview_text must be at most " + JobOptions.MAX_PREVIEW_TEXT
                    + " characters (TTS is billed by the character)");
        }
        String cover = f.scalar.get("cover_image");
        cover = cover == null ? "" : cover.strip();
        if (!cover.isEmpty()) {
            String lower = cover.toLowerCase(Locale.ROOT);
            if (cover.length() > MAX_URL || !(lower.startsWith("https://") || lower.startsWith("http://"))) {
                f.problem("cover_image", "cover_image must be an http(s) URL or an image file");
            } else if (f.coverFile != null) {
                f.problem("cover_image", "cover_image was sent both as a file and as a URL; send one");
            }
        }
        if (f.coverFile != null && CoverImages.extension(f.coverFile.bytes()).isEmpty()) {
            f.problem("cover_image", "cover_image is not a PNG, JPEG, WebP or GIF image");
        }
        if (visibility.equals("public") && cover.isEmpty() && f.coverFile == null) {
            f.problem("cover_image", "a public model needs a cover_image");
        }
        return new CreateModelRequest(title, description, tags, visibility, enhance, cover, f.coverFile,
                List.copyOf(voices), texts == null ? null : List.copyOf(texts), warnings, f.problems, generateSample,
                callback, previewText, removeSamples);
    }

    private static boolean flag(Fields f, String name, boolean fallback) {
        String raw = f.scalar.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> {
                f.problem(name, name + " must be true or false");
                yield fallback;
            }
        };
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    CreateModelRequest {
        warnings = List.copyOf(warnings);
        problems = List.copyOf(problems);
    }
}
