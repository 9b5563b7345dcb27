package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The console in a real Chromium (headless, Debian's package, driven by Selenium) against the local pipeline
 * (emulator + Fish simulator): sign-in, uploads through the file input and the drop zone that become models, search,
 * listening, rejections with their reasons, the jobs list live, editing and deleting a voice, cancelling a job,
 * hostile catalog values, and the layout on a phone
 * and in dark mode. Screenshots of each view go to {@code target/console-screenshots/}. Fails (never skips) without
 * a browser, saying how to install one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Duration JOB = Duration.ofSeconds(90);
    private static Path target;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void startTheBrowser() throws URISyntaxException {
        target = Path.of(ConsoleBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        stack();
        browser = new ConsoleBrowser(target);
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** No script error and no blocked resource (a CSP violation is logged as "Refused to ...") in any test. */
    @AfterEach
    void theConsoleLoggedNoErrors() {
        if (browser == null) {
            return;
        }
        List<String> bad = browser.consoleMessages().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Refused to") || m.contains("Uncaught") || m.contains("TypeError")
                        || m.contains("Content Security Policy") || m.contains("TrustedHTML"))
                .collect(Collectors.toList());
        assertEquals(List.of(), bad, "the browser console reported errors");
    }

    private static String consoleUrl() {
        return stack().pipeline.consoleUrl();
    }

    private static void open(String hash) {
        browser.driver.get(consoleUrl() + hash);
    }

    private static void signIn() {
        open("#/voices");
        Object signedIn = browser.js("return sessionStorage.getItem('voicedrop.apiKey') !== null");
        if (Boolean.TRUE.equals(signedIn)) {
            return;
        }
        WebElement key = browser.waitFor(By.id("api-key"));
        key.clear();
        key.sendKeys(stack().apiToken);
        browser.driver.findElement(By.cssSelector("form.signin button[type=submit]")).click();
        browser.waitFor(By.cssSelector("nav#nav a[aria-current=page]"));
    }

    private static Path wav(String name, int seconds) throws Exception {
        Path dir = Files.createDirectories(target.resolve("browser-files"));
        Path file = dir.resolve(name);
        Files.write(file, Pipeline.speech(seconds));
        return file;
    }

    private static String text(By by) {
        return browser.driver.findElement(by).getText();
    }

    @Test
    @Order(1)
    void aWrongKeyShowsTheApisMessageAndTheRightOneSignsIn() {
        open("");
        browser.js("sessionStorage.clear()");
        open("#/voices");
        WebElement key = browser.waitFor(By.id("api-key"));
        assertEquals("password", key.getAttribute("type"));
        assertEquals("API key", text(By.cssSelector("label[for=api-key]")), "the field is labelled");
        browser.screenshot("01-sign-in");
        key.sendKeys("vd_wrong-" + RUN);
        browser.driver.findElement(By.cssSelector("form.signin button[type=submit]")).click();
        browser.waitForText(By.id("signin-feedback"), "The specified token is invalid or wrong.", Duration.ofSeconds(10));
        assertTrue(browser.driver.findElement(By.id("nav")).getAttribute("hidden") != null, "no navigation yet");
        assertNull(browser.js("return sessionStorage.getItem('voicedrop.apiKey')"), "a refused key is not kept");
        browser.consoleMessages(); // the 401 itself is logged by the browser as a failed resource: expected here

        key.clear();
        key.sendKeys(stack().apiToken);
        key.submit();
        browser.waitFor(By.cssSelector("nav#nav a[aria-current=page]"));
        assertEquals(stack().apiToken, browser.js("return sessionStorage.getItem('voicedrop.apiKey')"));
        assertFalse(browser.driver.getCurrentUrl().contains(stack().apiToken), "the key is never in the URL");
        String requested = (String) browser.js("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).join('\\n')");
        assertFalse(requested.contains(stack().apiToken), "the key is in no requested URL: " + requested);
        assertTrue(requested.contains("/fish/model?"), "the console called the API: " + requested);
    }

    @Test
    @Order(2)
    void anUploadThroughTheFileInputBecomesAVoiceThatSearchFindsAndThatPlays() throws Exception {
        signIn();
        String title = "Console voice " + RUN;
        Path file = wav("console-" + RUN + ".wav", 31);
        open("#/upload");
        browser.waitFor(By.id("u-title"));
        browser.driver.findElement(By.id("u-files")).sendKeys(file.toString());
        browser.waitFor(By.id("u-text-0")).sendKeys("A generated voice for the console test.");
        WebElement titleField = browser.driver.findElement(By.id("u-title"));
        titleField.clear();
        titleField.sendKeys(title);
        browser.driver.findElement(By.id("u-tags")).sendKeys("console-" + RUN + ", en");
        browser.driver.findElement(By.id("u-language")).sendKeys("en");
        browser.screenshot("02-upload-form");
        browser.driver.findElement(By.id("u-submit")).click();
        browser.waitForText(By.id("u-stage"), "SUCCEEDED", JOB);
        assertTrue(text(By.id("u-verdict")).contains("Open the new voice"), text(By.id("u-verdict")));
        browser.screenshot("03-upload-succeeded");

        browser.driver.findElement(By.id("u-model-link")).click();
        browser.waitForText(By.tagName("h1"), title, Duration.ofSeconds(10));
        browser.waitFor(By.cssSelector("audio[data-sample]"));
        Object duration = browser.asyncJs("""
                const done = arguments[arguments.length - 1];
                const a = document.querySelector('audio[data-sample]');
                const report = () => a.play().then(() => setTimeout(() => done({duration: a.duration,
                    time: a.currentTime, src: a.currentSrc}), 600), (e) => done({error: String(e)}));
                a.addEventListener('error', () => done({error: 'media error ' + (a.error && a.error.code)}));
                if (a.readyState >= 1) report(); else a.addEventListener('loadedmetadata', report);
                """);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> played = (java.util.Map<String, Object>) duration;
        assertNull(played.get("error"), "the sample plays: " + played);
        assertEquals(31.0, ((Number) played.get("duration")).doubleValue(), 0.1, "the audio element's duration");
        assertTrue(((Number) played.get("time")).doubleValue() > 0, "playback advanced: " + played);
        assertTrue(String.valueOf(played.get("src")).startsWith(stack().pipeline.s3Endpoint().toString()),
                "played straight from the bucket: " + played.get("src"));
        String fields = text(By.id("all-fields"));
        for (String field : List.of("_id", "type", "title", "description", "cover_image", "train_mode", "state", "tags",
                "samples", "created_at", "updated_at", "languages", "visibility", "lock_visibility", "like_count",
                "mark_count", "shared_count", "task_count", "liked", "marked", "author")) {
            assertTrue(fields.contains(field), "every ModelEntity field is shown: " + field);
        }
        assertTrue(browser.driver.findElement(By.cssSelector("a[href^='#/jobs/']")).isDisplayed(), "the job is linked");
        String modelId = java.net.URLDecoder.decode(browser.driver.getCurrentUrl().replaceAll(".*#/voice/", ""),
                StandardCharsets.UTF_8);
        JsonNode heard = Pipeline.json(Pipeline.get("/models/" + modelId + "/source")).path("quality");
        assertQualityShown("voice-quality", heard);
        browser.screenshot("04-voice");

        open("#/voices");
        WebElement search = browser.waitFor(By.id("f-title"));
        search.sendKeys(RUN);
        browser.driver.findElement(By.id("f-tag")).sendKeys("console-" + RUN);
        search.submit();
        browser.waitForText(By.id("results-title"), "1 voice,", Duration.ofSeconds(10));
        List<WebElement> cards = browser.driver.findElements(By.cssSelector("ul.cards li.card"));
        assertEquals(1, cards.size());
        assertEquals(title, cards.get(0).findElement(By.cssSelector("a.voice-link")).getText());
        assertTrue(cards.get(0).getText().contains("trained"), cards.get(0).getText());
        assertTrue(browser.driver.getCurrentUrl().contains("title=" + RUN), "filters are kept in the route");
        browser.screenshot("05-voices-search");
    }

    @Test
    @Order(3)
    void aDroppedFileThatIsNotAudioIsRejectedWithItsReasonAndABadRequestNeverStarts() {
        signIn();
        open("#/upload");
        browser.waitFor(By.id("dropzone"));
        drop("take " + RUN + ".wav", "this is a text file, not audio\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        browser.waitFor(By.id("u-text-0"));
        WebElement title = browser.driver.findElement(By.id("u-title"));
        title.clear();
        title.sendKeys("Not audio " + RUN);
        browser.driver.findElement(By.id("u-submit")).click();
        browser.waitForText(By.id("u-stage"), "REJECTED", JOB);
        String reasons = browser.waitFor(By.id("u-reasons")).getText();
        assertTrue(reasons.contains("Rejected before billing"), reasons);
        assertTrue(reasons.contains("not audio"), reasons);
        browser.screenshot("06-upload-rejected");

        // Checks that need no upload: an empty file is refused before anything is signed, with the API's reasons.
        open("#/upload");
        browser.waitFor(By.id("dropzone"));
        drop("empty.wav", new byte[0]);
        browser.waitFor(By.id("u-text-0"));
        browser.driver.findElement(By.id("u-submit")).click();
        String refused = browser.waitFor(By.cssSelector("#u-feedback [role=alert]")).getText();
        assertTrue(refused.contains("The upload cannot start"), refused);
        assertTrue(refused.contains("empty.wav: the file is empty"), refused);
        browser.consoleMessages(); // the 422 is logged by the browser as a failed resource: expected here
    }

    /** A drop on the drop zone, as the browser delivers one: a DragEvent whose DataTransfer holds the file. */
    private static void drop(String name, byte[] bytes) {
        browser.js("""
                const bytes = Uint8Array.from(atob(arguments[1]), c => c.charCodeAt(0));
                const dt = new DataTransfer();
                dt.items.add(new File([bytes], arguments[0], {type: 'audio/wav'}));
                const zone = document.getElementById('dropzone');
                zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
                zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
                """, name, Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    @Order(4)
    void aChosenFolderBecomesOneVoiceWithThePipelinesFindings() throws Exception {
        signIn();
        String folder = "folder-" + RUN;
        Path dir = Files.createDirectories(target.resolve("browser-files").resolve(folder));
        Files.write(dir.resolve("one.wav"), Pipeline.speech(16));
        Files.write(dir.resolve("two.wav"), Pipeline.speech(17));
        Files.write(dir.resolve(".DS_Store"), new byte[4]);
        Files.writeString(dir.resolve("notes.txt"), "not a sample");
        open("#/upload");
        browser.waitFor(By.id("dropzone"));
        browser.driver.findElement(By.id("u-folder")).sendKeys(dir.toString());
        browser.waitFor(By.id("u-text-1"));
        String form = text(By.tagName("form"));
        assertTrue(form.contains(".DS_Store: hidden file, skipped"), form);
        assertTrue(form.contains("notes.txt: not an audio file, skipped"), form);
        assertEquals(folder, browser.driver.findElement(By.id("u-title")).getAttribute("value"),
                "the folder's name is the default title");
        browser.driver.findElement(By.id("u-submit")).click();
        browser.waitForText(By.id("u-stage"), "SUCCEEDED", JOB);
        String jobId = browser.driver.findElement(By.cssSelector("#u-stage a")).getText();
        JsonNode job = Pipeline.json(Pipeline.get("/jobs/" + jobId));
        browser.waitForText(By.id("u-warnings"), "02-", Duration.ofSeconds(5));
        String warnings = text(By.id("u-warnings"));
        for (JsonNode w : job.path("warnings")) {
            assertTrue(warnings.contains(w.asText()), "the pipeline's findings before billing: " + warnings + " / " + job);
        }
        assertTrue(warnings.contains("01-") && warnings.contains("02-")
                && warnings.contains("under the recommended 30 s per sample"), warnings + " / " + job);
        browser.js("document.getElementById('u-progress').scrollIntoView()");
        browser.screenshot("06b-upload-findings");

        open("#/jobs/" + jobId);
        assertQualityShown("job-quality", job.path("quality"));
        assertFalse(text(By.cssSelector("dl.fieldlist")).contains("\"snr_db\""),
                "the figures are a table, not the generic JSON dump");
    }

    /** The quality check's figures, as the API answers them, in the table with that id: one row per sample. */
    private static void assertQualityShown(String id, JsonNode quality) {
        assertTrue(quality.path("samples").size() > 0, "the API reports the figures: " + quality);
        browser.waitFor(By.cssSelector("#" + id + " tr[data-sample]"));
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#" + id + " tr[data-sample]"));
        assertEquals(quality.path("samples").size(), rows.size(), text(By.id(id)));
        for (int i = 0; i < rows.size(); i++) {
            JsonNode s = quality.path("samples").get(i);
            String row = rows.get(i).getText();
            assertEquals(s.path("name").asText(), rows.get(i).getAttribute("data-sample"));
            for (String f : List.of(figure(s.path("speech_seconds"), " s"), figure(s.path("silence_percent"), " %"),
                    figure(s.path("loudness_lufs"), " LUFS"), figure(s.path("peak_dbfs"), " dBFS"),
                    s.path("channel_use").isTextual() ? s.path("channel_use").asText() : "—")) {
                assertTrue(row.contains(f), "row " + i + " shows " + f + ": " + row + " / " + s);
            }
        }
        String summary = text(By.cssSelector("#" + id + " p.meta"));
        assertTrue(summary.contains(quality.path("model").path("analysed").asInt() + " of "
                + quality.path("model").path("samples").asInt() + " sample(s) analysed"), summary);
    }

    /** A figure as the page's JavaScript writes it: no trailing ".0", a dash when it could not be measured. */
    private static String figure(JsonNode n, String unit) {
        if (!n.isNumber()) {
            return "—";
        }
        double v = n.asDouble();
        return (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)) + unit;
    }

    @Test
    @Order(5)
    void hostileCatalogValuesAreShownAsTextAndNothingRuns() {
        String title = "<img src=x onerror=\"window.__xss='img'\"><script>window.__xss='script'</script> " + RUN;
        String tag = "hostile-" + RUN;
        String folder = "incoming/hostile " + RUN + "/";
        Pipeline.upload(folder + "take.wav", Pipeline.speech(31));
        String manifest = "{\"title\": " + io.voicedrop.adapters.json.Json.write(title)
                + ", \"description\": \"<b onmouseover=alert(1)>bold</b>\", \"tags\": [\"" + tag
                + "\", \"\\\"><svg onload=window.__xss=1>\"]}";
        String jobId = Pipeline.upload(folder + "model.json", manifest.getBytes(StandardCharsets.UTF_8));
        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());

        signIn();
        open("#/voices?tag=" + tag);
        browser.waitForText(By.id("results-title"), "1 voice,", Duration.ofSeconds(10));
        WebElement link = browser.driver.findElement(By.cssSelector("a.voice-link"));
        assertEquals(title, link.getText(), "the title appears literally");
        assertNothingRan();
        link.click();
        browser.waitFor(By.id("all-fields"));
        assertEquals(title, text(By.tagName("h1")));
        assertTrue(text(By.id("all-fields")).contains("<b onmouseover=alert(1)>bold</b>"));
        assertTrue(text(By.id("all-fields")).contains("\"><svg onload=window.__xss=1>"));
        open("#/jobs/" + jobId);
        browser.waitForText(By.tagName("h1"), RUN, Duration.ofSeconds(10));
        assertEquals(title, text(By.tagName("h1")));
        assertNothingRan();
    }

    private static void assertNothingRan() {
        assertNull(browser.js("return window.__xss === undefined ? null : String(window.__xss)"), "no injected code ran");
        assertEquals(0L, browser.js("return document.querySelectorAll('img[src=x], script:not([src]), svg[onload],"
                + " b[onmouseover]').length"), "no element was made from catalog text");
        try {
            browser.driver.switchTo().alert();
            throw new AssertionError("an alert opened");
        } catch (NoAlertPresentException expected) {
            // nothing popped up
        }
    }

    @Test
    @Order(6)
    void theJobsListIsNewestFirstAndFollowsAJobLiveWithItsReasonsAndModel() {
        signIn();
        open("#/jobs");
        browser.waitFor(By.id("jobs-table"));
        String jobId = Pipeline.upload("incoming/live " + RUN + ".wav", Pipeline.speech(31));
        // The page is not reloaded: its polling finds the new job and follows it to the end.
        browser.waitFor(By.cssSelector("tr[data-job='" + jobId + "'][data-status='SUCCEEDED']"), JOB);
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#jobs-table tbody tr"));
        assertEquals(jobId, rows.get(0).getAttribute("data-job"), "newest first");
        List<String> created = rows.stream().map(r -> r.findElement(By.cssSelector("td[data-label=Created] time"))
                .getAttribute("datetime")).toList();
        List<String> sorted = created.stream().sorted(java.util.Comparator.reverseOrder()).toList();
        assertEquals(sorted, created, "rows are ordered by creation, newest first");
        assertTrue(rows.get(0).getText().contains("Open voice"), "a link to the model");
        WebElement rejected = browser.driver.findElements(By.cssSelector("#jobs-table tbody tr[data-status=REJECTED]"))
                .stream().filter(r -> r.getText().contains("Not audio " + RUN)).findFirst()
                .orElseThrow(() -> new AssertionError("the rejected upload is listed"));
        assertTrue(rejected.getText().contains("not audio"), "with its reason: " + rejected.getText());
        browser.screenshot("07-jobs");

        rows.get(0).findElement(By.cssSelector("td[data-label=Title] a")).click();
        browser.waitFor(By.cssSelector("dl.fieldlist"));
        assertTrue(text(By.tagName("main")).contains("Upstream calls"), "the job's history");
        assertTrue(text(By.tagName("main")).contains("created"), "the create call is in the history");
        browser.screenshot("08-job");
    }

    /**
     * The API documents PATCH and DELETE under /fish/model/{id}, so the console offers them: an edit saved from the
     * page (a JSON PATCH) reaches the upstream and the catalog, and a confirmed delete, whose warning says the
     * recordings are erased, leaves neither the model nor its sample in the bucket.
     */
    @Test
    @Order(7)
    void aVoiceIsEditedAndDeletedFromItsPage() throws Exception {
        signIn();
        String doc = Pipeline.get("/openapi.yaml", null).body();
        String block = doc.substring(doc.indexOf("\n  /fish/model/{id}:")).split("\n  /")[1];
        assertTrue(block.contains("\n    patch:") && block.contains("\n    delete:"), "the API documents both");
        String key = "incoming/lifecycle " + RUN + ".wav";
        String jobId = Pipeline.upload(key, Pipeline.speech(31));
        String modelId = Pipeline.awaitTerminal(jobId).path("model_id").asText();
        open("#/voice/" + modelId);
        browser.waitFor(By.id("delete-voice"));
        assertTrue(browser.driver.findElements(By.id("lifecycle-note")).isEmpty(), "no \"not offered\" note");
        assertTrue(browser.driver.findElement(By.id("delete-voice")).isEnabled());
        int updates = stack().simulator.updateCalls();

        WebElement title = browser.driver.findElement(By.id("e-title"));
        title.clear();
        title.sendKeys("Edited " + RUN);
        WebElement description = browser.driver.findElement(By.id("e-description"));
        description.clear();
        description.sendKeys("Changed in the console");
        WebElement tags = browser.driver.findElement(By.id("e-tags"));
        tags.clear();
        tags.sendKeys("edited-" + RUN + ", console");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("e-visibility")))
                .selectByValue("unlist");
        title.submit();
        browser.waitForText(By.tagName("h1"), "Edited " + RUN, Duration.ofSeconds(20));
        assertEquals(updates + 1, stack().simulator.updateCalls(), "one PATCH reached the upstream");
        JsonNode model = Pipeline.json(Pipeline.get("/fish/model/" + modelId));
        assertEquals("Edited " + RUN, model.path("title").asText());
        assertEquals("Changed in the console", model.path("description").asText());
        assertEquals("unlist", model.path("visibility").asText());
        List<String> tagsNow = new java.util.ArrayList<>();
        model.path("tags").forEach(t -> tagsNow.add(t.asText()));
        assertEquals(List.of("edited-" + RUN, "console"), tagsNow);
        browser.screenshot("09-edited");

        browser.driver.findElement(By.id("delete-voice")).click();
        String warning = browser.waitFor(By.id("delete-text")).getText();
        assertTrue(warning.contains("erases the recordings") && warning.contains("samples"), warning);
        browser.screenshot("10-delete-confirmation");
        browser.driver.findElement(By.id("confirm-delete")).click();
        browser.waitFor(By.cssSelector("ul.cards, #results-title"));
        assertEquals(404, Pipeline.get("/fish/model/" + modelId).statusCode());
        assertEquals(List.of(), Lifecycle.versionsUnder(key), "the sample is erased, every version");
        assertEquals("DELETED", Lifecycle.job(jobId).path("status").asText());
    }

    /** A job that has not reached its billable call can be cancelled from its page, and is never billed. */
    @Test
    @Order(7)
    void aJobNotYetBilledIsCancelledFromItsPage() {
        signIn();
        io.voicedrop.core.port.UpstreamPause pause = stack().pipeline.context()
                .getBean(io.voicedrop.core.port.UpstreamPause.class);
        pause.pause("used_up", "held for the console test", java.time.Instant.now().plus(Duration.ofMinutes(10)));
        try {
            String jobId = Pipeline.upload("incoming/console cancel " + RUN + ".wav", Pipeline.speech(31));
            Pipeline.awaitJob(jobId, j -> j.path("status").asText().equals("QUEUED"), Duration.ofSeconds(30));
            open("#/jobs/" + jobId);
            browser.waitFor(By.id("cancel-job")).click();
            browser.waitFor(By.cssSelector("main .badge"));
            browser.waitForText(By.tagName("main"), "CANCELLED", Duration.ofSeconds(20));
            assertTrue(browser.driver.findElements(By.id("cancel-job")).isEmpty(), "nothing left to cancel");
            assertEquals("CANCELLED", Lifecycle.job(jobId).path("status").asText());
            pause.resume();
            assertEquals(0, Pipeline.createCallsFor(jobId), "never billed");
        } finally {
            pause.resume();
        }
    }

    @Test
    @Order(8)
    void thePhoneLayoutAndDarkModeKeepEverythingReachable() {
        signIn();
        open("#/voices");
        browser.waitFor(By.cssSelector("ul.cards"));
        browser.screenshot("09-voices");
        try {
            browser.size(390, 844);
            open("#/voices");
            browser.waitFor(By.cssSelector("ul.cards"));
            long overflow = (Long) browser.js("return document.documentElement.scrollWidth - window.innerWidth");
            assertTrue(overflow <= 0, "nothing is wider than a phone screen: " + overflow + " px too wide");
            browser.screenshot("10-phone-voices");
            open("#/jobs");
            browser.waitFor(By.id("jobs-table"));
            assertTrue((Long) browser.js("return document.documentElement.scrollWidth - window.innerWidth") <= 0);
            browser.screenshot("11-phone-jobs");
        } finally {
            browser.size(1280, 1000);
        }
        browser.colorScheme("dark");
        try {
            open("#/voices");
            browser.waitFor(By.cssSelector("ul.cards"));
            String background = (String) browser.js("return getComputedStyle(document.body).backgroundColor");
            assertEquals("rgb(20, 22, 27)", background, "the dark palette is used");
            browser.screenshot("12-dark-voices");
        } finally {
            browser.colorScheme("light");
        }
        // Keyboard: the skip link is the first stop, then the navigation; a new page moves focus to its heading.
        open("#/voices");
        browser.waitFor(By.cssSelector("ul.cards"));
        assertEquals("Skip to content", browser.js("return document.querySelector('a[href], button, input, select,"
                + " textarea, [tabindex]:not([tabindex=\"-1\"])').textContent"));
        assertEquals("H1", browser.js("return document.activeElement.tagName"), "focus is on the page's heading");
    }
}
