package io.voicedrop.adapters.logging;

import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.helpers.ThreadLocalMapOfStacks;
import org.slf4j.spi.MDCAdapter;

/**
 * The logging context (MDC) of each thread, for {@link JsonLogger}. Not inherited by threads a thread starts (unlike
 * SLF4J's {@code BasicMDCAdapter}): a pool thread first started inside one job's invocation (an HTTP client's, the
 * SDK's) must not tag the lines of later jobs with that job's id.
 */
final class ThreadMdc implements MDCAdapter {

    private final ThreadLocal<Map<String, String>> fields = ThreadLocal.withInitial(TreeMap::new);
    private final ThreadLocalMapOfStacks stacks = new ThreadLocalMapOfStacks();

    /** This thread's fields, in key order (read-only by convention: the logger only iterates them). */
    Map<String, String> fields() {
        return fields.get();
    }

    @Override
    public void put(String key, String val) {
        if (key == null) {
            throw new IllegalArgumentException("key cannot be null");
        }
        if (val == null) {
            fields.get().remove(key);
        } else {
            fields.get().put(key, val);
        }
    }

    @Override
    public String get(String key) {
        return fields.get().get(key);
    }

    @Override
    public void remove(String key) {
        fields.get().remove(key);
    }

    @Override
    public void clear() {
        fields.get().clear();
    }

    @Override
    public Map<String, String> getCopyOfContextMap() {
        return new HashMap<>(fields.get());
    }

    @Override
    public void setContextMap(Map<String, String> contextMap) {
        Map<String, String> f = fields.get();
        f.clear();
        contextMap.forEach((k, v) -> {
            if (k != null && v != null) {
                f.put(k, v);
            }
        });
    }

    @Override
    public void pushByKey(String key, String value) {
        stacks.pushByKey(key, value);
    }

    @Override
    public String popByKey(String key) {
        return stacks.popByKey(key);
    }

    @Override
    public Deque<String> getCopyOfDequeByKey(String key) {
        return stacks.getCopyOfDequeByKey(key);
    }

    @Override
    public void clearDequeByKey(String key) {
        stacks.clearDequeByKey(key);
    }
}
