package io.voicedrop.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.wiring.LambdaContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * SQS batch → one job run per message, reporting failed messages individually (ReportBatchItemFailures) so one
 * slow or failing job never makes the others repeat.
 */
public class WorkerHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {

    /** Kept free at the end of the invocation to record results and answer Lambda. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(10);
    /** Without a Lambda context (tests, local runner) the worker acts as if it had this much time. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(140);
    /** The {@code service} field of this function's log lines. */
    public static final String SERVICE = "voicedrop-worker";

    @Inject
    BatchProcessor processor;

    @Inject
    Clock clock;

    public WorkerHandler() {
    }

    public WorkerHandler(ApplicationContext context) {
        super(context);
    }

    /** Lambda's context, without the eager creation of every singleton (see {@link LambdaContext}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContext.lazy();
    }

    @Override
    public SQSBatchResponse execute(SQSEvent event) {
        // The invocation's own Lambda context (not the context bean, which is the latest invocation's where several
        // share one application context): its remaining time bounds this batch.
        long remainingMs = LambdaLogContext.current().map(c -> (long) c.getRemainingTimeInMillis())
                .orElse(DEFAULT_BUDGET.toMillis());
        Instant deadline = clock.instant().plusMillis(remainingMs).minus(SAFETY_MARGIN);
        try (LambdaLogContext log = LambdaLogContext.open(SERVICE)) {
            return processor.process(event, deadline);
        }
    }
}
