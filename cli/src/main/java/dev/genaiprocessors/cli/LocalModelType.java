package dev.genaiprocessors.cli;

import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.config.Default;
import dev.genaiprocessors.config.NotBlank;
import dev.genaiprocessors.config.ProcessorType;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * {@code local}: a model that needs no key and no network, so that sample pipelines run anywhere.
 * It is the real {@code openai} model processor (the official OpenAI SDK) talking to the {@code
 * testing} module's {@link OpenAiServer}, started on a loopback port for the pipeline and closed
 * with it; the server streams {@code reply} word by word in OpenAI's wire format, with token usage,
 * so traces and progress show what a real model call shows.
 *
 * <pre>{@code
 * pipeline:
 *   type: local
 *   settings: {reply: "You said: {text}", pacing: 20ms}
 * }</pre>
 *
 * <p>The same node with {@code type: openai} and {@code settings: {model: gpt-4o-mini, apiKey:
 * ${OPENAI_API_KEY}}} calls OpenAI itself. Calls of one pipeline are served one at a time (each
 * reply is scripted for the call that asked for it).
 */
public final class LocalModelType implements ProcessorType<LocalModelType.Settings> {
  /**
   * The settings of the local model.
   *
   * @param model the model name sent and reported
   * @param reply the answer, in which {@code {text}} stands for the input's text
   * @param pacing the pause between streamed words
   */
  public record Settings(
      @NotBlank @Default("local-model") String model,
      @Default("{text}") String reply,
      @Default("0s") Duration pacing) {}

  /** The type; found by {@link java.util.ServiceLoader}. */
  public LocalModelType() {}

  @Override
  public String name() {
    return "local";
  }

  @Override
  public Class<Settings> settingsType() {
    return Settings.class;
  }

  @Override
  public String description() {
    return "A model served on loopback in OpenAI's wire format, answering 'reply' with no key.";
  }

  @Override
  public Object create(Settings settings, @Nullable Object wrapped) {
    if (settings.pacing().isNegative()) {
      throw new IllegalArgumentException(
          "pacing must not be negative but was " + settings.pacing());
    }
    return new LocalModel(settings);
  }

  /** The model: one server and one SDK client per pipeline build, closed with it. */
  static final class LocalModel implements Processor, AutoCloseable {
    private final Settings settings;
    private final OpenAiServer server;
    private final OpenAiModel model;
    // The server answers requests from one queue: a call holds the lock from scripting its reply
    // until its answer ends, so two calls never take each other's reply.
    private final ReentrantLock calls = new ReentrantLock();

    LocalModel(Settings settings) {
      this.settings = settings;
      this.server = OpenAiServer.start();
      try {
        this.model =
            OpenAiModel.builder()
                .model(settings.model())
                .apiKey("local-no-key")
                .baseUrl(server.baseUrl())
                .maxRetries(0)
                .build();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    }

    @Override
    public void call(PartStream input, PartSink output) throws Exception {
      ProcessorContent content = input.gather();
      StringBuilder text = new StringBuilder();
      for (ProcessorPart part : content) {
        if (part.isText()) {
          text.append(text.isEmpty() ? "" : "\n").append(part.text());
        }
      }
      String answer = settings.reply().replace("{text}", text);
      ChatReply reply =
          ChatReply.create()
              .text(words(answer))
              .usage(tokens(text.toString()), tokens(answer))
              .pacing(settings.pacing());
      calls.lockInterruptibly();
      try {
        server.enqueue(reply);
        try (ProcessorStream answered = model.apply(content)) {
          for (ProcessorPart part : answered) {
            output.emit(part);
          }
        }
      } finally {
        calls.unlock();
      }
    }

    /** The answer cut after each space, so the words stream one by one. */
    static List<String> words(String text) {
      List<String> words = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == ' ') {
          words.add(text.substring(start, i + 1));
          start = i + 1;
        }
      }
      if (start < text.length() || words.isEmpty()) {
        words.add(text.substring(start));
      }
      return words;
    }

    /** A rough token count: words and punctuation, as tokenizers count English. */
    static long tokens(String text) {
      return text.isBlank() ? 0 : text.strip().split("[\\s]+|(?=[.,;:!?])").length;
    }

    @Override
    public String name() {
      return "local(" + settings.model() + ")";
    }

    @Override
    public void close() {
      try {
        model.close();
      } finally {
        server.close();
      }
    }
  }
}
