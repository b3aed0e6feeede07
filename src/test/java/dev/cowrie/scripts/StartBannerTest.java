package dev.cowrie.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start banner of {@code scripts/cowrie up} says where the admin token really comes from. */
class StartBannerTest {
  @TempDir
  Path state;

  /** Runs load_env then banner from scripts/cowrie (sourced) with {@code env}; answers what it printed. */
  String banner(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c",
        "source scripts/cowrie && STATE=\"$1\" && DEV_ENV=\"$1/dev.env\" && load_env && banner '{}'", "banner", state.toString())
        .redirectErrorStream(true);
    builder.environment().remove("COWRIE_ADMIN_TOKEN");
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script did not finish");
    assertEquals(0, process.exitValue(), out);
    return out;
  }

  static String adminLine(String out) {
    return out.lines().filter(line -> line.contains("Admin token")).findFirst().orElseThrow(() -> new AssertionError(out));
  }

  @Test
  void anAdminTokenFromTheEnvironmentIsNotClaimedToBeInDevEnv() throws Exception {
    String line = adminLine(banner(Map.of("COWRIE_ADMIN_TOKEN", "adm_from_the_environment")));
    assertTrue(line.contains("environment"), line);
    assertFalse(line.matches(".*COWRIE_ADMIN_TOKEN in .*dev\\.env.*"), line);
  }

  @Test
  void withoutOneTheBannerPointsAtDevEnv() throws Exception {
    String line = adminLine(banner(Map.of()));
    assertTrue(line.contains("COWRIE_ADMIN_TOKEN in " + state.resolve("dev.env")), line);
    assertTrue(Files.readString(state.resolve("dev.env")).contains("COWRIE_ADMIN_TOKEN=adm_"));
  }
}
