package dev.cowrie.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Code and providers/ must agree: every adapter has its folder, fixtures and contract test, and nothing else is there. */
class ProviderRegistryTest {

  @Test
  void everyAdapterHasItsFolderAndEveryFolderItsAdapter() throws IOException {
    Set<String> folders = new TreeSet<>();
    try (Stream<Path> list = Files.list(Path.of("providers"))) {
      // providers/_shared holds what every provider's fixtures share; it is no provider.
      list.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).filter(name -> !name.startsWith("_"))
          .forEach(folders::add);
    }
    assertEquals(folders, new TreeSet<>(new ProviderRegistry().names()), "providers/ folders vs META-INF/services adapters");
  }

  @Test
  void everyProviderHasReadmeFixturesStubsAndAContractTest() throws Exception {
    for (ProviderAdapter adapter : new ProviderRegistry().all()) {
      String name = adapter.name();
      Path folder = Path.of("providers", name);
      assertTrue(Files.isRegularFile(folder.resolve("README.md")), name + ": README.md");
      assertFalse(list(folder.resolve("callbacks")).isEmpty(), name + ": callbacks/ samples");
      if (!name.equals("sandbox")) {
        List<Path> mappings = list(folder.resolve("wiremock/mappings"));
        assertFalse(mappings.isEmpty(), name + ": wiremock/mappings");
        for (Path mapping : mappings) {
          assertTrue(new JsonObject(Files.readString(mapping)).containsKey("request"), mapping + " is a WireMock mapping");
        }
        for (String kind : List.of("429", "500", "slow", "garbage")) {
          assertTrue(Files.isRegularFile(folder.resolve("wiremock/__files/error-" + kind + ".json")),
              name + ": wiremock/__files/error-" + kind + ".json, the body of the shared error-" + kind + " mappings");
        }
      }
      String test = "dev.cowrie.providers." + name + "." + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "ContractTest";
      assertTrue(ProviderContractTest.class.isAssignableFrom(Class.forName(test)), test + " runs the conformance kit");
      String fast = test.replace("ContractTest", "AdapterTest");
      assertTrue(AdapterFixtureTest.class.isAssignableFrom(Class.forName(fast)), fast + " runs the fast adapter kit");
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void everyAdapterDescribesTheFormThatConnectsItAndTheSandboxComesLast() {
    ProviderRegistry registry = new ProviderRegistry();
    List<String> order = List.copyOf(registry.connectionForms().keySet());
    assertEquals(new TreeSet<>(registry.names()), new TreeSet<>(order), "one form per adapter");
    assertEquals("sandbox", order.get(order.size() - 1), "providers that move real money are offered first");
    registry.connectionForms().forEach((name, form) -> {
      assertFalse(form.title().isBlank(), name);
      assertFalse(form.help().isBlank(), name);
      assertFalse(form.fields().isEmpty(), name + " takes at least one credential");
      form.fields().forEach(field -> assertTrue(field.name().matches("[a-z_]+") && !field.label().isBlank() && !field.help().isBlank(),
          name + ": " + field));
    });
  }
}
