package dev.genaiprocessors.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The number bound to this record component must be at most {@link #value}; a larger one is
 * reported as {@code path: 3.5 is above 2.0}. Also written into the generated JSON Schema.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Max {
  /** The bound, inclusive. */
  double value();
}
