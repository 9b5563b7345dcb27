package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.Preview;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.FishApi.SpeechCall;
import io.voicedrop.core.port.FishApi.SpeechResult;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.PreviewStore;
import io.voicedrop.core.port.RemoteFiles;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.core.port.UpstreamThrottle;
import io.voicedrop.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks a short text with a job's newly trained voice ({@code POST /fish/tts}, the model {@code _id} as
 * {@code reference_id}) and stores the audio next to the job's status report. A preview is a courtesy: whatever goes
 * wrong, the model is not failed; the job gets a warning instead.
 *
 * <p><b>At most one billable TTS call per job.</b> Unlike a create, a TTS call leaves nothing upstream that could
 * be looked up afterwards (no tag, no list; ADC's task ids come only in the answer). So after a request went out and
 * its answer was lost (a read timeout, a reset, a worker that died before writing the answer down) nothing can tell
 * whether upstream served and billed it. VoiceDrop then does not ask again: it records {@link Preview#REQUESTED}
 * on the job <em>before</em> sending, and a run that finds that mark without an answer gives up with a warning.
 * Repeating is safe, and done with the one {@link RetryPolicy}, only when upstream certainly did not serve the
 * request: it answered with an error status (429, 5xx), or no connection was ever made. The answer's
 * {@code audio_url} is written to the job before it is downloaded, so a failed or interrupted download is repeated
 * for free from that URL instead of calling TTS again.
 */
public final class PreviewMaker {

    private static final Logger LOG = LoggerFactory.getLogger(PreviewMaker.class);
    static final String FORMAT = "mp3";
    /** TTS calls one preview may make when upstream answers with a retryable error. */
    static final int MAX_CALLS = 3;
    /** Downloads of the answer's audio one run may try (free). */
    static final int MAX_DOWNLOADS = 3;

    /**
     * @param defaultText   {@code DEFAULT_PREVIEW_TEXT}: spoken for jobs that do not say; empty for none
     * @param maxBytes      largest audio accepted from {@code audio_url}
     * @param callAllowance time one upstream call may take; a run with less left defers the preview
     */
    public record Settings(String defaultText, long maxBytes, Duration callAllowance) {
    }

    private final FishApi fish;
    private final JobStore jobs;
    private final RemoteFiles files;
    private final PreviewStore store;
    private final UpstreamThrottle throttle;
    private final RetryPolicy retry;
    private final Metrics metrics;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    public PreviewMaker(FishApi fish, JobStore jobs, RemoteFiles files, PreviewStore store, UpstreamThrottle throttle,
                        RetryPolicy retry, Metrics metrics, Settings settings, Clock clock, Sleeper sleeper) {
        this.fish = fish;
        this.jobs = jobs;
        this.files = files;
        this.store = store;
        this.throttle = throttle;
        this.retry = retry;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** True when the job asks for a preview (itself or through the default) that is not finished yet. */
    public boolean wanted(Job job) {
        return !job.options().previewTextOr(settings.defaultText()).isEmpty()
                && (job.preview() == null || !job.preview().isFinal());
    }

    /** True when this invocation has time left for one more upstream call. */
    public boolean hasTimeFor(Instant deadline) {
        return clock.instant().plus(settings.callAllowance()).isBefore(deadline);
    }

    /**
     * Makes the preview of {@code job} (stored, with its trained {@code modelId}, and held by this worker) as far as
     * it can. Writes the job at each step that must survive a crash and returns it with the last changes not yet
     * written: the caller stores it together with the job's next status.
     */
    public Job make(Job job, Instant deadline) {
        Preview preview = job.preview();
        if (preview == null) {
            String text = job.options().previewTextOr(settings.defaultText());
            job = jobs.update(job.withPreview(Preview.requested(text, clock.instant())));
            return call(job, deadline);
        }
        if (Preview.REQUESTED.equals(preview.state())) {
            // An earlier run sent the billable call and did not live to write down the answer.
            return failed(job, "the spoken preview was requested but its answer was lost (the worker stopped);"
                    + " it was not requested again, so it is not billed twice");
        }
        if (Preview.ANSWERED.equals(preview.state())) {
            return download(job, deadline);
        }
        return job;
    }

    private Job call(Job job, Instant deadline) {
        SpeechCall request = new SpeechCall(job.preview().text(), job.modelId(), FORMAT);
        for (int calls = 1; ; calls++) {
            waitForSlot(deadline);
            Instant started = clock.instant();
            try {
                SpeechResult answer = fish.speak(request);
                throttle.succeeded();
                job = job.withAttempt(attempt(started, Attempt.CREATED, 200, null, null, null), false);
                job = jobs.update(job.withPreview(job.preview().answered(answer.audioUrl(), clock.instant())));
                return download(job, deadline);
            } catch (UpstreamError e) {
                boolean notServed = e.neverSent() || e.status() != null;
                boolean again = notServed && e.isRetryable() && calls < Math.min(MAX_CALLS, retry.maxAttempts());
                Duration delay = again ? retry.delayAfter(calls, e.retryAfter()) : Duration.ZERO;
                again &= clock.instant().plus(delay).plus(settings.callAllowance()).isBefore(deadline);
                job = job.withAttempt(attempt(started, again ? Attempt.RETRY : Attempt.FAILED, e.status(), e.code(),
                        e.getMessage(), e.traceId()), false);
                if (e.kind() == UpstreamError.Kind.RATE_LIMITED) {
                    throttle.rateLimited(e.retryAfter());
                }
                LOG.warn("TTS call failed: status={} code={} upstream_trace_id={} retry={}", e.status(), e.code(),
                        e.traceId(), again);
                if (!again) {
                    return failed(job, notServed
                            ? "the spoken preview could not be made: upstream answered " + describe(e)
                            : "the spoken preview request got no answer (" + e.code() + "); it was not repeated,"
                                    + " since upstream may have served and billed it");
                }
                sleeper.sleep(delay);
            }
        }
    }

    private Job download(Job job, Instant deadline) {
        Preview preview = job.preview();
        for (int tries = 1; ; tries++) {
            try {
                byte[] audio = files.download(preview.audioUrl(), settings.maxBytes(), deadline);
                String key = store.store(job, audio);
                metrics.count("PreviewsStored");
                return job.withPreview(preview.stored(key, audio.length, clock.instant()));
            } catch (RemoteFiles.Failed e) {
                if (!e.worthRetrying() || tries >= MAX_DOWNLOADS || !hasTimeFor(deadline)) {
                    return failed(job, "the spoken preview was made but its audio could not be downloaded: "
                            + e.getMessage());
                }
                sleeper.sleep(retry.delayAfter(tries, null));
            }
        }
    }

    private void waitForSlot(Instant deadline) {
        Instant slot = throttle.reserve();
        Instant now = clock.instant();
        if (slot.isAfter(now) && slot.plus(settings.callAllowance()).isBefore(deadline)) {
            sleeper.sleep(Duration.between(now, slot));
        }
    }

    private Job failed(Job job, String warning) {
        metrics.count("PreviewsFailed");
        LOG.warn("no spoken preview: {}", warning);
        return job.withPreview(job.preview().failed(clock.instant())).withWarning(warning);
    }

    private Attempt attempt(Instant started, String outcome, Integer status, String code, String message,
                            String traceId) {
        return new Attempt(started, "tts", outcome, status, code, message,
                Duration.between(started, clock.instant()).toMillis(), traceId);
    }

    private static String describe(UpstreamError e) {
        if (e.status() == null) {
            return "nothing: it could not be reached (" + e.code() + ")";
        }
        return "HTTP " + e.status() + (e.code() == null ? "" : " " + e.code())
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
