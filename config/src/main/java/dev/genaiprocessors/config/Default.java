package dev.genaiprocessors.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a record component takes when the configuration does not give one, written as it would
 * be in the configuration ({@code "0.7"}, {@code "30s"}, {@code "chat_completions"}) and checked
 * like one. Without it, a component is required unless it is {@code @Nullable} (then {@code null})
 * or a list or map (then empty).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Default {
  /** The default, as configuration text. */
  String value();
}
