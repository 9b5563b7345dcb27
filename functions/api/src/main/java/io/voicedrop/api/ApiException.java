package io.voicedrop.api;

import io.micronaut.http.HttpStatus;
import java.util.List;
import java.util.stream.Collectors;

/** A request the API answers with an error envelope; the message is shown to the caller as it is. */
final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldProblem> problems;

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
