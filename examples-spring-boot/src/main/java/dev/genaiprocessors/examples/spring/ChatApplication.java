package dev.genaiprocessors.examples.spring;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.spring.SseEmitters;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A chat endpoint streaming a model's tokens as server-sent events: the model is the {@code chat}
 * bean the starter makes from {@code genai.models.chat} in {@code application.yaml}, under retries,
 * with its runs measured at {@code /actuator/prometheus}.
 *
 * <p>Run it with {@code ./mvnw -q -B -DskipTests -pl examples-spring-boot -am package exec:java},
 * then {@code curl -N 'http://localhost:8080/chat?q=Why+is+the+sky+blue'}. With no {@code
 * OPENAI_API_KEY} it answers from the local OpenAI server of the {@code testing} module.
 */
@SpringBootApplication
@RestController
public class ChatApplication {
  private final Processor chat;

  ChatApplication(@Qualifier("chat") Processor chat) {
    this.chat = chat;
  }

  /** Streams the answer to {@code q}, one event per token; leaving early cancels the call. */
  @GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter chat(@RequestParam String q) {
    return SseEmitters.of(chat.apply(q));
  }

  /** Starts the application, on the local model server unless {@code OPENAI_API_KEY} is set. */
  public static void main(String[] args) {
    if (System.getenv("OPENAI_API_KEY") == null) {
      OpenAiServer server = OpenAiServer.start();
      server.replyAlways(
          ChatReply.create().text("The sky", " is blue", " because air", " scatters blue light."));
      System.setProperty("OPENAI_API_KEY", "sk-local");
      System.setProperty("OPENAI_BASE_URL", server.baseUrl());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    SpringApplication.run(ChatApplication.class, args);
  }
}
