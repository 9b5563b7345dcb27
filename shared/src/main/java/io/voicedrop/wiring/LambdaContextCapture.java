package io.voicedrop.wiring;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.function.aws.DefaultDiagnosticInfoPopulator;
import io.micronaut.function.aws.DiagnosticInfoPopulator;
import io.voicedrop.adapters.logging.LambdaLogContext;
import jakarta.inject.Singleton;

/**
 * Micronaut calls this on the invoking thread before every handler runs. Its default copies the Lambda context into
 * the logging context under Micronaut's names ({@code AWSFunctionName}, {@code AWSRequestId}, ...); VoiceDrop's
 * handlers write it under Powertools' names instead ({@link LambdaLogContext}), so a line carries one set of names.
 * This replacement only hands the context over.
 */
@Singleton
@Replaces(DefaultDiagnosticInfoPopulator.class)
public class LambdaContextCapture implements DiagnosticInfoPopulator {

    @Override
    public void populateMappingDiagnosticContextValues(Context context) {
        LambdaLogContext.capture(context);
    }

    @Override
    public void populateMappingDiagnosticContextWithXrayTraceId() {
        // LambdaLogContext writes xray_trace_id with the other fields
    }
}
