package dev.cowrie.providers;

import java.util.List;

/**
 * How a merchant connects a provider, as its adapter describes it: a title, one line saying where in
 * the provider's own dashboard the credentials live, and each credential field. The dashboard draws
 * its connect form from this, so a new provider brings its form with its adapter.
 */
public record ConnectionForm(String title, String help, List<Field> fields) {

  /** One credential: its API name (what the adapter's prepareCredentials checks), its label and where to find it. */
  public record Field(String name, String label, String help) {}

  public ConnectionForm {
    fields = List.copyOf(fields);
  }
}
