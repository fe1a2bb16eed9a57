package dev.genaiprocessors.spring;

/**
 * Decorates the models and pipelines the starter makes beans of; one per optional module
 * (resilience inside, storage outside), applied in their {@code @Order}.
 */
interface Decorator {
  Decoration decorate(Decoration decoration);
}
