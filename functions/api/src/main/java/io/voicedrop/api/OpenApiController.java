package io.voicedrop.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.yaml}: the OpenAPI 3 description of this API (source:
 * {@code functions/api/src/main/resources/openapi.yaml}). The only route that needs no key.
 */
@Controller
public class OpenApiController {

    static final String PATH = "/openapi.yaml";
    static final String CONTENT_TYPE = "application/yaml";
    private static final String RESOURCE = "/openapi.yaml";

    private final String document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the artifact");
            }
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(value = PATH, produces = {CONTENT_TYPE, MediaType.ALL})
    public HttpResponse<String> openApi() {
        return HttpResponse.ok(document).contentType(CONTENT_TYPE);
    }
}
