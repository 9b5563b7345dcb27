package io.voicedrop.adapters.logging;

import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger that writes each event enabled for its name as one {@link JsonLogLine} to the process's current
 * standard output (looked up per line, so a redirected {@code System.out} gets the lines: the local runner's log
 * file, a test's capture). Lambda ships standard output to CloudWatch Logs.
 */
final class JsonLogger extends AbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient int threshold;
    private final transient ThreadMdc mdc;
    private final transient Clock clock;
    private final transient Supplier<PrintStream> out;

    JsonLogger(String name, Level threshold, ThreadMdc mdc, Clock clock, Supplier<PrintStream> out) {
        this.name = name;
        this.threshold = threshold.toInt();
        this.mdc = mdc;
        this.clock = clock;
        this.out = out;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        String line = JsonLogLine.encode(clock.instant(), level.name(), name, message, throwable, mdc.fields());
        PrintStream stream = out.get();
        // One println per event: lines of concurrent threads never interleave.
        synchronized (stream) {
            stream.println(line);
        }
    }
}
