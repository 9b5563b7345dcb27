package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.StatusReporter;

/**
 * What happens each time a job's state is published: the status report is written, and once the job has ended the
 * deployment's {@link SampleRetention} is applied. Every place that ends a job publishes it (the worker, ingest for a
 * rejected upload, a cancellation), so this one hook covers them all.
 */
public final class ReportAndRetain implements StatusReporter {

    private final StatusReporter reporter;
    private final SampleRetention retention;

    public ReportAndRetain(StatusReporter reporter, SampleRetention retention) {
        this.reporter = reporter;
        this.retention = retention;
    }

    @Override
    public void report(Job job) {
        reporter.report(job);
        if (job.status().isTerminal()) {
            retention.jobEnded(job);
        }
    }
}
