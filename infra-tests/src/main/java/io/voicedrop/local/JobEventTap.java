package io.voicedrop.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.view.JobStateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A subscriber to VoiceDrop's job events, as a user would make one: an EventBridge rule on the deployment's bus
 * (source {@code voicedrop}, detail-type {@code VoiceDrop Job State Change}) with an SQS queue as its target. Reads
 * what arrived on that queue; every event received is kept, in arrival order.
 */
public final class JobEventTap implements AutoCloseable {

    private final EventBridgeClient events;
    private final SqsClient sqs;
    private final String bus;
    private final String rule;
    private final String queueUrl;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    JobEventTap(EventBridgeClient events, SqsClient sqs, String bus) {
        this.events = events;
        this.sqs = sqs;
        this.bus = bus;
        String name = "voicedrop-local-events-" + UUID.randomUUID().toString().substring(0, 8);
        this.rule = name;
        this.queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String queueArn = LocalResources.queueArn(sqs, queueUrl);
        events.putRule(b -> b.name(name).eventBusName(bus).eventPattern("{\"source\":[\"" + JobStateChange.SOURCE
                + "\"],\"detail-type\":[\"" + JobStateChange.DETAIL_TYPE + "\"]}"));
        events.putTargets(b -> b.rule(name).eventBusName(bus).targets(t -> t.id("tap").arn(queueArn)));
    }

    /** The bus this tap listens to. */
    public String bus() {
        return bus;
    }

    /** Reads what arrived until now (one short receive round) and returns every event received so far. */
    public synchronized List<JsonNode> drain() {
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return List.copyOf(received);
            }
            for (Message m : batch) {
                received.add(Json.read(m.body(), JsonNode.class));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The events of one job, in arrival order. */
    public List<JsonNode> eventsOf(String jobId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : drain()) {
            if (jobId.equals(e.path("detail").path("job_id").asText())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Waits until the events of {@code jobId} satisfy {@code done}; returns them (fails on timeout). */
    public List<JsonNode> await(String jobId, Predicate<List<JsonNode>> done, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        List<JsonNode> got = eventsOf(jobId);
        while (!done.test(got)) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("events of job " + jobId + " not as expected after " + timeout + ": " + got);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            got = eventsOf(jobId);
        }
        return got;
    }

    @Override
    public void close() {
        try {
            events.removeTargets(b -> b.rule(rule).eventBusName(bus).ids("tap"));
            events.deleteRule(b -> b.name(rule).eventBusName(bus));
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        } catch (RuntimeException ignored) {
            // the emulator may already be gone
        }
    }
}
