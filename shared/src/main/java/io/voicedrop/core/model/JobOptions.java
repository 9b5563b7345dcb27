package io.voicedrop.core.model;

/**
 * What the uploader asked VoiceDrop to do around the create, beyond what upstream is told: call a webhook when the
 * job ends, and speak a preview once the model is trained. Both come from {@code model.json} or from
 * {@code POST /fish/model}.
 *
 * @param callbackUrl where the signed job view is POSTed when the job ends; null for none. It is a URL the uploader
 *                    chose (it may carry a token): never shown in a job view or a log
 * @param previewText text spoken with the new voice ({@code POST /fish/tts}); null means "the deployment's default"
 *                    ({@code DEFAULT_PREVIEW_TEXT}), an empty string means "no preview for this job"
 */
public record JobOptions(String callbackUrl, String previewText) {

    public static final JobOptions NONE = new JobOptions(null, null);
    /** The most characters {@code preview_text} may have: TTS is billed by the character. */
    public static final int MAX_PREVIEW_TEXT = 500;

    public boolean hasCallback() {
        return callbackUrl != null && !callbackUrl.isBlank();
    }

    /** The text to speak, after the deployment's default; empty when no preview is wanted. */
    public String previewTextOr(String deploymentDefault) {
        String text = previewText != null ? previewText : deploymentDefault == null ? "" : deploymentDefault;
        return text.strip();
    }

    @Override
    public String toString() {
        return "JobOptions[callback=" + (hasCallback() ? "<set>" : "none") + ", previewText=" + previewText + "]";
    }
}
