package dev.cowrie.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (META-INF/services, autodetection on in junit-platform.properties):
 * fails the class whose HTTP exchanges broke openapi.yaml on an enforced path, listing them, and
 * writes the rest to target/openapi-conformance.txt.
 */
public final class OpenApiConformanceExtension implements BeforeAllCallback, AfterAllCallback {
  private static final Path REPORT = Path.of("target/openapi-conformance.txt");

  @Override
  public void beforeAll(ExtensionContext context) {
    OpenApiConformance.drain(); // what an earlier class left belongs to it
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    List<String> violations = OpenApiConformance.drain().stream().distinct().toList();
    if (violations.isEmpty()) {
      return;
    }
    String name = context.getRequiredTestClass().getSimpleName();
    StringBuilder report = new StringBuilder();
    violations.forEach(violation -> report.append(name).append(": ").append(violation).append('\n'));
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    List<String> enforced = violations.stream().filter(OpenApiConformance::enforced).toList();
    if (!enforced.isEmpty()) {
      throw new AssertionError(enforced.size() + " exchanges of " + name + " break openapi.yaml:\n"
          + String.join("\n", enforced));
    }
  }
}
