package io.voicedrop.api;

/** Where {@code POST /fish/model} keeps the audio it received: the bucket, under {@code uploads/<job id>/}. */
interface SampleUploads {

    /** Stores the bytes; returns the new object's version id (null on an unversioned bucket). */
    String put(String bucket, String key, byte[] bytes, String contentType);
}
