/**
 * GenAI Processors for Java, aws: processors on the official AWS SDK for Java v2 ({@code
 * Comprehend}, {@code Rekognition}, {@code S3Store}) and the router between them ({@code
 * AwsRouter}).
 */
module dev.genaiprocessors.aws {
  requires transitive dev.genaiprocessors.core;
  requires transitive software.amazon.awssdk.services.s3;
  requires transitive software.amazon.awssdk.services.comprehend;
  requires transitive software.amazon.awssdk.services.rekognition;
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.regions;
  requires transitive software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.http;
  requires static transitive org.jspecify;

  exports dev.genaiprocessors.aws;
}
