package io.voicedrop.core.model;

/** The reason a job failed or was rejected, as the user will read it. */
public record JobError(String code, String message, Integer httpStatus, String traceId) {
    public static JobError of(String code, String message) {
        return new JobError(code, message, null, null);
    }
}
