package io.voicedrop.wiring;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda context of a first-request rehearsal ({@link FirstRequest}): the function's own name and memory, a
 * request id that marks the rehearsal's log lines, and Lambda's longest timeout, so no handler cuts its work short.
 */
public final class RehearsalContext implements Context {

    /** The request id of every rehearsal: its log lines carry it as their trace id. */
    public static final String REQUEST_ID = "snapstart-priming";
    private final String function = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "voicedrop");

    @Override public String getAwsRequestId() { return REQUEST_ID; }
    @Override public String getLogGroupName() { return System.getenv("AWS_LAMBDA_LOG_GROUP_NAME"); }
    @Override public String getLogStreamName() { return System.getenv("AWS_LAMBDA_LOG_STREAM_NAME"); }
    @Override public String getFunctionName() { return function; }
    @Override public String getFunctionVersion() { return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"); }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + function; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 900_000; }
    @Override public int getMemoryLimitInMB() {
        return Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"));
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
