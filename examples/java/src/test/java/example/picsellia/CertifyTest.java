package example.picsellia;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Certifies the client over HTTP: one test per scenario the mock serves (start it, perform its
 * calls with the client, post the outcome, fail with the verdict's failures). The mock is the one
 * at $PICSELLIA_MOCK_URL, or one started here with `picsellia-mock serve --port 0`.
 */
class CertifyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static Process server;
  private static long started;
  private static int passed;
  private static int failed;

  @TestFactory
  Stream<DynamicTest> everyScenarioPasses() throws Exception {
    String base = mockUrl();
    JsonNode scenarios = admin(base, "GET", "/__admin/conformance/scenarios", null).path("scenarios");
    assertFalse(scenarios.isEmpty(), "the mock lists no scenario");
    started = System.nanoTime();
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode scenario : scenarios) {
      String name = scenario.path("name").asText();
      tests.add(DynamicTest.dynamicTest(name, () -> certify(base, name, scenario.path("level").asText())));
    }
    return tests.stream();
  }

  private static void certify(String base, String name, String level) throws Exception {
    String route = "/__admin/conformance/scenarios/" + name;
    JsonNode action = admin(base, "POST", route + "/start", Map.of());
    JsonNode outcome = new Certification(action).outcome();
    JsonNode verdict = admin(base, "POST", route + "/grade", Map.of("outcome", outcome));
    if (verdict.path("passed").asBoolean()) {
      passed++;
      return;
    }
    failed++;
    List<String> failures = new ArrayList<>();
    verdict.path("failures").forEach(f -> failures.add(f.asText()));
    fail(name + " (" + level + ") failed:\n  " + String.join("\n  ", failures));
  }

  @AfterAll
  static void summary() {
    double seconds = started == 0 ? 0 : (System.nanoTime() - started) / 1e9;
    System.out.printf("certification: %d scenarios, %d passed, %d failed, in %.1f s%n",
        passed + failed, passed, failed, seconds);
    if (server != null) server.destroy();
  }

  private static JsonNode admin(String base, String method, String route, Object body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + route)).timeout(Duration.ofSeconds(60));
    String token = System.getenv("PICSELLIA_ADMIN_TOKEN"); // a mock served with --admin-token
    if (token != null && !token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }
    HttpResponse<byte[]> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() == 401) {
      fail(method + " " + route + ": 401: the mock requires an admin token: set PICSELLIA_ADMIN_TOKEN");
    }
    if (answer.statusCode() != 200) {
      fail(method + " " + route + ": " + answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(answer.body());
  }

  /** $PICSELLIA_MOCK_URL, or the URL a mock started here prints on its first line. */
  private static synchronized String mockUrl() throws Exception {
    String given = System.getenv("PICSELLIA_MOCK_URL");
    if (given != null && !given.isBlank()) return given.replaceAll("/+$", "");
    String binary = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> new File(dir, "picsellia-mock")).filter(File::canExecute).map(File::getPath)
        .findFirst().orElse(null);
    if (binary == null) {
      fail("set PICSELLIA_MOCK_URL to a running mock, or put picsellia-mock on PATH (pip install the kit)");
    }
    String db = Files.createTempDirectory("mock").resolve("mock.sqlite3").toString();
    server = new ProcessBuilder(binary, "serve", "--port", "0", "--db", db)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("http")) fail("picsellia-mock serve printed no URL: " + line);
    Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
    drain.setDaemon(true);
    drain.start();
    return line.trim().split("\\s+")[0].replaceAll("/+$", "");
  }
}
