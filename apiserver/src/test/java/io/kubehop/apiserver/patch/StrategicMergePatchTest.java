package io.kubehop.apiserver.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

  private static ObjectNode json(String s) throws Exception {
    return (ObjectNode) ApiJson.mapper().readTree(s.replace('\'', '"'));
  }

  private static void assertPatch(String original, String patch, String expected) throws Exception {
    assertEquals(json(expected), StrategicMergePatch.apply(json(original), json(patch)));
  }

  @Test
  void mapsMergeAndNullDeletes() throws Exception {
    assertPatch(
        "{'metadata':{'labels':{'a':'1','b':'2'},'annotations':{'x':'y'}}}",
        "{'metadata':{'labels':{'a':null,'c':'3'}}}",
        "{'metadata':{'labels':{'b':'2','c':'3'},'annotations':{'x':'y'}}}");
  }

  @Test
  void containersMergeByNameAndEnvByName() throws Exception {
    assertPatch(
        "{'spec':{'containers':[{'name':'a','image':'x','env':[{'name':'E1','value':'1'}]},"
            + "{'name':'b','image':'y'}]}}",
        "{'spec':{'containers':[{'name':'a','image':'x2','env':[{'name':'E2','value':'2'}]},{'name':'c','image':'z'}]}}",
        "{'spec':{'containers':[{'name':'a','image':'x2','env':[{'name':'E1','value':'1'},{'name':'E2','value':'2'}]},"
            + "{'name':'b','image':'y'},{'name':'c','image':'z'}]}}");
  }

  @Test
  void portsMergeByContainerPortAndVolumesByName() throws Exception {
    assertPatch(
        "{'spec':{'volumes':[{'name':'v1','emptyDir':{}}],'containers':[{'name':'a','ports':[{'containerPort':80}]}]}}",
        "{'spec':{'volumes':[{'name':'v2','emptyDir':{}}],'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http'}]}]}}",
        "{'spec':{'volumes':[{'name':'v1','emptyDir':{}},{'name':'v2','emptyDir':{}}],"
            + "'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http'}]}]}}");
  }

  @Test
  void deleteDirectiveRemovesElementAndReplaceReplacesList() throws Exception {
    assertPatch(
        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
        "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}",
        "{'spec':{'containers':[{'name':'b'}]}}");
    assertPatch(
        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
        "{'spec':{'containers':[{'name':'c'},{'$patch':'replace'}]}}",
        "{'spec':{'containers':[{'name':'c'}]}}");
    assertPatch(
        "{'spec':{'nodeSelector':{'a':'1'}}}",
        "{'spec':{'nodeSelector':{'b':'2','$patch':'replace'}}}",
        "{'spec':{'nodeSelector':{'b':'2'}}}");
  }

  @Test
  void listsWithoutMergeKeyAreReplaced() throws Exception {
    assertPatch(
        "{'spec':{'containers':[{'name':'a','command':['sleep','1']}]}}",
        "{'spec':{'containers':[{'name':'a','command':['sleep','2']}]}}",
        "{'spec':{'containers':[{'name':'a','command':['sleep','2']}]}}");
  }

  @Test
  void kubectlApplyLabelChange() throws Exception {
    // What kubectl apply sends for a label change (docs/wire-captures.md §4.3).
    assertPatch(
        "{'metadata':{'name':'p','labels':{'app':'one'},'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old'}},'spec':{}}",
        "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'},'labels':{'app':'two'}}}",
        "{'metadata':{'name':'p','labels':{'app':'two'},'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}},'spec':{}}");
  }

  @Test
  void mergePatchAndJsonPatch() throws Exception {
    JsonNode merged =
        JsonMergePatch.apply(json("{'a':{'b':1,'c':2}}"), json("{'a':{'b':null,'d':3}}"));
    assertEquals(json("{'a':{'c':2,'d':3}}"), merged);
    JsonNode patched =
        JsonPatch.apply(
            json("{'a':[1,2]}"),
            ApiJson.mapper()
                .readTree(
                    "[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":3},"
                        + "{\"op\":\"replace\",\"path\":\"/a/0\",\"value\":0},{\"op\":\"add\",\"path\":\"/b~1c\",\"value\":true}]"));
    assertEquals(json("{'a':[0,2,3],'b/c':true}"), patched);
  }
}
