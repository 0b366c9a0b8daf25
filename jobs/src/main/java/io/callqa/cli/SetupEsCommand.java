package io.callqa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.devstack.DevStack;
import io.callqa.jobs.elasticsearch.HttpAuth;
import io.callqa.jobs.elasticsearch.IndexTemplates;
import io.callqa.jobs.elasticsearch.JsonHttp;
import io.callqa.jobs.elasticsearch.TemplateInstaller;
import io.callqa.jobs.elasticsearch.TemplateInstaller.Outcome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code callqa setup-es}: installs callqa's component and index templates into Elasticsearch and
 * reports, per template, whether it was created, updated or already up to date.
 */
@Command(
    name = "setup-es",
    mixinStandardHelpOptions = true,
    description = {
      "Install callqa's Elasticsearch index templates (utterances, calls, alerts, dead letters) and"
          + " the component templates they are composed of. Safe to run again: a template that is"
          + " already up to date is left alone and reported unchanged.",
      "Exit codes: 0 done, 1 failed (Elasticsearch unreachable or a template refused), 2 wrong usage."
    })
final class SetupEsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--es",
      paramLabel = "URL",
      description =
          "Elasticsearch URL, e.g. http://localhost:9200. Default: the dev stack of `callqa dev up`"
              + " when it is running.")
  String es;

  @Option(
      names = "--replicas",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "number_of_replicas of new callqa indices (default ${DEFAULT-VALUE}: a single node; use 1"
              + " or more in production).")
  int replicas;

  @Option(
      names = "--shards",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "number_of_shards of new callqa indices (default ${DEFAULT-VALUE}; one daily index per tenant stays small).")
  int shards;

  @Option(
      names = "--dry-run",
      description = "Only compare: report what would be created or updated, change nothing.")
  boolean dryRun;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Per-request timeout in seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Mixin HttpAuth auth = new HttpAuth();

  @Override
  public Integer call() throws Exception {
    if (replicas < 0) {
      throw new ParameterException(spec.commandLine(), "--replicas must be >= 0, was " + replicas);
    }
    if (shards < 1) {
      throw new ParameterException(spec.commandLine(), "--shards must be >= 1, was " + shards);
    }
    if (timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--timeout must be >= 1 s");
    }
    PrintWriter out = spec.commandLine().getOut();
    String url = es != null ? es : devStackUrl();
    JsonHttp http =
        new JsonHttp(url, auth.header(System::getenv), Duration.ofSeconds(timeoutSeconds));
    TemplateInstaller installer = new TemplateInstaller(http);
    try {
      return install(out, http, installer);
    } catch (JsonHttp.UnreachableException e) {
      throw new IllegalStateException("Elasticsearch unreachable: " + e.getMessage(), e);
    }
  }

  private int install(PrintWriter out, JsonHttp http, TemplateInstaller installer)
      throws JsonHttp.UnreachableException, TemplateInstaller.InstallException {
    JsonNode health = installer.health();
    out.printf(
        "Elasticsearch %s: cluster %s, status %s%n",
        http.base(), health.path("cluster_name").asText("?"), health.path("status").asText("?"));
    out.printf(
        "%s templates for new indices: %d shard(s), %d replica(s)%n",
        dryRun ? "checking" : "installing", shards, replicas);
    out.flush();

    List<IndexTemplates.Template> templates = IndexTemplates.all(shards, replicas);
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    installer.install(
        templates,
        dryRun,
        result -> {
          counts.merge(result.outcome(), 1, Integer::sum);
          out.printf(
              "  %-19s %-26s %s%n",
              result.template().kind().label(),
              result.template().name(),
              result.outcome().describe(dryRun));
          out.flush();
        });
    out.printf(
        "%d templates: %d %s, %d %s, %d unchanged%s%n",
        templates.size(),
        counts.getOrDefault(Outcome.CREATED, 0),
        Outcome.CREATED.describe(dryRun),
        counts.getOrDefault(Outcome.UPDATED, 0),
        Outcome.UPDATED.describe(dryRun),
        counts.getOrDefault(Outcome.UNCHANGED, 0),
        dryRun ? " (dry run: nothing was changed)" : "");
    if (!dryRun && counts.getOrDefault(Outcome.UPDATED, 0) > 0) {
      out.println(
          "note: templates apply when an index is created; existing daily indices keep their"
              + " settings and mappings (see docs/elasticsearch.md)");
    }
    return 0;
  }

  private static String devStackUrl() {
    Optional<DevStack> running = DevStack.attachRunning();
    if (running.isEmpty()) {
      throw new IllegalArgumentException(
          "no --es URL given and no dev stack running (start one with `callqa dev up`)");
    }
    return running.get().elasticsearchUrl();
  }
}
