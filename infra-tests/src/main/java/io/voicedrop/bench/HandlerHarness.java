package io.voicedrop.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Runs in the benchmark's fresh child JVM, whose classpath is one function's Lambda artifact (its {@code lib/}),
 * this harness and Lambda's event serializer (which the Lambda Java runtime brings into the function's JVM too).
 * Does what the Lambda runtime does on a cold start: constructs the handler with its no-argument constructor (init),
 * then deserializes one event and invokes the handler (first invocation).
 *
 * <p>Arguments: {@code handlerClass eventClass eventFile secondEventFile resultFile [prime]}. With {@code prime}, the SnapStart
 * priming hook runs between init and the invocation, as it would before a snapshot (its bean exists because the
 * benchmark sets {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}).
 *
 * After the first invocation, a second one with the second event (the same kind of request, warm) tells how much of
 * the first request was start-up and how much the request's own work.
 *
 * <p>Writes {@code handlerConstructedEpochMs primeMs invokeMs cpuMs invokeCpuMs warmMs outcome} to the result file; the
 * parent measures from the moment it launched the JVM. {@code cpuMs} is the CPU time the whole JVM (all its threads,
 * JIT included) used until the response, {@code invokeCpuMs} the part of it used during the first invocation: less
 * disturbed by other load on the machine than the wall-clock figures. Only classes of the function's classpath are
 * used, nothing of infra-tests.
 *
 * <p>Priming: a VoiceDrop function's is its SnapStart priming hook ({@code SnapStartPriming}); a handler that has a
 * public no-argument {@code prime()} method (the baseline) is primed by calling it.
 *
 * <p>Phase marks: at the end of init, priming and the invocation the harness loads an empty marker class
 * ({@link InitDone}, {@link PrimeDone}, {@link InvokeDone}), so that a class-loading log of the run
 * ({@code -Xlog:class+load}, see {@link ClassLoadAttribution}) can be split into phases on the JVM's own clock.
 */
public final class HandlerHarness {

    private HandlerHarness() {
    }

    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        String eventClass = args[1];
        String eventFile = args[2];
        String secondEventFile = args[3];
        Path result = Path.of(args[4]);
        boolean prime = args.length > 5 && "prime".equals(args[5]);

        ClassLoader loader = HandlerHarness.class.getClassLoader();
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) Class.forName(handlerClass, true, loader)
                .getDeclaredConstructor().newInstance();
        long constructed = System.currentTimeMillis();
        mark(InitDone.class.getName(), loader);

        long primeMs = -1;
        if (prime) {
            long p = System.nanoTime();
            prime(handler, loader);
            primeMs = (System.nanoTime() - p) / 1_000_000;
            mark(PrimeDone.class.getName(), loader);
        }

        long cpuBefore = cpuMs();
        long started = System.nanoTime();
        Object response = invoke(handler, handlerClass, eventClass, eventFile, loader);
        long invokeMs = (System.nanoTime() - started) / 1_000_000;
        mark(InvokeDone.class.getName(), loader);
        long cpuMs = cpuMs();

        long second = System.nanoTime();
        invoke(handler, handlerClass, eventClass, secondEventFile, loader);
        long warmMs = (System.nanoTime() - second) / 1_000_000;

        String outcome = outcome(response);
        Files.writeString(result, constructed + " " + primeMs + " " + invokeMs + " " + cpuMs + " " + (cpuMs - cpuBefore)
                + " " + warmMs + " " + outcome + "\n", StandardCharsets.UTF_8);
        System.out.flush();
        // Like a Lambda sandbox being frozen: do not wait for non-daemon threads of the function.
        Runtime.getRuntime().halt(0);
    }

    /** What the Lambda runtime does per invocation: deserialize the event (Lambda's serializer), call the handler. */
    private static Object invoke(RequestHandler<Object, Object> handler, String handlerClass, String eventClass,
                                 String eventFile, ClassLoader loader) throws Exception {
        Class<?> type = Class.forName(eventClass, true, loader);
        String json = Files.readString(Path.of(eventFile), StandardCharsets.UTF_8);
        return handler.handleRequest(deserialize(type, json, loader), new HarnessContext(handlerClass));
    }

    /** Loads (and so logs) a marker class; by name, so that nothing else about it is resolved earlier. */
    private static void mark(String markerClass, ClassLoader loader) throws ClassNotFoundException {
        Class.forName(markerClass, false, loader);
    }

    /** Marker: the handler is constructed (end of init). */
    static final class InitDone {
    }

    /** Marker: the SnapStart priming hook returned. */
    static final class PrimeDone {
    }

    /** Marker: the first invocation returned. */
    static final class InvokeDone {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object deserialize(Class<?> type, String json, ClassLoader loader) {
        return LambdaEventSerializers.serializerFor((Class) type, loader).fromJson(json);
    }

    private static long cpuMs() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    /** The handler's own {@code prime()} when it has one (the baseline), else the SnapStart priming hook. */
    private static void prime(Object handler, ClassLoader loader) throws Exception {
        try {
            handler.getClass().getMethod("prime").invoke(handler);
        } catch (NoSuchMethodException noOwnPriming) {
            primeSnapStart(loader);
        }
    }

    /**
     * Runs SnapStartPriming.registered().prime() by reflection (what its beforeCheckpoint does, but with the steps
     * that failed returned): a failed step fails the run, so a benchmark or test never counts a half-primed start.
     */
    private static void primeSnapStart(ClassLoader loader) throws Exception {
        Class<?> priming = Class.forName("io.voicedrop.wiring.SnapStartPriming", true, loader);
        Object registered = ((java.util.Optional<?>) priming.getMethod("registered").invoke(null))
                .orElseThrow(() -> new IllegalStateException("SnapStartPriming is not registered: "
                        + "is AWS_LAMBDA_INITIALIZATION_TYPE=snap-start set?"));
        Object failed = priming.getMethod("prime").invoke(registered);
        if (!((java.util.List<?>) failed).isEmpty()) {
            throw new IllegalStateException("SnapStart priming steps failed: " + failed);
        }
    }

    /** A short description of the response, so the parent can check the invocation did what was expected. */
    private static String outcome(Object response) {
        if (response == null) {
            return "null";
        }
        try {
            Method status = response.getClass().getMethod("getStatusCode");
            return "status=" + status.invoke(response);
        } catch (ReflectiveOperationException notHttp) {
            // not an API Gateway response
        }
        try {
            Method failures = response.getClass().getMethod("getBatchItemFailures");
            return "batchItemFailures=" + ((java.util.List<?>) failures.invoke(response)).size();
        } catch (ReflectiveOperationException notSqs) {
            // not an SQS batch response
        }
        String s = String.valueOf(response).replaceAll("\\s+", "_");
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    /** The Lambda context of the benchmark invocation. */
    static final class HarnessContext implements Context {
        private final String function;
        private final String requestId = UUID.randomUUID().toString();
        private final long deadline = System.currentTimeMillis() + 60_000;

        HarnessContext(String handlerClass) {
            this.function = handlerClass.substring(handlerClass.lastIndexOf('.') + 1);
        }

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/bench"; }
        @Override public String getLogStreamName() { return "bench"; }
        @Override public String getFunctionName() { return function; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + function; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) { System.out.println(message); }
                public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
