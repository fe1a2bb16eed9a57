package dev.genaiprocessors.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What one source gave: a tree of values and, for each key path in it, where it was written. {@code
 * relaxed} layers (environment variables, system properties) name keys loosely, so they are matched
 * to the keys of lower layers ignoring case, dashes and underscores.
 */
record Layer(ObjectNode root, Map<String, String> origins, boolean relaxed) {
  static Layer empty() {
    return new Layer(JsonNodeFactory.instance.objectNode(), Map.of(), false);
  }

  /** The path of {@code key} under {@code path}. */
  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The path of element {@code index} of the list at {@code path}. */
  static String element(String path, int index) {
    return path + "[" + index + "]";
  }

  /** {@code key} without case, dashes and underscores: how loosely named keys are compared. */
  static String loose(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c != '-' && c != '_') {
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }
}
