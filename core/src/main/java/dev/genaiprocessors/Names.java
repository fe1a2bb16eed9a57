package dev.genaiprocessors;

/** Default names of processors. */
final class Names {
  private Names() {}

  /** The simple class name, {@code "lambda"} for lambdas, the binary name for anonymous classes. */
  static String of(Object processor) {
    Class<?> type = processor.getClass();
    if (type.isSynthetic() || type.isHidden()) {
      return "lambda";
    }
    if (type.isAnonymousClass()) {
      String name = type.getName();
      return name.substring(name.lastIndexOf('.') + 1);
    }
    return type.getSimpleName();
  }

  static String join(String kind, java.util.List<?> members) {
    StringBuilder s = new StringBuilder(kind).append('(');
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        s.append(',');
      }
      Object m = members.get(i);
      s.append(m instanceof Processor p ? p.name() : ((PartProcessor) m).name());
    }
    return s.append(')').toString();
  }
}
