/** Spring Boot auto-configuration for GenAI Processors. */
@NullMarked
package dev.genaiprocessors.spring;

import org.jspecify.annotations.NullMarked;
