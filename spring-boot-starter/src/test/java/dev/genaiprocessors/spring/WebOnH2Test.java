package dev.genaiprocessors.spring;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The web scenarios with Boot's default database: an embedded H2. */
@SpringBootTest(
    classes = StarterTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebOnH2Test extends WebScenarios {
  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    modelProperties(registry);
  }
}
