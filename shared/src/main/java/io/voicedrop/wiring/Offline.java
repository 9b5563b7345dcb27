package io.voicedrop.wiring;

import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.WebhookSender;
import java.lang.reflect.Proxy;

/**
 * The beans of the first-request rehearsal ({@link SnapStartPriming}) that stand for what must never be reached
 * before a snapshot: the paid upstream, webhook receivers, CloudWatch metrics.
 */
final class Offline {

    private Offline() {
    }

    /** Drops every figure: a rehearsal is not an upload, a job or a delivery, and must not show on a dashboard. */
    static Metrics metrics() {
        return new Metrics() {
            @Override
            public void count(String name, long value) {
            }

            @Override
            public void timeMillis(String name, long millis) {
            }
        };
    }

    /**
     * Refuses every call: the rehearsed requests are chosen so that none reaches the upstream (creating a model
     * costs money); if one ever did, its rehearsal fails here instead of calling it.
     */
    static FishApi upstream() {
        return (FishApi) Proxy.newProxyInstance(FishApi.class.getClassLoader(), new Class<?>[] {FishApi.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "the rehearsal's upstream (refuses every call)";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new IllegalStateException("a first-request rehearsal called the upstream: "
                            + method.getName());
                });
    }

    /** Answers every delivery 204 without sending it: the signing and bookkeeping run, no receiver is called. */
    static WebhookSender webhookSender() {
        return (url, headers, body, timeout) -> new WebhookSender.Result(204, null, false, null, 0);
    }
}
