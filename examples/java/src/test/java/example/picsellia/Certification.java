package example.picsellia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** Performs one action (conformance-action.json) with the client, one client per service, and
 *  answers the outcome (conformance-outcome.json). */
final class Certification {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final JsonNode action;
  private final ServingClient serving;
  private final MonitoringClient monitoring;

  Certification(JsonNode action) {
    this.action = action;
    Duration timeout = Duration.ofMillis((long) (action.path("timeout_seconds").asDouble(60) * 1000));
    String id = action.path("deployment_id").asText();
    String token = action.path("api_token").asText();
    serving = new ServingClient(action.path("serving_url").asText(), id, token, timeout);
    monitoring = new MonitoringClient(action.path("monitoring_url").asText(), id, token, timeout);
  }

  ObjectNode outcome() {
    ObjectNode outcome = NODES.objectNode();
    ArrayNode results = outcome.putArray("results");
    for (JsonNode call : action.path("calls")) {
      ObjectNode result = results.addObject();
      try {
        JsonNode input = call.path("input").isObject() ? call.get("input") : NODES.objectNode();
        result.put("ok", true).set("value", perform(call.path("operation").asText(), (ObjectNode) input));
      } catch (PicselliaException error) {
        result.removeAll();
        result.put("ok", false).set("error", describe(error));
      }
    }
    return outcome;
  }

  private JsonNode perform(String operation, ObjectNode input) {
    switch (operation) {
      case "predict":
        return serving.predict(image(input), filename(input), input);
      case "predict_cloud_image":
        return serving.predictCloudImage(input.get("cloud_image"), input);
      case "predict_shadow":
        return serving.predictShadow(input.path("prediction_id").asText(null), input.get("cloud_image"),
            input.path("monitor").asBoolean(true));
      case "monitor":
        return monitoring.monitor(monitoring.buildPayload(image(input), filename(input),
            input.get("raw_predictions"), input.path("latency").asDouble(), input));
      case "shadow":
        return monitoring.shadow(input.path("prediction_id").asText(null), input.get("shadow_raw_predictions"),
            input.path("shadow_latency").asDouble());
      case "deployment_info":
        return monitoring.deploymentInfo();
      case "stats":
        return monitoring.stats(input.path("service").asText(null), input);
      default:
        throw new PicselliaException.RequestInvalid("unknown operation \"" + operation + "\"", null);
    }
  }

  /** The action carries its image files inline, base64, by name. */
  private byte[] image(ObjectNode input) {
    String name = input.path("image").asText(null);
    JsonNode file = name == null ? null : action.path("files").get(name);
    if (file == null) throw PicselliaException.RequestInvalid.of("missing_property", "/image", "no image file " + name);
    return Base64.getDecoder().decode(file.asText());
  }

  private static String filename(ObjectNode input) {
    return input.hasNonNull("filename") ? input.get("filename").asText()
        : Path.of(input.path("image").asText("image")).getFileName().toString();
  }

  /** A failed call's error in conformance-outcome.json's shape. */
  static ObjectNode describe(PicselliaException error) {
    String kind = "invalid_request";
    if (error instanceof PicselliaException.AlreadyProcessed) kind = "already_processed";
    else if (error instanceof PicselliaException.ServiceError) kind = "service";
    else if (error instanceof PicselliaException.Timeout) kind = "timeout";
    else if (error instanceof PicselliaException.TransportError) kind = "transport";
    ObjectNode shaped = NODES.objectNode().put("kind", kind);
    if (error instanceof PicselliaException.ServiceError service) shaped.put("status", service.status());
    else shaped.putNull("status");
    shaped.put("code", error.code());
    shaped.set("problems", error.problems());
    shaped.put("message", String.valueOf(error.getMessage()));
    return shaped;
  }
}
