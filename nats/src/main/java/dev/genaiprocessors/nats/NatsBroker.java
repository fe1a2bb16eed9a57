package dev.genaiprocessors.nats;

import dev.genaiprocessors.queue.Broker;
import dev.genaiprocessors.queue.Headers;
import dev.genaiprocessors.queue.Message;
import dev.genaiprocessors.queue.QueueException;
import dev.genaiprocessors.queue.QueueSpec;
import dev.genaiprocessors.queue.Subscription;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.ErrorListenerLoggerImpl;
import io.nats.client.support.Status;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Broker} on NATS JetStream, through the official {@code io.nats:jnats} client: one
 * instance is one NATS connection.
 *
 * <pre>{@code
 * try (NatsBroker broker = NatsBroker.builder().server("nats://127.0.0.1:4222").connect();
 *     Worker worker = Worker.builder(broker, QueueSpec.of("summaries"), summarise).start()) {
 *   // serves until closed
 * }
 * }</pre>
 *
 * <p><b>How destinations map onto JetStream.</b> A destination {@code a.b} is the subject {@code
 * a.b} of a file-stored stream {@code a_b} (a dot becomes {@code _}, an underscore {@code -_}, a
 * hyphen {@code --}, so two names never share a stream) with work-queue retention: a message is
 * kept until one consumer acknowledges it. Every subscriber of a destination pulls from the one
 * durable consumer {@code gp-workers}, whose {@code MaxDeliver} is the spec's {@link
 * QueueSpec#maxDeliveries()} and whose {@code AckWait} is {@link Builder#ackWait}. The spec is
 * written in the stream's description, so a second declaration with other settings is refused.
 *
 * <p><b>Publishing.</b> {@link #publish} sends the message id as {@code Nats-Msg-Id} and returns
 * when JetStream acknowledged the message (it is then on disk). The stream drops a message whose id
 * it saw within {@link Builder#duplicateWindow}, so a publish that is retried, by this broker while
 * the server restarts or by the caller after a failure, stores the message once. Many threads may
 * publish at once: their acknowledgements are awaited together.
 *
 * <p><b>Headers.</b> Header values that are printable ASCII go as they are; others (non-ASCII,
 * control characters, spaces at either end) are percent-encoded behind {@code %gp%} and decoded on
 * delivery. Headers whose names start with {@code Nats-} belong to NATS and are not delivered.
 *
 * <p><b>Prefetch and redelivery.</b> A subscription pulls only as many messages as it has room for
 * (its prefetch less the messages it holds and those it asked for), one thread reading them so that
 * first deliveries keep the stream's order, and tells the server every third of {@code AckWait}
 * that the messages it holds are still in progress, so a slow processor never loses its message. A
 * subscription that is closed gives its messages back at once (a negative acknowledgement); a
 * process that dies, or a connection that is lost, gives them back when {@code AckWait} runs out.
 * {@link dev.genaiprocessors.queue.Delivery#retry} is JetStream's {@code nak} with a delay, kept by
 * the server.
 *
 * <p><b>Dead letters.</b> When a message's last allowed delivery ends without an acknowledgement,
 * JetStream publishes a {@code MAX_DELIVERIES} advisory; a stream of the destination's own ({@code
 * a_b-ADV}) keeps those advisories, so none is lost while no worker runs. Each subscription to a
 * destination moves the messages the advisories name to the dead-letter destination, with {@link
 * Headers#ERROR} ({@code "delivery limit of N reached"}), {@link Headers#ORIGINAL_DESTINATION} and
 * {@link Headers#DELIVERY_COUNT}, then deletes them from the destination.
 *
 * <p><b>Recovery.</b> The connection reconnects by itself, for ever, until {@link #close()}. While
 * it is down, {@link #publish} waits up to {@link Builder#reconnectLimit} and then throws, and
 * subscriptions wait; once it is back they go on. Deliveries received before the loss may still be
 * acknowledged: JetStream keeps a consumer's pending messages across a restart, and delivers them
 * again if the acknowledgement does not arrive in time.
 *
 * <p><b>Threads.</b> jnats runs its own reader, writer and timer threads; this class adds three
 * virtual threads per subscription (the reader, which also keeps up to four pull requests in
 * flight, the in-progress ticker and the dead-letter mover), none of which runs user code. Every
 * failure is a {@link QueueException} naming the destination and the message id, with the jnats
 * exception as its cause; the server's address appears nowhere with its user name or password.
 */
public final class NatsBroker implements Broker {
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Pattern DESCRIPTION =
      Pattern.compile(
          "genai-processors destination (\\S+)(?:; dead letters to (\\S+) after (\\d+)"
              + " deliveries)?");
  private static final int STREAM_NOT_FOUND = 10059;

  private final Connection connection;
  private final JetStream jetStream;
  private final JetStreamManagement management;
  private final Duration ackWait;
  private final Duration reconnectLimit;
  private final Duration publishTimeout;
  private final Duration duplicateWindow;
  private final String server;
  private final Set<String> knownStreams = ConcurrentHashMap.newKeySet();
  private final Set<NatsSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private NatsBroker(Builder b, Connection connection) throws IOException {
    this.connection = connection;
    this.jetStream = connection.jetStream();
    this.management = connection.jetStreamManagement();
    this.ackWait = b.ackWait;
    this.reconnectLimit = b.reconnectLimit;
    this.publishTimeout = b.publishTimeout;
    this.duplicateWindow = b.duplicateWindow;
    this.server = redact(b.server);
  }

  /** A builder of a connection to the NATS server at {@code nats://127.0.0.1:4222} by default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects to the NATS server at {@code url} with the default settings.
   *
   * @throws QueueException when the server cannot be reached
   */
  public static NatsBroker connect(String url) {
    return builder().server(url).connect();
  }

  // ------------------------------------------------------------------ destinations

  @Override
  public void declare(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    checkOpen(spec.name(), null);
    try {
      declareStream(spec.name(), mainDescription(spec), spec.maxDeliveries(), true);
      declareStream(
          spec.deadLetter(), "genai-processors destination " + spec.deadLetter(), -1, false);
      String advisories = Names.advisoryStream(spec.name());
      addStreamIfAbsent(
          StreamConfiguration.builder()
              .name(advisories)
              .description("dead-letter advisories of " + spec.name())
              .subjects(Names.maxDeliveriesSubject(Names.stream(spec.name())))
              .retentionPolicy(RetentionPolicy.WorkQueue)
              .storageType(StorageType.File)
              .build());
      management.addOrUpdateConsumer(
          advisories,
          ConsumerConfiguration.builder()
              .durable(Names.MOVER)
              .ackPolicy(AckPolicy.Explicit)
              .ackWait(ackWait)
              .maxDeliver(-1)
              .deliverPolicy(DeliverPolicy.All)
              .build());
    } catch (IOException | JetStreamApiException e) {
      throw new QueueException(
          "could not declare " + spec.name() + " on NATS: " + e.getMessage(), e);
    }
  }

  private static String mainDescription(QueueSpec spec) {
    return "genai-processors destination "
        + spec.name()
        + "; dead letters to "
        + spec.deadLetter()
        + " after "
        + spec.maxDeliveries()
        + " deliveries";
  }

  private void declareStream(String name, String description, int maxDeliver, boolean main)
      throws IOException, JetStreamApiException {
    String stream = Names.stream(name);
    StreamConfiguration config =
        StreamConfiguration.builder()
            .name(stream)
            .description(description)
            .subjects(name)
            .retentionPolicy(RetentionPolicy.WorkQueue)
            .storageType(StorageType.File)
            .duplicateWindow(duplicateWindow)
            .build();
    StreamInfo existing = addStreamIfAbsent(config);
    if (existing != null) {
      String had = Objects.requireNonNullElse(existing.getConfiguration().getDescription(), "");
      if (!had.equals(description)) {
        Matcher m = DESCRIPTION.matcher(had);
        boolean hadSpec = m.matches() && m.group(2) != null;
        if (main && hadSpec) {
          throw new QueueException(
              "destination "
                  + name
                  + " exists on NATS with other settings ("
                  + had
                  + "), not as declared ("
                  + description
                  + ")");
        }
        if (main) {
          // A destination made as somebody's dead letters, now declared with a spec of its own.
          management.updateStream(
              StreamConfiguration.builder(existing.getConfiguration())
                  .description(description)
                  .build());
        } else {
          maxDeliver = m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3)) : -1;
        }
      }
    }
    management.addOrUpdateConsumer(
        stream,
        ConsumerConfiguration.builder()
            .durable(Names.WORKERS)
            .ackPolicy(AckPolicy.Explicit)
            .ackWait(ackWait)
            .maxDeliver(maxDeliver)
            .maxAckPending(100_000)
            .deliverPolicy(DeliverPolicy.All)
            .filterSubject(name)
            .build());
    knownStreams.add(stream);
  }

  /** Adds the stream, or returns its info when it exists already. */
  private @Nullable StreamInfo addStreamIfAbsent(StreamConfiguration config)
      throws IOException, JetStreamApiException {
    try {
      return management.getStreamInfo(config.getName());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
    }
    try {
      management.addStream(config);
      return null;
    } catch (JetStreamApiException e) {
      // Declared by somebody else at the same moment: take theirs.
      return management.getStreamInfo(config.getName());
    }
  }

  @Override
  public void delete(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    checkOpen(spec.name(), null);
    for (String stream :
        List.of(
            Names.stream(spec.name()),
            Names.advisoryStream(spec.name()),
            Names.stream(spec.deadLetter()))) {
      knownStreams.remove(stream);
      try {
        management.deleteStream(stream);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
          throw new QueueException("could not delete " + spec.name() + " on NATS", e);
        }
      } catch (IOException e) {
        throw new QueueException("could not delete " + spec.name() + " on NATS", e);
      }
    }
  }

  /** The stream of {@code destination}, checked to exist (once per broker, then cached). */
  private String checkedStream(String destination, @Nullable String messageId) {
    String stream = Names.stream(destination);
    if (knownStreams.contains(stream)) {
      return stream;
    }
    try {
      management.getStreamInfo(stream);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        throw new Undeclared(
            "destination "
                + destination
                + " was never declared (no NATS stream "
                + stream
                + ")"
                + (messageId == null ? "" : "; message " + messageId + " not published"),
            e);
      }
      throw new QueueException(
          "could not look up " + destination + " on NATS" + forMessage(messageId), e);
    } catch (IOException e) {
      throw new QueueException(
          "could not look up " + destination + " on NATS" + forMessage(messageId), e);
    }
    knownStreams.add(stream);
    return stream;
  }

  /** A destination with no stream: publishing to it again cannot help. */
  private static final class Undeclared extends QueueException {
    private static final long serialVersionUID = 1L;

    Undeclared(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static String forMessage(@Nullable String messageId) {
    return messageId == null ? "" : " for message " + messageId;
  }

  // ------------------------------------------------------------------ publishing

  @Override
  public void publish(String destination, Message message) throws InterruptedException {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(message, "message");
    checkOpen(destination, message.id());
    long deadline = System.nanoTime() + reconnectLimit.toNanos();
    String stream = checkedStreamWaiting(destination, message.id(), deadline);
    io.nats.client.impl.Headers headers = new io.nats.client.impl.Headers();
    message.headers().forEach((name, value) -> headers.put(name, Names.encodeHeader(value)));
    PublishOptions options =
        PublishOptions.builder().messageId(message.id()).expectedStream(stream).build();
    byte[] body = message.body();
    @Nullable Throwable last = null;
    while (true) {
      checkOpen(destination, message.id());
      if (awaitConnected(deadline)) {
        try {
          CompletableFuture<PublishAck> ack =
              jetStream.publishAsync(destination, headers, body, options);
          try {
            ack.get(publishTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return;
          } catch (TimeoutException e) {
            ack.cancel(false);
            last = e;
          }
        } catch (ExecutionException | CompletionException e) {
          Throwable cause = rootCause(e);
          if (cause instanceof JetStreamApiException api && !transientApiError(api)) {
            throw new QueueException(
                "NATS refused message "
                    + message.id()
                    + " to "
                    + destination
                    + ": "
                    + api.getMessage(),
                api);
          }
          String text = cause.getMessage();
          if (text != null && text.contains("503")) {
            // No stream answered: deleted meanwhile, or JetStream still starting after a restart.
            knownStreams.remove(stream);
            checkedStreamWaiting(destination, message.id(), deadline);
          }
          last = cause;
        } catch (IllegalStateException e) {
          // The connection closed or its reconnect buffer is full.
          checkOpen(destination, message.id());
          last = e;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new QueueException(
            "NATS did not confirm message "
                + message.id()
                + " to "
                + destination
                + " within "
                + reconnectLimit,
            last);
      }
      Thread.sleep(POLL);
    }
  }

  /** As {@link #checkedStream}, waiting out a lost connection up to {@code deadline}. */
  private String checkedStreamWaiting(String destination, String messageId, long deadline)
      throws InterruptedException {
    while (true) {
      try {
        return checkedStream(destination, messageId);
      } catch (QueueException e) {
        if (e instanceof Undeclared || System.nanoTime() - deadline > 0) {
          throw e;
        }
        checkOpen(destination, messageId);
        Thread.sleep(POLL);
      }
    }
  }

  private static boolean transientApiError(JetStreamApiException e) {
    // 503: JetStream not ready (just restarted); 10008: JetStream temporarily unavailable.
    return e.getErrorCode() == 503 || e.getApiErrorCode() == 10008;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException
            || t instanceof CompletionException
            || (t instanceof RuntimeException && t.getClass() == RuntimeException.class))
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Waits until the connection is up or {@code deadline} passes; false if it did not come back. */
  boolean awaitConnected(long deadline) throws InterruptedException {
    while (connection.getStatus() != Connection.Status.CONNECTED) {
      if (closed || connection.getStatus() == Connection.Status.CLOSED) {
        return false;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(POLL);
    }
    return true;
  }

  // ------------------------------------------------------------------ consuming

  @Override
  public Subscription subscribe(String destination, int prefetch) {
    Objects.requireNonNull(destination, "destination");
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1 but was " + prefetch);
    }
    checkOpen(destination, null);
    String stream = Names.stream(destination);
    try {
      StreamInfo info;
      try {
        info = management.getStreamInfo(stream);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
          throw new QueueException(
              "destination " + destination + " was never declared (no NATS stream " + stream + ")",
              e);
        }
        throw e;
      }
      JetStreamSubscription pull =
          jetStream.subscribe(destination, PullSubscribeOptions.bind(stream, Names.WORKERS));
      Matcher m =
          DESCRIPTION.matcher(
              Objects.requireNonNullElse(info.getConfiguration().getDescription(), ""));
      @Nullable JetStreamSubscription advisories = null;
      @Nullable String deadLetter = null;
      if (m.matches() && m.group(2) != null) {
        deadLetter = m.group(2);
        try {
          advisories =
              jetStream.subscribe(
                  null, PullSubscribeOptions.bind(Names.advisoryStream(destination), Names.MOVER));
        } catch (JetStreamApiException | IllegalArgumentException e) {
          // No advisory stream (made by an older declaration): dead letters wait for one.
          advisories = null;
        }
      }
      NatsSubscription subscription =
          new NatsSubscription(
              this, destination, stream, prefetch, pull, advisories, deadLetter, ackWait);
      subscriptions.add(subscription);
      subscription.start();
      return subscription;
    } catch (IOException | JetStreamApiException e) {
      throw new QueueException("could not subscribe to " + destination + " on NATS", e);
    }
  }

  void forget(NatsSubscription subscription) {
    subscriptions.remove(subscription);
  }

  JetStreamManagement management() {
    return management;
  }

  boolean isClosed() {
    return closed;
  }

  boolean isConnected() {
    return !closed && connection.getStatus() == Connection.Status.CONNECTED;
  }

  /**
   * Moves the message that a {@code MAX_DELIVERIES} advisory names from {@code stream} to {@code
   * deadLetter}; does nothing when it is gone already (moved by another subscriber).
   */
  void moveToDeadLetter(
      String destination, String stream, String deadLetter, long sequence, long deliveries)
      throws IOException, JetStreamApiException, InterruptedException {
    io.nats.client.api.MessageInfo info;
    try {
      info = management.getMessage(stream, sequence);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == 10037) { // no message found
        return;
      }
      throw e;
    }
    Message original =
        NatsSubscription.toMessage(info.getHeaders(), info.getData(), stream, sequence);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(Headers.ERROR, "delivery limit of " + deliveries + " reached");
    extra.put(Headers.ORIGINAL_DESTINATION, destination);
    extra.put(Headers.DELIVERY_COUNT, Long.toString(deliveries));
    publish(deadLetter, original.withHeaders(extra));
    try {
      management.deleteMessage(stream, sequence);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != 10037) {
        throw e;
      }
    }
  }

  private void checkOpen(String destination, @Nullable String messageId) {
    if (closed || connection.getStatus() == Connection.Status.CLOSED) {
      throw new QueueException(
          "NATS connection to " + server + " is closed; " + destination + forMessage(messageId));
    }
  }

  /**
   * Closes the connection as a crash would: subscriptions stop without giving their messages back,
   * and JetStream delivers those again when their {@code AckWait} runs out.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (NatsSubscription subscription : List.copyOf(subscriptions)) {
      subscription.abandon();
    }
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "NatsBroker[" + server + (closed ? ", closed" : "") + "]";
  }

  /** The server address without user information. */
  static String redact(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getRawUserInfo() == null) {
        return url;
      }
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return "(a NATS server)";
    }
  }

  /**
   * Settings of a {@link NatsBroker}; {@link #connect()} checks them and connects.
   *
   * <p>Credentials, TLS and any other jnats setting go through {@link #options}; they never appear
   * in this broker's messages or {@code toString()}.
   */
  public static final class Builder {
    private String server = "nats://127.0.0.1:4222";
    private Duration ackWait = Duration.ofSeconds(30);
    private Duration reconnectLimit = Duration.ofMinutes(2);
    private Duration publishTimeout = Duration.ofSeconds(5);
    private Duration duplicateWindow = Duration.ofMinutes(2);
    private @Nullable String connectionName;
    private Consumer<Options.Builder> options = o -> {};

    private Builder() {}

    /** The server's URL (default {@code nats://127.0.0.1:4222}). */
    public Builder server(String url) {
      this.server = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * How long JetStream waits for the acknowledgement of a delivery before it delivers the message
     * again (default 30 s), when the consumer died or lost its connection. A live subscription
     * keeps its messages by telling the server they are in progress, so this bounds only how soon a
     * crash is noticed. It is the consumer's setting: the first declaration sets it.
     */
    public Builder ackWait(Duration ackWait) {
      this.ackWait = Objects.requireNonNull(ackWait, "ackWait");
      return this;
    }

    /**
     * How long {@link NatsBroker#publish} waits for a lost connection to come back (default 2 min).
     */
    public Builder reconnectLimit(Duration reconnectLimit) {
      this.reconnectLimit = Objects.requireNonNull(reconnectLimit, "reconnectLimit");
      return this;
    }

    /** How long one attempt to publish waits for JetStream's acknowledgement (default 5 s). */
    public Builder publishTimeout(Duration publishTimeout) {
      this.publishTimeout = Objects.requireNonNull(publishTimeout, "publishTimeout");
      return this;
    }

    /**
     * How long a stream remembers message ids to drop duplicates (default 2 min): a message
     * published again with the same id within it is stored once. Set when a stream is created.
     */
    public Builder duplicateWindow(Duration duplicateWindow) {
      this.duplicateWindow = Objects.requireNonNull(duplicateWindow, "duplicateWindow");
      return this;
    }

    /** The name the connection shows in the server's monitoring. */
    public Builder connectionName(String connectionName) {
      this.connectionName = Objects.requireNonNull(connectionName, "connectionName");
      return this;
    }

    /**
     * Further jnats settings (credentials, TLS, buffer sizes), applied after this builder's own:
     * the server, reconnecting for ever, and the connection name.
     */
    public Builder options(Consumer<Options.Builder> options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Checks the settings and connects.
     *
     * @throws IllegalArgumentException naming a duration that is not positive
     * @throws QueueException when the server cannot be reached
     */
    public NatsBroker connect() {
      positive("ackWait", ackWait);
      positive("reconnectLimit", reconnectLimit);
      positive("publishTimeout", publishTimeout);
      positive("duplicateWindow", duplicateWindow);
      Options.Builder builder =
          new Options.Builder()
              .server(server)
              .maxReconnects(-1)
              .reconnectWait(Duration.ofMillis(250))
              .connectionTimeout(Duration.ofSeconds(5))
              .errorListener(new QuietPulls());
      if (connectionName != null) {
        builder.connectionName(connectionName);
      }
      options.accept(builder);
      try {
        Connection connection = Nats.connect(builder.build());
        return new NatsBroker(this, connection);
      } catch (IOException e) {
        throw new QueueException("could not connect to NATS at " + redact(server), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QueueException("interrupted while connecting to NATS at " + redact(server), e);
      }
    }

    /**
     * jnats' logging listener, less the warning it logs each time a pull request ends without
     * messages, which for an idle subscription is every second.
     */
    private static final class QuietPulls extends ErrorListenerLoggerImpl {
      @Override
      public void pullStatusWarning(Connection conn, JetStreamSubscription sub, Status status) {}
    }

    private static void positive(String name, Duration value) {
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive but was " + value);
      }
    }
  }
}
