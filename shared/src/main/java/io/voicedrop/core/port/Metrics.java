package io.voicedrop.core.port;

/** Business counters and timings for dashboards and alarms. Names are the CloudWatch metric names. */
public interface Metrics {

    void count(String name, long value);

    void timeMillis(String name, long millis);

    default void count(String name) {
        count(name, 1);
    }
}
