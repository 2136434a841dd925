package example.picsellia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

/** Monitoring for one deployment; each call logs in first if needed (POST /api/auth/login). */
public class MonitoringClient {
  private static final List<String> OPTIONAL = List.of("source", "upload_dir", "metadata",
      "custom_metadata", "custom_metrics", "timestamp", "sample", "shadow_raw_predictions",
      "shadow_latency");
  private final ServiceSession session;
  private final String deploymentId;

  public MonitoringClient(String host, String deploymentId, String apiToken, Duration timeout) {
    this.session = new ServiceSession("monitoring", host, deploymentId, apiToken, timeout);
    this.deploymentId = deploymentId;
  }

  /**
   * The monitoring-prediction-request.json body: content_type from the magic bytes and width and
   * height from the header unless given in options, the image as padded standard base64,
   * raw_predictions as given (empty lists stay []), tags always ([] when none), the other
   * options (wire names) when given.
   */
  public ObjectNode buildPayload(byte[] image, String filename, JsonNode rawPredictions,
      double latency, ObjectNode options) {
    String contentType = Images.sniffContentType(image);
    int[] size = Images.size(image);
    if (contentType == null || size == null) {
      throw PicselliaException.RequestInvalid.of("image_not_png_or_jpeg", "/image",
          "the file is not a readable PNG or JPEG");
    }
    ObjectNode payload = ServiceSession.JSON.createObjectNode();
    payload.put("filename", filename);
    payload.put("content_type", options.hasNonNull("content_type") ? options.get("content_type").asText() : contentType);
    payload.put("height", options.path("height").asInt(size[1]));
    payload.put("width", options.path("width").asInt(size[0]));
    payload.put("image", Base64.getEncoder().encodeToString(image));
    payload.set("raw_predictions", rawPredictions);
    payload.put("latency", latency);
    payload.set("tags", options.hasNonNull("tags") ? options.get("tags") : payload.arrayNode());
    for (String key : OPTIONAL) {
      if (options.hasNonNull(key)) payload.set(key, options.get(key));
    }
    return payload;
  }

  /** POST /api/deployment/{id}/predictions -> 201; a 409 throws AlreadyProcessed. */
  public JsonNode monitor(ObjectNode payload) {
    String route = "/api/deployment/" + deploymentId + "/predictions";
    return session.call(ServiceSession.Request.json("POST", route, payload), 201);
  }

  /** POST /api/prediction/{prediction_id}/shadow (shadow-request.json) -> 201. */
  public JsonNode shadow(String predictionId, JsonNode shadowRawPredictions, double shadowLatency) {
    if (predictionId == null || predictionId.isEmpty()) {
      throw PicselliaException.RequestInvalid.of("missing_property", "/prediction_id", "a prediction id is required");
    }
    ObjectNode body = ServiceSession.JSON.createObjectNode();
    body.set("shadow_raw_predictions", shadowRawPredictions);
    body.put("shadow_latency", shadowLatency);
    String route = "/api/prediction/" + URLEncoder.encode(predictionId, StandardCharsets.UTF_8).replace("+", "%20") + "/shadow";
    return session.call(ServiceSession.Request.json("POST", route, body), 201);
  }

  /** GET /api/deployment/{id} -> deployment-info-response.json. */
  public JsonNode deploymentInfo() {
    return session.call(new ServiceSession.Request("GET", "/api/deployment/" + deploymentId, "", null, null), 200);
  }

  /** GET /api/deployment/{id}/stats (stats-query.json); lists as repeated parameters. */
  public JsonNode stats(String service, ObjectNode options) {
    StringJoiner query = new StringJoiner("&");
    if (service != null) query.add("service=" + encode(service));
    for (String key : List.of("model_id", "from_timestamp", "to_timestamp", "since")) {
      if (options.hasNonNull(key)) query.add(key + "=" + encode(options.get(key).asText()));
    }
    for (String key : List.of("includes", "excludes", "tags")) {
      options.path(key).forEach(value -> query.add(key + "=" + encode(value.asText())));
    }
    String route = "/api/deployment/" + deploymentId + "/stats";
    return session.call(new ServiceSession.Request("GET", route, query.toString(), null, null), 200);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
