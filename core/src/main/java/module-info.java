/**
 * GenAI Processors for Java, core: the content model ({@code ProcessorPart}, {@code
 * ProcessorContent}), the part JSON codec and, in later versions, processors and their composition.
 */
module dev.genaiprocessors.core {
  requires transitive com.fasterxml.jackson.databind;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires com.github.benmanes.caffeine;

  exports dev.genaiprocessors;
  exports dev.genaiprocessors.model;
}
