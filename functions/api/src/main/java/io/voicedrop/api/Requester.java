package io.voicedrop.api;

import io.micronaut.http.HttpRequest;
import io.voicedrop.core.model.ResourceIds;

/** Who is asking, and about what: the key's owner, how records name the key, and a checked id from the path. */
final class Requester {

    private Requester() {
    }

    static String owner(HttpRequest<?> request) {
        return request.getAttribute(ApiFilter.OWNER_ATTRIBUTE, String.class)
                .orElseThrow(() -> new IllegalStateException("request reached the controller without a key owner"));
    }

    /** {@code key 1a2b3c4d (owner alice)}: enough to tell which key asked, never the key itself. */
    static String describe(HttpRequest<?> request) {
        return "key " + request.getAttribute(ApiFilter.KEY_ATTRIBUTE, String.class).orElse("?") + " (owner "
                + owner(request) + ")";
    }

    /** The id of a path, refused with 400 when no model or job could have it. */
    static String checkedId(String id) {
        if (!ResourceIds.isWellFormed(id)) {
            throw ApiException.badId();
        }
        return id;
    }
}
