package io.kubehop.api.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class VersionInfoTest {

  /**
   * apimachinery's {@code version.ParseSemantic} with a leading {@code v}, which kubectl applies to
   * gitVersion.
   */
  private static final Pattern SEMANTIC =
      Pattern.compile(
          "v(\\d+)\\.(\\d+)\\.(\\d+)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

  @Test
  void gitVersionIsSemanticAndAgreesWithMajorAndMinor() {
    VersionInfo v = VersionInfo.get();
    Matcher m = SEMANTIC.matcher(v.gitVersion());
    assertTrue(m.matches(), v.gitVersion());
    assertEquals(v.major(), m.group(1));
    assertEquals(v.minor(), m.group(2));
    assertTrue(v.gitVersion().endsWith("-kubehop"), v.gitVersion());
  }

  @Test
  void minorIsInTheServedKubectlRange() {
    int minor = Integer.parseInt(VersionInfo.get().minor());
    assertTrue(
        minor >= 27 && minor <= 33,
        "kubectl 1.27–1.33 are served; skew stays within 3 minors: " + minor);
  }
}
