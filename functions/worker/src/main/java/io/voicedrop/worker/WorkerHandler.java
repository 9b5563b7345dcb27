package io.voicedrop.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
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
        return LambdaContext.lazy(super.newApplicationContextBuilder());
    }

    @Override
    public SQSBatchResponse execute(SQSEvent event) {
        // Micronaut registers the invocation's Lambda context as a bean: the remaining time bounds this batch.
        long remainingMs = getApplicationContext().findBean(Context.class).map(c -> (long) c.getRemainingTimeInMillis())
                .orElse(DEFAULT_BUDGET.toMillis());
        Instant deadline = clock.instant().plusMillis(remainingMs).minus(SAFETY_MARGIN);
        return processor.process(event, deadline);
    }
}
