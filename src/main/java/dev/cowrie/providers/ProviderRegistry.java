package dev.cowrie.providers;

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

  public java.util.Set<String> names() {
    return adapters.keySet();
  }
}
