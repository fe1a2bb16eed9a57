package dev.genaiprocessors.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The little of HTTP/1.1 the test servers need, written out by hand so that every byte on the wire
 * is the server's choice: requests with a {@code Content-Length} or chunked body, responses with a
 * fixed length or chunked, and the freedom to drop a connection in the middle of a body.
 */
final class HttpWire {
  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_BODY = 64 * 1024 * 1024;

  private HttpWire() {}

  /** Reads one request, or returns {@code null} when the client closed the connection first. */
  static @Nullable RecordedRequest readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(in); // tolerated between keep-alive requests (RFC 9112 section 2.2)
    }
    if (requestLine == null) {
      return null;
    }
    String[] words = requestLine.split(" ", -1);
    if (words.length != 3) {
      throw new ProtocolException("malformed request line: " + requestLine);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException("malformed header line: " + line);
      }
      headers
          .computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
    byte[] body;
    String transferEncoding = first(headers, "transfer-encoding");
    String contentLength = first(headers, "content-length");
    if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = readChunked(in);
    } else if (contentLength != null) {
      int length = Integer.parseInt(contentLength.strip());
      if (length < 0 || length > MAX_BODY) {
        throw new ProtocolException("unsupported Content-Length: " + length);
      }
      body = in.readNBytes(length);
      if (body.length != length) {
        return null;
      }
    } else {
      body = new byte[0];
    }
    return new RecordedRequest(words[0], words[1], headers, body);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      if (sizeLine == null) {
        throw new ProtocolException("request body ended inside a chunk");
      }
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
      if (size == 0) {
        for (String trailer = readLine(in);
            trailer != null && !trailer.isEmpty();
            trailer = readLine(in)) {
          // Trailers carry nothing the servers use.
        }
        return body.toByteArray();
      }
      if (body.size() + size > MAX_BODY) {
        throw new ProtocolException("request body larger than " + MAX_BODY + " bytes");
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
  }

  private static @Nullable String first(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }

  /** A line without its CRLF (or bare LF), or {@code null} at the end of the stream. */
  private static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_LINE) {
        throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Writes a status line and headers, ending with the blank line. */
  static void writeHead(OutputStream out, int status, Map<String, String> headers)
      throws IOException {
    StringBuilder head =
        new StringBuilder(256)
            .append("HTTP/1.1 ")
            .append(status)
            .append(' ')
            .append(reason(status))
            .append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Writes {@code reply} as it is: its status, its {@code Content-Type} when it has one, a {@code
   * Content-Length} and its body; returns true, since the connection may serve another request.
   */
  static boolean writeRaw(OutputStream out, RawReply reply) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    if (reply.contentType != null) {
      headers.put("Content-Type", reply.contentType);
    }
    headers.put("Content-Length", Integer.toString(reply.body.length));
    writeHead(out, reply.status, headers);
    out.write(reply.body);
    return true;
  }

  /** Writes one chunk of a chunked body. */
  static void writeChunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(data);
    out.write(CRLF);
  }

  /** Writes the last chunk, which ends a chunked body. */
  static void writeLastChunk(OutputStream out) throws IOException {
    out.write(LAST_CHUNK);
  }

  /**
   * Writes a 200 event stream, one SSE block per chunk, each flushed as written and the blocks
   * paced as {@code faults} says; returns whether the connection may serve another request (not
   * when {@link StreamFaults#cutAfterEvents} dropped it in the middle of the body).
   */
  static boolean writeEventStream(
      OutputStream out, Map<String, String> headers, List<String> blocks, StreamFaults faults)
      throws IOException, InterruptedException {
    writeHead(out, 200, headers);
    for (int i = 0; i < blocks.size(); i++) {
      if (i == faults.cutAfterEvents()) {
        out.flush();
        return false; // the connection drops without the last chunk: the body is cut off
      }
      if (i > 0) {
        if (!faults.pacing().isZero()) {
          out.flush();
        }
        sleep(faults.pacing());
      }
      writeChunk(out, blocks.get(i).getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    if (blocks.size() == faults.cutAfterEvents()) {
      out.flush();
      return false;
    }
    writeLastChunk(out);
    return true;
  }

  /** Waits {@code duration}, or not at all when it is zero. */
  static void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero()) {
      Thread.sleep(duration);
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status;
    };
  }
}
