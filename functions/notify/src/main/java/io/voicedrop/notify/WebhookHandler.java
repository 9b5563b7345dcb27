package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.wiring.SnapStartPriming;
import io.voicedrop.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The webhooks queue → signed webhook deliveries, one attempt per message, retried through new delayed messages
 * (template: WebhookFunction). The invocation's remaining time bounds the batch, so a hanging receiver never holds
 * the function past its timeout.
 */
public class WebhookHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** The {@code service} field of this function's log lines. */
    public static final String SERVICE = "voicedrop-webhook";

    /** Kept free at the end of the invocation to answer Lambda. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(5);
    /** Without a Lambda context (tests, local runner) the function acts as if it had this much time. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(85);

    private final WebhookBatchProcessor processor;
    private final Clock clock;

    /** Lambda's init: the components from the environment (and, at a SnapStart init, the priming registered). */
    public WebhookHandler() {
        this(SnapStartPriming.onSnapStartInit(Wiring.fromEnvironment(), new WebhookFirstRequest()));
    }

    /** The handler on {@code wiring}'s components (tests, the local runner, the priming rehearsal). */
    public WebhookHandler(Wiring wiring) {
        this.processor = wiring.component(WebhookBatchProcessor.class,
                () -> new WebhookBatchProcessor(wiring.webhookDispatcher(), wiring.webhookQueue()));
        this.clock = wiring.clock();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        long remainingMs = context == null ? DEFAULT_BUDGET.toMillis() : context.getRemainingTimeInMillis();
        Instant deadline = clock.instant().plusMillis(remainingMs).minus(SAFETY_MARGIN);
        LambdaLogContext.capture(context);
        try (LambdaLogContext log = LambdaLogContext.open(SERVICE)) {
            return processor.process(event, deadline);
        }
    }
}
