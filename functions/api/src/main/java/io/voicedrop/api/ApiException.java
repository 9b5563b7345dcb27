package io.voicedrop.api;

import io.micronaut.http.HttpStatus;
import java.util.List;
import java.util.stream.Collectors;

/** A request the API answers with an error envelope; the message is shown to the caller as it is. */
final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldProblem> problems;
    private Long retryAfterSeconds;

    ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, List.of());
    }

    private ApiException(HttpStatus status, String code, String message, List<FieldProblem> problems) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    /** 409: the resource is in a state where this request cannot be done (the message says what to do instead). */
    static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", message);
    }

    /** 400 with the platform's code for a method or variant the upstream does not offer. */
    static ApiException notOffered(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "api_not_implemented", message);
    }

    /** 503: the upstream could not be reached in time; the same request may be sent again after the delay. */
    static ApiException unavailable(String message, long retryAfterSeconds) {
        ApiException e = new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error", message);
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    /** Seconds for a {@code Retry-After} header, or null. */
    Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** An id that no model or job can have (see {@link io.voicedrop.core.model.ResourceIds}). */
    static ApiException badId() {
        return badRequest("the id is malformed: " + io.voicedrop.core.model.ResourceIds.rule());
    }

    /**
     * 422, as the official API answers a request whose fields fail validation, with every problem. The code stays
     * the platform's {@code bad_request} (its SDKs map it to a validation error).
     */
    static ApiException invalid(List<FieldProblem> problems) {
        String joined = problems.stream().map(FieldProblem::message).collect(Collectors.joining("; "));
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "bad_request", joined, problems);
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    List<FieldProblem> problems() {
        return problems;
    }
}
