/** A Spring Boot chat application on the starter ({@link ChatApplication}). */
@NullMarked
package dev.genaiprocessors.examples.spring;

import org.jspecify.annotations.NullMarked;
