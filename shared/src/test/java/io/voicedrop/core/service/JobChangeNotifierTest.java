package io.voicedrop.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.WebhookQueue;
import io.voicedrop.core.view.JobStateChange;
import io.voicedrop.testing.Jobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which job writes announce what: status changes are events, the step into an end schedules the webhook. */
class JobChangeNotifierTest {

    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    private final List<JobStateChange> published = new ArrayList<>();
    private final List<WebhookDelivery> scheduled = new ArrayList<>();
    private final Metrics metrics = new Metrics() {
        public void count(String name, long value) { }
        public void timeMillis(String name, long millis) { }
    };
    private final JobChangeNotifier notifier = new JobChangeNotifier(published::add, new WebhookQueue() {
        public void schedule(WebhookDelivery d, Duration delay) {
            scheduled.add(d);
        }

        public void deadLetter(WebhookDelivery d, String reason) {
            throw new AssertionError("the notifier never dead-letters");
        }
    }, metrics, Clock.systemUTC());

    private static Job job(String callback) {
        return Jobs.queued("j-1", T).sourceKeys(List.of("incoming/alice/a.wav", "incoming/alice/model.json"))
                .samples(List.of()).spec(ModelSpec.titled("alice")).options(new JobOptions(callback, null)).version(1)
                .build();
    }

    @Test
    void everyStatusChangeIsOneEventCarryingTheStatusByName() {
        Job queued = job(null);
        notifier.onChange(null, queued);
        Job running = queued.claimed(T.plusSeconds(60), T).withVersion(2);
        notifier.onChange(queued, running);
        Job done = running.withModel("m-1", JobStatus.SUCCEEDED, T).withVersion(3);
        notifier.onChange(running, done);
        assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED"), published.stream().map(JobStateChange::status).toList());
        assertEquals(List.of("j-1:1", "j-1:2", "j-1:3"), published.stream().map(JobStateChange::eventId).toList());
        JobStateChange end = published.get(2);
        assertEquals("RUNNING", end.previousStatus());
        assertTrue(end.terminal());
        assertEquals("m-1", end.modelId());
        assertEquals("incoming/alice/", end.upload().folder());
        assertEquals(null, end.upload().key());
        assertTrue(scheduled.isEmpty(), "no callback_url, no webhook");
    }

