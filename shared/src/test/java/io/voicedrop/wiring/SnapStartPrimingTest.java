package io.voicedrop.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.voicedrop.adapters.metrics.PowertoolsMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SnapStart priming runs every step without a network call, and only exists when Lambda initialises a snapshot. */
class SnapStartPrimingTest {

    @Test
    void primesJsonAndEveryBuiltClientLocally() {
        try (Wiring wiring = Wiring.of(UnreachableConfig.get())) {
            // What the worker builds at init: every client.
            wiring.jobStore();
            wiring.jobQueue();
            wiring.statusReporter();
            wiring.sampleUrlSigner();
            wiring.fishApi();
            SnapStartPriming priming = new SnapStartPriming(new WiringPriming(wiring, List.of()));
            OfflineAwsHttp http = new OfflineAwsHttp();

            List<String> failed = priming.prime(http);

            assertEquals(List.of(), failed);
            assertTrue(http.calls().keySet().containsAll(List.of("DynamoDB_20120810.GetItem", "DynamoDB_20120810.PutItem",
                    "DynamoDB_20120810.UpdateItem", "DynamoDB_20120810.Query", "AmazonSQS.SendMessage",
                    "AmazonSQS.ChangeMessageVisibility", "s3:PUT", "s3:GET", "s3:HEAD", "secretsmanager.GetSecretValue")),
                    http.calls().toString());
            assertEquals(priming, SnapStartPriming.registered().orElseThrow());
            priming.afterRestore(null);
        }
    }

    @Test
    void primesTheNotifyFunctionsClients() {
        try (Wiring wiring = Wiring.of(UnreachableConfig.get())) {
            // What NotifyFunction and WebhookFunction build: job events, the webhook queue and dispatcher.
            wiring.jobChangeNotifier();
            wiring.webhookDispatcher();
            OfflineAwsHttp http = new OfflineAwsHttp();
            assertEquals(List.of(), new SnapStartPriming(new WiringPriming(wiring, List.of())).prime(http));
            assertTrue(http.calls().keySet().containsAll(List.of("AWSEvents.PutEvents", "AmazonSQS.SendMessage",
                    "secretsmanager.GetSecretValue", "DynamoDB_20120810.GetItem")), http.calls().toString());
            assertFalse(http.calls().keySet().stream().anyMatch(op -> op.startsWith("s3:")), http.calls().toString());
        }
    }

    @Test
    void onlyPrimesTheClientsTheFunctionBuilt() {
        try (Wiring wiring = Wiring.of(UnreachableConfig.get())) {
            wiring.jobStore();
            OfflineAwsHttp http = new OfflineAwsHttp();
            assertEquals(List.of(), new SnapStartPriming(new WiringPriming(wiring, List.of())).prime(http));
            assertTrue(http.calls().keySet().stream().allMatch(op -> op.startsWith("DynamoDB_")), http.calls().toString());
        }
    }

    @Test
    void theBeanOnlyExistsWhenLambdaInitialisesASnapshot() {
        if ("snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            return;
        }
        try (ApplicationContext context = ApplicationContext.builder().singletons(UnreachableConfig.get()).start()) {
            assertFalse(context.containsBean(MicronautPriming.class));
        }
    }

    @Test
    void metricsPrimingWritesNoDataPoint() {
        PowertoolsMetrics metrics = new PowertoolsMetrics("VoiceDrop", "voicedrop");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            metrics.prime();
        } finally {
            System.setOut(original);
        }
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("_aws"), out.toString(StandardCharsets.UTF_8));
    }
}
