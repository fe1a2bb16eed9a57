package dev.genaiprocessors.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connection handling of a vendor server written over {@link HttpWire}: a loopback socket, one
 * virtual thread accepting and one per connection, keep-alive, and a {@link #close()} that drops
 * every connection and joins every thread. What to answer is the {@link Handler}'s business.
 */
final class LoopbackHttpServer implements AutoCloseable {

  /** Answers one request by writing a whole HTTP response (or part of one, to cut it). */
  interface Handler {
    /**
     * Writes the response to {@code request}; returns whether the connection may serve another
     * (false when the handler cut the response short).
     */
    boolean respond(RecordedRequest request, OutputStream out)
        throws IOException, InterruptedException;
  }

  private record Connection(Socket socket, Thread thread) {}

  private final String name;
  private final Handler handler;
  private final ServerSocket serverSocket;
  private final Thread acceptor;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  LoopbackHttpServer(String name, int port, Handler handler) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
    }
    this.name = name;
    this.handler = handler;
    try {
      serverSocket = new ServerSocket(port, 128, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on loopback port " + port, e);
    }
    acceptor =
        Thread.ofVirtual()
            .name(name + "-" + serverSocket.getLocalPort() + "-accept")
            .start(this::acceptLoop);
  }

  /** The port listened on. */
  int port() {
    return serverSocket.getLocalPort();
  }

  /** How many connections are open: accepted and not yet ended by either side. */
  int openConnections() {
    return connections.size();
  }

  /** The loopback address, as text ({@code 127.0.0.1}). */
  String host() {
    return serverSocket.getInetAddress().getHostAddress();
  }

  /** Stops listening, drops every open connection and waits until every thread has ended. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the server socket failed", e);
    }
    for (Connection connection : connections) {
      closeQuietly(connection.socket());
      connection.thread().interrupt();
    }
    boolean interrupted = false;
    List<Thread> threads = new ArrayList<>();
    threads.add(acceptor);
    connections.forEach(c -> threads.add(c.thread()));
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // the server socket was closed: the server is stopping
      }
      Thread thread =
          Thread.ofVirtual()
              .name(name + "-" + port() + "-connection")
              .unstarted(() -> serve(socket));
      connections.add(new Connection(socket, thread));
      if (closed) {
        closeQuietly(socket);
      }
      thread.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      while (!closed) {
        RecordedRequest request = HttpWire.readRequest(in);
        if (request == null) {
          return;
        }
        boolean keepOpen = handler.respond(request, out);
        out.flush();
        if (!keepOpen || "close".equalsIgnoreCase(request.header("connection"))) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away or the server is closing: nothing more to serve on this connection.
    } catch (InterruptedException e) {
      // close() interrupted a paced stream: the server is stopping.
    } finally {
      connections.removeIf(c -> c.socket() == socket);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing to stop it: a failure to close leaves nothing to clean up.
    }
  }
}
