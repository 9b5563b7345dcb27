package io.voicedrop.core.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.core.ingest.ManifestParser;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.UploadFormSigner;
import io.voicedrop.core.port.UploadFormSigner.UploadForm;
import io.voicedrop.core.port.UploadStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Uploads from a browser (the console): the same bucket path as any other upload ({@code incoming/<folder>/} with
 * a {@code model.json}), but the browser never holds bucket credentials. It asks first, with the file names, sizes
 * and manifest fields; this checks what can be checked before any byte moves (the manifest by the very parser
 * ingest uses, names, sizes, count), chooses every key itself, and answers one signed form per file and one for
 * the manifest. The bucket enforces each form: exactly that key, that content type, that size, until expiry. The
 * manifest is posted last and is the commit marker, exactly as for {@code aws s3 cp}; ingest then runs its full
 * checks (audio headers, durations) and reports them on the job, which {@link #progress} finds.
 */
public final class BrowserUploads {

    /** How long the forms stay valid: long enough for 20 files of 50 MiB on a slow line, short for a credential. */
    public static final Duration FORM_EXPIRY = Duration.ofHours(1);
    static final int MAX_NAME_CHARS = 255;
    static final int MAX_TEXT_CHARS = 5_000;
    /** Upload ids are this prefix-free shape: a slug of the title, a dash and 12 hex digits. */
    private static final Pattern UPLOAD_ID = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?-[0-9a-f]{12}$");
    private static final Map<String, String> CONTENT_TYPES = Map.of("wav", "audio/wav", "mp3", "audio/mpeg",
            "flac", "audio/flac", "ogg", "audio/ogg", "oga", "audio/ogg", "opus", "audio/ogg", "m4a", "audio/mp4",
            "mp4", "audio/mp4", "aac", "audio/aac", "webm", "audio/webm");
    private static final int MANIFEST_MAX_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UploadFormSigner signer;
    private final UploadStore store;
    private final JobStore jobs;
    private final IngestLimits limits;
    private final String bucket;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public BrowserUploads(UploadFormSigner signer, UploadStore store, JobStore jobs, IngestLimits limits,
                          String bucket, Clock clock) {
        this.signer = signer;
        this.store = store;
        this.jobs = jobs;
        this.limits = limits;
        this.bucket = bucket;
        this.clock = clock;
    }

    /** One file the browser is about to send: its name as the user had it, its size, and optionally its text. */
    public record FileRequest(String name, long sizeBytes, String text) {
    }

    /** The manifest fields of the upload (null: not given, the manifest's default applies). */
    public record Request(String title, String description, List<String> tags, String language, String visibility,
                         Boolean enhanceAudioQuality, Boolean strict, List<FileRequest> files) {
        public Request {
            tags = tags == null ? null : List.copyOf(tags);
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /** A problem with one field of the request ({@code files[2]} names the third file). */
    public record Problem(String field, String message) {
    }

    public static final class Refused extends RuntimeException {
        private final List<Problem> problems;

        Refused(List<Problem> problems) {
            super(String.join("; ", problems.stream().map(Problem::message).toList()), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    public record PlannedFile(String name, String key, String contentType, long sizeBytes, UploadForm form) {
    }

    /**
     * @param manifest     the exact bytes to post as {@code model.json} (the form admits exactly this length)
     * @param manifestForm the form for the manifest: post it only after every file was accepted
     */
    public record Plan(String uploadId, String folder, List<PlannedFile> files, String manifestKey, String manifest,
                       UploadForm manifestForm, String statusKey, Instant expiresAt) {
    }

    /** Where an upload stands: the manifest not yet in the bucket, in the bucket but not yet ingested, or a job. */
    public enum Stage { WAITING_FOR_MANIFEST, WAITING_FOR_INGEST, JOB }

    public record Progress(String uploadId, String folder, String manifestKey, Stage stage, Optional<Job> job) {
    }

    public Plan plan(Request request) {
        List<Problem> problems = new ArrayList<>();
        List<FileRequest> files = request.files();
        if (files.isEmpty()) {
            problems.add(new Problem("files", "files: at least one audio file is required"));
        } else if (files.size() > limits.maxSamplesPerModel()) {
            problems.add(new Problem("files", "files: " + files.size() + " files, at most "
                    + limits.maxSamplesPerModel() + " samples per model"));
        }
        for (int i = 0; i < files.size(); i++) {
            checkFile(i, files.get(i), problems);
        }
        String title = request.title() == null ? null : request.title().strip();
        if (title == null || title.isEmpty()) {
            problems.add(new Problem("title", "title: required"));
        } else if (title.length() > 200) {
            problems.add(new Problem("title", "title: at most 200 characters, got " + title.length()));
        }
        String uploadId = slug(title) + "-" + HexFormat.of().formatHex(randomBytes(6));
        String folder = UploadLayout.INCOMING + uploadId + "/";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            names.add(String.format(Locale.ROOT, "%02d-%s", i + 1, safeName(files.get(i).name())));
        }
        String manifest = manifest(request, title, names);
        ManifestParser.Result parsed = ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8));
        for (String p : parsed.problems()) {
            String text = p.startsWith(ManifestParser.NAME + ": ") ? p.substring(ManifestParser.NAME.length() + 2) : p;
            if (!text.startsWith("title")) { // already reported above, in the console's words
                problems.add(new Problem(fieldOf(text), text));
            }
        }
        if (manifest.getBytes(StandardCharsets.UTF_8).length > MANIFEST_MAX_BYTES) {
            problems.add(new Problem("files", "the manifest would be over 256 KiB: shorten the texts"));
        }
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
        List<PlannedFile> planned = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileRequest f = files.get(i);
            String key = folder + names.get(i);
            String type = contentType(key);
            planned.add(new PlannedFile(f.name(), key, type, f.sizeBytes(),
                    signer.sign(bucket, key, type, f.sizeBytes(), f.sizeBytes(), FORM_EXPIRY)));
        }
        String manifestKey = folder + UploadLayout.MANIFEST_NAME;
        long manifestBytes = manifest.getBytes(StandardCharsets.UTF_8).length;
        UploadForm manifestForm = signer.sign(bucket, manifestKey, "application/json", manifestBytes, manifestBytes,
                FORM_EXPIRY);
        return new Plan(uploadId, folder, planned, manifestKey, manifest, manifestForm,
                UploadLayout.statusKey(manifestKey), clock.instant().plus(FORM_EXPIRY));
    }

    /**
     * The job an upload became, found the way ingest names it (the manifest's key and content); no job yet while the
     * manifest is missing or ingest has not run.
     *
     * @throws IllegalArgumentException when {@code uploadId} is not the shape {@link #plan} makes
     */
    public Progress progress(String uploadId) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("not an upload id");
        }
        String folder = UploadLayout.INCOMING + uploadId + "/";
        String manifestKey = folder + UploadLayout.MANIFEST_NAME;
        Optional<UploadedObject> manifest = store.find(bucket, manifestKey);
        if (manifest.isEmpty()) {
            return new Progress(uploadId, folder, manifestKey, Stage.WAITING_FOR_MANIFEST, Optional.empty());
        }
        Optional<Job> job = jobs.find(UploadIngestor.jobIdFor(manifest.get()));
        return new Progress(uploadId, folder, manifestKey, job.isPresent() ? Stage.JOB : Stage.WAITING_FOR_INGEST,
                job);
    }

    private void checkFile(int i, FileRequest f, List<Problem> problems) {
        String field = "files[" + i + "]";
        String name = f.name() == null ? "" : f.name().strip();
        String shown = name.isEmpty() ? field : name;
        if (name.isEmpty()) {
            problems.add(new Problem(field, field + ": the file name is required"));
            return;
        }
        if (name.length() > MAX_NAME_CHARS) {
            problems.add(new Problem(field, field + ": the file name is over " + MAX_NAME_CHARS + " characters"));
        }
        String base = UploadLayout.fileName(name.replace('\\', '/'));
        if (base.startsWith(".")) {
            problems.add(new Problem(field, shown + ": hidden files are not samples"));
        } else if (!UploadLayout.looksLikeAudio(base)) {
            problems.add(new Problem(field, shown + ": not an audio file name (accepted: "
                    + String.join(", ", UploadLayout.AUDIO_EXTENSIONS.stream().sorted().toList()) + ")"));
        }
        if (f.sizeBytes() <= 0) {
            problems.add(new Problem(field, shown + ": the file is empty"));
        } else if (f.sizeBytes() > limits.maxSampleBytes()) {
            problems.add(new Problem(field, shown + ": " + f.sizeBytes() + " bytes, over the limit of "
                    + limits.maxSampleBytes() + " bytes per sample"));
        }
        if (f.text() != null && f.text().length() > MAX_TEXT_CHARS) {
            problems.add(new Problem(field, shown + ": the text is over " + MAX_TEXT_CHARS + " characters"));
        }
    }

    private static String manifest(Request r, String title, List<String> names) {
        ObjectNode m = JSON.createObjectNode();
        if (title != null && !title.isEmpty()) {
            m.put("title", title);
        }
        if (r.description() != null && !r.description().isEmpty()) {
            m.put("description", r.description());
        }
        if (r.tags() != null && !r.tags().isEmpty()) {
            ArrayNode tags = m.putArray("tags");
            r.tags().forEach(tags::add);
        }
        if (r.visibility() != null && !r.visibility().isEmpty()) {
            m.put("visibility", r.visibility());
        }
        if (r.language() != null && !r.language().isBlank()) {
            m.put("language", r.language().strip());
        }
        if (r.enhanceAudioQuality() != null) {
            m.put("enhance_audio_quality", r.enhanceAudioQuality());
        }
        if (Boolean.TRUE.equals(r.strict())) {
            m.put("strict", true);
        }
        boolean texts = r.files().stream().anyMatch(f -> f.text() != null && !f.text().isBlank());
        ArrayNode samples = m.putArray("samples");
        for (int i = 0; i < names.size(); i++) {
            String text = i < r.files().size() ? r.files().get(i).text() : null;
            if (texts) {
                ObjectNode s = samples.addObject().put("file", names.get(i));
                if (text != null && !text.isBlank()) {
                    s.put("text", text.strip());
                }
            } else {
                samples.add(names.get(i));
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request field a manifest problem is about ({@code tags[1]: ...} → {@code tags}). */
    private static String fieldOf(String problem) {
        int end = 0;
        while (end < problem.length() && (Character.isLetterOrDigit(problem.charAt(end)) || problem.charAt(end) == '_')) {
            end++;
        }
        String field = problem.substring(0, end);
        return switch (field) {
            case "samples" -> "files";
            case "" -> "body";
            default -> field;
        };
    }

    /** A file name that is safe in a key and in every shell: ASCII letters, digits, dot, dash, underscore. */
    static String safeName(String name) {
        String base = UploadLayout.fileName(name.strip().replace('\\', '/'));
        String ext = UploadLayout.extension(base).orElse("");
        String stem = ext.isEmpty() ? base : base.substring(0, base.length() - ext.length() - 1);
        String ascii = Normalizer.normalize(stem, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String clean = ascii.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("-{2,}", "-")
                .replaceAll("^[-.]+|[-.]+$", "");
        if (clean.isEmpty()) {
            clean = "sample";
        }
        if (clean.length() > 80) {
            clean = clean.substring(0, 80);
        }
        return ext.isEmpty() ? clean : clean + "." + ext;
    }

    /** The folder name's readable part: the title in lower-case ASCII, dashes between words, at most 40 chars. */
    static String slug(String title) {
        String ascii = title == null ? "" : Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 40) {
            s = s.substring(0, 40).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "upload" : s;
    }

    static String contentType(String key) {
        return UploadLayout.extension(key).map(CONTENT_TYPES::get).orElse("application/octet-stream");
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
