package io.voicedrop.wiring;

import io.voicedrop.config.VoiceDropConfig;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The function {@link SnapStartPriming} primes, as its init built it: the plain {@link Wiring} of the functions
 * without an HTTP layer ({@link WiringPriming}) or the API's Micronaut context ({@link MicronautPriming}).
 */
public interface PrimedFunction {

    VoiceDropConfig config();

    /** The components of {@code type} the function has built (priming primes the clients it built, no others). */
    List<?> built(Class<?> type);

    /** Builds the request entry points init left to first use; nothing by default. */
    default void createEntryPoints() {
    }

    /**
     * Runs the first request of {@code handler} (a blank one: of every handler) through a new handler on a throw-away
     * graph of the same components that cannot reach anything outside the JVM: AWS clients answering from
     * {@code http}, an upstream that refuses every call, a webhook sender that sends nothing, metrics dropped
     * ({@link Offline}). Each part runs as {@code step.accept(name, part)}, which records a failing one.
     */
    void rehearse(String handler, OfflineAwsHttp http, BiConsumer<String, Runnable> step);

    /** Whether {@code request} is the first request of {@code handler} (a blank one matches every request). */
    static boolean matches(FirstRequest<?> request, String handler) {
        return handler.isEmpty() || handler.equals(request.handler()) || handler.startsWith(request.handler() + "::");
    }

    /** The short name a rehearsal step is logged under. */
    static String stepName(FirstRequest<?> request) {
        return "first-request " + request.handler().substring(request.handler().lastIndexOf('.') + 1);
    }
}
