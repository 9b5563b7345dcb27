package io.voicedrop.api;

import io.voicedrop.testing.InMemoryJobStore;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.RuntimeBeanDefinition;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.port.ApiKeyStore;
import io.voicedrop.core.port.JobOwnership;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.UploadFormSigner;
import io.voicedrop.core.port.UploadStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The real {@link ApiHandler} over a Micronaut context whose stores are in memory. */
final class TestApi implements AutoCloseable {

    static final String KEY = "vd_test-key-0123456789";
    static final String DISABLED_KEY = "vd_disabled-key-9876543210";

    final InMemoryModelCatalog catalog = new InMemoryModelCatalog();
    final InMemoryJobStore jobs = new InMemoryJobStore();
    final InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
    final InMemoryJobOwnership ownership = new InMemoryJobOwnership();
    final InMemorySampleUploads uploads = new InMemorySampleUploads();
    final InMemoryJobQueue queue = new InMemoryJobQueue();
    final InMemoryUploadStore uploadStore = new InMemoryUploadStore();
    final RecordingFormSigner formSigner = new RecordingFormSigner();
    final ApiSettings settings;
    final ApplicationContext context;
    final ApiHandler handler;

    /** Answers creates at once (202): no worker runs here unless a test plays it through {@link #queue}. */
    TestApi() {
        this(ApiSettings.defaults().withCreateWait(java.time.Duration.ZERO));
    }

    TestApi(ApiSettings settings) {
        this(settings, null);
    }

    /** With {@code fetcher} (when not null) in place of the one the settings would make. */
    TestApi(ApiSettings settings, VoiceFetcher fetcher) {
        this.settings = settings;
        keys.add(KEY, "alice", true);
        keys.add(DISABLED_KEY, "bob", false);
        VoiceDropConfig config = VoiceDropConfig.from(Map.of(
                "BUCKET_NAME", "test-bucket",
                "JOBS_TABLE", "jobs",
                "MODELS_TABLE", "models",
                "API_KEYS_TABLE", "api-keys",
                "JOBS_QUEUE_URL", "http://localhost:4566/000000000000/jobs",
                "AWS_REGION", "eu-west-1"));
        // The shared factory's catalog and job store have no @Requires(missingBeans): a plain registered singleton
        // would be a second candidate, so these definitions explicitly replace them.
        context = ApplicationContext.builder()
                .singletons(fetcher == null ? new Object[] {config, settings} : new Object[] {config, settings, fetcher})
                .beanDefinitions(
                        replacing(ModelCatalog.class, catalog),
                        replacing(JobStore.class, jobs),
                        replacing(ApiKeyStore.class, keys),
                        replacing(JobOwnership.class, ownership),
                        replacing(SampleUploads.class, uploads),
                        replacing(JobQueue.class, queue),
                        replacing(UploadStore.class, uploadStore),
                        replacing(UploadFormSigner.class, formSigner))
                .start();
        handler = new ApiHandler(context);
    }

    private static <T> RuntimeBeanDefinition<T> replacing(Class<T> type, T bean) {
        return RuntimeBeanDefinition.builder(type, () -> bean).singleton(true).replaces(type).build();
    }

    Response get(String pathAndQuery) {
        return send("GET", pathAndQuery, Map.of("authorization", "Bearer " + KEY));
    }

    Response send(String method, String pathAndQuery, Map<String, String> headers) {
        return send(HttpApiEvents.request(method, pathAndQuery, headers));
    }

    Response send(APIGatewayV2HTTPEvent event) {
        return new Response(handler.handleRequest(event, new MockLambdaContext()));
    }

    @Override
    public void close() {
        handler.close();
        context.close();
    }

    /** A response with its body decoded and header names lower-cased for lookups. */
    record Response(APIGatewayV2HTTPResponse raw, int status, String body, Map<String, String> headers) {
        Response(APIGatewayV2HTTPResponse raw) {
            this(raw, raw.getStatusCode(), decode(raw), lower(raw));
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        private static String decode(APIGatewayV2HTTPResponse r) {
            if (r.getBody() == null) {
                return null;
            }
            return r.getIsBase64Encoded()
                    ? new String(Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8)
                    : r.getBody();
        }

        private static Map<String, String> lower(APIGatewayV2HTTPResponse r) {
            Map<String, String> m = new LinkedHashMap<>();
            if (r.getHeaders() != null) {
                r.getHeaders().forEach((k, v) -> m.put(k.toLowerCase(), v));
            }
            if (r.getMultiValueHeaders() != null) {
                r.getMultiValueHeaders().forEach((k, v) -> m.putIfAbsent(k.toLowerCase(), String.join(",", v)));
            }
            return m;
        }
    }
}
