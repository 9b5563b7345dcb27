package io.voicedrop.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps exceptions from the controllers to the error envelope. */
final class ErrorHandlers {

    private ErrorHandlers() {
    }

    /** The errors the controllers raise on purpose (400, 404, 422...): their message is meant for the caller. */
    @Singleton
    @Produces
    static final class Expected implements ExceptionHandler<ApiException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ApiException e) {
            var response = Envelope.error(request, e.status(), e.code(), e.getMessage(), e.problems());
            return e.retryAfterSeconds() == null ? response
                    : response.header(io.micronaut.http.HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
        }
    }

    /**
     * Everything else: 500 {@code api_error}. The exception (with stack trace) goes to the log with the trace id;
     * the caller sees neither its class nor its message, only the trace id to quote.
     */
    @Singleton
    @Produces
    static final class Unexpected implements ExceptionHandler<Throwable, HttpResponse<?>> {
        private static final Logger LOG = LoggerFactory.getLogger(Unexpected.class);

        @Override
        public HttpResponse<?> handle(HttpRequest request, Throwable e) {
            String traceId = Trace.id(request);
            LOG.error("unexpected error on {} {}, trace_id={}", request.getMethodName(), request.getPath(), traceId, e);
            return Envelope.error(request, HttpStatus.INTERNAL_SERVER_ERROR, "api_error",
                    Envelope.forStatus(500)[1]);
        }
    }
}
