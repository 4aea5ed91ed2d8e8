package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web view in a real browser: Debian's chromium, headless, driven by Selenium through Debian's
 * chromedriver (.ci/run installs both), on a running {@code wordcount} fed a line at a time.
 */
public class WebViewTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    @Test
    public void showsTheStepsWithLiveRatesAndSaysWhenTheFlowHasEnded() throws Exception {
        assertTrue("install chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)",
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));
        Path home = WaxProcess.copyOfDistribution(TMP.getRoot().toPath());
        int port = ObservabilityTest.freePort();
        String dataflow;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        AtomicBoolean feeding = new AtomicBoolean(true);
        try (WaxProcess run = WaxProcess.start(home, Map.of(), "run", "wordcount", "-w2", "--metrics-port", Integer.toString(port))) {
            // The slow source: a few lines a second, for as long as the test looks.
            Thread feeder = new Thread(() -> {
                try {
                    while (feeding.get()) {
                        run.send("a b a\n");
                        Thread.sleep(20); // the pace of the input, not a wait for anything
                    }
                } catch (Exception e) {
                    feeding.set(false);
                }
            }, "feeder");
            feeder.start();
            Await.until(TIMEOUT, () -> ObservabilityTest.get(port, "/dataflow") != null, run::err);
            dataflow = ObservabilityTest.get(port, "/dataflow");
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.get("http://127.0.0.1:" + port + "/");
                Await.until(TIMEOUT, () -> !browser.findElements(By.cssSelector("g.step")).isEmpty(), browser::getPageSource);
                List<WebElement> steps = browser.findElements(By.cssSelector("g.step"));
                long expected = dataflow.lines().filter(l -> l.contains("\"kind\"")).count();
                assertEquals(browser.getPageSource(), expected, steps.size());
                assertTrue(browser.findElement(By.cssSelector("g.step[data-step='wordcount.out']")).isDisplayed());
                By outRate = By.cssSelector("g.step[data-step='wordcount.out'] .rate");
                Await.until(TIMEOUT, () -> !browser.findElement(outRate).getText().startsWith("–")
                        && !browser.findElement(outRate).getText().startsWith("0 "), browser::getPageSource);
                String first = browser.findElement(outRate).getText();
                Await.until(TIMEOUT, () -> !browser.findElement(outRate).getText().equals(first), browser::getPageSource);
                assertTrue(browser.findElement(By.id("state")).getText(), browser.findElement(By.id("state")).getText().equals("running"));
                assertEquals(2, browser.findElements(By.cssSelector("#workers tbody tr")).size());
                Path shot = Path.of("target", "webview.png");
                Files.createDirectories(shot.getParent());
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

                feeding.set(false);
                feeder.join();
                run.closeInput();
                assertEquals(run.err(), 0, run.exitCode(TIMEOUT));
                // The run has ended and its process has gone with the port: the page says so.
                Await.until(TIMEOUT, () -> {
                    String state = browser.findElement(By.id("state")).getText();
                    return state.contains("no longer answers") || state.equals("the flow has ended");
                }, browser::getPageSource);
            } finally {
                browser.quit();
            }
        } finally {
            feeding.set(false);
            service.close();
        }
    }
    /**
     * A swap in the browser: the flow bundle of a headless run with {@code -r} leaves {@code deploy/}
     * (FileInstall uninstalls it), so the run waits for a new provider, and the page says it is
     * swapping and why; the bundle comes back, the run resumes, and the page shows the swap's outcome.
     */
    @Test
    public void showsASwapInProgressAndItsOutcome() throws Exception {
        assertTrue("install chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)",
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));
        Path home = WaxProcess.copyOfDistribution(TMP.newFolder().toPath());
        Path jar = home.resolve("deploy/recovering.jar");
        Path aside = home.resolve("recovering.jar");
        Files.copy(ExamSetup.testFlow("recovering"), aside);
        Files.copy(aside, jar);
        Path store = TMP.newFolder().toPath().resolve("store");
        Path out = TMP.newFolder().toPath();
        RecoveryTest.init(home, store);
        int port = ObservabilityTest.freePort();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        // a paced count that runs far longer than the test looks
        try (WaxProcess run = WaxProcess.start(home, Map.of(), "run", "counting(100000000, \"" + out + "\")", "-w1",
                "-r", store.toString(), "--epoch-interval", "100ms", "--metrics-port", Integer.toString(port))) {
            Await.until(TIMEOUT, () -> ObservabilityTest.get(port, "/status") != null, run::err);
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.get("http://127.0.0.1:" + port + "/");
                By state = By.id("state");
                Await.until(TIMEOUT, () -> browser.findElement(state).getText().equals("running"), browser::getPageSource);
                Files.move(jar, home.resolve("recovering.jar.out"));
                Await.until(TIMEOUT, () -> browser.findElement(state).getText().startsWith("swapping: "),
                        () -> browser.getPageSource() + "\n" + run.err());
                String swapping = browser.findElement(state).getText();
                assertTrue(swapping, swapping.contains("waiting for the new provider"));
                assertEquals("", browser.findElement(By.id("swap")).getText());
                Files.copy(aside, jar);
                Await.until(TIMEOUT, () -> browser.findElement(state).getText().equals("running")
                        && browser.findElement(By.id("swap")).getText().startsWith("last swap: "),
                        () -> browser.getPageSource() + "\n" + run.err());
                String outcome = browser.findElement(By.id("swap")).getText();
                assertTrue(outcome, outcome.contains("resumed"));
                run.signal("TERM");
                assertEquals(run.err(), 0, run.exitCode(TIMEOUT));
            } finally {
                browser.quit();
            }
        } finally {
            service.close();
        }
    }
}
