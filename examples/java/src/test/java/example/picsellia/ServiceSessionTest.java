package example.picsellia;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the certification cannot show quickly: a body that trickles in is bounded too. */
class ServiceSessionTest {
  private HttpServer server;
  private String base;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/login", exchange -> {
      byte[] body = "{\"jwt\": \"t\", \"expires\": 9999999999}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/slow", exchange -> { // headers at once, then one byte a second
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 10; i++) {
          out.write(' ');
          out.flush();
          Thread.sleep(1000);
        }
        out.write("{}".getBytes(StandardCharsets.UTF_8));
      } catch (Exception stopped) {
        // the client went away
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aBodyThatTricklesInTimesOutWithinTheTimeout() {
    var session = new ServiceSession("serving", base, "d", "t", Duration.ofMillis(1500));
    long started = System.nanoTime();
    var request = ServiceSession.Request.json("POST", "/slow", Map.of());
    assertThrows(PicselliaException.Timeout.class, () -> session.call(request, 200));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertTrue(seconds < 4, "the attempt took " + seconds + " s, its timeout is 1.5 s");
  }
}
