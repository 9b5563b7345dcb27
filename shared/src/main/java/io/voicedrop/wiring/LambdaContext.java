package io.voicedrop.wiring;

import io.micronaut.context.ApplicationContextBuilder;

/**
 * How every handler's Micronaut context is built on Lambda.
 *
 * <p>micronaut-function-aws builds the Lambda context with {@code eagerInitSingletons(true)} and
 * {@code eagerInitConfiguration(true)}: every singleton on the classpath is created during init. For VoiceDrop that
 * means each function built every AWS client, the upstream HTTP client (and its selector thread) and every core
 * service of all three functions, whatever it needs: the ingest built the worker's Fish client and Secrets Manager
 * client, the API built S3, SQS and Secrets Manager clients that a list request never uses. With eager init off, a
 * function creates what its handler injects (and what its first request reaches), nothing else.
 *
 * <p>SnapStart does not lose by this: {@link SnapStartPriming} creates the rest of the function's beans (its
 * controllers and what they inject) before the snapshot, so a restored instance still finds them built.
 */
public final class LambdaContext {

    private LambdaContext() {
    }

    /** Turns the eager creation of singletons and configuration beans off (see the class comment). */
    public static ApplicationContextBuilder lazy(ApplicationContextBuilder lambdaBuilder) {
        return lambdaBuilder.eagerInitSingletons(false).eagerInitConfiguration(false);
    }
}
