package io.voicedrop.core.port;

import io.voicedrop.core.model.ModelSpec;
import java.util.List;

/**
 * Everything one {@code POST /fish/model} sends. {@code markerTag} is added to the model's tags so that a create
 * whose answer was lost can be found upstream again (see {@code JobRunner}).
 */
public record CreateModelCall(ModelSpec spec, List<String> voiceUrls, List<String> texts, String markerTag) {

    public CreateModelCall {
        voiceUrls = List.copyOf(voiceUrls);
        texts = texts == null ? List.of() : List.copyOf(texts);
    }

    @Override
    public String toString() {
        return "CreateModelCall[title=" + spec.title() + ", voices=" + voiceUrls.size() + ", marker=" + markerTag + "]";
    }
}
