package example.picsellia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The error tree. Catch the subclass you act on:
 *
 * <pre>
 * PicselliaException
 *  +-- RequestInvalid      the client refused to send (no image, not a PNG or JPEG, ...)
 *  +-- TransportError      no answer: the connection failed
 *  |    +-- Timeout        no answer within the timeout (the body read included)
 *  +-- ServiceError        the service answered an error: status, code, message, problems
 *       +-- AlreadyProcessed   409: this prediction (or shadow) was already stored
 * </pre>
 */
public class PicselliaException extends RuntimeException {
  private final ArrayNode problems;

  public PicselliaException(String message, ArrayNode problems) {
    super(message);
    this.problems = problems == null ? JsonNodeFactory.instance.arrayNode() : problems;
  }

  /** The problems (problem.json) as the service sent them, or as the client found them. */
  public ArrayNode problems() {
    return problems;
  }

  /** The first problem's code, or null. */
  public String code() {
    JsonNode code = problems.path(0).get("code");
    return code != null && code.isTextual() ? code.asText() : null;
  }

  /** The client refused to send. */
  public static class RequestInvalid extends PicselliaException {
    public RequestInvalid(String message, ArrayNode problems) {
      super(message, problems);
    }

    /** The RequestInvalid of one problem, shaped as the services' problems. */
    static RequestInvalid of(String code, String pointer, String message) {
      ArrayNode problems = JsonNodeFactory.instance.arrayNode();
      problems.addObject().put("code", code).put("pointer", pointer).put("message", message)
          .put("severity", "error");
      return new RequestInvalid(message, problems);
    }
  }

  /** No answer from the service. */
  public static class TransportError extends PicselliaException {
    public TransportError(String message) {
      super(message, null);
    }
  }

  /** No answer within the timeout of one attempt. */
  public static class Timeout extends TransportError {
    public Timeout(String message) {
      super(message);
    }
  }

  /** The service answered a status the call does not expect. */
  public static class ServiceError extends PicselliaException {
    private final int status;

    public ServiceError(int status, String message, ArrayNode problems) {
      super(status + ": " + message, problems);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** 409: stored before; treat the call as done. */
  public static class AlreadyProcessed extends ServiceError {
    public AlreadyProcessed(int status, String message, ArrayNode problems) {
      super(status, message, problems);
    }
  }
}
