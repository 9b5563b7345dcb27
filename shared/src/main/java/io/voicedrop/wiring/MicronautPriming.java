package io.voicedrop.wiring;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.config.VoiceDropConfig;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The API's Micronaut context as SnapStart priming sees it. The bean exists only when Lambda initialises a SnapStart
 * version; it is created eagerly with the context and registers the context's {@link SnapStartPriming}.
 */
@Context
@Requires(condition = MicronautPriming.OnSnapStartInit.class)
public class MicronautPriming implements PrimedFunction {

    private static final String CONTROLLER = "io.micronaut.http.annotation.Controller";
    /** The environment of the rehearsal's throw-away context (where this bean must not exist again). */
    static final String REHEARSAL = "first-request-rehearsal";

    private final ApplicationContext context;
    private final SnapStartPriming priming;

    /** Made by Micronaut at a SnapStart init; tests may make one by hand for a context. */
    public MicronautPriming(ApplicationContext context) {
        this.context = context;
        this.priming = new SnapStartPriming(this);
    }

    /** The priming registered for this context. */
    public SnapStartPriming priming() {
        return priming;
    }

    @Override
    public VoiceDropConfig config() {
        return context.getBean(VoiceDropConfig.class);
    }

    @Override
    public List<?> built(Class<?> type) {
        return context.getActiveBeanRegistrations(type).stream().map(r -> r.getBean()).toList();
    }

    /**
     * Singletons are created on first use on Lambda ({@link LambdaContext}), so before the snapshot the API's request
     * entry points are created here: its controllers and everything they inject (the S3 and SQS clients of the create
     * route, for instance). By annotation name, as only the API ships micronaut-http.
     */
    @Override
    public void createEntryPoints() {
        for (BeanDefinition<?> controller : context.getBeanDefinitions(Qualifiers.byStereotype(CONTROLLER))) {
            context.getBean(controller);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void rehearse(String handler, OfflineAwsHttp http, BiConsumer<String, Runnable> step) {
        List<FirstRequest<ApplicationContext>> requests = context.getBeansOfType(FirstRequest.class).stream()
                .map(r -> (FirstRequest<ApplicationContext>) r).filter(r -> PrimedFunction.matches(r, handler))
                .toList();
        if (requests.isEmpty()) {
            return;
        }
        VoiceDropConfig config = config();
        step.accept("first-request", () -> {
            try (ApplicationContext offline = LambdaContext.lazy().environments(REHEARSAL)
                    .singletons(config, AwsClients.offline(config, http), Offline.metrics(), Offline.upstream(),
                            Offline.webhookSender())
                    .start()) {
                for (FirstRequest<ApplicationContext> request : requests) {
                    step.accept(PrimedFunction.stepName(request), () -> {
                        request.stage(http, config);
                        request.run(offline);
                    });
                }
            }
        });
    }

    /** Micronaut condition: Lambda is initialising a SnapStart version, and this is not the rehearsal's context. */
    public static final class OnSnapStartInit implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            boolean rehearsal = context.getBeanContext() instanceof ApplicationContext app
                    && app.getEnvironment().getActiveNames().contains(REHEARSAL);
            return !rehearsal && SnapStartPriming.snapStartInit();
        }
    }
}
