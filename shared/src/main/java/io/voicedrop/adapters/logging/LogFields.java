package io.voicedrop.adapters.logging;

import java.util.List;

/**
 * The field names of VoiceDrop's log lines: the Lambda context under Powertools for AWS Lambda's names (so log
 * queries written for Powertools work unchanged), and the two ids that tie a job's lines together.
 */
public final class LogFields {

    public static final String SERVICE = "service";
    public static final String FUNCTION_NAME = "function_name";
    public static final String FUNCTION_VERSION = "function_version";
    public static final String FUNCTION_ARN = "function_arn";
    /** Written as a JSON number. */
    public static final String FUNCTION_MEMORY_SIZE = "function_memory_size";
    public static final String FUNCTION_REQUEST_ID = "function_request_id";
    /** Written as a JSON boolean. */
    public static final String COLD_START = "cold_start";
    public static final String XRAY_TRACE_ID = "xray_trace_id";
    public static final String TRACE_ID = "trace_id";
    public static final String JOB_ID = "job_id";

    /** The Lambda context, in the order a line prints it (after level, message, error, timestamp, logger). */
    static final List<String> LAMBDA_CONTEXT = List.of(SERVICE, FUNCTION_NAME, FUNCTION_VERSION, FUNCTION_ARN,
            FUNCTION_MEMORY_SIZE, FUNCTION_REQUEST_ID, COLD_START, XRAY_TRACE_ID);

    private LogFields() {
    }
}
