package io.voicedrop.config;

import java.util.function.Function;

/**
 * Reads one configuration variable at a time, naming the variable in every error so a bad deploy says what to fix.
 * Every setting of every function is read through this class.
 */
public final class EnvironmentReader {

    private final Function<String, String> env;

    public EnvironmentReader(Function<String, String> env) {
        this.env = env;
    }

    public String text(String name, String fallback) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public String required(String name) {
        String v = text(name, null);
        if (v == null) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }

    public long number(String name, long fallback) {
        return number(name, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public long number(String name, long fallback, long min, long max) {
        String v = text(name, null);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a whole number, got: " + v);
        }
        if (n < min || n > max) {
            throw new IllegalStateException("environment variable " + name + " must be between " + min + " and "
                    + max + ", got: " + v);
        }
        return n;
    }

    public double decimal(String name, double fallback) {
        String v = text(name, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a number, got: " + v);
        }
    }

    public boolean flag(String name, boolean fallback) {
        String v = text(name, null);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }
}
