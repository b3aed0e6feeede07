package dev.cowrie.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * The pages' templates (src/main/jte), compiled to Java classes at build time by jte-maven-plugin:
 * nothing is compiled at run time, and HTML output escapes every value by default.
 */
final class Templates {
  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

  private Templates() {}

  /** Renders {@code name} (e.g. "checkout/pay.jte"); extra map entries the template does not declare are ignored. */
  static Buffer render(String name, Map<String, Object> params) {
    StringOutput output = new StringOutput();
    ENGINE.render(name, params, output);
    return Buffer.buffer(output.toString());
  }
}
