package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.JobEventPublisher;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.WebhookQueue;
import io.voicedrop.core.view.JobStateChange;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns one committed change of a job record (read from the jobs table's stream, old and new image) into its
 * announcements: a state-change event when the status changed, and, when the job just ended and asked for one,
 * the first delivery of its webhook. Any other write (a history entry, a webhook attempt, a lease) announces
 * nothing, so recording deliveries on the job never produces events of its own.
 *
 * <p>The webhook is scheduled before the event is published: if the publish fails, the whole change is handled
 * again, and a second delivery message of the same {@code webhook-id} is dropped by {@link WebhookDispatcher}
 * once the first one was delivered.
 */
public final class JobChangeNotifier {

    private final JobEventPublisher events;
    private final WebhookQueue webhooks;
    private final Metrics metrics;
    private final Clock clock;

    public JobChangeNotifier(JobEventPublisher events, WebhookQueue webhooks, Metrics metrics, Clock clock) {
        this.events = events;
        this.webhooks = webhooks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @param before the job before the write; null for a new job */
    public void onChange(Job before, Job after) {
        Optional<JobStateChange> change = JobStateChange.between(before, after);
        if (change.isEmpty()) {
            return;
        }
        if (JobStateChange.ended(before, after) && after.options().hasCallback()) {
            webhooks.schedule(firstDelivery(after), Duration.ZERO);
            metrics.count("WebhooksScheduled");
        }
        events.publish(change.get());
        metrics.count("JobEventsPublished");
    }

    /** The webhook message of a job that just ended: the job view then, under an id stable for this transition. */
    static WebhookDelivery firstDelivery(Job job) {
        String type = "job." + job.status().name().toLowerCase(Locale.ROOT);
        return WebhookDelivery.first(webhookId(job), job.jobId(), type, WebhookPayload.of(type, job),
                job.updatedAt());
    }

    /** {@code msg_<job id>_<status>}: the same for every attempt and every repeated handling of the change. */
    static String webhookId(Job job) {
        return "msg_" + job.jobId() + "_" + job.status().name().toLowerCase(Locale.ROOT);
    }
}
