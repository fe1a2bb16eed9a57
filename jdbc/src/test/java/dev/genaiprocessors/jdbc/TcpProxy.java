package dev.genaiprocessors.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port to a database, which a test can make refuse connections (and drop
 * the ones it relays) and then accept them again on the same port: a database going down and coming
 * back, without stopping a server other tests may be using.
 */
final class TcpProxy implements AutoCloseable {
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final int port;
  private volatile ServerSocket server;

  TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = bind(0);
    this.port = server.getLocalPort();
    startAccepting(server);
  }

  int port() {
    return port;
  }

  /** Closes the port and every relayed connection: the database seems down. */
  void refuse() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  /** Opens the port again: the database seems back. */
  void accept() throws IOException {
    server = bind(port);
    startAccepting(server);
  }

  @Override
  public void close() throws IOException {
    refuse();
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void startAccepting(ServerSocket listening) {
    Thread.ofVirtual()
        .name("proxy accept " + port)
        .start(
            () -> {
              while (!listening.isClosed()) {
                try {
                  Socket client = listening.accept();
                  Socket database = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                  sockets.add(client);
                  sockets.add(database);
                  relay(client, database);
                  relay(database, client);
                } catch (IOException e) {
                  // The port was closed (refuse), or one connection failed: go on or stop.
                }
              }
            });
  }

  private void relay(Socket from, Socket to) {
    Thread.ofVirtual()
        .name("proxy relay " + port)
        .start(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // Closed by refuse() or by either end.
              } finally {
                close(from);
                close(to);
              }
            });
  }

  private void close(Socket socket) {
    sockets.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
