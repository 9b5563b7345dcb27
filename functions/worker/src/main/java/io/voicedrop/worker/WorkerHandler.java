package io.voicedrop.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.wiring.SnapStartPriming;
import io.voicedrop.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * SQS batch → one job run per message, reporting failed messages individually (ReportBatchItemFailures) so one
 * slow or failing job never makes the others repeat.
 */
public class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Kept free at the end of the invocation to record results and answer Lambda. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(10);
    /** Without a Lambda context (tests, local runner) the worker acts as if it had this much time. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(140);
    /** The {@code service} field of this function's log lines. */
    public static final String SERVICE = "voicedrop-worker";

    private final BatchProcessor processor;
    private final Clock clock;

    /** Lambda's init: the components from the environment (and, at a SnapStart init, the priming registered). */
    public WorkerHandler() {
        this(SnapStartPriming.onSnapStartInit(Wiring.fromEnvironment(), new WorkerFirstRequest()));
    }

    /** The handler on {@code wiring}'s components (tests, the local runner, the priming rehearsal). */
    public WorkerHandler(Wiring wiring) {
        this.processor = wiring.component(BatchProcessor.class, () -> new BatchProcessor(wiring.jobRunner(),
                wiring.sqs(), wiring.config(), wiring.clock(), wiring.retryPolicy()));
        this.clock = wiring.clock();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // The invocation's own Lambda context: its remaining time bounds this batch.
        long remainingMs = context == null ? DEFAULT_BUDGET.toMillis() : context.getRemainingTimeInMillis();
        Instant deadline = clock.instant().plusMillis(remainingMs).minus(SAFETY_MARGIN);
        LambdaLogContext.capture(context);
        try (LambdaLogContext log = LambdaLogContext.open(SERVICE)) {
            return processor.process(event, deadline);
        }
    }
}
