package dev.genaiprocessors.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A real HTTP/1.1 server on loopback that answers from a script and records every request: for
 * testing HTTP clients (retries, rate limits, timeouts, streaming) without mocks or the network.
 *
 * <p>Answers come from the queue filled with {@link #enqueue}, in order, one per request; once it
 * is empty, from the fallback set with {@link #otherwise} (by default 404). Each request is handled
 * on a virtual thread of its own, so delayed answers do not hold others up.
 *
 * <pre>{@code
 * try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
 *   server.enqueue(ScriptedResponse.status(503)).otherwise(request -> ScriptedResponse.json("{}"));
 *   ... call server.uri("/v1/items") ...
 *   assertThat(server.requests()).hasSize(2);
 * }
 * }</pre>
 */
public final class ScriptedHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<ScriptedResponse> script = new ArrayDeque<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private Function<RecordedRequest, ScriptedResponse> fallback =
      request -> ScriptedResponse.status(404);

  private ScriptedHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts a server on a free loopback port.
   *
   * @throws java.io.UncheckedIOException when no port can be bound
   */
  public static ScriptedHttpServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(executor);
      ScriptedHttpServer scripted = new ScriptedHttpServer(server, executor);
      server.createContext("/", scripted::handle);
      server.start();
      return scripted;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot start a loopback HTTP server", e);
    }
  }

  /** The server's base URI, {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  /** The URI of {@code path} (which starts with {@code /}) on this server. */
  public URI uri(String path) {
    return uri().resolve(path);
  }

  /** Adds answers to the end of the script. */
  public ScriptedHttpServer enqueue(ScriptedResponse... responses) {
    lock.lock();
    try {
      for (ScriptedResponse response : responses) {
        script.add(Objects.requireNonNull(response, "response"));
      }
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** How to answer once the script is empty. */
  public ScriptedHttpServer otherwise(Function<RecordedRequest, ScriptedResponse> fallback) {
    Objects.requireNonNull(fallback, "fallback");
    lock.lock();
    try {
      this.fallback = fallback;
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Answers {@code response} once the script is empty. */
  public ScriptedHttpServer otherwise(ScriptedResponse response) {
    Objects.requireNonNull(response, "response");
    return otherwise(request -> response);
  }

  /** The requests received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    lock.lock();
    try {
      return List.copyOf(requests);
    } finally {
      lock.unlock();
    }
  }

  /** How many requests were received so far. */
  public int requestCount() {
    lock.lock();
    try {
      return requests.size();
    } finally {
      lock.unlock();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      RecordedRequest request =
          new RecordedRequest(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              exchange.getRequestHeaders(),
              exchange.getRequestBody().readAllBytes());
      ScriptedResponse response;
      lock.lock();
      try {
        requests.add(request);
        ScriptedResponse next = script.poll();
        response = next != null ? next : fallback.apply(request);
      } finally {
        lock.unlock();
      }
      respond(exchange, response);
      if (response.cut()) {
        // Leaving the handler by an exception makes the server drop the connection unfinished.
        throw new CutConnection();
      }
      exchange.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    }
  }

  /** Thrown out of a handler to make the server drop the connection. */
  private static final class CutConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CutConnection() {
      super("connection cut as scripted", null, false, false);
    }
  }

  private static void respond(HttpExchange exchange, ScriptedResponse response)
      throws IOException, InterruptedException {
    sleep(response.delay());
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    long length = 0;
    for (byte[] chunk : response.chunks()) {
      length += chunk.length;
    }
    if (response.cut()) {
      // Promise more than is sent: closing the exchange short then drops the connection.
      exchange.sendResponseHeaders(response.status(), length + 1024);
    } else {
      boolean chunked = response.chunks().size() > 1;
      exchange.sendResponseHeaders(response.status(), chunked ? 0 : length == 0 ? -1 : length);
    }
    OutputStream body = exchange.getResponseBody();
    boolean first = true;
    for (byte[] chunk : response.chunks()) {
      if (!first) {
        sleep(response.betweenChunks());
      }
      first = false;
      body.write(chunk);
      body.flush();
    }
  }

  private static void sleep(java.time.Duration duration) throws InterruptedException {
    if (!duration.isZero()) {
      Thread.sleep(duration);
    }
  }

  /** Stops the server at once, dropping open connections. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
