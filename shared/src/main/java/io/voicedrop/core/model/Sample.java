package io.voicedrop.core.model;

/**
 * One audio sample of a job: where it lives in the bucket and, optionally, its transcript.
 * The presigned URL is deliberately not part of it: URLs are secrets, made on demand by the worker.
 */
public record Sample(String key, String versionId, long sizeBytes, String text) {
}
