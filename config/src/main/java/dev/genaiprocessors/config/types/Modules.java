package dev.genaiprocessors.config.types;

/** Whether the module a built-in type needs is present. */
final class Modules {
  private Modules() {}

  /**
   * Throws unless {@code className} can be loaded, so that {@link java.util.ServiceLoader} skips a
   * type whose module is missing instead of failing when the type is used.
   *
   * @throws IllegalStateException naming the module
   */
  static void require(String className, String module) {
    try {
      Class.forName(className, false, Modules.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("the module " + module + " is not present", e);
    }
  }
}
