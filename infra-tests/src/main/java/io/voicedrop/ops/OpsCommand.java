package io.voicedrop.ops;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.voicedrop.adapters.aws.JobListIndexBackfill;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.adapters.aws.SqsDeadLetters;
import io.voicedrop.adapters.aws.catalog.TitleIndexBackfill;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ResourceIds;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.IndexBackfillTarget;
import io.voicedrop.core.port.SampleStorage;
import io.voicedrop.core.service.IndexBackfill;
import io.voicedrop.core.service.ModelDeletion;
import io.voicedrop.core.service.Sleeper;
import io.voicedrop.core.service.UploadEraser;
import java.time.Duration;
import java.time.Instant;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.core.service.OperatorCommands;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.ingest.S3Notifications;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code scripts/voicedrop-ops.sh}: operator commands against a deployed stack (or the local pipeline).
 * <ul>
 *   <li>{@code status} — is the deployment paused, and why</li>
 *   <li>{@code resume} — lift a pause now (after fixing the token or the balance) and resend waiting jobs</li>
 *   <li>{@code replay-dead-letters} — put dead-lettered jobs and failed ingest invocations back in the pipeline</li>
 *   <li>{@code delete-model ID} — delete a model (by model id or job id) upstream and erase VoiceDrop's copies, as
 *       {@code DELETE /fish/model/{id}} does, for any owner's model</li>
 *   <li>{@code erase-upload KEY|JOB_ID} — erase everything of one upload: every model it made, every version of
 *       its files (the whole folder), the API's copies and its status reports</li>
 *   <li>{@code backfill-indexes [--restart]} — add what was written before an index existed to it: the title
 *       index's postings of older models, the job list index's keys of older jobs ({@link IndexBackfill}); resumes
 *       where an interrupted run stopped unless {@code --restart}</li>
 * </ul>
 * The last two wait (up to {@link #WAIT}) for the worker to finish the deletions and say how it went.
 * Configuration comes from the same environment variables as the functions (the script fills them from the
 * stack's outputs).
 */
public final class OpsCommand {

    private final ApplicationContext context;

    public OpsCommand(ApplicationContext context) {
        this.context = context;
    }

    static final String USAGE = "usage: scripts/voicedrop-ops.sh --stack NAME status|resume|replay-dead-letters"
            + "|delete-model ID|erase-upload KEY_OR_JOB_ID|backfill-indexes [--restart]";
    /** How long delete-model and erase-upload wait for the worker before they report what is still running. */
    static final Duration WAIT = Duration.ofMinutes(3);
    private static final String OPERATOR = "an operator (scripts/voicedrop-ops.sh)";

    public static void main(String[] args) {
        boolean withArgument = args.length == 2 && (args[0].equals("delete-model") || args[0].equals("erase-upload")
                || args[0].equals("backfill-indexes"));
        if (args.length != 1 && !withArgument) {
            System.err.println(USAGE);
            System.exit(2);
        }
        VoiceDropConfig config = VoiceDropConfig.fromEnvironment();
        try (ApplicationContext ctx = ApplicationContext.builder().singletons(config).start()) {
            System.out.println(new OpsCommand(ctx).run(args));
        }
    }

    public String run(String... args) {
        String command = args[0];
        if (command.equals("delete-model") || command.equals("erase-upload")) {
            if (args.length != 2 || args[1].isBlank()) {
                throw new IllegalArgumentException(USAGE);
            }
            return command.equals("delete-model") ? deleteModel(args[1]) : eraseUpload(args[1]);
        }
        if (command.equals("backfill-indexes")) {
            if (args.length > 2 || (args.length == 2 && !args[1].equals("--restart"))) {
                throw new IllegalArgumentException(USAGE);
            }
            return backfillIndexes(args.length == 2);
        }
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

    private String backfillIndexes(boolean restart) {
        VoiceDropConfig config = context.getBean(VoiceDropConfig.class);
        DynamoDbClient dynamo = context.getBean(DynamoDbClient.class);
        IndexBackfill backfill = new IndexBackfill();
        StringBuilder out = new StringBuilder();
        for (IndexBackfillTarget target : List.of(new TitleIndexBackfill(dynamo, config.modelsTable()),
                new JobListIndexBackfill(dynamo, config.jobsTable()))) {
            IndexBackfill.Report r = backfill.run(target, restart,
                    p -> System.err.println("... " + p.describe()));
            out.append(r.describe()).append('\n');
        }
        return out.toString().strip();
    }

    private String deleteModel(String id) {
        if (!ResourceIds.isWellFormed(id)) {
            throw new IllegalArgumentException("not a model or job id: " + ResourceIds.rule());
        }
        ModelDeletion.Result r = context.getBean(ModelDeletion.class).request(id, null, OPERATOR);
        if (!(r instanceof ModelDeletion.Requested requested)) {
            return "no model or job " + id;
        }
        return describe(awaitEnd(requested.deletion()));
    }

    private String eraseUpload(String upload) {
        VoiceDropConfig config = context.getBean(VoiceDropConfig.class);
        UploadEraser eraser = new UploadEraser(context.getBean(JobStore.class),
                context.getBean(SampleStorage.class), context.getBean(ModelDeletion.class), config.bucket());
        StringBuilder out = new StringBuilder();
        boolean allDone = true;
        for (Job d : eraser.requestDeletions(upload, OPERATOR)) {
            Job ended = awaitEnd(d);
            allDone &= ended.status() == JobStatus.DELETED;
            out.append(describe(ended)).append('\n');
        }
        if (!allDone) {
            return out + "objects kept: a deletion has not finished; run erase-upload again once it has";
        }
        return out + "object versions erased: " + eraser.eraseObjects(upload);
    }

    private Job awaitEnd(Job deletion) {
        JobStore jobs = context.getBean(JobStore.class);
        Instant until = Instant.now().plus(WAIT);
        Job job = deletion;
        while (!job.status().isTerminal() && Instant.now().isBefore(until)) {
            Sleeper.REAL.sleep(Duration.ofMillis(500));
            job = jobs.find(job.jobId()).orElse(job);
        }
        return job;
    }

    private static String describe(Job d) {
        String target = d.targetJobId() == null || d.targetJobId().isEmpty() ? "" : " (job " + d.targetJobId() + ")";
        return switch (d.status()) {
            case DELETED -> "deleted: model " + d.modelId() + target + "; deletion job " + d.jobId();
            case FAILED -> "NOT deleted: model " + d.modelId() + target + ": " + d.error().message()
                    + "; deletion job " + d.jobId();
            default -> "still deleting: model " + d.modelId() + target + "; follow GET /jobs/" + d.jobId();
        };
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
