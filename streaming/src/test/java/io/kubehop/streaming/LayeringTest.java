package io.kubehop.streaming;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The streaming packages are protocol layers and point one way (as upstream's {@code
 * .import-restrictions} keep the kubelet's streaming packages apart): transport ← httpstream ←
 * {spdy, websocket} ← {trace, remotecommand} ← record ← portforward ← proxy, with the CRI streaming
 * server ({@code cri}) beside the proxy on top. SPDY and WebSocket are siblings that never see each
 * other; whatever knows both sits above them. Injected faults ({@code fault}) act on sockets from
 * beside {@code transport}, and only {@code proxy} puts them on hops.
 */
@AnalyzeClasses(
    packages = "io.kubehop.streaming",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  @ArchTest
  static final ArchRule protocolLayersPointOneWay =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("transport")
          .definedBy("io.kubehop.streaming.transport..")
          .layer("fault")
          .definedBy("io.kubehop.streaming.fault..")
          .layer("httpstream")
          .definedBy("io.kubehop.streaming.httpstream..")
          .layer("spdy")
          .definedBy("io.kubehop.streaming.spdy..")
          .layer("websocket")
          .definedBy("io.kubehop.streaming.websocket..")
          .layer("trace")
          .definedBy("io.kubehop.streaming.trace..")
          .layer("remotecommand")
          .definedBy("io.kubehop.streaming.remotecommand..")
          .layer("record")
          .definedBy("io.kubehop.streaming.record..")
          .layer("portforward")
          .definedBy("io.kubehop.streaming.portforward..")
          .layer("proxy")
          .definedBy("io.kubehop.streaming.proxy..")
          .layer("cri")
          .definedBy("io.kubehop.streaming.cri..")
          .whereLayer("proxy")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("cri")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("record")
          .mayOnlyBeAccessedByLayers("proxy")
          .whereLayer("fault")
          .mayOnlyBeAccessedByLayers("proxy")
          .whereLayer("portforward")
          .mayOnlyBeAccessedByLayers("proxy", "cri")
          .whereLayer("remotecommand")
          .mayOnlyBeAccessedByLayers("record", "portforward", "proxy", "cri")
          .whereLayer("trace")
          .mayOnlyBeAccessedByLayers("proxy", "cri")
          .whereLayer("spdy")
          .mayOnlyBeAccessedByLayers(
              "trace", "remotecommand", "record", "portforward", "proxy", "cri")
          .whereLayer("websocket")
          .mayOnlyBeAccessedByLayers("trace", "remotecommand", "portforward", "proxy", "cri")
          .whereLayer("httpstream")
          .mayOnlyBeAccessedByLayers(
              "spdy",
              "websocket",
              "trace",
              "remotecommand",
              "record",
              "portforward",
              "proxy",
              "cri")
          .whereLayer("transport")
          .mayOnlyBeAccessedByLayers(
              "fault",
              "httpstream",
              "spdy",
              "websocket",
              "trace",
              "remotecommand",
              "portforward",
              "proxy",
              "cri");
}
