package io.callqa.cli;

import io.callqa.jobs.elasticsearch.HttpAuth;
import io.callqa.jobs.elasticsearch.JsonHttp;
import io.callqa.jobs.elasticsearch.KibanaDashboards;
import io.callqa.jobs.elasticsearch.KibanaImporter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code callqa import-dashboards}: imports callqa's Kibana data views and dashboards. */
@Command(
    name = "import-dashboards",
    mixinStandardHelpOptions = true,
    description = {
      "Import callqa's Kibana saved objects (data views callqa-utterances-*, callqa-calls-*,"
          + " callqa-alerts-*, callqa-deadletters*; dashboards Overview, Agents, Alerts, Call"
          + " drill-down) with Kibana's saved objects import API. Objects are overwritten, so"
          + " running it again updates them.",
      "Exit codes: 0 imported, 1 failed (Kibana unreachable, refused, or an object not imported),"
          + " 2 wrong usage."
    })
final class ImportDashboardsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--kibana",
      required = true,
      paramLabel = "URL",
      description =
          "Kibana URL, e.g. http://localhost:5601 (include a base path if Kibana has one).")
  String kibana;

  @Option(
      names = "--space",
      paramLabel = "ID",
      description = "Kibana space id to import into (default: the default space).")
  String space;

  @Option(
      names = "--file",
      paramLabel = "NDJSON",
      description =
          "Saved objects to import (default: callqa's own, the content of "
              + KibanaDashboards.FILE
              + ").")
  Path file;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "Request timeout in seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Mixin HttpAuth auth = new HttpAuth();

  @Override
  public Integer call() throws Exception {
    if (space != null) {
      try {
        KibanaImporter.importPath(space);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--space: " + e.getMessage());
      }
    }
    if (timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--timeout must be >= 1 s");
    }
    PrintWriter out = spec.commandLine().getOut();
    byte[] ndjson;
    String name;
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ParameterException(spec.commandLine(), "--file " + file + ": no such file");
      }
      ndjson = Files.readAllBytes(file);
      name = file.getFileName().toString();
      if (!name.endsWith(".ndjson")) {
        name = name + ".ndjson"; // Kibana only accepts .ndjson file names
      }
    } else {
      ndjson = KibanaDashboards.ndjson().getBytes(StandardCharsets.UTF_8);
      name = Path.of(KibanaDashboards.FILE).getFileName().toString();
    }
    long objects =
        new String(ndjson, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
    JsonHttp http =
        new JsonHttp(kibana, auth.header(System::getenv), Duration.ofSeconds(timeoutSeconds));
    out.printf(
        "importing %d saved objects (%s) into Kibana %s, space %s%n",
        objects, name, http.base(), space == null ? "default" : space);
    out.flush();
    KibanaImporter.Result result;
    try {
      result = new KibanaImporter(http).importNdjson(space, name, ndjson);
    } catch (JsonHttp.UnreachableException e) {
      throw new IllegalStateException("Kibana unreachable: " + e.getMessage(), e);
    }
    out.printf("imported %d of %d objects%n", result.successCount(), objects);
    if (!result.success()) {
      PrintWriter err = spec.commandLine().getErr();
      for (String e : result.errors()) {
        err.println("  not imported: " + e);
      }
      err.println("callqa: import incomplete (" + result.errors().size() + " error(s))");
      return CallQa.EXIT_FAILED;
    }
    out.println("open Kibana → Dashboards → \"callqa Overview\"");
    return 0;
  }
}
