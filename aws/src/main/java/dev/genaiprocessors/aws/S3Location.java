package dev.genaiprocessors.aws;

/** A bucket and key, read from an {@code s3://bucket/key} URI. */
record S3Location(String bucket, String key) {

  /**
   * The bucket and key of {@code uri}.
   *
   * @throws IllegalArgumentException naming the URI when it is not {@code s3://bucket/key}
   */
  static S3Location parse(String uri) {
    if (!uri.startsWith("s3://")) {
      throw new IllegalArgumentException("expected an s3://bucket/key URI but got " + uri);
    }
    int slash = uri.indexOf('/', 5);
    if (slash <= 5 || slash == uri.length() - 1) {
      throw new IllegalArgumentException(
          "an S3 URI needs a bucket and a key (s3://bucket/key) but was " + uri);
    }
    return new S3Location(uri.substring(5, slash), uri.substring(slash + 1));
  }

  String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
