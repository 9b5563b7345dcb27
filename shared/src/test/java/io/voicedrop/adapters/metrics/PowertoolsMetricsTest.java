package io.voicedrop.adapters.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.port.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;

/**
 * The metric lines on stdout are what CloudWatch turns into the metrics the template's alarms and dashboard use:
 * namespace {@code VoiceDrop}, the single dimension set {@code [service]} with {@code service=voicedrop}, the metric
 * name and unit. The alarms and the dashboard depend on exactly this shape.
 */
class PowertoolsMetricsTest {

    static Stream<Arguments> adapters() {
        Supplier<Metrics> powertools = () -> new PowertoolsMetrics("VoiceDrop", "voicedrop");
        return Stream.of(Arguments.of("PowertoolsMetrics", powertools));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void aCountIsOneEmfLineWithNamespaceNameUnitAndServiceDimension(String adapter, Supplier<Metrics> factory) {
        Metrics metrics = factory.get();
        long before = System.currentTimeMillis();
        List<JsonNode> lines = emfLines(() -> metrics.count("JobsFailed"));
        assertEquals(1, lines.size(), adapter + " must write one line per data point: " + lines);
        assertEmf(lines.get(0), "JobsFailed", "Count", 1, before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void aTimingIsInMilliseconds(String adapter, Supplier<Metrics> factory) {
        Metrics metrics = factory.get();
        long before = System.currentTimeMillis();
        List<JsonNode> lines = emfLines(() -> metrics.timeMillis("UpstreamLatency", 1234));
        assertEquals(1, lines.size(), lines.toString());
        assertEmf(lines.get(0), "UpstreamLatency", "Milliseconds", 1234, before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void everyDataPointIsItsOwnLine(String adapter, Supplier<Metrics> factory) {
        Metrics metrics = factory.get();
        List<JsonNode> lines = emfLines(() -> {
            metrics.count("UploadsAccepted");
            metrics.count("UploadsAccepted", 3);
            metrics.count("Retries");
        });
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(1, lines.get(0).path("UploadsAccepted").asLong());
        assertEquals(3, lines.get(1).path("UploadsAccepted").asLong());
        assertEquals(1, lines.get(2).path("Retries").asLong());
        lines.forEach(l -> assertEquals(1, l.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").size(), l.toString()));
    }

    @Test
    void outsideLambdaTheEmfLibraryWritesToStdoutAndProbesNothing() {
        new PowertoolsMetrics("VoiceDrop", "voicedrop");
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null && System.getenv("AWS_EMF_ENVIRONMENT") == null) {
            assertEquals(Environments.Local, EnvironmentConfigurationProvider.getConfig().getEnvironmentOverride());
        }
    }

    @Test
    void aMetricThatCannotBeWrittenNeverThrows() {
        Metrics metrics = new PowertoolsMetrics("VoiceDrop", "voicedrop");
        List<JsonNode> lines = emfLines(() -> metrics.count(""));
        assertTrue(lines.isEmpty(), lines.toString());
    }

    private static void assertEmf(JsonNode line, String name, String unit, long value, long notBefore) {
        JsonNode aws = line.path("_aws");
        long ts = aws.path("Timestamp").asLong();
        assertTrue(aws.path("Timestamp").isIntegralNumber() && ts >= notBefore - 1000 && ts <= System.currentTimeMillis() + 1000,
                "Timestamp must be epoch milliseconds of now: " + line);
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertEquals(1, directives.size(), line.toString());
        JsonNode d = directives.get(0);
        assertEquals("VoiceDrop", d.path("Namespace").asText(), line.toString());
        assertEquals(Json.MAPPER.createArrayNode().add(Json.MAPPER.createArrayNode().add("service")), d.path("Dimensions"),
                "exactly one dimension set, [service], as the alarms expect: " + line);
        assertEquals(1, d.path("Metrics").size(), line.toString());
        assertEquals(name, d.path("Metrics").get(0).path("Name").asText());
        assertEquals(unit, d.path("Metrics").get(0).path("Unit").asText());
        assertEquals("voicedrop", line.path("service").asText(), line.toString());
        assertFalse(line.has("Service"), "Powertools' capitalised default dimension must not appear: " + line);
        assertTrue(line.path(name).isNumber(), line.toString());
        assertEquals(value, line.path(name).asDouble(), 0.0, line.toString());
    }

    /** Runs {@code action} with System.out captured and returns the EMF lines it printed (other lines are logs). */
    private static List<JsonNode> emfLines(Runnable action) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        synchronized (PowertoolsMetricsTest.class) {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            try {
                action.run();
            } finally {
                System.out.flush();
                System.setOut(original);
            }
        }
        return buffer.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"_aws\""))
                .map(l -> Json.read(l, JsonNode.class))
                .toList();
    }
}
