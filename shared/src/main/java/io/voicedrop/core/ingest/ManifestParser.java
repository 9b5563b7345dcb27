package io.voicedrop.core.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicedrop.core.model.JobOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a {@code model.json} and applies exactly the rules of {@code docs/manifest.schema.json} (a test feeds the
 * same manifests to both and checks they agree), plus the few rules a schema cannot state (duplicate keys,
 * duplicate samples, transcripts for all samples or none).
 *
 * <p>Why hand-written instead of validating with a JSON Schema library at run time: every problem gets a message
 * a person can act on (the field, what was expected, what was found), all problems are reported at once, and the
 * ingest function carries no extra dependency.
 */
public final class ManifestParser {

    public static final String NAME = "model.json";
    public static final Set<String> FIELDS = new LinkedHashSet<>(List.of("$schema", "title", "description", "tags",
            "visibility", "type", "train_mode", "enhance_audio_quality", "cover_image", "language", "strict",
            "samples", "generate_sample", "callback_url", "preview_text", "remove_samples_when_trained"));
    public static final List<String> VISIBILITIES = List.of("private", "public", "unlist");
    /** The marker tag prefix VoiceDrop uses to find its own models upstream; users may not use it. */
    public static final String RESERVED_TAG_PREFIX = "vd-job-";

    static final int MAX_URL = 2048;
    static final int MAX_PREVIEW_TEXT = JobOptions.MAX_PREVIEW_TEXT;
    // The same patterns as in the schema.
    static final Pattern NOT_BLANK = Pattern.compile("\\S");
    static final Pattern HTTP_URL = Pattern.compile("^https?://[^\\s/?#]+[^\\s]*$");
    static final Pattern LANGUAGE = Pattern.compile("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$");
    static final Pattern RELATIVE_PATH = Pattern.compile("^(?!/)(?!.*//)(?!.*/$)(?!(.*/)?\\.\\.?(/|$))");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ManifestParser() {
    }

    /**
     * @param manifest      what could be read; fields with problems are left null (their defaults apply)
     * @param problems      every rule the manifest breaks, empty when it is valid
     * @param samplesUsable false when {@code samples} was given but unusable, so the folder must not fall back to
     *                      "every audio file"
     */
    public record Result(Manifest manifest, List<String> problems, boolean samplesUsable) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public static Result parse(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(withoutBom(bytes));
        } catch (JsonProcessingException e) {
            return failed(syntaxProblem(e));
        } catch (IOException e) {
            return failed("not valid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return failed("the file is empty; write {} for all defaults");
        }
        if (!root.isObject()) {
            return failed("must be a JSON object, got " + kind(root));
        }
        return new Reader(root).read();
    }

    private static Result failed(String problem) {
        return new Result(Manifest.empty(), List.of(NAME + ": " + problem), false);
    }

    private static byte[] withoutBom(byte[] b) {
        // Windows editors like to start UTF-8 files with a byte order mark, which JSON does not allow.
        boolean bom = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
        return bom ? Arrays.copyOfRange(b, 3, b.length) : b;
    }

    private static String syntaxProblem(JsonProcessingException e) {
        String detail = e.getOriginalMessage();
        if (e instanceof JsonParseException && detail != null && detail.startsWith("Duplicate field")) {
            return "field " + detail.substring("Duplicate field ".length()) + " is given twice";
        }
        var at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return "not valid JSON" + where + ": " + firstLine(detail);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String kind(JsonNode n) {
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "null";
    }

    /** Walks one manifest, collecting every problem instead of stopping at the first. */
    private static final class Reader {
        private final JsonNode root;
        private final List<String> problems = new ArrayList<>();

        Reader(JsonNode root) {
            this.root = root;
        }

        Result read() {
            for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    problem("unknown field \"" + name + "\" (allowed: " + String.join(", ", FIELDS) + ")");
                }
            }
            string("$schema", null);
            String title = string("title", this::notBlank);
            String description = string("description", null);
            List<String> tags = tags();
            String visibility = string("visibility",
                    v -> VISIBILITIES.contains(v) ? null : "must be one of " + String.join(", ", VISIBILITIES));
            String type = string("type", v -> "tts".equals(v) ? null : "must be \"tts\" (the only model type)");
            String trainMode = string("train_mode",
                    v -> "fast".equals(v) ? null : "must be \"fast\" (the only training mode)");
            Boolean enhance = bool("enhance_audio_quality");
            String cover = string("cover_image",
                    v -> HTTP_URL.matcher(v).find() ? null : "must be an http(s) URL of an image");
            String language = string("language",
                    v -> LANGUAGE.matcher(v).find() ? null : "must be a language code such as en, zh or pt-BR");
            Boolean strict = bool("strict");
            Boolean generateSample = bool("generate_sample");
            String callbackUrl = string("callback_url", v -> v.length() > MAX_URL
                    ? "must be at most " + MAX_URL + " characters"
                    : HTTP_URL.matcher(v).find() ? null : "must be an http(s) URL that VoiceDrop can POST to");
            String previewText = string("preview_text", v -> v.codePointCount(0, v.length()) > MAX_PREVIEW_TEXT
                    ? "must be at most " + MAX_PREVIEW_TEXT + " characters (TTS is billed by the character)" : null);
            Boolean removeSamples = bool("remove_samples_when_trained");
            int before = problems.size();
            List<Manifest.Entry> samples = samples();
            boolean samplesUsable = problems.size() == before;
            Manifest m = new Manifest(title, description, tags, visibility, type, trainMode, enhance, cover, language,
                    strict, samplesUsable ? samples : null, generateSample, callbackUrl, previewText,
                    Boolean.TRUE.equals(removeSamples));
            return new Result(m, List.copyOf(problems), samplesUsable);
        }

