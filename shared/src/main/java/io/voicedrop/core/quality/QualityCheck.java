package io.voicedrop.core.quality;

import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.analysis.Analysis;
import io.voicedrop.audio.analysis.AudioAnalyzer;
import io.voicedrop.audio.analysis.SourceReadException;
import io.voicedrop.core.model.QualityReport;
import io.voicedrop.core.model.QualityReport.SampleQuality;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the samples of one upload before anything is billed: decodes each as a stream and measures it
 * ({@link AudioAnalyzer}), several at once, all within one time limit, and turns the figures into warnings
 * ({@link QualityRules}). The same check serves bucket uploads and {@code POST /fish/model}.
 *
 * <p>Nothing here can lose an upload: a sample whose analysis fails, crashes or runs out of time keeps its place
 * with a note ("not checked for sound quality"), never a rejection. Only a failure to read the bytes, which a retry
 * may mend, is passed on (as {@link UncheckedIOException}).
 */
public final class QualityCheck {

    private static final Logger LOG = LoggerFactory.getLogger(QualityCheck.class);
    /** After the time limit, what a still-running analysis gets to notice it and hand back its partial figures. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final QualitySettings settings;
    private final QualityRules rules;
    private final AudioAnalyzer analyzer = new AudioAnalyzer();

    public QualityCheck(QualitySettings settings) {
        this.settings = settings;
        this.rules = new QualityRules(settings);
    }

    public QualitySettings settings() {
        return settings;
    }

    /**
     * One sample to listen to.
     *
     * @param name    how the user knows it, at the start of every message
     * @param info    what the header probe read (chooses the decoder)
     * @param content opens the sample's bytes from the start; may throw {@link UncheckedIOException}
     */
    public record Item(String name, AudioInfo info, Supplier<InputStream> content) {
    }

    /** @param report null when the check is off or there was nothing to listen to */
    public record Outcome(QualityReport report, List<Finding> findings) {
        public Outcome {
            findings = List.copyOf(findings);
        }

        static final Outcome NONE = new Outcome(null, List.of());
    }

    /**
     * Analyses {@code items} within {@code budget} (and never longer than the configured time limit).
     *
     * @throws UncheckedIOException when a sample could not be read: a retry may succeed, so this is no verdict
     */
    public Outcome listen(List<Item> items, Duration budget) {
        if (!settings.enabled() || items.isEmpty()) {
            return Outcome.NONE;
        }
        Duration limit = budget.compareTo(settings.timeLimit()) < 0 ? budget : settings.timeLimit();
        long deadline = System.nanoTime() + Math.max(0, limit.toNanos());
        List<Callable<Analysis>> tasks = new ArrayList<>();
        for (Item item : items) {
            tasks.add(() -> analyse(item, deadline));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.threads(), items.size()),
                new Daemons());
        List<Future<Analysis>> futures;
        try {
            futures = pool.invokeAll(tasks, Math.max(0, limit.plus(GRACE).toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures = List.of();
        } finally {
            pool.shutdownNow();
        }
        List<SampleQuality> samples = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Analysis a = i < futures.size() ? result(items.get(i), futures.get(i))
                    : new Analysis(Analysis.Outcome.TIME_LIMIT, "analysis interrupted", null);
            QualityRules.Evaluation e = rules.evaluate(items.get(i).name(), a);
            samples.add(e.quality());
            findings.addAll(e.findings());
        }
        int counted = (int) findings.stream().filter(f -> f.check() != null).count();
        return new Outcome(new QualityReport(samples, QualityRules.summary(samples, counted)), findings);
    }

    private Analysis analyse(Item item, long deadline) throws SourceReadException {
        try (InputStream in = item.content().get()) {
            return analyzer.analyse(item.info(), in, settings.maxAudioSeconds(), deadline);
        } catch (SourceReadException e) {
            throw e;
        } catch (IOException e) {
            // Closing failed after the analysis was done: nothing was lost.
            return new Analysis(Analysis.Outcome.FAILED, "the stream could not be closed", null);
        }
    }

    private static Analysis result(Item item, Future<Analysis> f) {
        try {
            return f.get();
        } catch (CancellationException e) {
            return new Analysis(Analysis.Outcome.TIME_LIMIT, "analysis did not finish within the time limit", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Analysis(Analysis.Outcome.TIME_LIMIT, "analysis interrupted", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SourceReadException read) {
                throw new UncheckedIOException("could not read " + item.name(), read);
            }
            if (cause instanceof UncheckedIOException read) {
                throw read;
            }
            LOG.warn("quality analysis of {} failed: {}", item.name(), cause.toString());
            return new Analysis(Analysis.Outcome.FAILED, "the analysis failed (" + cause.getClass().getSimpleName()
                    + ")", null);
        }
    }

    /** Analysis threads never keep a function alive. */
    private static final class Daemons implements java.util.concurrent.ThreadFactory {
        private static final AtomicInteger COUNT = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "quality-analysis-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
