package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.wiring.SnapStartPriming;
import io.voicedrop.wiring.Wiring;

/**
 * The jobs table's DynamoDB stream (new and old images) → job state-change events on EventBridge, and the first
 * delivery of each ended job's webhook (template: NotifyFunction). Partial batch failures
 * (ReportBatchItemFailures) so a failing record is retried without repeating the ones before it.
 */
public class NotifyHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    /** The {@code service} field of this function's log lines. */
    public static final String SERVICE = "voicedrop-notify";

    private final StreamBatchProcessor processor;

    /** Lambda's init: the components from the environment (and, at a SnapStart init, the priming registered). */
    public NotifyHandler() {
        this(SnapStartPriming.onSnapStartInit(Wiring.fromEnvironment(), new NotifyFirstRequest()));
    }

    /** The handler on {@code wiring}'s components (tests, the local runner, the priming rehearsal). */
    public NotifyHandler(Wiring wiring) {
        this.processor = wiring.component(StreamBatchProcessor.class,
                () -> new StreamBatchProcessor(wiring.jobChangeNotifier()));
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        LambdaLogContext.capture(context);
        try (LambdaLogContext log = LambdaLogContext.open(SERVICE)) {
            return processor.process(event);
        }
    }
}
