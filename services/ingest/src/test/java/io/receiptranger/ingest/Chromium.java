package io.receiptranger.ingest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium as {@link BrowserIT} and {@link OpsBrowserIT} start it (Debian's {@code chromium}
 * + {@code chromium-driver}), each with a profile of its own: two of them are two users who share
 * nothing, no cookie, no storage. The caller quits it.
 */
public final class Chromium {

    private Chromium() {
    }

    public static ChromeDriver start() {
        return start(null);
    }

    /** A Chromium that saves downloads into {@code downloads} without asking (null: the default). */
    public static ChromeDriver start(Path downloads) {
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserIT.CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,2000", "--user-data-dir=" + profile);
        if (downloads != null) {
            options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(BrowserIT.CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
