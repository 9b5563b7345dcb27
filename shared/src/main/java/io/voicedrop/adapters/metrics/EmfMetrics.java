package io.voicedrop.adapters.metrics;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.port.Metrics;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Metrics as CloudWatch Embedded Metric Format lines on stdout: Lambda ships them to CloudWatch Logs and CloudWatch
 * turns them into metrics, with no API call on the request path. One line per data point keeps each line
 * self-contained, so a crash never loses a batch.
 */
public final class EmfMetrics implements Metrics {

    private final String namespace;
    private final String service;
    private final PrintStream out;

    public EmfMetrics(String namespace, String service, PrintStream out) {
        this.namespace = namespace;
        this.service = service;
        this.out = out;
    }

    @Override
    public void count(String name, long value) {
        emit(name, value, "Count");
    }

    @Override
    public void timeMillis(String name, long millis) {
        emit(name, millis, "Milliseconds");
    }

    private void emit(String name, long value, String unit) {
        Map<String, Object> aws = Map.of(
                "Timestamp", System.currentTimeMillis(),
                "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", namespace,
                        "Dimensions", List.of(List.of("service")),
                        "Metrics", List.of(Map.of("Name", name, "Unit", unit)))));
        out.println(Json.write(Map.of("_aws", aws, "service", service, name, value)));
    }
}