        private void problem(String text) {
            problems.add(NAME + ": " + text);
        }

        private String notBlank(String v) {
            return NOT_BLANK.matcher(v).find() ? null : "must not be empty";
        }

        /** The field as a string, or null when absent or wrong; {@code rule} returns a complaint or null. */
        private String string(String field, Function<String, String> rule) {
            JsonNode n = root.get(field);
            if (n == null) {
                return null;
            }
            return checkedString(n, "\"" + field + "\"", rule);
        }

        private String checkedString(JsonNode n, String label, Function<String, String> rule) {
            if (!n.isTextual()) {
                problem(label + " must be a string, got " + kind(n));
                return null;
            }
            String complaint = rule == null ? null : rule.apply(n.textValue());
            if (complaint != null) {
                problem(label + " " + complaint + ", got \"" + n.textValue() + "\"");
                return null;
            }
            return n.textValue();
        }

        private Boolean bool(String field) {
            JsonNode n = root.get(field);
            if (n == null) {
                return null;
            }
            if (!n.isBoolean()) {
                problem("\"" + field + "\" must be true or false, got " + kind(n));
                return null;
            }
            return n.booleanValue();
        }

        private List<String> tags() {
            JsonNode n = root.get("tags");
            if (n == null) {
                return null;
            }
            if (!n.isArray()) {
                problem("\"tags\" must be an array of strings, got " + kind(n));
                return null;
            }
            Set<String> tags = new LinkedHashSet<>(); // a repeated tag is harmless: keep it once
            int before = problems.size();
            for (int i = 0; i < n.size(); i++) {
                String tag = checkedString(n.get(i), "\"tags\"[" + i + "]", v -> NOT_BLANK.matcher(v).find()
                        ? v.startsWith(RESERVED_TAG_PREFIX) ? "must not start with \"" + RESERVED_TAG_PREFIX
                                + "\" (reserved for VoiceDrop)" : null
                        : "must not be empty");
                if (tag != null) {
                    tags.add(tag);
                }
            }
            return problems.size() == before ? List.copyOf(tags) : null;
        }

        private List<Manifest.Entry> samples() {
            JsonNode n = root.get("samples");
            if (n == null) {
                return null;
            }
            if (!n.isArray()) {
                problem("\"samples\" must be an array of file names (or {\"file\", \"text\"} objects), got " + kind(n));
                return null;
            }
            if (n.isEmpty()) {
                problem("\"samples\" must list at least one file; leave it out to use every audio file");
                return null;
            }
            List<Manifest.Entry> entries = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                Manifest.Entry e = entry(n.get(i), "\"samples\"[" + i + "]");
                if (e != null) {
                    entries.add(e);
                }
            }
            Set<String> seen = new HashSet<>();
            for (Manifest.Entry e : entries) {
                if (!seen.add(e.file())) {
                    problem("\"samples\" lists \"" + e.file() + "\" more than once");
                }
            }
            long withText = entries.stream().filter(e -> e.text() != null).count();
            if (withText > 0 && withText < entries.size()) {
                problem("give a \"text\" for every sample or for none (" + withText + " of " + entries.size()
                        + " have one): the upstream needs one transcript per sample");
            }
            return entries;
        }

        private Manifest.Entry entry(JsonNode n, String label) {
            if (n.isTextual()) {
                String file = checkedString(n, label, this::path);
                return file == null ? null : new Manifest.Entry(file, null);
            }
            if (!n.isObject()) {
                problem(label + " must be a file name or a {\"file\", \"text\"} object, got " + kind(n));
                return null;
            }
            boolean ok = true;
            for (Map.Entry<String, JsonNode> f : iterable(n.fields())) {
                if (!f.getKey().equals("file") && !f.getKey().equals("text")) {
                    problem(label + " has unknown field \"" + f.getKey() + "\" (allowed: file, text)");
                    ok = false;
                }
            }
            JsonNode fileNode = n.get("file");
            String file = null;
            if (fileNode == null) {
                problem(label + " needs a \"file\"");
                ok = false;
            } else {
                file = checkedString(fileNode, label + ".file", this::path);
                ok &= file != null;
            }
            JsonNode textNode = n.get("text");
            String text = null;
            if (textNode != null) {
                text = checkedString(textNode, label + ".text", this::notBlank);
                ok &= text != null;
            }
            return ok ? new Manifest.Entry(file, text) : null;
        }

        private String path(String v) {
            if (v.isEmpty()) {
                return "must not be empty";
            }
            return RELATIVE_PATH.matcher(v).find() ? null
                    : "must be a path inside the folder (no leading or trailing /, no // and no . or .. parts)";
        }

        private static <T> Iterable<T> iterable(Iterator<T> it) {
            return () -> it;
        }
    }
}
