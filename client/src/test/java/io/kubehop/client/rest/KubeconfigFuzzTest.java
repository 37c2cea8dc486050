package io.kubehop.client.rest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A kubeconfig file with any content: a configuration, or a {@link KubeconfigException} with a
 * message for the user; never another exception (the CLI would print a stack trace).
 */
class KubeconfigFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyFileIsAConfigOrAClearError(byte[] content) throws Exception {
    Path file = Files.createTempFile("kubeconfig-fuzz", ".yaml");
    try {
      Files.write(file, content);
      new KubeconfigLoader(Map.of(), "/nonexistent").load(file.toString(), null);
    } catch (KubeconfigException refused) {
      // told to the user
    } finally {
      Files.delete(file);
    }
  }
}
