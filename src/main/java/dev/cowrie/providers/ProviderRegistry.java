package dev.cowrie.providers;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The adapters on the classpath, found with {@link ServiceLoader}. */
public final class ProviderRegistry {
  private final Map<String, ProviderAdapter> adapters = new TreeMap<>();

  public ProviderRegistry() {
    for (ProviderAdapter adapter : ServiceLoader.load(ProviderAdapter.class)) {
      if (adapters.putIfAbsent(adapter.name(), adapter) != null) {
        throw new IllegalStateException("two adapters named " + adapter.name());
      }
    }
  }

  public Optional<ProviderAdapter> find(String name) {
    return Optional.ofNullable(name == null ? null : adapters.get(name));
  }

  public java.util.Collection<ProviderAdapter> all() {
    return adapters.values();
  }

  /** Each provider's connect form, by name: providers that move real money first, the sandbox last. */
  public Map<String, ConnectionForm> connectionForms() {
    Map<String, ConnectionForm> forms = new LinkedHashMap<>();
    adapters.values().stream().sorted(Comparator.comparing((ProviderAdapter adapter) -> !adapter.movesRealMoney())
            .thenComparing(ProviderAdapter::name))
        .forEach(adapter -> forms.put(adapter.name(), adapter.connectionForm()));
    return forms;
  }

  public java.util.Set<String> names() {
    return adapters.keySet();
  }
}
