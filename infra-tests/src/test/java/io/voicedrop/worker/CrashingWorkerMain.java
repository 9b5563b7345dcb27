package io.voicedrop.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.adapters.fish.FishHttpClient;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.port.CreateModelCall;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.UpdateModelCall;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.local.LocalLambdaContext;
import io.voicedrop.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A worker process that dies at one exact point, for {@link DeletionCrashTest}: the real {@link WorkerHandler}
 * (its wiring, batch processor, job runner, deletion runner, DynamoDB and S3 adapters, all configured from the
 * environment like the deployed function), handed one SQS message for the job given as argument, whose upstream
 * client halts the JVM ({@link Runtime#halt}: no finally block, no shutdown hook, no further write) the moment the
 * upstream confirmed a delete. Environment: the functions' variables, plus {@code SIM_TOKEN} (the simulator's token).
 */
public final class CrashingWorkerMain {

    /** The exit status of the simulated kill (as for SIGKILL). */
    static final int KILLED = 137;

    private CrashingWorkerMain() {
    }

    public static void main(String[] args) {
        VoiceDropConfig config = VoiceDropConfig.fromEnvironment();
        FishHttpClient real = new FishHttpClient(config.fishBaseUrl(), () -> System.getenv("SIM_TOKEN"),
                config.upstreamTimeout(), config.voicesShape(), Clock.systemUTC());
        FishApi dying = new FishApi() {
            public ModelEntity create(CreateModelCall call) throws UpstreamError { return real.create(call); }
            public ModelEntity get(String id) throws UpstreamError { return real.get(id); }
            public Optional<ModelEntity> findOwnByTag(String tag) throws UpstreamError { return real.findOwnByTag(tag); }
            public Optional<ModelEntity> update(String id, UpdateModelCall c) throws UpstreamError {
                return real.update(id, c);
            }
            public SpeechResult speak(SpeechCall call) throws UpstreamError { return real.speak(call); }
            public void delete(String id) throws UpstreamError {
                real.delete(id);
                System.out.println("upstream deleted " + id + "; killing the worker now");
                System.out.flush();
                Runtime.getRuntime().halt(KILLED);
            }
        };
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(UUID.randomUUID().toString());
        message.setReceiptHandle("crash-test-" + UUID.randomUUID());
        message.setBody(JobMessage.bodyFor(args[0]));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        new WorkerHandler(Wiring.of(config, dying)).handleRequest(event,
                new LocalLambdaContext("WorkerFunction", Duration.ofSeconds(Long.parseLong(args[1]))));
        System.out.println("the worker finished without reaching the upstream delete");
        System.exit(1);
    }
}
