package dev.genaiprocessors.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The text bound to this record component must match the regular expression {@link #value} as a
 * whole; otherwise it is reported as {@code path: "abc" does not match [a-z]+[0-9]}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Matches {
  /** The regular expression ({@link java.util.regex.Pattern} syntax). */
  String value();
}
