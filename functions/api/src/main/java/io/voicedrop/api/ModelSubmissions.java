package io.voicedrop.api;

import io.micronaut.http.HttpStatus;
import io.voicedrop.audio.AudioFormat;
import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.ByteSource;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.JobOwnership;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.quality.Finding;
import io.voicedrop.core.quality.QualityCheck;
import io.voicedrop.core.service.JobSubmitter;
import io.voicedrop.core.service.SampleRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /fish/model}: the second way into the pipeline, next to the S3 drop.
 *
 * <ol>
 *   <li>A repeated request is recognised first (its scope: the {@code Idempotency-Key} header, else the exact
 *       content, i.e. the fields plus the SHA-256 of every file or the voice URLs, per owner, for
 *       {@link ApiSettings#idempotencyWindow()}) and gets the job the first one made, without downloading again.
 *       The same key with different content is a 400.</li>
 *   <li>Every voice is checked with {@link SampleRules}, the rules a bucket upload goes through, before anything is
 *       stored or billed: voice URLs are downloaded first ({@link VoiceFetcher}), but only when the fields are valid.
 *       Every problem found is reported at once (422); a refused request claims nothing, so the caller may fix it
 *       and send it again with the same key. The voices that pass are then listened to by the same quality check
 *       (within {@link #LISTEN_BUDGET}); its findings are warnings, or problems where the deployment is strict by
 *       default ({@code STRICT_BY_DEFAULT}).</li>
 *   <li>Only then is the scope claimed, the job's owner recorded (before the job exists, so an API job is never
 *       without an owner), the audio (and a cover image file) stored under {@code uploads/<job id>/} (outside
 *       {@code incoming/}, so the bucket trigger does not fire again), and the job submitted exactly like ingest
 *       does ({@link JobSubmitter}). The worker presigns these keys like any other sample.</li>
 * </ol>
 * Every step after the claim is safe to repeat with the same job id, so a retry after a crash or a timeout finishes
 * the job the first attempt started instead of making a second one.
 */
class ModelSubmissions {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSubmissions.class);
    static final String UPLOADS = io.voicedrop.core.service.UploadLayout.UPLOADS;
    static final String JOB_ID_MDC_KEY = "job_id";
    /** The voices of one request must be downloaded within this time (the function has 29 s in all). */
    static final Duration DOWNLOAD_BUDGET = Duration.ofSeconds(20);
    /** Downloads are held in memory until checked: this keeps a request far inside the function's memory. */
    static final long MAX_DOWNLOAD_TOTAL_BYTES = 128L * 1024 * 1024;
    static final int MAX_IDEMPOTENCY_KEY = 255;
    /** The quality check's share of the request's 29 s, after the downloads (QUALITY_TIME_LIMIT_SECONDS caps it). */
    static final Duration LISTEN_BUDGET = Duration.ofSeconds(8);
    /** ... and it ends by this long after the request arrived, so a slow download leaves time to store and answer. */
    static final Duration LISTEN_DEADLINE = Duration.ofSeconds(22);

    private final JobSubmitter submitter;
    private final JobStore jobs;
    private final JobOwnership ownership;
    private final SampleUploads uploads;
    private final VoiceFetcher fetcher;
    private final SampleRules rules;
    private final VoiceDropConfig config;
    private final ApiSettings settings;
    private final Clock clock;

    ModelSubmissions(JobSubmitter submitter, JobStore jobs, JobOwnership ownership, SampleUploads uploads,
                     VoiceFetcher fetcher, SampleRules rules, VoiceDropConfig config, ApiSettings settings,
                     Clock clock) {
        this.submitter = submitter;
        this.jobs = jobs;
        this.ownership = ownership;
        this.uploads = uploads;
        this.fetcher = fetcher;
        this.rules = rules;
        this.config = config;
        this.settings = settings;
        this.clock = clock;
    }

    /** Most voices one request may carry: the upstream's 20, or less if the deployment says so. */
    int maxVoices() {
        return Math.max(1, Math.min(20, rules.maxSamplesPerModel()));
    }

    /**
     * @param replayed true when the request repeated an earlier one (the job is the earlier one's)
     */
    record Outcome(Job job, boolean replayed) {
    }

    /** A voice that passed the rules, ready to store. */
    private record Checked(byte[] bytes, String name, AudioInfo info, String field) {
    }

    Outcome create(String owner, CreateModelRequest request, String idempotencyKey, Instant arrivedAt) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
                || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw ApiException.badRequest("Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY
                    + " printable ASCII characters");
        }
        String fingerprint = fingerprint(request);
        String scope = sha256(owner + "\n" + (idempotencyKey == null ? "body\n" + fingerprint
                : "key\n" + idempotencyKey));
        if (request.problems().isEmpty()) {
            Optional<Outcome> replay = ownership.findClaim(scope, clock.instant())
                    .flatMap(claim -> replayOf(claim, fingerprint));
            if (replay.isPresent()) {
                return replay.get();
            }
        }

        List<FieldProblem> problems = new ArrayList<>(request.problems());
        List<String> warnings = new ArrayList<>(request.warnings());
        if (request.callbackUrl() != null && problems.stream().noneMatch(p -> p.field().equals("callback_url"))) {
            // The same guard the webhook passes when it is sent: refuse an internal target now, before any work.
            fetcher.refusalOf(request.callbackUrl())
                    .ifPresent(why -> problems.add(new FieldProblem("callback_url", "callback_url: " + why)));
        }
        List<Checked> voices = check(request, problems, warnings, arrivedAt.plus(DOWNLOAD_BUDGET));
        QualityCheck.Outcome heard = problems.isEmpty() ? listen(voices, problems, warnings, arrivedAt) : null;
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }

        Instant now = clock.instant();
        JobOwnership.Claim claim = ownership.claim(scope, UUID.randomUUID().toString(), fingerprint, now,
                now.plus(settings.idempotencyWindow()));
        Optional<Outcome> replay = replayOf(claim, fingerprint);
        if (replay.isPresent()) {
            return replay.get();
        }
        String jobId = claim.jobId();
        MDC.put(JOB_ID_MDC_KEY, jobId); // every later line of this request is about this job (ApiHandler removes it)
        ownership.recordOwner(jobId, owner);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < voices.size(); i++) {
            Checked v = voices.get(i);
            String key = UPLOADS + jobId + "/" + String.format(Locale.ROOT, "%02d", i + 1) + "-"
                    + safeName(v.name()) + "." + extension(v.info().format());
            String versionId = store(key, v.bytes(), contentType(v.info().format()));
            String text = request.texts() == null ? null : request.texts().get(i);
            samples.add(new Sample(key, versionId, v.bytes().length, text));
        }
        ModelSpec spec = new ModelSpec(request.title(), request.description(), request.tags(), request.visibility(),
                "tts", "fast", request.enhanceAudioQuality(), request.coverImageUrl(), null, request.generateSample(),
                request.removeSamplesWhenTrained());
        if (request.coverImageFile() != null) {
            byte[] cover = request.coverImageFile().bytes();
            String ext = CoverImages.extension(cover).orElseThrow();
            String key = UPLOADS + jobId + "/cover." + ext;
            store(key, cover, CoverImages.contentType(ext));
            spec = spec.withCoverImage(ModelSpec.storedCover(config.bucket(), key));
        }
        List<String> keys = samples.stream().map(Sample::key).toList();
        Job job = Job.queued(jobId, config.bucket(), keys, samples, spec, warnings, clock.instant()).ownedBy(owner)
                .withOptions(new JobOptions(request.callbackUrl(), request.previewText())).withQuality(heard.report());
        JobSubmitter.Submission s = submitter.submit(job);
        LOG.info("model requested through the API: voices={} created={}", samples.size(), s.created());
        return new Outcome(s.job(), !s.created());
    }

    /** The earlier request's outcome, when {@code claim} is someone else's and its job exists. */
    private Optional<Outcome> replayOf(JobOwnership.Claim claim, String fingerprint) {
        if (claim.fresh()) {
            return Optional.empty();
        }
        if (!claim.fingerprint().equals(fingerprint)) {
            throw ApiException.badRequest("this Idempotency-Key was already used for a different request");
        }
        // No job yet: the first request is still checking its voices, or died before submitting; this one goes on
        // under the same job id (every step after the claim is idempotent).
        return jobs.find(claim.jobId()).map(job -> new Outcome(job, true));
    }

    /**
     * Checks every voice and returns the usable ones; adds a problem for every one that is not. URLs are
     * downloaded only when the fields are valid: a request that will be refused anyway costs no downloads.
     */
    private List<Checked> check(CreateModelRequest request, List<FieldProblem> problems, List<String> warnings,
                                Instant downloadDeadline) {
        boolean download = problems.isEmpty();
        List<Checked> checked = new ArrayList<>();
        Duration total = Duration.ZERO;
        long downloaded = 0;
        for (int i = 0; i < request.voices().size() && i < maxVoices(); i++) {
            CreateModelRequest.Voice v = request.voices().get(i);
            String field = FieldProblem.voice(i);
            byte[] bytes = v.bytes();
            String name = v.fileName();
            if (v.isUrl()) {
                if (!download) {
                    continue;
                }
                if (downloaded >= MAX_DOWNLOAD_TOTAL_BYTES) {
                    problems.add(new FieldProblem(field, field + ": the voices of one request may total at most "
                            + MAX_DOWNLOAD_TOTAL_BYTES + " bytes; put larger sets in the bucket"));
                    continue;
                }
                try {
                    VoiceFetcher.Fetched f = fetcher.fetch(v.url(), downloadDeadline);
                    bytes = f.bytes();
                    name = f.fileName();
                    downloaded += bytes.length;
                } catch (VoiceFetcher.FetchFailed e) {
                    problems.add(new FieldProblem(field, field + ": " + e.getMessage()));
                    continue;
                }
            }
            byte[] content = bytes;
            SampleRules.Verdict verdict = rules.check(() -> ByteSource.of(content), content.length, field);
            verdict.problems().forEach(p -> problems.add(new FieldProblem(field, p)));
            for (String w : verdict.warnings()) {
                if (rules.strictByDefault()) {
                    problems.add(new FieldProblem(field, "strict: " + w));
                } else {
                    warnings.add(w);
                }
            }
            Optional<AudioInfo> info = verdict.usable();
            if (info.isPresent()) {
                checked.add(new Checked(content, name, info.get(), field));
                if (info.get().duration() != null) {
                    total = total.plus(info.get().duration());
                }
            }
        }
        rules.totalProblem(total).ifPresent(p -> problems.add(new FieldProblem("voices", "voices: " + p)));
        return checked;
    }

    /**
     * The quality check over the voices that passed, exactly as for a bucket upload; on a deployment that is strict
     * by default, the findings it chose are problems.
     */
    private QualityCheck.Outcome listen(List<Checked> voices, List<FieldProblem> problems, List<String> warnings,
                                        Instant arrivedAt) {
        List<QualityCheck.Item> items = voices.stream().map(v -> new QualityCheck.Item(v.field(), v.info(),
                () -> new java.io.ByteArrayInputStream(v.bytes()))).toList();
        Duration left = Duration.between(clock.instant(), arrivedAt.plus(LISTEN_DEADLINE));
        Duration budget = left.compareTo(LISTEN_BUDGET) < 0 ? left : LISTEN_BUDGET;
        QualityCheck.Outcome heard = rules.listen(items, budget.isNegative() ? Duration.ZERO : budget);
        for (Finding f : heard.findings()) {
            if (rules.strictByDefault() && rules.rejectsWhenStrict(f)) {
                problems.add(new FieldProblem(f.sample(), "strict: " + f.text()));
            } else {
                warnings.add(f.text());
            }
        }
        return heard;
    }

    private String store(String key, byte[] bytes, String contentType) {
        try {
            return uploads.put(config.bucket(), key, bytes, contentType);
        } catch (RuntimeException e) {
            LOG.error("storing {} failed", key, e);
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "api_error",
                    "The audio could not be stored; retry the request (it will not create a second model).");
        }
    }

    /** Identity of the request's content: every field that reaches the job, and the audio itself. */
    static String fingerprint(CreateModelRequest r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.title()).append('\u0000').append(r.description()).append('\u0000')
                .append(String.join("\u0001", r.tags())).append('\u0000').append(r.visibility()).append('\u0000')
                .append(r.enhanceAudioQuality()).append('\u0000').append(r.coverImageUrl()).append('\u0000')
                .append(r.coverImageFile() == null ? "" : sha256(r.coverImageFile().bytes())).append('\u0000')
                .append(r.texts() == null ? "\u0002" : String.join("\u0001", r.texts())).append('\u0000');
        for (CreateModelRequest.Voice v : r.voices()) {
            sb.append(v.isUrl() ? "u:" + v.url() : "f:" + sha256(v.bytes())).append('\u0001');
        }
        // Only when given, so that requests without them keep the identity they had before these fields existed.
        if (r.generateSample() != null || r.callbackUrl() != null || r.previewText() != null) {
            sb.append('\u0000').append(r.generateSample()).append('\u0000').append(r.callbackUrl())
                    .append('\u0000').append(r.previewText());
        }
        return sha256(sb.toString());
    }

    /** A file name safe in an S3 key and a log line: letters, digits, '.', '_' and '-', at most 60 characters. */
    static String safeName(String fileName) {
        String base = fileName == null ? "" : fileName.substring(Math.max(fileName.lastIndexOf('/'),
                fileName.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        String clean = base.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
        if (clean.length() > 60) {
            clean = clean.substring(0, 60);
        }
        return clean.isEmpty() ? "voice" : clean;
    }

    static String extension(AudioFormat format) {
        return switch (format) {
            case WAV -> "wav";
            case MP3 -> "mp3";
            case AAC_ADTS -> "aac";
            case FLAC -> "flac";
            case OGG_OPUS -> "opus";
            case OGG_VORBIS, OGG_FLAC -> "ogg";
            case M4A_AAC, M4A_OTHER -> "m4a";
            case WEBM -> "webm";
            case MATROSKA -> "mka";
        };
    }

    static String contentType(AudioFormat format) {
        return switch (format) {
            case WAV -> "audio/wav";
            case MP3 -> "audio/mpeg";
            case AAC_ADTS -> "audio/aac";
            case FLAC -> "audio/flac";
            case OGG_OPUS, OGG_VORBIS, OGG_FLAC -> "audio/ogg";
            case M4A_AAC, M4A_OTHER -> "audio/mp4";
            case WEBM -> "audio/webm";
            case MATROSKA -> "audio/x-matroska";
        };
    }

    static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
