package io.voicedrop.adapters.logging;

import io.voicedrop.config.EnvironmentReader;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * VoiceDrop's SLF4J backend: JSON lines ({@link JsonLogLine}) on standard output, VoiceDrop's own loggers
 * ({@code io.voicedrop.*}) at the {@code LOG_LEVEL} of the template (default INFO), every library's at WARN.
 *
 * <p>Written here rather than taken from log4j (with its JSON template layout) or logback: that is all a Lambda
 * function's logging needs, and those backends' configuration, plugin and appender machinery was about 1,300 classes
 * and 15-22 % of every function's cold start (docs/benchmarks.md, "Cold start"), for one console appender and one
 * fixed layout. Found by SLF4J through {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {

    /** The library loggers' level: their INFO chatter is not what operators read. */
    static final Level LIBRARY_LEVEL = Level.WARN;
    private static final String OWN_LOGGERS = "io.voicedrop";

    private final ThreadMdc mdc = new ThreadMdc();
    private final BasicMarkerFactory markers = new BasicMarkerFactory();
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private Level ownLevel = Level.INFO;
    private String levelProblem;

    @Override
    public void initialize() {
        String configured = new EnvironmentReader(System::getenv).text("LOG_LEVEL", "INFO");
        try {
            ownLevel = Level.valueOf(configured.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            levelProblem = "LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, got: " + configured
                    + "; logging at INFO";
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return this::logger;
    }

    private Logger logger(String name) {
        Logger logger = loggers.get(name);
        if (logger != null) {
            return logger;
        }
        Level level = name.equals(OWN_LOGGERS) || name.startsWith(OWN_LOGGERS + ".") ? ownLevel : LIBRARY_LEVEL;
        Logger created = new JsonLogger(name, level, mdc, Clock.systemUTC(), () -> System.out);
        Logger existing = loggers.putIfAbsent(name, created);
        if (existing == null && levelProblem != null) {
            String problem = levelProblem;
            levelProblem = null;
            created.warn(problem);
        }
        return existing != null ? existing : created;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
