package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.wiring.LambdaContext;
import jakarta.inject.Inject;

/**
 * The jobs table's DynamoDB stream (new and old images) → job state-change events on EventBridge, and the first
 * delivery of each ended job's webhook (template: NotifyFunction). Partial batch failures
 * (ReportBatchItemFailures) so a failing record is retried without repeating the ones before it.
 */
public class NotifyHandler extends MicronautRequestHandler<DynamodbEvent, StreamsEventResponse> {

    /** The {@code service} field of this function's log lines. */
    public static final String SERVICE = "voicedrop-notify";

    @Inject
    StreamBatchProcessor processor;

    public NotifyHandler() {
    }

    public NotifyHandler(ApplicationContext context) {
        super(context);
    }

    /** Lambda's context, without the eager creation of every singleton (see {@link LambdaContext}). */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContext.lazy();
    }

    @Override
    public StreamsEventResponse execute(DynamodbEvent event) {
        try (LambdaLogContext log = LambdaLogContext.open(SERVICE)) {
            return processor.process(event);
        }
    }
}
