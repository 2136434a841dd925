package example.picsellia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Predictions for one deployment; each call logs in first if needed (POST /api/login). Options
 * are a JSON object with the wire names (tags, source, monitor, postprocess, upload_dir,
 * metadata, custom_metadata) plus singular_route; absent keys are not sent, except those the
 * SDK always sends.
 */
public class ServingClient {
  private final ServiceSession session;
  private final String deploymentId;

  public ServingClient(String host, String deploymentId, String apiToken, Duration timeout) {
    this.session = new ServiceSession("serving", host, deploymentId, apiToken, timeout);
    this.deploymentId = deploymentId;
  }

  /**
   * POST /api/deployments/{id}/predict (predict-form.json): one tags part per tag, monitor and
   * postprocess always (True and False unless given), source and upload_dir when given, metadata
   * and custom_metadata as JSON text when not empty, then the file part.
   */
  public JsonNode predict(byte[] image, String filename, ObjectNode options) {
    if (image == null) throw PicselliaException.RequestInvalid.of("missing_property", "/media", "an image is required");
    List<String[]> fields = new ArrayList<>();
    options.path("tags").forEach(tag -> fields.add(new String[] {"tags", tag.asText()}));
    fields.add(new String[] {"monitor", options.path("monitor").asBoolean(true) ? "True" : "False"});
    fields.add(new String[] {"postprocess", options.path("postprocess").asBoolean(false) ? "True" : "False"});
    for (String key : List.of("source", "upload_dir")) {
      if (options.hasNonNull(key)) fields.add(new String[] {key, options.get(key).asText()});
    }
    for (String key : List.of("metadata", "custom_metadata")) {
      if (options.hasNonNull(key) && !options.get(key).isEmpty()) {
        fields.add(new String[] {key, options.get(key).toString()});
      }
    }
    String boundary = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    byte[] body = multipart(boundary, fields, "media", filename, image);
    String route = (options.path("singular_route").asBoolean(false) ? "/api/deployment/" : "/api/deployments/")
        + deploymentId + "/predict";
    var request = new ServiceSession.Request("POST", route, "", body, "multipart/form-data; boundary=" + boundary);
    return session.call(request, 200);
  }

  /** Multipart as the SDK writes it: the text parts, then the file part with its filename and
   *  no part Content-Type. */
  static byte[] multipart(String boundary, List<String[]> fields, String fileField, String filename,
      byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] field : fields) {
      write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0]
          + "\"\r\n\r\n" + field[1] + "\r\n");
    }
    String quoted = filename.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
        + "\"; filename=\"" + quoted + "\"\r\n\r\n");
    out.writeBytes(data);
    write(out, "\r\n--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** POST /api/v2/deployments/{id}/predict (predict-v2-request.json): tags ([]), monitor
   *  (true) and postprocess (false) always; source, metadata, custom_metadata when given. */
  public JsonNode predictCloudImage(JsonNode cloudImage, ObjectNode options) {
    ObjectNode body = ServiceSession.JSON.createObjectNode();
    body.set("tags", options.hasNonNull("tags") ? options.get("tags") : body.arrayNode());
    body.put("monitor", options.path("monitor").asBoolean(true));
    body.put("postprocess", options.path("postprocess").asBoolean(false));
    if (options.hasNonNull("source")) body.set("source", options.get("source"));
    for (String key : List.of("metadata", "custom_metadata")) {
      if (options.hasNonNull(key) && !options.get(key).isEmpty()) body.set(key, options.get(key));
    }
    body.set("cloud_image", cloudImage);
    String route = "/api/v2/deployments/" + deploymentId + "/predict";
    return session.call(ServiceSession.Request.json("POST", route, body), 200);
  }

  /** POST /api/v2/deployments/{id}/predict/shadow (predict-shadow-v2-request.json). */
  public JsonNode predictShadow(String predictionId, JsonNode cloudImage, boolean monitor) {
    ObjectNode body = ServiceSession.JSON.createObjectNode();
    body.put("prediction_id", predictionId).put("monitor", monitor).set("cloud_image", cloudImage);
    String route = "/api/v2/deployments/" + deploymentId + "/predict/shadow";
    return session.call(ServiceSession.Request.json("POST", route, body), 200);
  }
}
