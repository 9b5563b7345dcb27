package io.voicedrop.api;

import io.micronaut.http.HttpStatus;

/** A request the API answers with an error envelope; the message is shown to the caller as it is. */
final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    ApiException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
