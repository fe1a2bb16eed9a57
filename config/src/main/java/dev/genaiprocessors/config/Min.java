package dev.genaiprocessors.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The number bound to this record component must be at least {@link #value}; a smaller one is
 * reported as {@code path: 3.5 is below 2.0}. Also written into the generated JSON Schema.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Min {
  /** The bound, inclusive. */
  double value();
}
