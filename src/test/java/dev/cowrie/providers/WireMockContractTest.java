package dev.cowrie.providers;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestWrapper;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Body;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kit against a provider played by WireMock, fed from providers/&lt;name&gt;/wiremock. The stubs pick
 * their answer from tokens in the reference ({@code ref_failed_amt10000_curNGN_…}, see each README);
 * our references are payment ids, so a request filter rewrites each payment's id (and anything the
 * stub echoed back, e.g. Stripe's {@code cs_test_<reference>}) to the tokens the test chose for it.
 * The filter also records every request as Cowrie sent it, before rewriting, for the assertions.
 */
public abstract class WireMockContractTest extends ProviderContractTest {
  private static final Pattern REFERENCE = Pattern.compile("(?:pay[_-]|ref-[a-z0-9]+-amt[0-9]+-cur[A-Z]{3}-)([0-9a-z]{26})");
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
  private WireMockServer wiremock;

  /** A request as Cowrie sent it: lower-case header names. */
  public record Seen(String method, String url, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  @Override
  protected void beforeGateway() {
    wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(24)
        .usingFilesUnderDirectory("providers/" + provider() + "/wiremock").extensions(new Outcomes()));
    wiremock.start();
    WireMockKit.loadSharedMappings(wiremock);
  }

  @Override
  protected void afterGateway() {
    wiremock.stop();
  }

  /** Adds a stub for one test, above the folder's (e.g. an answer naming an id only known at run time). */
  protected void stub(com.github.tomakehurst.wiremock.client.MappingBuilder mapping) {
    wiremock.stubFor(mapping.atPriority(1));
  }

  @Override
  protected String apiBase() {
    return "http://127.0.0.1:" + wiremock.port();
  }

  @Override
  protected void providerWillSay(String paymentId, String outcome, long amount) {
    aliases.put(paymentId.substring(paymentId.indexOf('_') + 1), alias(outcome, amount));
  }

  private String alias(String outcome, long amount) {
    return "ref-" + outcome + "-amt" + amount + "-cur" + currency() + "-";
  }

  /** Requests about one payment (its id, or a reference derived from it), oldest first. */
  protected List<Seen> requests(String paymentId) {
    String tail = paymentId.substring(paymentId.indexOf('_') + 1);
    return seen.stream().filter(r -> r.url().contains(tail) || r.body().contains(tail)).toList();
  }

  protected List<Seen> requestsTo(String pathPrefix) {
    return seen.stream().filter(r -> r.url().startsWith(pathPrefix)).toList();
  }

  protected Seen last(List<Seen> requests) {
    if (requests.isEmpty()) {
      throw new AssertionError("no request reached the provider");
    }
    return requests.get(requests.size() - 1);
  }

  private String rewrite(String text) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String tail = matcher.group(1);
      String alias = aliases.computeIfAbsent(tail, t -> alias(pendingOutcome, AMOUNT));
      matcher.appendReplacement(out, Matcher.quoteReplacement(alias + tail));
    }
    return matcher.appendTail(out).toString();
  }

  private final class Outcomes implements StubRequestFilterV2 {
    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
      Map<String, String> headers = new HashMap<>();
      request.getHeaders().all().forEach(h -> headers.put(h.key().toLowerCase(Locale.ROOT), h.firstValue()));
      String body = request.getBodyAsString() == null ? "" : request.getBodyAsString();
      seen.add(new Seen(request.getMethod().getName(), request.getUrl(), headers, body));
      return RequestFilterAction.continueWith(RequestWrapper.create()
          .transformAbsoluteUrl(this::url)
          .transformBody(original -> new Body(rewrite(original.asString() == null ? "" : original.asString())))
          .wrap(request));
    }

    private String url(String url) {
      return rewrite(url);
    }

    @Override
    public String getName() {
      return "cowrie-outcomes";
    }
  }
}
