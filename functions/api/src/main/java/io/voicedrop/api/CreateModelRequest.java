package io.voicedrop.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A validated {@code POST /fish/model} request, from either encoding (reference sections 3 and 3.1):
 * <ul>
 *   <li>{@code application/json} (the platform variant): {@code voices} is an array of http(s) URLs or a single URL
 *       string; {@code texts} and {@code tags} are arrays (a single string is one value); {@code cover_image} is a
 *       URL;</li>
 *   <li>{@code multipart/form-data} (the official clients): {@code voices} are file parts (repeated); a text
 *       {@code voices} field is taken as a URL. {@code texts} and {@code tags} are repeated fields, or one field
 *       with comma-joined values as npm {@code fish-audio} sends them: one {@code tags} field is split on commas;
 *       one {@code texts} field is split on commas only when that gives exactly one text per voice (so a single
 *       voice's transcript may contain commas). A {@code cover_image} file part is not forwarded (the upstream
 *       takes a URL): it is noted in the job's warnings.</li>
 * </ul>
 * Rules (every violation is a 400 {@code bad_request} naming the field): {@code title} required, 1..200 characters;
 * {@code voices} required, 1..{@code maxVoices} (20 by default, as upstream); {@code texts}, when given, exactly one
 * per voice, each at most 5,000 characters; {@code tags} at most 20 of at most 100 characters; {@code description}
 * at most 2,000 characters; {@code visibility} one of {@code public}, {@code unlist}, {@code private} (default
 * {@code private}), and {@code public} needs a {@code cover_image}; {@code type} only {@code tts}; {@code train_mode}
 * only {@code fast}; {@code enhance_audio_quality} a boolean (default {@code true}). {@code generate_sample} and
 * {@code callback_url} are accepted and ignored (noted in the job's warnings). Unknown fields are ignored.
 */
record CreateModelRequest(String title, String description, List<String> tags, String visibility,
                          boolean enhanceAudioQuality, String coverImageUrl, List<Voice> voices, List<String> texts,
                          List<String> warnings) {

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

    static CreateModelRequest parse(RequestBody body, int maxVoices) {
        String type = body.mediaType();
        if (type.equals("application/json") || type.endsWith("+json")) {
            return fromJson(body.bytes(), maxVoices);
        }
        if (type.equals("multipart/form-data")) {
            return fromMultipart(Multipart.parse(body.bytes(), body.parameter("boundary")), maxVoices);
        }
        throw new ApiException(io.micronaut.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
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
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "title", "description", "visibility", "type", "train_mode", "cover_image", "callback_url" ->
                        f.scalar.put(e.getKey(), scalar(e.getKey(), v));
                case "enhance_audio_quality", "generate_sample" -> f.scalar.put(e.getKey(), bool(e.getKey(), v));
                case "voices" -> f.voices = strings("voices", v);
                case "texts" -> f.texts = v.isNull() ? null : strings("texts", v);
                case "tags" -> f.tags = v.isNull() ? List.of() : strings("tags", v);
                default -> {
                    // unknown fields are ignored
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

    private static String scalar(String name, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(name + " must be a string");
        }
        return v.asText();
    }

    private static String bool(String name, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.booleanValue());
        }
        if (v.isTextual()) {
            return v.asText();
        }
        throw ApiException.badRequest(name + " must be true or false");
    }

    private static List<String> strings(String name, JsonNode v) {
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(name + " must be a string or an array of strings");
        }
        if (v.size() > 1000) {
            throw ApiException.badRequest(name + " has far too many values");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiException.badRequest(name + " must be a string or an array of strings");
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
        boolean coverFile = false;
        for (Multipart.Part p : parts) {
            String name = p.name();
            if (name.equals("voices") || name.equals("voices[]")) {
                if (p.isFile()) {
                    voices.add(new Voice(null, p.filename(), p.contentType(), p.data()));
                } else {
                    voices.add(new Voice(p.text().strip(), null, null, null));
                }
                continue;
            }
            if (p.isFile() && name.equals("cover_image")) {
                coverFile = p.data().length > 0;
                continue;
            }
            if (p.isFile()) {
                continue; // an unknown file part is ignored like an unknown field
            }
            switch (name) {
                case "texts", "texts[]" -> {
                    texts.add(p.text());
                    textsGiven = true;
                }
                case "tags", "tags[]" -> tags.add(p.text());
                case "title", "description", "visibility", "type", "train_mode", "cover_image", "callback_url",
                        "enhance_audio_quality", "generate_sample" -> f.scalar.put(name, p.text());
                default -> {
                    // unknown fields are ignored
                }
            }
        }
        if (tags.size() == 1 && tags.get(0).contains(",")) {
            tags = List.of(tags.get(0).split(","));
        }
        f.tags = tags.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
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
        f.coverFile = coverFile;
        return validate(f, voices, finalTexts, maxVoices);
    }

    // ------------------------------------------------------------------------------------------------ rules

    private static final class Fields {
        final Map<String, String> scalar = new LinkedHashMap<>();
        List<String> voices;
        List<String> texts;
        List<String> tags = List.of();
        boolean coverFile;
    }

    private static CreateModelRequest validate(Fields f, List<Voice> voices, List<String> texts, int maxVoices) {
        List<String> warnings = new ArrayList<>();
        String title = f.scalar.get("title");
        if (title == null || title.isBlank()) {
            throw ApiException.badRequest("title is required");
        }
        title = title.strip();
        if (length(title) > MAX_TITLE) {
            throw ApiException.badRequest("title must be at most " + MAX_TITLE + " characters");
        }
        if (voices.isEmpty()) {
            throw ApiException.badRequest("voices is required: at least one audio sample");
        }
        if (voices.size() > maxVoices) {
            throw ApiException.badRequest("at most " + maxVoices + " voices are allowed, got " + voices.size());
        }
        for (int i = 0; i < voices.size(); i++) {
            Voice v = voices.get(i);
            if (v.isUrl() && (v.url().isEmpty() || v.url().length() > MAX_URL)) {
                throw ApiException.badRequest("voices[" + i + "] must be an http(s) URL of at most " + MAX_URL
                        + " characters");
            }
            if (!v.isUrl() && v.bytes().length == 0) {
                throw ApiException.badRequest("voices[" + i + "]: the file is empty (0 bytes)");
            }
        }
        if (texts != null) {
            if (texts.size() > maxVoices) {
                throw ApiException.badRequest("at most " + maxVoices + " texts are allowed");
            }
            if (texts.size() != voices.size()) {
                throw ApiException.badRequest("texts must have one transcript per voice: " + texts.size()
                        + " texts for " + voices.size() + " voices");
            }
            for (String t : texts) {
                if (length(t) > MAX_TEXT) {
                    throw ApiException.badRequest("each text must be at most " + MAX_TEXT + " characters");
                }
            }
        }
        List<String> tags = f.tags.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
        if (tags.size() > MAX_TAGS) {
            throw ApiException.badRequest("at most " + MAX_TAGS + " tags are allowed");
        }
        if (tags.stream().anyMatch(t -> length(t) > MAX_TAG)) {
            throw ApiException.badRequest("each tag must be at most " + MAX_TAG + " characters");
        }
        String description = f.scalar.get("description");
        description = description == null ? "" : description;
        if (length(description) > MAX_DESCRIPTION) {
            throw ApiException.badRequest("description must be at most " + MAX_DESCRIPTION + " characters");
        }
        String visibility = f.scalar.get("visibility");
        visibility = visibility == null || visibility.isBlank() ? "private" : visibility.strip();
        if (!VISIBILITIES.contains(visibility)) {
            throw ApiException.badRequest("visibility must be one of public, unlist, private");
        }
        String type = f.scalar.get("type");
        if (type != null && !type.isBlank() && !type.strip().equals("tts")) {
            throw ApiException.badRequest("type must be tts");
        }
        String trainMode = f.scalar.get("train_mode");
        if (trainMode != null && !trainMode.isBlank() && !trainMode.strip().equals("fast")) {
            throw ApiException.badRequest("train_mode must be fast");
        }
        boolean enhance = flag(f.scalar.get("enhance_audio_quality"), true, "enhance_audio_quality");
        if (flag(f.scalar.get("generate_sample"), false, "generate_sample")) {
            warnings.add("generate_sample is not supported and was ignored");
        }
        String callback = f.scalar.get("callback_url");
        if (callback != null && !callback.isBlank()) {
            warnings.add("callback_url is not supported and was ignored; follow the job with GET /jobs/{id}");
        }
        String cover = f.scalar.get("cover_image");
        cover = cover == null ? "" : cover.strip();
        if (!cover.isEmpty()) {
            String lower = cover.toLowerCase(Locale.ROOT);
            if (cover.length() > MAX_URL || !(lower.startsWith("https://") || lower.startsWith("http://"))) {
                throw ApiException.badRequest("cover_image must be an http(s) URL");
            }
        }
        if (f.coverFile) {
            warnings.add("the cover_image file was not forwarded: the upstream takes a cover image URL");
        }
        if (visibility.equals("public") && cover.isEmpty() && !f.coverFile) {
            throw ApiException.badRequest("a public model needs a cover_image");
        }
        return new CreateModelRequest(title, description, tags, visibility, enhance, cover, List.copyOf(voices),
                texts == null ? null : List.copyOf(texts), warnings);
    }

    private static boolean flag(String raw, boolean fallback, String name) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ApiException.badRequest(name + " must be true or false");
        };
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
