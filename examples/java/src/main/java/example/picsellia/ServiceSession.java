package example.picsellia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Authenticated calls to one service ("serving" or "monitoring") for one deployment: logs in on
 * the first call, keeps the token, logs in again a minute before it expires; on a 401 logs in
 * again and replays the request once; retries 429 and 501-599 up to 5 times, waiting
 * Retry-After (capped at 30 s) or 0.5, 1, 2, 4, 8 s. Each attempt is bounded by the timeout,
 * the body read included.
 */
public class ServiceSession {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> LOGIN =
      Map.of("serving", "/api/login", "monitoring", "/api/auth/login");

  /** One request before it is sent: its body is bytes, so that it can be replayed. */
  record Request(String method, String route, String query, byte[] body, String contentType) {
    static Request json(String method, String route, Object body) {
      try { // no Content-Type: the SDK sends none on JSON bodies and the services read JSON
        return new Request(method, route, "", JSON.writeValueAsBytes(body), null);
      } catch (IOException e) {
        throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
      }
    }
  }

  record Response(int status, HttpResponse<byte[]> raw) {
    String text() {
      return new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final String service;
  private final String host;
  private final String deploymentId;
  private final String apiToken;
  private final Duration timeout;
  private final HttpClient http;
  int maxRetries = 5;
  double maxWaitSeconds = 30;
  double refreshMarginSeconds = 60;
  private String jwt;
  private double expires; // epoch seconds

  public ServiceSession(String service, String host, String deploymentId, String apiToken,
      Duration timeout) {
    this.service = service;
    this.host = host.replaceAll("/+$", "");
    this.deploymentId = deploymentId;
    this.apiToken = apiToken;
    this.timeout = timeout;
    // HTTP/1.1: the default (HTTP/2) would ask a plain-HTTP server to upgrade on every request.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout).build();
  }

  /** POST login-request.json, keep login-response.json's jwt and expires. */
  public void login() {
    Map<String, String> body = Map.of("api_token", apiToken, "deployment_id", deploymentId);
    Response response = send(Request.json("POST", LOGIN.get(service), body), null);
    if (response.status() != 200) throw errorFrom(response, "");
    JsonNode answer = parse(response);
    jwt = answer.path("jwt").asText();
    expires = answer.path("expires").asDouble();
  }

  /** Sends an authenticated request: its JSON answer if the status is `expect`, else throws. */
  JsonNode call(Request request, int expect) {
    if (jwt == null || System.currentTimeMillis() / 1000.0 >= expires - refreshMarginSeconds) {
      login();
    }
    Response response = send(request, jwt);
    if (response.status() == 401) { // the token was refused: log in again, replay once
      login();
      response = send(request, jwt);
      if (response.status() == 401) throw errorFrom(response, "refused after logging in again: ");
    }
    if (response.status() != expect) throw errorFrom(response, "");
    return parse(response);
  }

  /** One call, retried on 429 and 501-599 while retries remain. */
  private Response send(Request request, String token) {
    for (int attempt = 0; ; attempt++) {
      Response response = attempt(request, token);
      int status = response.status();
      boolean retried = status == 429 || (status >= 501 && status <= 599);
      if (!retried || attempt >= maxRetries) return response;
      sleep(waitSeconds(response, attempt));
    }
  }

  /**
   * One exchange. HttpRequest.timeout only bounds the wait for the headers: a body that trickles
   * in would never time out. The future completes once the body is read, so bounding its get()
   * bounds the whole attempt.
   */
  private Response attempt(Request request, String token) {
    String where = request.method() + " " + request.route();
    String query = request.query().isEmpty() ? "" : "?" + request.query();
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(host + request.route() + query))
        .timeout(timeout);
    builder.method(request.method(), request.body() == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (token != null) builder.header("Authorization", "Bearer " + token);
    if (request.contentType() != null) builder.header("Content-Type", request.contentType());
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    try {
      HttpResponse<byte[]> raw = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(raw.statusCode(), raw);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new PicselliaException.Timeout(where + ": no answer within " + timeout.toMillis() / 1000.0 + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PicselliaException.TransportError(where + ": interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException) {
        throw new PicselliaException.Timeout(where + ": no answer within " + timeout.toMillis() / 1000.0 + " s");
      }
      throw new PicselliaException.TransportError(where + ": cannot connect (" + cause + ")");
    }
  }

  /** Retry-After in seconds when sent, else an exponential backoff; capped. */
  double waitSeconds(Response response, int attempt) {
    String retryAfter = response.raw().headers().firstValue("Retry-After").orElse("").trim();
    double wait = retryAfter.matches("\\d+") ? Double.parseDouble(retryAfter) : 0.5 * Math.pow(2, attempt);
    return Math.min(wait, maxWaitSeconds);
  }

  private static void sleep(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PicselliaException.TransportError("interrupted while waiting to retry");
    }
  }

  private static JsonNode parse(Response response) {
    try {
      return JSON.readTree(response.raw().body());
    } catch (IOException e) {
      String text = response.text();
      throw new PicselliaException.ServiceError(response.status(),
          "the answer is not JSON: " + text.substring(0, Math.min(200, text.length())), null);
    }
  }

  /** The error of a non-success answer, with the server's message and problems when sent. */
  static PicselliaException.ServiceError errorFrom(Response response, String prefix) {
    String text = response.text();
    String message = text.substring(0, Math.min(500, text.length()));
    ArrayNode problems = null;
    try {
      JsonNode body = JSON.readTree(text);
      if (body != null && body.isObject()) {
        if (body.hasNonNull("message")) message = body.get("message").asText();
        else if (body.hasNonNull("detail")) message = body.get("detail").asText();
        if (body.get("problems") instanceof ArrayNode list) problems = list;
      }
    } catch (IOException e) {
      // not JSON: keep the text
    }
    if (message.isEmpty()) message = "status " + response.status();
    return response.status() == 409
        ? new PicselliaException.AlreadyProcessed(response.status(), prefix + message, problems)
        : new PicselliaException.ServiceError(response.status(), prefix + message, problems);
  }
}
