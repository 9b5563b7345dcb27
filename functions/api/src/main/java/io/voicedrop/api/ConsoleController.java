package io.voicedrop.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.Arrays;

/**
 * The web console, served by the API function itself at {@code /console/} (same origin as the API, so no CORS and no
 * extra hosting): {@code GET /console} redirects to {@code /console/} (relative, so a custom domain's base path is
 * kept), which is the page; {@code GET /console/assets/<version>/<file>} are its styles and modules
 * ({@link ConsoleAssets}). No key is needed for these files: they hold no data; the page asks for a key and sends it
 * on its API calls only. Every answer carries the console's security headers ({@link ConsolePolicy}); text is
 * gzip-compressed by {@link ResponseCompression} when the browser accepts it.
 */
@Controller(ConsoleController.PATH)
public class ConsoleController {

    static final String PATH = "/console";
    static final String PAGE_CACHE = "no-cache";
    static final String ASSET_CACHE = "public, max-age=31536000, immutable";

    private final ConsoleAssets assets;
    private final ConsolePolicy policy;

    public ConsoleController(ConsoleAssets assets, ConsolePolicy policy) {
        this.assets = assets;
        this.policy = policy;
    }

    /** True for the paths this controller serves without a key. */
    static boolean isConsolePath(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Get(produces = MediaType.ALL)
    public HttpResponse<?> page(HttpRequest<?> request) {
        if (!request.getPath().endsWith("/")) {
            return policy.apply(HttpResponse.status(HttpStatus.MOVED_PERMANENTLY)
                    .header(HttpHeaders.LOCATION, "console/").header(HttpHeaders.CACHE_CONTROL, PAGE_CACHE));
        }
        return serve(request, assets.page(), PAGE_CACHE);
    }

    @Get(value = "/assets/{version}/{+path}", produces = MediaType.ALL)
    public HttpResponse<?> asset(HttpRequest<?> request, @PathVariable("version") String version,
                                 @PathVariable("path") String path) {
        ConsoleAssets.Asset asset = assets.asset(version, path)
                .orElseThrow(() -> ApiException.notFound("The console has no such file."));
        return serve(request, asset, ASSET_CACHE);
    }

    private MutableHttpResponse<?> serve(HttpRequest<?> request, ConsoleAssets.Asset asset, String cache) {
        String ifNoneMatch = request.getHeaders().get(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, asset.etag())) {
            return policy.apply(HttpResponse.notModified().header(HttpHeaders.ETAG, asset.etag())
                    .header(HttpHeaders.CACHE_CONTROL, cache));
        }
        return policy.apply(HttpResponse.ok(asset.bytes()).contentType(asset.contentType())
                .header(HttpHeaders.ETAG, asset.etag()).header(HttpHeaders.CACHE_CONTROL, cache));
    }

    /** If-None-Match with weak comparison (RFC 9110 13.1.2): {@code *}, or any listed tag, W/ or not. */
    static boolean matches(String ifNoneMatch, String etag) {
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        return Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(t -> t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(opaque));
    }
}
