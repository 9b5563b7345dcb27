package io.voicedrop.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromedriver: the real browser the console is
 * tested in. Nothing is downloaded: the browser and driver must be installed ({@code scripts/test.sh} and
 * {@code .ci/run} install them); without them this fails, saying how to install them, and never skips.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver"
            + " (scripts/test.sh does this when it runs as root)";
    /** The flags this machine needs: no sandbox as root, and no background connections to a closed network. */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required",
            "--window-size=1280,1000");

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final Path userData;
    private final Path screenshots;

    ConsoleBrowser(Path targetDir) {
        String browser = System.getenv().getOrDefault("VOICEDROP_CHROMIUM", "/usr/bin/chromium");
        String chromedriver = System.getenv().getOrDefault("VOICEDROP_CHROMEDRIVER", "/usr/bin/chromedriver");
        for (String[] tool : List.of(new String[] {"Chromium", browser}, new String[] {"ChromeDriver", chromedriver})) {
            if (!Files.isExecutable(Path.of(tool[1]))) {
                fail(tool[0] + " is required by the console's browser tests but " + tool[1] + " is missing. Install "
                        + "Debian's packages: " + INSTALL + ". (Other paths: VOICEDROP_CHROMIUM, VOICEDROP_CHROMEDRIVER.)");
            }
        }
        try {
            userData = Files.createTempDirectory("voicedrop-chromium-");
            screenshots = Files.createDirectories(targetDir.resolve("console-screenshots"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + userData);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort()
                .withLogFile(targetDir.resolve("chromedriver.log").toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    WebElement waitFor(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    WebElement waitFor(By by, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitForText(By by, String text, Duration timeout) {
        new WebDriverWait(driver, timeout).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    Object asyncJs(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Light or dark, as the operating system would ask for it ({@code prefers-color-scheme}). */
    void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    Path screenshot(String name) {
        Path to = screenshots.resolve(name + ".png");
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** The browser console's messages since the last call. */
    List<LogEntry> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(userData)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
