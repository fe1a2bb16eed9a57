package dev.genaiprocessors.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The trace viewer: the JDK's HTTP server on 127.0.0.1 serving a page (HTML, CSS and JavaScript
 * from this jar, nothing from the network), the trace as JSON ({@code /trace.json}) and, for a run
 * in progress, its new records as server-sent events ({@code /events?from=N}, ending with an {@code
 * end} event carrying the run's outcome). Each request is served on a virtual thread of an executor
 * this viewer owns and shuts down on {@link #close()}.
 */
final class TraceViewer implements AutoCloseable {
  private static final String PAGES = "/dev/genaiprocessors/cli/viewer/";
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/viewer.js", "viewer.js",
          "/viewer.css", "viewer.css");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<Map<String, Object>> document;
  private final @Nullable TraceRecorder live;
  private volatile boolean closed;

  private TraceViewer(
      HttpServer server,
      ExecutorService executor,
      Supplier<Map<String, Object>> document,
      @Nullable TraceRecorder live) {
    this.server = server;
    this.executor = executor;
    this.document = document;
    this.live = live;
  }

  /**
   * Serves the trace {@code document} gives, following {@code live} when it is not null.
   *
   * @param port the loopback port, 0 for any free one
   * @throws UsageException when the port is taken
   */
  static TraceViewer start(
      int port, Supplier<Map<String, Object>> document, @Nullable TraceRecorder live)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (java.net.BindException e) {
      throw new UsageException("the viewer cannot listen on port " + port + ": " + e.getMessage());
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    TraceViewer viewer = new TraceViewer(server, executor, document, live);
    server.createContext("/", viewer::handle);
    server.start();
    return viewer;
  }

  /** The page's address: {@code http://127.0.0.1:<port>/}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "text/plain", "only GET".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/trace.json")) {
        send(exchange, 200, "application/json", RunCommand.JSON.writeValueAsBytes(document.get()));
      } else if (path.equals("/events")) {
        events(exchange);
      } else if (FILES.containsKey(path)) {
        String name = FILES.get(path);
        try (InputStream in = TraceViewer.class.getResourceAsStream(PAGES + name)) {
          if (in == null) {
            throw new IllegalStateException("the viewer's " + name + " is missing from the jar");
          }
          send(exchange, 200, type(name), in.readAllBytes());
        }
      } else {
        send(exchange, 404, "text/plain", ("no " + path).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static String type(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    return name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }

  /** New records as they come, then the {@code end} event; a client that leaves ends it. */
  private void events(HttpExchange exchange) throws IOException {
    int from = 0;
    String query = exchange.getRequestURI().getQuery();
    if (query != null && query.startsWith("from=")) {
      try {
        from = Math.max(0, Integer.parseInt(query.substring("from=".length())));
      } catch (NumberFormatException e) {
        send(exchange, 400, "text/plain", ("bad " + query).getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    TraceRecorder recorder = live;
    try {
      while (recorder != null && !closed) {
        List<Map<String, Object>> records = recorder.await(from, 1000);
        for (Map<String, Object> record : records) {
          body.write(
              ("data: " + RunCommand.JSON.writeValueAsString(record) + "\n\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
        from += records.size();
        if (records.isEmpty() && recorder.ended()) {
          break;
        }
        body.write(":\n\n".getBytes(StandardCharsets.UTF_8)); // keeps idle connections checked
        body.flush();
      }
      Map<String, Object> end = new LinkedHashMap<>(document.get());
      end.remove("records");
      body.write(
          ("event: end\ndata: " + RunCommand.JSON.writeValueAsString(end) + "\n\n")
              .getBytes(StandardCharsets.UTF_8));
      body.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    executor.shutdownNow();
  }
}