    @Test
    void writesThatKeepTheStatusAnnounceNothing() {
        Job queued = job("https://hooks.example.org/h");
        Job noted = queued.withAttempt(new Attempt(T, "webhook", "retry", 500, null, "x", 5, "msg"), false)
                .withWarning("w").withVersion(2);
        notifier.onChange(queued, noted);
        notifier.onChange(queued, queued.enqueued(T).withVersion(3));
        assertTrue(published.isEmpty());
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void theStepIntoAnEndSchedulesTheWebhookOnceWithAStableId() {
        Job running = job("https://hooks.example.org/h").claimed(T.plusSeconds(60), T).withVersion(2);
        Job failed = running.failed(io.voicedrop.core.model.JobError.of("bad_request", "no"), T).withVersion(3);
        notifier.onChange(running, failed);
        notifier.onChange(running, failed); // the same stream record handled again
        assertEquals(2, scheduled.size());
        assertEquals("msg_j-1_failed", scheduled.get(0).webhookId());
        assertEquals(scheduled.get(0).webhookId(), scheduled.get(1).webhookId());
        assertEquals(scheduled.get(0).payload(), scheduled.get(1).payload(), "the same message both times");
        assertTrue(scheduled.get(0).payload().startsWith("{\"type\":\"job.failed\""), scheduled.get(0).payload());
        assertFalse(scheduled.get(0).payload().contains("hooks.example.org"), "the target URL is not in the message");

        scheduled.clear();
        // A later terminal-to-terminal step (a lifecycle state, say) is an event but no second webhook.
        notifier.onChange(failed, failed.withStatus(JobStatus.REJECTED, T).withVersion(4));
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void aRejectedUploadIsAnEventAndAWebhookAtOnce() {
        Job rejected = Jobs.rejected("j-2", "not audio").sourceKeys(List.of("incoming/x.wav"))
                .options(new JobOptions("https://hooks.example.org/h", null)).version(1).build();
        notifier.onChange(null, rejected);
        assertEquals(1, published.size());
        assertEquals(null, published.get(0).previousStatus());
        assertEquals(List.of("not audio"), published.get(0).reasons());
        assertEquals("incoming/x.wav", published.get(0).upload().key());
        assertEquals(1, scheduled.size());
    }

    @Test
    void aBusThatRefusesTheEventFailsTheRecordSoItIsRetried() {
        JobChangeNotifier refusing = new JobChangeNotifier(change -> {
            throw new IllegalStateException("bus gone");
        }, new WebhookQueue() {
            public void schedule(WebhookDelivery d, Duration delay) { }
            public void deadLetter(WebhookDelivery d, String reason) { }
        }, metrics, Clock.systemUTC());
        assertThrows(IllegalStateException.class, () -> refusing.onChange(null, job(null)));
    }

    @Test
    void signaturesFollowStandardWebhooks() {
        // The test vector of the Standard Webhooks reference libraries.
        WebhookSignature s = WebhookSignature.ofSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                s.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
        assertEquals(s.sign("m", 1, "b"), WebhookSignature.ofSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign("m", 1, "b"),
                "the bare secret (as the template generates it) is the same key");
        assertEquals("whsec_abc", WebhookSignature.display("abc"));
        assertThrows(IllegalStateException.class, () -> WebhookSignature.ofSecret("whsec_short"));
        assertFalse(s.toString().contains("MfKQ"));
    }

    /**
     * The lifecycle statuses go through unchanged: a cancel is an end (its webhook is {@code job.cancelled}); a
     * deletion job announces {@code DELETING} and {@code DELETED}; the create job's step into its tombstone is
     * announced, without a second webhook (it had ended already) and without naming the recordings.
     */
    @Test
    void cancelsDeletionsAndTombstonesAreAnnouncedByName() {
        Job queued = job("https://hooks.example.org/h");
        Job cancelled = queued.cancelled(Attempt.note(T, "cancel", Attempt.CANCELLED, "on request"), T).withVersion(2);
        notifier.onChange(queued, cancelled);
        assertEquals("CANCELLED", published.get(0).status());
        assertTrue(published.get(0).terminal());
        assertEquals(List.of("job.cancelled"), scheduled.stream().map(WebhookDelivery::type).toList());

        Job deletion = Jobs.deletion("d-1", "j-2", "m-2", "alice", T).version(1).build();
        notifier.onChange(null, deletion);
        Job deleted = deletion.deleted(T.plusSeconds(3)).withVersion(5);
        notifier.onChange(deletion, deleted);
        Job done = job(null).withModel("m-2", JobStatus.SUCCEEDED, T).withVersion(3);
        Job tomb = Tombstones.of(done, Attempt.note(T, "erase", Attempt.ERASED, "voice erased"), T).withVersion(4);
        notifier.onChange(done, tomb);

        assertEquals(List.of("CANCELLED", "DELETING", "DELETED", "DELETED"),
                published.stream().map(JobStateChange::status).toList());
        assertEquals(null, published.get(1).previousStatus());
        assertFalse(published.get(1).terminal());
        assertEquals("DELETING", published.get(2).previousStatus());
        assertTrue(published.get(2).terminal());
        JobStateChange tombstone = published.get(3);
        assertEquals("SUCCEEDED", tombstone.previousStatus());
        assertEquals("m-2", tombstone.modelId());
        assertEquals("", tombstone.title());
        assertEquals(null, tombstone.upload().key());
        assertEquals(null, tombstone.upload().folder());
        assertEquals(1, scheduled.size(), "neither the deletion nor the tombstone sends a webhook");
    }
}
