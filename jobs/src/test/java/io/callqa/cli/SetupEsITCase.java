package io.callqa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.callqa.devstack.DevStack;
import io.callqa.devstack.DevStackExtension;
import io.callqa.devstack.ElasticsearchNode;
import io.callqa.devstack.Jdks;
import io.callqa.jobs.elasticsearch.ElasticsearchChecks;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code callqa setup-es} on real Elasticsearch nodes (8.19 of the dev stack; 9.2 when a Java 21+
 * is installed): templates are created, a second run finds them unchanged, and indices created by
 * writing callqa's documents get the mappings the dashboards rely on.
 */
@ExtendWith(DevStackExtension.class)
class SetupEsITCase {

  @Test
  void installsTemplatesOnElasticsearch8(DevStack stack) throws Exception {
    assertSetupWorks(stack.elasticsearchUrl());
  }

  @Test
  void installsTemplatesOnElasticsearch9(@TempDir Path dir) throws Exception {
    Optional<Path> jdk = Jdks.atLeast(21);
    assumeTrue(jdk.isPresent(), "no Java 21+ on this machine: Elasticsearch 9 not tested");
    try (ElasticsearchNode node =
        ElasticsearchNode.start(dir.resolve("es9"), "9.2.0", jdk.get(), false)) {
      assertThat(node.version()).startsWith("9.");
      assertSetupWorks(node.url());
    }
  }

  @Test
  void aTemplateElasticsearchRefusesFailsTheCommand(DevStack stack) throws Exception {
    ElasticsearchChecks es = new ElasticsearchChecks(stack.elasticsearchUrl());
    es.deleteCallqaIndicesAndTemplates();
    // another template claiming the same indices at the same priority: Elasticsearch refuses ours
    es.put(
        "/_index_template/someone-elses-alerts",
        "{\"index_patterns\": [\"callqa-alerts-*\"], \"priority\": 200}");
    try {
      CliRun run = CliRun.of("setup-es", "--es", stack.elasticsearchUrl());
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(CallQa.EXIT_FAILED);
      assertThat(run.out()).containsPattern("index template +callqa-calls +created");
      assertThat(run.err())
          .contains(
              "Elasticsearch refused index template callqa-alerts (400 illegal_argument_exception")
          .contains("someone-elses-alerts");
    } finally {
      es.delete("/_index_template/someone-elses-alerts");
    }
    CliRun again = CliRun.of("setup-es", "--es", stack.elasticsearchUrl());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    // the refused template and the one after it were never installed
    assertThat(again.out()).contains("2 created, 0 updated, 4 unchanged");
  }

  private static void assertSetupWorks(String url) throws Exception {
    ElasticsearchChecks es = new ElasticsearchChecks(url);
    es.deleteCallqaIndicesAndTemplates();

    CliRun dry = CliRun.of("setup-es", "--es", url, "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out()).contains("6 templates: 6 would be created");
    assertThat(es.status("/_index_template/callqa-utterances")).isEqualTo(404);

    CliRun first = CliRun.of("setup-es", "--es", url);
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).contains("6 templates: 6 created, 0 updated, 0 unchanged");

    CliRun second = CliRun.of("setup-es", "--es", url);
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).contains("6 templates: 0 created, 0 updated, 6 unchanged");
    System.out.println(second.out());

    es.indexSampleDocuments();
    es.assertMappingsAndSettings(0);

    CliRun replicas = CliRun.of("setup-es", "--es", url, "--replicas", "1");
    assertThat(replicas.exitCode()).as(replicas.toString()).isZero();
    assertThat(replicas.out()).containsPattern("component template +callqa-settings +updated");
    assertThat(replicas.out()).contains("0 created, 1 updated, 5 unchanged");
    es.assertNewIndicesGetReplicas(1);

    CliRun back = CliRun.of("setup-es", "--es", url);
    assertThat(back.exitCode()).as(back.toString()).isZero();
    assertThat(back.out()).contains("0 created, 1 updated, 5 unchanged");
  }
}
