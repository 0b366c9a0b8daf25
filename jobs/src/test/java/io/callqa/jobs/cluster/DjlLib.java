package io.callqa.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The jars a TaskManager needs in {@code lib/} for callqa (docs/cluster.md): DJL api,
 * pytorch-engine, pytorch-jni, pytorch-native-cpu, sentencepiece, and DJL api's gson, jna and
 * commons-compress, taken from this test's classpath (the build resolved exactly these versions for
 * the operators).
 */
final class DjlLib {
  /** Maven repository path fragment → what it is. */
  private static final Map<String, String> WANTED =
      Map.of(
          "/ai/djl/api/", "DJL api",
          "/ai/djl/pytorch/pytorch-engine/", "pytorch-engine",
          "/ai/djl/pytorch/pytorch-jni/", "pytorch-jni",
          "/ai/djl/pytorch/pytorch-native-cpu/", "pytorch-native-cpu",
          "/ai/djl/sentencepiece/sentencepiece/", "sentencepiece",
          "/com/google/code/gson/gson/", "gson",
          "/net/java/dev/jna/jna/", "jna",
          "/org/apache/commons/commons-compress/", "commons-compress");

  private DjlLib() {}

  static List<Path> jars() {
    Map<String, Path> found = new TreeMap<>();
    try {
      Enumeration<URL> manifests =
          DjlLib.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
      while (manifests.hasMoreElements()) {
        URL url = manifests.nextElement();
        if (!"jar".equals(url.getProtocol())) {
          continue;
        }
        Path jar =
            Paths.get(((JarURLConnection) url.openConnection()).getJarFileURL().toURI())
                .toAbsolutePath();
        String p = jar.toString().replace('\\', '/');
        for (Map.Entry<String, String> w : WANTED.entrySet()) {
          if (p.contains(w.getKey())
              && (!w.getValue().equals("pytorch-native-cpu") || p.endsWith("linux-x86_64.jar"))) {
            found.put(w.getValue(), jar);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<String> missing = new ArrayList<>(WANTED.values());
    missing.removeAll(found.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "not on the test classpath (needed in the TaskManager's lib/): "
              + missing
              + "; found "
              + found);
    }
    found.values().forEach(j -> checkFile(j));
    return List.copyOf(found.values());
  }

  private static void checkFile(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("not a file: " + jar);
    }
  }
}
