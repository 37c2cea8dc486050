package io.kubehop.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.api.meta.StatusException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodValidationTest {

  private final PodStrategy strategy = new PodStrategy();

  private static ObjectNode pod(String json) throws Exception {
    return (ObjectNode) ApiJson.mapper().readTree(json.replace('\'', '"'));
  }

  private String message(ObjectNode pod) {
    List<StatusCause> causes = strategy.validate(pod);
    return StatusException.invalid("Pod", "Pod", pod.path("metadata").path("name").asText(), causes)
        .getMessage();
  }

  @Test
  void badNameHasUpstreamMessage() throws Exception {
    assertEquals(
        "Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 "
            + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
            + "alphanumeric character (e.g. 'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        message(
            pod(
                "{'metadata':{'name':'Bad_Name'},'spec':{'containers':[{'name':'a','image':'b'}]}}")));
  }

  @Test
  void containersAreRequired() throws Exception {
    assertEquals(
        "Pod \"p\" is invalid: spec.containers: Required value",
        message(pod("{'metadata':{'name':'p'},'spec':{'containers':[]}}")));
    assertEquals(
        "Pod \"p\" is invalid: [spec.containers[0].name: Required value, "
            + "spec.containers[0].image: Required value]",
        message(pod("{'metadata':{'name':'p'},'spec':{'containers':[{}]}}")));
    assertEquals(
        "Pod \"p\" is invalid: spec.containers[1].name: Duplicate value: \"a\"",
        message(
            pod(
                "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x'},{'name':'a','image':'y'}]}}")));
  }

  @Test
  void validPodHasNoCauses() throws Exception {
    assertEquals(
        List.of(),
        strategy.validate(
            pod(
                "{'metadata':{'name':'ok.pod-1'},'spec':{'containers':[{'name':'a','image':'b'}]}}")));
  }

  @Test
  void defaultsOnCreate() throws Exception {
    ObjectNode p =
        pod(
            "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'busybox'}]},'status':{'phase':'Running'}}");
    strategy.prepareForCreate(p);
    assertEquals("Always", p.path("spec").path("restartPolicy").asText());
    assertEquals(30, p.path("spec").path("terminationGracePeriodSeconds").asInt());
    assertEquals("ClusterFirst", p.path("spec").path("dnsPolicy").asText());
    assertEquals(
        "Always", p.path("spec").path("containers").path(0).path("imagePullPolicy").asText());
    assertEquals(
        "Pending",
        p.path("status").path("phase").asText(),
        "a client cannot create a pod's status");
  }

  @Test
  void unknownFieldsArePathsLikeUpstream() throws Exception {
    assertEquals(
        List.of("spec.containers[0].bar", "spec.foo"),
        FieldSchema.unknownFields(
            "Pod",
            pod(
                "{'kind':'Pod','metadata':{'name':'p','labels':{'any':'x'}},'spec':{'containers':[{'name':'a','image':'b','bar':1,'livenessProbe':{'anything':1}}],'foo':1}}")));
  }

  @Test
  void patchDirectivesAreNotUnknownFields() throws Exception {
    assertEquals(
        List.of(),
        FieldSchema.unknownFields(
            "Pod",
            pod(
                "{'spec':{'$setElementOrder/containers':[{'name':'a'}],"
                    + "'containers':[{'name':'a','$patch':'delete'}]}}")));
  }

  @Test
  void podUpdatesMayChangeImagesButNotCommands() throws Exception {
    ObjectNode old =
        pod(
            "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'b','command':['x']}]}}");
    strategy.prepareForCreate(old);
    ObjectNode newImage =
        pod(
            "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'c','command':['x']}]}}");
    strategy.prepareForUpdate(newImage, old);
    assertEquals(
        List.of(), strategy.validateUpdate(newImage, old), "defaults are applied before comparing");
    ObjectNode newCommand =
        pod(
            "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'b','command':['y']}]}}");
    strategy.prepareForUpdate(newCommand, old);
    assertEquals(
        "Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
            + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if "
            + "it was previously negative)",
        StatusException.invalid("Pod", "Pod", "p", strategy.validateUpdate(newCommand, old))
            .getMessage());
  }

  @Test
  void probesGetUpstreamsDefaults() throws Exception {
    ObjectNode pod =
        pod(
            "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'b',"
                + "'readinessProbe':{'httpGet':{'port':80}},"
                + "'livenessProbe':{'tcpSocket':{'port':81},'periodSeconds':1,'timeoutSeconds':0},"
                + "'startupProbe':{'exec':{'command':['true']},'failureThreshold':30}}]}}");
    strategy.prepareForCreate(pod);
    var c = pod.path("spec").path("containers").path(0);
    assertEquals(
        pod(
            "{'httpGet':{'port':80,'path':'/','scheme':'HTTP'},'timeoutSeconds':1,"
                + "'periodSeconds':10,'successThreshold':1,'failureThreshold':3}"),
        c.path("readinessProbe"));
    assertEquals(
        pod(
            "{'tcpSocket':{'port':81},'periodSeconds':1,'timeoutSeconds':1,"
                + "'successThreshold':1,'failureThreshold':3}"),
        c.path("livenessProbe"));
    assertEquals(
        pod(
            "{'exec':{'command':['true']},'failureThreshold':30,'timeoutSeconds':1,"
                + "'periodSeconds':10,'successThreshold':1}"),
        c.path("startupProbe"));
  }
}
