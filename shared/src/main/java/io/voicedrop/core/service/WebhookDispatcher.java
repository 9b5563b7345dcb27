package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.WebhookQueue;
import io.voicedrop.core.port.WebhookSender;
import io.voicedrop.core.retry.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt at a webhook delivery, signed per Standard Webhooks ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}), and decides what comes next. Every attempt is recorded in
 * the job's history (operation {@code webhook}, outcome {@code delivered}, {@code retry}, {@code refused} or
 * {@code dead_lettered}, the receiver's status, the latency, and the {@code webhook-id} as {@code trace_id}), so
 * {@code GET /jobs/{id}} shows them. Such a write changes no status and so announces nothing.
 *
 * <ul>
 *   <li>A 2xx answer delivers. Anything else (another status, a timeout, a refused connection) is retried with the
 *       one {@link RetryPolicy} (full-jitter exponential backoff, at least the receiver's {@code Retry-After}) until
 *       the retry window (24 h by default) has passed since the first attempt; then the message is dead-lettered.
 *       Waits longer than SQS's 15-minute delay are chained: a message that comes back early is put back.</li>
 *   <li>A URL the outbound-URL guard refuses (a private address, plain http) is dead-lettered at once: it cannot
 *       start working later.</li>
 *   <li>One attempt takes at most the configured timeout; an invocation without that much time left hands the
 *       message back untried, so a hanging receiver never holds the function past its bounds.</li>
 * </ul>
 */
public final class WebhookDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final String USER_AGENT = "VoiceDrop-Webhooks/1.0";
    /** Kept free after an attempt's timeout to record it and answer. */
    static final Duration MARGIN = Duration.ofSeconds(3);

    /**
     * @param timeout     one attempt, connect to last byte
     * @param retryWindow failed attempts are retried until this long after the first one
     */
    public record Settings(Duration timeout, Duration retryWindow) {
    }

    private final JobStore jobs;
    private final WebhookSender sender;
    private final WebhookQueue queue;
    private final Supplier<WebhookSignature> signer;
    private final RetryPolicy retry;
    private final Metrics metrics;
    private final Settings settings;
    private final Clock clock;

    public WebhookDispatcher(JobStore jobs, WebhookSender sender, WebhookQueue queue, Supplier<WebhookSignature> signer,
                             RetryPolicy retry, Metrics metrics, Settings settings, Clock clock) {
        this.jobs = jobs;
        this.sender = sender;
        this.queue = queue;
        this.signer = signer;
        this.retry = retry;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    public WorkOutcome deliver(WebhookDelivery delivery, Instant deadline) {
        Instant now = clock.instant();
        if (delivery.dueAt() != null && delivery.dueAt().isAfter(now.plusSeconds(1))) {
            queue.schedule(delivery, Duration.between(now, delivery.dueAt()));
            return WorkOutcome.done("not due yet; put back");
        }
        Optional<Job> job = jobs.find(delivery.jobId());
        if (job.isEmpty() || !job.get().options().hasCallback()) {
            return WorkOutcome.done("the job has no webhook");
        }
        if (delivered(job.get(), delivery.webhookId())) {
            metrics.count("DuplicatesAvoided");
            return WorkOutcome.done("already delivered");
        }
        if (now.plus(settings.timeout()).plus(MARGIN).isAfter(deadline)) {
            return WorkOutcome.retryLater(Duration.ZERO, "not enough time left for an attempt");
        }
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        WebhookSender.Result r = sender.post(job.get().options().callbackUrl(),
                headers(delivery, now.getEpochSecond()), body, settings.timeout());
        Instant after = clock.instant();
        int attempt = delivery.attempts() + 1;
        Instant first = delivery.firstAttemptAt() == null ? now : delivery.firstAttemptAt();
        if (r.delivered()) {
            record(delivery, now, "delivered", r, "attempt " + attempt + ": delivered");
            metrics.count("WebhooksDelivered");
            return WorkOutcome.done("webhook delivered");
        }
        String what = r.status() != null ? "HTTP " + r.status() : r.problem();
        if (r.refused()) {
            record(delivery, now, "refused", r, "attempt " + attempt + ": " + what + "; not retried");
            queue.deadLetter(delivery.retried(now, after), what);
            metrics.count("WebhooksDeadLettered");
            return WorkOutcome.done("webhook URL refused");
        }
        if (!after.isBefore(first.plus(settings.retryWindow()))) {
            record(delivery, now, "dead_lettered", r, "attempt " + attempt + ": " + what + "; retried for "
                    + settings.retryWindow() + ", moved to the dead-letter queue");
            queue.deadLetter(delivery.retried(now, after), what);
            metrics.count("WebhooksDeadLettered");
            return WorkOutcome.done("webhook dead-lettered");
        }
        Duration delay = retry.delayAfter(attempt, r.retryAfter());
        Instant due = after.plus(delay);
        record(delivery, now, Attempt.RETRY, r, "attempt " + attempt + ": " + what + "; next attempt at " + due);
        queue.schedule(delivery.retried(now, due), delay);
        metrics.count("WebhookRetries");
        return WorkOutcome.done("webhook retry scheduled");
    }

    private Map<String, String> headers(WebhookDelivery delivery, long timestamp) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("User-Agent", USER_AGENT);
        h.put("webhook-id", delivery.webhookId());
        h.put("webhook-timestamp", Long.toString(timestamp));
        h.put("webhook-signature", signer.get().sign(delivery.webhookId(), timestamp, delivery.payload()));
        return h;
    }

    private static boolean delivered(Job job, String webhookId) {
        return job.history().stream().anyMatch(a -> "webhook".equals(a.operation())
                && "delivered".equals(a.outcome()) && webhookId.equals(a.traceId()));
    }

    /** Appends the attempt to the job's history, re-reading on a concurrent write. */
    private void record(WebhookDelivery delivery, Instant at, String outcome, WebhookSender.Result r,
                        String message) {
        String code = r.status() != null ? null : r.refused() ? "refused" : r.problem();
        Attempt attempt = new Attempt(at, "webhook", outcome, r.status(), code, message, r.latencyMs(),
                delivery.webhookId());
        for (int tries = 0; tries < 5; tries++) {
            Optional<Job> job = jobs.find(delivery.jobId());
            if (job.isEmpty()) {
                return;
            }
            try {
                jobs.update(job.get().withAttempt(attempt, false));
                return;
            } catch (JobStore.JobChangedConcurrently raced) {
                // someone else wrote the job in between: read it again
            }
        }
        LOG.warn("could not record webhook attempt {} of job {}: the job kept changing", outcome, delivery.jobId());
    }
}
