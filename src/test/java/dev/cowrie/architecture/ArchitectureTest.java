package dev.cowrie.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the house promises about its structure (STYLE.md, DESIGN.md), checked on the compiled main classes. */
class ArchitectureTest {
  static final String[] FEATURES = {"dev.cowrie.auth..", "dev.cowrie.payments..", "dev.cowrie.providers..",
      "dev.cowrie.callbacks..", "dev.cowrie.events..", "dev.cowrie.webhooks..", "dev.cowrie.wallets..",
      "dev.cowrie.chat..", "dev.cowrie.requests..", "dev.cowrie.ledger..", "dev.cowrie.plans..", "dev.cowrie.checkout..",
      "dev.cowrie.walletweb..", "dev.cowrie.recurring.."};
  static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.cowrie");

  /** The sandbox plays a provider's own servers (checkout page, callbacks, charges), so those classes do I/O by design. */
  private static final Set<String> SANDBOX_PROVIDER_SIDE = Set.of("dev.cowrie.providers.sandbox.SandboxApi",
      "dev.cowrie.providers.sandbox.SandboxCallbacks", "dev.cowrie.providers.sandbox.CheckoutPage",
      "dev.cowrie.providers.sandbox.SandboxAuthorizations");
  private static final DescribedPredicate<JavaClass> ADAPTER_CODE = DescribedPredicate.describe(
      "adapter code (the classes of dev.cowrie.providers.<name> but the sandbox's simulated provider side)",
      javaClass -> javaClass.getPackageName().startsWith("dev.cowrie.providers.")
          && !SANDBOX_PROVIDER_SIDE.contains(javaClass.getName().replaceAll("\\$.*", "")));
  /** Bus addresses are cowrie.<area>.<verb> in the areas of DESIGN.md; other cowrie.* strings (context keys, map names) are not. */
  private static final Pattern BUS_ADDRESS = Pattern.compile(
      "cowrie\\.(auth|payments|provider|providers|ledger|callbacks|events|webhooks|wallets|chat|requests|plans|checkout|recurring)\\..+");

  @Test
  void adaptersDoNoIo() {
    ArchRule rule = noClasses().that(ADAPTER_CODE)
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web.client..", "io.vertx.sqlclient..",
            "io.vertx.pgclient..", "io.vertx.redis..", "java.net.http..")
        .because("adapters translate; ProviderVerticle does the I/O (STYLE.md principle 7)");
    rule.check(MAIN);
  }

  @Test
  void busAddressConstantsLiveInAddressesClasses() {
    ArchRule rule = fields().that(holdABusAddress())
        .should().beDeclaredInClassesThat().haveSimpleNameEndingWith("Addresses")
        .because("addresses are constants in one place per area (DESIGN.md)");
    rule.check(MAIN);
  }

  @Test
  void commonDependsOnNoFeature() {
    ArchRule rule = noClasses().that().resideInAPackage("dev.cowrie.common..")
        .should().dependOnClassesThat().resideInAnyPackage(with(FEATURES, "dev.cowrie.http..", "dev.cowrie.cli.."))
        .because("common is what every feature may use, so it can use none of them");
    rule.check(MAIN);
  }

  @Test
  void sharedPackagesDependOnNoFeature() {
    noClasses().that().resideInAnyPackage("dev.cowrie.security..", "dev.cowrie.config..", "dev.cowrie.store..",
            "dev.cowrie.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage(with(FEATURES, "dev.cowrie.http..", "dev.cowrie.cli.."))
        .because("who is calling, configuration and storage are what every feature may use")
        .check(MAIN);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.cowrie.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void httpImportsNoFeature() {
    noClasses().that().resideInAPackage("dev.cowrie.http..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .because("Cowrie.java assembles the features and hands their routes to HttpVerticle")
        .check(MAIN);
  }

  private static DescribedPredicate<JavaField> holdABusAddress() {
    return DescribedPredicate.describe("are String constants holding a bus address (cowrie.<area>.…)", field -> {
      if (!field.getModifiers().containsAll(Set.of(JavaModifier.STATIC, JavaModifier.FINAL))
          || !field.getRawType().isEquivalentTo(String.class)) {
        return false;
      }
      return BUS_ADDRESS.matcher(constantValue(field)).matches();
    });
  }

  private static String constantValue(JavaField field) {
    try {
      Field reflected = field.reflect();
      reflected.setAccessible(true);
      Object value = Modifier.isStatic(reflected.getModifiers()) ? reflected.get(null) : null;
      return value == null ? "" : value.toString();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + field.getFullName(), e);
    }
  }

  private static String[] with(String[] packages, String... more) {
    String[] all = Arrays.copyOf(packages, packages.length + more.length);
    System.arraycopy(more, 0, all, packages.length, more.length);
    return all;
  }
}
