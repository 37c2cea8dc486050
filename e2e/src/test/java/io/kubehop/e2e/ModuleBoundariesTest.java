package io.kubehop.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module graph, checked on the classes of every module (this module depends on all of them):
 * {@code api, cri-api ← streaming ← {apiserver, kubelet, runtime, client}}. The tiers talk only
 * over the wire, never through each other's classes, and only the streaming module's {@code
 * transport.VertxInternals} touches Vert.x internals.
 */
@AnalyzeClasses(packages = "io.kubehop", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

  private static final String API = "io.kubehop.api..";
  private static final String CRI = "io.kubehop.cri..";
  private static final String STREAMING = "io.kubehop.streaming..";
  private static final String APISERVER = "io.kubehop.apiserver..";
  private static final String KUBELET = "io.kubehop.kubelet..";
  private static final String RUNTIME = "io.kubehop.runtime..";
  private static final String CLIENT = "io.kubehop.client..";

  @ArchTest
  static final ArchRule apiStandsAlone =
      noClasses()
          .that()
          .resideInAPackage(API)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(CRI, STREAMING, APISERVER, KUBELET, RUNTIME, CLIENT);

  @ArchTest
  static final ArchRule criContractStandsAlone =
      noClasses()
          .that()
          .resideInAPackage(CRI)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(API, STREAMING, APISERVER, KUBELET, RUNTIME, CLIENT);

  @ArchTest
  static final ArchRule streamingKnowsNoTier =
      noClasses()
          .that()
          .resideInAPackage(STREAMING)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(APISERVER, KUBELET, RUNTIME, CLIENT);

  @ArchTest
  static final ArchRule apiserverKnowsNoOtherTier =
      noClasses()
          .that()
          .resideInAPackage(APISERVER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(KUBELET, RUNTIME, CLIENT);

  @ArchTest
  static final ArchRule kubeletKnowsNoOtherTier =
      noClasses()
          .that()
          .resideInAPackage(KUBELET)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(APISERVER, RUNTIME, CLIENT);

  @ArchTest
  static final ArchRule runtimeKnowsNoOtherTier =
      noClasses()
          .that()
          .resideInAPackage(RUNTIME)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(APISERVER, KUBELET, CLIENT);

  @ArchTest
  static final ArchRule clientKnowsNoTier =
      noClasses()
          .that()
          .resideInAPackage(CLIENT)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(APISERVER, KUBELET, RUNTIME);

  @ArchTest
  static final ArchRule vertxInternalsStayBehindOneClass =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("io.kubehop.streaming.transport.VertxInternals")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.vertx.core.internal..",
              "io.vertx.core.impl..",
              "io.vertx.core.net.impl..",
              "io.vertx.core.http.impl..")
          .because("a Vert.x upgrade that moves its internals must break one class, not many");
}
