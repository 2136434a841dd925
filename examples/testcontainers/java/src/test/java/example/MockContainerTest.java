package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The Picsellia mock's image, started by Testcontainers, answers a client's login, predict
 * (multipart), monitoring post and journal read. PICSELLIA_MOCK_IMAGE names the image (default
 * picsellia-mock:latest, built from the Dockerfile at the repository's root).
 */
class MockContainerTest {
  /** A 1 x 1 PNG. */
  static final String PNG_BASE64 =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static GenericContainer<?> mock;
  static String base;

  @BeforeAll
  static void start() {
    String image = System.getenv().getOrDefault("PICSELLIA_MOCK_IMAGE", "picsellia-mock:latest");
    mock =
        new GenericContainer<>(DockerImageName.parse(image))
            .withExposedPorts(8080)
            .waitingFor(
                Wait.forHttp("/__admin/health")
                    .forPort(8080)
                    .forStatusCode(200)
                    .withStartupTimeout(Duration.ofSeconds(30)));
    mock.start();
    base = "http://" + mock.getHost() + ":" + mock.getMappedPort(8080);
  }

  @AfterAll
  static void stop() {
    if (mock != null) {
      mock.stop();
    }
  }

  /** Sends a request, asserts its status and returns its JSON answer. */
  static JsonNode call(HttpRequest.Builder request, int expected) throws Exception {
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expected, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  static HttpRequest.Builder to(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
  }

  static String login(String path, JsonNode deployment) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("api_token", deployment.get("api_tokens").get(0).asText());
    body.put("deployment_id", deployment.get("id").asText());
    JsonNode answer = call(to(path).POST(HttpRequest.BodyPublishers.ofString(body.toString())), 200);
    assertTrue(answer.get("jwt").isTextual(), answer.toString());
    return "Bearer " + answer.get("jwt").asText();
  }

  @Test
  void loginPredictMonitorThenTheJournal() throws Exception {
    JsonNode deployment = null;
    for (JsonNode candidate : call(to("/__admin/deployments").GET(), 200).get("deployments")) {
      if (candidate.get("type").asText().equals("OBJECT_DETECTION")) {
        deployment = candidate;
        break;
      }
    }
    assertTrue(deployment != null, "the demo deployments include an OBJECT_DETECTION one");
    String id = deployment.get("id").asText();

    String boundary = "picsellia-mock-example-boundary";
    ByteArrayOutputStream form = new ByteArrayOutputStream();
    form.writeBytes(
        ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\n"
                + "testcontainers\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"frame.png\"\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    form.writeBytes(Base64.getDecoder().decode(PNG_BASE64));
    form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode predicted =
        call(
            to("/api/deployments/" + id + "/predict")
                .header("Authorization", login("/api/login", deployment))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())),
            200);
    JsonNode raw = predicted.get("raw_predictions");
    assertTrue(raw.get("detection_boxes").isArray(), predicted.toString());

    ObjectNode payload = JSON.createObjectNode();
    payload.put("filename", "frame.png").put("content_type", "image/png");
    payload.put("width", 1).put("height", 1).put("image", PNG_BASE64).put("latency", 0.05);
    payload.set("raw_predictions", raw);
    payload.putArray("tags");
    JsonNode monitored =
        call(
            to("/api/deployment/" + id + "/predictions")
                .header("Authorization", login("/api/auth/login", deployment))
                .POST(HttpRequest.BodyPublishers.ofString(payload.toString())),
            201);
    assertFalse(monitored.get("id").asText().isEmpty(), monitored.toString());

    List<String> seen = new ArrayList<>();
    for (JsonNode entry : call(to("/__admin/requests?order=oldest").GET(), 200).get("entries")) {
      if (!entry.get("service").asText().equals("admin")) {
        String path = entry.get("path").asText().replace(id, "{id}");
        seen.add(entry.get("method").asText() + " " + path + " " + entry.get("status").asInt());
      }
    }
    assertEquals(
        List.of(
            "POST /api/login 200",
            "POST /api/deployments/{id}/predict 200",
            "POST /api/auth/login 200",
            "POST /api/deployment/{id}/predictions 201"),
        seen);
  }
}
