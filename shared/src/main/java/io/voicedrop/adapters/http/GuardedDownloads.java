package io.voicedrop.adapters.http;

import io.voicedrop.core.port.RemoteFiles;
import java.time.Instant;
import java.util.Map;

/** {@link RemoteFiles} over {@link GuardedHttp}: the outbound-URL guard, redirects re-checked, size-bounded. */
public final class GuardedDownloads implements RemoteFiles {

    private static final Map<String, String> HEADERS = Map.of("User-Agent", "VoiceDrop/1.0 (preview download)");

    private final GuardedHttp http;

    public GuardedDownloads(GuardedHttp http) {
        this.http = http;
    }

    @Override
    public byte[] download(String url, long maxBytes, Instant deadline) throws Failed {
        GuardedHttp.Response r;
        try {
            r = http.get(url, HEADERS, deadline, maxBytes);
        } catch (GuardedHttp.Failure e) {
            boolean permanent = e.kind() == GuardedHttp.Kind.REFUSED || e.kind() == GuardedHttp.Kind.TOO_LARGE
                    || e.kind() == GuardedHttp.Kind.TOO_MANY_REDIRECTS;
            throw new Failed(e.getMessage(), !permanent);
        }
        if (r.status() != 200) {
            throw new Failed("the server answered HTTP " + r.status(), r.status() == 429 || r.status() >= 500);
        }
        if (r.body().length == 0) {
            throw new Failed("the file is empty (0 bytes)", true);
        }
        return r.body();
    }
}
