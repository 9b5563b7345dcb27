package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.Context;
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
 * The webhooks queue → signed webhook deliveries, one attempt per message, retried through new delayed messages
 * (template: WebhookFunction). The invocation's remaining time bounds the batch, so a hanging receiver never holds
 * the function past its timeout.
 */
public class WebhookHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {

    /** The {@code service} field of this function's log lines. */
    public static final String SERVICE = "voicedrop-webhook";

    /** Kept free at the end of the invocation to answer Lambda. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(5);
    /** Without a Lambda context (tests, local runner) the function acts as if it had this much time. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(85);

    @Inject
    WebhookBatchProcessor processor;

    @Inject
    Clock clock;

    public WebhookHandler() {
    }

    public WebhookHandler(ApplicationContext context) {
        super(context);
    }

    /** Lambda's context, without the eager creation of every singleton (see {@link LambdaContext}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContext.lazy();
    }

    @Override
    public SQSBatchResponse execute(SQSEvent event) {
        long remainingMs = getApplicationContext().findBean(Context.class)
                .map(c -> (long) c.getRemainingTimeInMillis()).orElse(DEFAULT_BUDGET.toMillis());
        Instant deadline = clock.instant().plusMillis(remainingMs).minus(SAFETY_MARGIN);
        try (LambdaLogContext log = LambdaLogContext.open(SERVICE)) {
            return processor.process(event, deadline);
        }
    }
}
