package io.voicedrop.api;

import io.micronaut.http.HttpStatus;
import io.voicedrop.audio.AudioFormat;
import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.audio.AudioProbeException;
import io.voicedrop.audio.ByteSource;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.JobOwnership;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.service.JobSubmitter;
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
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /fish/model}: the second way into the pipeline, next to the S3 drop.
 *
 * <ol>
 *   <li>The request is claimed for its scope ({@code Idempotency-Key} header, else the exact content: fields plus
 *       the SHA-256 of every audio file or the voice URLs), per owner, for {@link ApiSettings#idempotencyWindow()}.
 *       A repeat gets the job the first request made (200, {@code Idempotent-Replayed: true}); the same key with
 *       different content is a 400.</li>
 *   <li>The job's owner is recorded (before the job exists, so an API job is never without an owner).</li>
 *   <li>Voice URLs are downloaded ({@link VoiceFetcher}); every voice is probed with {@link AudioProbe} from memory
 *       before anything is stored or billed: not audio, damaged, or over the total duration limit is a 400.</li>
 *   <li>The audio is stored under {@code uploads/<job id>/NN-<name>.<ext>} (outside {@code incoming/}, so the
 *       bucket trigger does not fire again), and the job is submitted exactly like ingest does
 *       ({@link JobSubmitter}). The worker presigns these keys like any other sample.</li>
 * </ol>
 * Every step is safe to repeat with the same job id, so a retry after a crash or a timeout finishes the job the first
 * attempt started instead of making a second one.
 */
class ModelSubmissions {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSubmissions.class);
    static final String UPLOADS = "uploads/";
    /** The voices of one request must be downloaded within this time (the function's timeout is 29 s). */
    static final Duration DOWNLOAD_BUDGET = Duration.ofSeconds(20);
    static final int MAX_IDEMPOTENCY_KEY = 255;
    private static final Set<AudioFormat> CONTRACT_FORMATS =
            Set.of(AudioFormat.WAV, AudioFormat.MP3, AudioFormat.M4A_AAC, AudioFormat.M4A_OTHER, AudioFormat.OGG_OPUS);

    private final JobSubmitter submitter;
    private final JobStore jobs;
    private final JobOwnership ownership;
    private final SampleUploads uploads;
    private final VoiceFetcher fetcher;
    private final AudioProbe probe;
    private final VoiceDropConfig config;
    private final ApiSettings settings;
    private final Clock clock;

    ModelSubmissions(JobSubmitter submitter, JobStore jobs, JobOwnership ownership, SampleUploads uploads,
                     VoiceFetcher fetcher, AudioProbe probe, VoiceDropConfig config, ApiSettings settings,
                     Clock clock) {
        this.submitter = submitter;
        this.jobs = jobs;
        this.ownership = ownership;
        this.uploads = uploads;
        this.fetcher = fetcher;
        this.probe = probe;
        this.config = config;
        this.settings = settings;
        this.clock = clock;
    }

    /** Most voices one request may carry: the upstream's 20, or less if the deployment says so. */
    int maxVoices() {
        return Math.max(1, Math.min(20, config.maxSamplesPerModel()));
    }

    /**
     * @param created false when the request repeated an earlier one (the job is the earlier one's)
     */
    record Outcome(Job job, boolean created) {
    }

    Outcome create(String owner, CreateModelRequest request, String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
                || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw ApiException.badRequest("Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY
                    + " printable ASCII characters");
        }
        String fingerprint = fingerprint(request);
        String scope = sha256(owner + "\n" + (idempotencyKey == null ? "body\n" + fingerprint
                : "key\n" + idempotencyKey));
        Instant now = clock.instant();
        JobOwnership.Claim claim = ownership.claim(scope, UUID.randomUUID().toString(), fingerprint, now,
                now.plus(settings.idempotencyWindow()));
        if (!claim.fresh() && !claim.fingerprint().equals(fingerprint)) {
            throw ApiException.badRequest("this Idempotency-Key was already used for a different request");
        }
        String jobId = claim.jobId();
        Optional<Job> existing = jobs.find(jobId);
        if (existing.isPresent()) {
            return new Outcome(existing.get(), false);
        }
        ownership.recordOwner(jobId, owner);

        List<String> warnings = new ArrayList<>(request.warnings());
        List<byte[]> audio = new ArrayList<>();
        List<AudioFormat> formats = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Duration total = Duration.ZERO;
        Instant downloadDeadline = now.plus(DOWNLOAD_BUDGET);
        for (int i = 0; i < request.voices().size(); i++) {
            CreateModelRequest.Voice v = request.voices().get(i);
            byte[] bytes;
            String name;
            if (v.isUrl()) {
                try {
                    VoiceFetcher.Fetched f = fetcher.fetch(v.url(), downloadDeadline);
                    bytes = f.bytes();
                    name = f.fileName();
                } catch (VoiceFetcher.FetchFailed e) {
                    throw ApiException.badRequest("voices[" + i + "]: " + e.getMessage());
                }
            } else {
                bytes = v.bytes();
                name = v.fileName();
            }
            if (bytes.length > config.maxSampleBytes()) {
                throw ApiException.badRequest("voices[" + i + "]: " + bytes.length + " bytes is over the limit of "
                        + config.maxSampleBytes() + " bytes per sample");
            }
            AudioInfo info;
            try {
                info = probe.probe(ByteSource.of(bytes));
            } catch (AudioProbeException e) {
                throw ApiException.badRequest("voices[" + i + "]: " + describe(e));
            }
            String label = "voices[" + i + "]";
            if (!CONTRACT_FORMATS.contains(info.format())) {
                warnings.add(label + ": " + info.format() + " (" + info.codec() + ") is not one of the formats the "
                        + "upstream documents (wav, mp3, m4a, opus); it may refuse it");
            }
            if (info.sampleRateHz() < 16_000) {
                warnings.add(label + ": sample rate " + info.sampleRateHz() + " Hz is under the recommended 16 kHz");
            }
            if (info.duration() != null) {
                total = total.plus(info.duration());
                if (info.duration().compareTo(Duration.ofSeconds(30)) < 0) {
                    warnings.add(label + ": " + String.format(Locale.ROOT, "%.1f s",
                            info.duration().toMillis() / 1000.0) + " long, under the recommended 30 s per sample");
                }
            }
            audio.add(bytes);
            formats.add(info.format());
            names.add(name);
        }
        if (total.compareTo(config.maxTotalDuration()) > 0) {
            throw ApiException.badRequest("the voices last " + total.toSeconds() + " s in total, over the limit of "
                    + config.maxTotalDuration().toSeconds() + " s");
        }

        List<Sample> samples = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < audio.size(); i++) {
            String key = UPLOADS + jobId + "/" + String.format(Locale.ROOT, "%02d", i + 1) + "-"
                    + safeName(names.get(i)) + "." + extension(formats.get(i));
            String versionId;
            try {
                versionId = uploads.put(config.bucket(), key, audio.get(i), contentType(formats.get(i)));
            } catch (RuntimeException e) {
                LOG.error("storing {} failed", key, e);
                throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "api_error",
                        "The audio could not be stored; retry the request (it will not create a second model).");
            }
            keys.add(key);
            String text = request.texts() == null ? null : request.texts().get(i);
            samples.add(new Sample(key, versionId, audio.get(i).length, text));
        }
        ModelSpec spec = new ModelSpec(request.title(), request.description(), request.tags(), request.visibility(),
                "tts", "fast", request.enhanceAudioQuality(), request.coverImageUrl(), null);
        Job job = Job.queued(jobId, config.bucket(), keys, samples, spec, warnings, clock.instant());
        JobSubmitter.Submission s = submitter.submit(job);
        LOG.info("model requested through the API: job_id={} voices={} created={}", jobId, samples.size(),
                s.created());
        return new Outcome(s.job(), s.created());
    }

    /** Identity of the request's content: every field that reaches the job, and the audio itself. */
    static String fingerprint(CreateModelRequest r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.title()).append('\u0000').append(r.description()).append('\u0000')
                .append(String.join("\u0001", r.tags())).append('\u0000').append(r.visibility()).append('\u0000')
                .append(r.enhanceAudioQuality()).append('\u0000').append(r.coverImageUrl()).append('\u0000')
                .append(r.texts() == null ? "\u0002" : String.join("\u0001", r.texts())).append('\u0000');
        for (CreateModelRequest.Voice v : r.voices()) {
            sb.append(v.isUrl() ? "u:" + v.url() : "f:" + sha256(v.bytes())).append('\u0001');
        }
        return sha256(sb.toString());
    }

    private static String describe(AudioProbeException e) {
        return switch (e.reason()) {
            case EMPTY -> "the file is empty (0 bytes)";
            case NOT_AUDIO -> "not an audio file";
            case CORRUPT_HEADER -> "damaged or truncated audio header";
            default -> "unsupported audio format";
        };
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
