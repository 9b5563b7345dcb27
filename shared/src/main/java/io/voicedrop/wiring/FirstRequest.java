package io.voicedrop.wiring;

import io.voicedrop.config.VoiceDropConfig;

/**
 * A function's first request, rehearsed by {@link SnapStartPriming} before the snapshot, so that a restored instance
 * finds the request's classes (event mapping, the handler, the core use case, its adapters, JSON, logging) loaded and
 * compiled. Each handler has one.
 *
 * <p>The rehearsal runs the function's real handler on a throw-away graph {@code G} of the same components (a
 * {@link Wiring}, or the API's Micronaut context) whose AWS clients answer locally ({@link OfflineAwsHttp}), whose
 * upstream client refuses every call, whose webhook sender sends nothing and whose metrics are dropped: nothing
 * leaves the JVM (no AWS call, no queue message, no upstream call, so no bill, no metric data point), and the
 * function's own components and clients are not touched.
 */
public interface FirstRequest<G> {

    /** The handler class whose first request this is (matched against Lambda's {@code _HANDLER}). */
    String handler();

    /** Stages what the request's reads must find (the job it loads, the API key it checks); nothing by default. */
    default void stage(OfflineAwsHttp aws, VoiceDropConfig config) {
    }

    /** Runs one request through a new handler on {@code offline}, and checks it went the expected way. */
    void run(G offline);
}
