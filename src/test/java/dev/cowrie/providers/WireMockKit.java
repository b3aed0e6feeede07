package dev.cowrie.providers;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.SingleRootFileSource;
import com.github.tomakehurst.wiremock.common.filemaker.FilenameMaker;
import com.github.tomakehurst.wiremock.standalone.JsonFileMappingsSource;

/**
 * What every provider's WireMock shares: the error triggers of {@code providers/_shared/wiremock}
 * (429, 500, slow, garbled and reset answers chosen by a token in the reference). Each answers with
 * the provider's own body from its {@code providers/<name>/wiremock/__files/error-<kind>.json}.
 */
public final class WireMockKit {
  public static final String SHARED_MAPPINGS = "providers/_shared/wiremock/mappings";

  private WireMockKit() {}

  public static void loadSharedMappings(WireMockServer server) {
    server.loadMappingsUsing(new JsonFileMappingsSource(new SingleRootFileSource(SHARED_MAPPINGS), new FilenameMaker()));
  }
}
