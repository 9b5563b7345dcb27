package io.voicedrop.adapters.metrics;

import io.voicedrop.core.port.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.config.Configuration;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

/**
 * Metrics as CloudWatch Embedded Metric Format lines on stdout, written by Powertools for AWS Lambda (Java) and the
 * AWS EMF library: Lambda ships them to CloudWatch Logs and CloudWatch turns them into metrics, with no API call on
 * the request path.
 *
 * <p>Used without AspectJ (no {@code @FlushMetrics}) and without Powertools' shared {@code MetricsFactory}
 * singleton: every data point is one {@code flushSingleMetric} call, so it is one self-contained line (a crash never
 * loses a batch, concurrent invocations in one JVM never mix) with exactly the dimension set {@code [service]} and
 * {@code service=<service>} that the template's alarms and dashboard match on. Powertools' default dimension
 * ({@code Service}, capitalised, from {@code POWERTOOLS_SERVICE_NAME}) would not match them, so it is not used.
 *
 * <p>A metric that cannot be written is logged and dropped: metrics never fail a job.
 */
public final class PowertoolsMetrics implements Metrics {

    private static final Logger LOG = LoggerFactory.getLogger(PowertoolsMetrics.class);

    private final software.amazon.lambda.powertools.metrics.Metrics emf;
    private final String namespace;
    private final DimensionSet dimensions;

    public PowertoolsMetrics(String namespace, String service) {
        pinEmfEnvironment();
        this.emf = new EmfMetricsProvider().getMetricsInstance();
        this.namespace = namespace;
        this.dimensions = DimensionSet.of("service", service);
    }

    @Override
    public void count(String name, long value) {
        emit(name, value, MetricUnit.COUNT);
    }

    @Override
    public void timeMillis(String name, long millis) {
        emit(name, millis, MetricUnit.MILLISECONDS);
    }

    private void emit(String name, long value, MetricUnit unit) {
        try {
            emf.flushSingleMetric(name, value, unit, namespace, dimensions);
        } catch (RuntimeException e) {
            LOG.warn("metric {} not written: {}", name, e.toString());
        }
    }

    /**
     * Loads and runs the EMF serialisation of a data point without writing it anywhere (a primed line on stdout would
     * be a real, bogus metric data point): for SnapStart priming.
     */
    public void prime() {
        try {
            MetricsContext context = new MetricsContext();
            context.setNamespace(namespace);
            context.setDimensions(software.amazon.cloudwatchlogs.emf.model.DimensionSet.of("service", "prime"));
            context.putMetric("Prime", 1, Unit.COUNT);
            context.serialize();
        } catch (Exception e) {
            throw new IllegalStateException("EMF priming failed", e);
        }
    }

    /**
     * Without {@code AWS_EMF_ENVIRONMENT}, the EMF library discovers where it runs by probing: Lambda, then ECS, then
     * the EC2 instance metadata endpoint, and falls back to a CloudWatch agent socket. Outside Lambda (local runner,
     * tests) that means network probes and metric lines sent to a socket nobody reads. The environment is known:
     * Lambda when Lambda's variables are set ({@code sam local invoke} sets them too), stdout otherwise.
     * An explicit {@code AWS_EMF_ENVIRONMENT} still wins.
     */
    static void pinEmfEnvironment() {
        Configuration config = EnvironmentConfigurationProvider.getConfig();
        Environments current = config.getEnvironmentOverride();
        if (current == null || current == Environments.Unknown) {
            config.setEnvironmentOverride(System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null
                    ? Environments.Lambda : Environments.Local);
        }
    }
}
