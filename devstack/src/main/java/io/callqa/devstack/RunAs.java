package io.callqa.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Running a child as an unprivileged user when this JVM runs as root (CI does). */
final class RunAs {
  private RunAs() {}

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The command prefix that drops to {@code user} (util-linux setpriv). */
  static List<String> prefix(String user) {
    return List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--");
  }

  static synchronized void ensureUser(String user) throws IOException {
    if (run(List.of("id", "-u", user)) == 0) {
      return;
    }
    int rc =
        run(
            List.of(
                "useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user));
    if (rc != 0 && run(List.of("id", "-u", user)) != 0) {
      throw new IOException(
          "could not create the unprivileged user " + user + " (useradd rc " + rc + ")");
    }
  }

  static void chown(String user, Path dir) throws IOException {
    int rc = run(List.of("chown", "-R", user + ":" + user, dir.toString()));
    if (rc != 0) {
      throw new IOException("chown -R " + user + " " + dir + " failed with rc " + rc);
    }
  }

  /** Lets other users walk down to {@code dir}: temp dirs are created with mode 700. */
  static void makeTraversable(Path dir) throws IOException {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (!Files.isDirectory(p)) {
        continue;
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        perms.add(PosixFilePermission.OTHERS_EXECUTE);
        perms.add(PosixFilePermission.GROUP_EXECUTE);
        try {
          Files.setPosixFilePermissions(p, perms);
        } catch (IOException e) {
          throw new IOException(
              "cannot make " + p + " traversable for " + ElasticsearchNode.ES_USER, e);
        }
      }
    }
  }

  private static int run(List<String> cmd) throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
