package io.voicedrop.wiring;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.config.VoiceDropConfig;
import java.util.List;
import java.util.function.BiConsumer;

/** A plain function ({@link Wiring}) as SnapStart priming sees it: its components, its handler's first request. */
public final class WiringPriming implements PrimedFunction {

    private final Wiring wiring;
    private final List<FirstRequest<Wiring>> firstRequests;

    public WiringPriming(Wiring wiring, List<FirstRequest<Wiring>> firstRequests) {
        this.wiring = wiring;
        this.firstRequests = List.copyOf(firstRequests);
    }

    @Override
    public VoiceDropConfig config() {
        return wiring.config();
    }

    @Override
    public List<?> built(Class<?> type) {
        return wiring.builtOfType(type);
    }

    @Override
    public void rehearse(String handler, OfflineAwsHttp http, BiConsumer<String, Runnable> step) {
        VoiceDropConfig config = wiring.config();
        try (Wiring offline = Wiring.of(config, AwsClients.offline(config, http), Offline.metrics(),
                Offline.upstream(), Offline.webhookSender())) {
            for (FirstRequest<Wiring> request : firstRequests) {
                if (PrimedFunction.matches(request, handler)) {
                    step.accept(PrimedFunction.stepName(request), () -> {
                        request.stage(http, config);
                        request.run(offline);
                    });
                }
            }
        }
    }
}
