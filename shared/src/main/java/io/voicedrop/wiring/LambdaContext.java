package io.voicedrop.wiring;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;

/**
 * How the API's Micronaut context is built on Lambda (the other functions have none: {@link Wiring}).
 *
 * <p>micronaut-function-aws builds the Lambda context with {@code eagerInitSingletons(true)} and
 * {@code eagerInitConfiguration(true)}: every singleton on the classpath is created during init, so the API built S3,
 * SQS and Secrets Manager clients that a list request never uses. With eager init off, it creates what its handler
 * injects (and what its first request reaches), nothing else.
 *
 * <p>SnapStart does not lose by this: {@link MicronautPriming} creates the rest of the API's beans (its controllers
 * and what they inject) before the snapshot, so a restored instance still finds them built.
 */
public final class LambdaContext {

    private LambdaContext() {
    }

    /**
     * The builder of a handler's context on Lambda: the environments micronaut-function-aws sets
     * ({@code LambdaApplicationContextBuilder}: {@code function} and {@code lambda}), without its eager flags.
     * A new builder rather than the Lambda one with the flags turned off: {@code eagerInitSingletons(false)} is a
     * no-op in Micronaut 4 (true adds {@code @Singleton} to the eagerly created annotations, false removes nothing).
     *
     * <p>Also off, because VoiceDrop reads its settings through {@code VoiceDropConfig} and has no Micronaut
     * configuration file: environment deduction (which inspects the stack, the files and the environment for cloud
     * and test environments we already name), the bootstrap environment and the default property sources (the
     * search of every jar for {@code application.*} and {@code bootstrap.*} files in every environment), and the
     * banner. What each cost is in docs/benchmarks.md, "Cold start".
     */
    public static ApplicationContextBuilder lazy() {
        return ApplicationContext.builder().environments(Environment.FUNCTION, LAMBDA_ENVIRONMENT)
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .bootstrapEnvironment(false)
                .enableDefaultPropertySources(false)
                .banner(false);
    }

    /** The environment name micronaut-function-aws gives a function's context on Lambda. */
    static final String LAMBDA_ENVIRONMENT = "lambda";
}
