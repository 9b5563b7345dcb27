package io.voicedrop.ops;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.adapters.aws.SqsDeadLetters;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.core.service.OperatorCommands;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.ingest.S3Notifications;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code scripts/voicedrop-ops.sh}: operator commands against a deployed stack (or the local pipeline).
 * <ul>
 *   <li>{@code status} — is the deployment paused, and why</li>
 *   <li>{@code resume} — lift a pause now (after fixing the token or the balance) and resend waiting jobs</li>
 *   <li>{@code replay-dead-letters} — put dead-lettered jobs and failed ingest invocations back in the pipeline</li>
 * </ul>
 * Configuration comes from the same environment variables as the functions (the script fills them from the
 * stack's outputs).
 */
public final class OpsCommand {

    private final ApplicationContext context;

    public OpsCommand(ApplicationContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: scripts/voicedrop-ops.sh --stack NAME status|resume|replay-dead-letters");
            System.exit(2);
        }
        VoiceDropConfig config = VoiceDropConfig.fromEnvironment();
        try (ApplicationContext ctx = ApplicationContext.builder().singletons(config).start()) {
            System.out.println(new OpsCommand(ctx).run(args[0]));
        }
    }

    public String run(String command) {
        OperatorCommands ops = new OperatorCommands(context.getBean(JobStore.class), context.getBean(JobQueue.class),
                context.getBean(UpstreamPause.class));
        switch (command) {
            case "status":
                return context.getBean(UpstreamPause.class).current()
                        .map(p -> "PAUSED since " + p.since() + ": " + p.code() + " (" + p.message() + "); next probe " + p.nextProbeAt())
                        .orElse("RUNNING: upstream is not paused");
            case "resume":
                return "resumed; jobs sent to the queue: " + ops.resume();
            case "replay-dead-letters":
                VoiceDropConfig config = context.getBean(VoiceDropConfig.class);
                OperatorCommands.ReplayReport r = ops.replay(
                        new SqsDeadLetters(context.getBean(SqsClient.class), config.deadLetterQueueUrl()),
                        JobMessage::jobIdOf, this::reingest);
                return "jobs requeued: " + r.jobsRequeued() + ", uploads re-ingested: " + r.uploadsReingested()
                        + ", finished jobs dropped: " + r.dropped() + ", left in the dead-letter queue: " + r.kept().size();
            default:
                throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /** A failed asynchronous ingest invocation (Lambda's on-failure record) carries the S3 event it was given. */
    private Optional<Integer> reingest(String body) {
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(body).get("requestPayload");
        } catch (Exception notJson) {
            return Optional.empty();
        }
        if (payload == null || !payload.has("Records")) {
            return Optional.empty();
        }
        S3Event event = LambdaEventSerializers.serializerFor(S3Event.class, getClass().getClassLoader())
                .fromJson(payload.toString());
        List<UploadedObject> uploads = S3Notifications.createdObjects(event);
        UploadIngestor ingestor = context.getBean(UploadIngestor.class);
        uploads.forEach(ingestor::ingest);
        return Optional.of(uploads.size());
    }
}
