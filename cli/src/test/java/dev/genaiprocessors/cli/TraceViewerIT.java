package dev.genaiprocessors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The trace viewer in a real browser: Debian's headless Chromium driven by Selenium through
 * Debian's chromedriver (never downloaded: the driver's path is explicit and Selenium Manager is
 * offline). Screenshots go to {@code target/screenshots/}.
 */
class TraceViewerIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static WebDriver browser;

  @TempDir Path dir;

  @BeforeAll
  static void startBrowser() {
    assertThat(CHROMIUM)
        .as("chromium is installed (apt-get install -y chromium chromium-driver)")
        .isExecutable();
    assertThat(CHROMEDRIVER).as("chromedriver is installed").exists();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static byte[] png() throws Exception {
    BufferedImage image = new BufferedImage(64, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(0x3b6fd8));
    g.fillRect(0, 0, 64, 40);
    g.setColor(Color.ORANGE);
    g.fillOval(20, 8, 24, 24);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static void screenshot(String name) throws Exception {
    Path shots = Path.of("target", "screenshots");
    Files.createDirectories(shots);
    byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(shots.resolve(name), png);
  }

  private static List<WebElement> parts() {
    return browser.findElements(By.cssSelector("#parts li"));
  }

  @Test
  void aRecordedTrace_showsEveryStage_everyPart_rendersImages_andFiltersBySubstream()
      throws Exception {
    Path input = dir.resolve("input.jsonl");
    Files.writeString(
        input,
        String.join(
                "\n",
                PartJson.toJson(ProcessorPart.text("Why is the sky blue?")),
                PartJson.toJson(ProcessorPart.bytes(png(), "image/png")),
                PartJson.toJson(
                    ProcessorPart.text("a note on the side").withSubstreamName("notes")),
                PartJson.toJson(
                    ProcessorPart.functionCall("lookup", Map.of("q", "sky")).withRole("model")))
            + "\n");
    Path trace = dir.resolve("trace.json");
    Cli.Result run =
        Cli.run("run", "samples/hello.yaml", "--parts", input.toString(), "--trace", trace + "");
    assertThat(run.code()).as(run.err()).isEqualTo(GenaiCli.OK);
    JsonNode doc = new ObjectMapper().readTree(trace.toFile());
    List<JsonNode> records = doc.get("records").valueStream().toList();
    List<String> stageNames =
        records.stream()
            .filter(r -> r.get("type").asText().equals("stage"))
            .map(r -> r.get("name").asText())
            .toList();
    long partCount = records.stream().filter(r -> r.get("type").asText().equals("part")).count();
    long notes =
        records.stream()
            .filter(r -> r.get("type").asText().equals("part"))
            .filter(r -> r.get("part").get("substream_name").asText().equals("notes"))
            .count();

    try (TraceViewer viewer = TraceViewer.start(0, () -> TraceCommand.View.read(trace), null)) {
      browser.get(viewer.uri().toString());
      new WebDriverWait(browser, WAIT)
          .until(b -> b.findElement(By.id("status")).getText().equals("ok"));

      List<WebElement> stages = browser.findElements(By.cssSelector("#timeline .stage"));
      assertThat(stages).hasSameSizeAs(stageNames);
      assertThat(stages.stream().map(s -> s.findElement(By.className("name")).getText()))
          .allSatisfy(name -> assertThat(stageNames).anyMatch(name::startsWith));
      assertThat(parts()).hasSize((int) partCount);
      WebElement image = browser.findElement(By.cssSelector("#parts img"));
      Object width =
          ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth;", image);
      assertThat(((Number) width).intValue()).isEqualTo(64);
      assertThat(browser.findElement(By.id("parts")).getText()).contains("\"q\": \"sky\"");
      screenshot("trace-viewer.png");

      new Select(browser.findElement(By.id("substream-filter"))).selectByValue("notes");
      assertThat(parts()).hasSize((int) notes);
      assertThat(parts())
          .allSatisfy(li -> assertThat(li.getAttribute("data-substream")).isEqualTo("notes"));
      assertThat(notes).isPositive();
      screenshot("trace-viewer-notes.png");
    }
  }

  @Test
  void runWithView_followsTheRunLive_asItsInputArrives() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PipedOutputStream stdin = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(stdin);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CountDownLatch stop = new CountDownLatch(1);
    RunCommand.viewerStop = stop;
    AtomicInteger code = new AtomicInteger(-1);
    int viewPort = port;
    Thread cli =
        Thread.ofVirtual()
            .start(
                () ->
                    code.set(
                        GenaiCli.execute(
                            in,
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8),
                            "run",
                            Cli.pipeline("slow"),
                            "--lines",
                            "--view",
                            "--port",
                            String.valueOf(viewPort))));
    try {
      URI page = URI.create("http://127.0.0.1:" + port + "/");
      awaitServing(page);
      browser.get(page.toString());
      WebDriverWait wait = new WebDriverWait(browser, WAIT);
      wait.until(b -> b.findElement(By.id("status")).getText().equals("running"));

      write(stdin, "first question\n");
      wait.until(b -> b.findElement(By.id("parts")).getText().contains("Describe: first question"));
      assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("running");

      write(stdin, "second question\n");
      stdin.close();
      wait.until(b -> b.findElement(By.id("status")).getText().equals("ok"));
      assertThat(browser.findElement(By.id("parts")).getText())
          .contains("Describe: second question", "eight ");
      JsonNode doc =
          new ObjectMapper()
              .readTree(
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(page.resolve("trace.json")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body());
      long partCount =
          doc.get("records")
              .valueStream()
              .filter(r -> r.get("type").asText().equals("part"))
              .count();
      assertThat(parts()).hasSize((int) partCount);
      screenshot("trace-viewer-live.png");
    } finally {
      stop.countDown();
      cli.join(WAIT);
      RunCommand.viewerStop = null;
    }
    assertThat(code.get()).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(GenaiCli.OK);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("one two three four five six seven eight Describe: first question");
  }

  private static void write(OutputStream stdin, String text) throws Exception {
    stdin.write(text.getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** Waits until the viewer answers, counting attempts rather than time. */
  private static void awaitServing(URI page) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (int attempt = 0; attempt < 600; attempt++) {
      try {
        if (client
                .send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the viewer never answered at " + page);
  }
}
