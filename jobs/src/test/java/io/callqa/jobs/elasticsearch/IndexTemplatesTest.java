package io.callqa.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.jobs.elasticsearch.IndexTemplates.Kind;
import io.callqa.jobs.elasticsearch.IndexTemplates.Template;
import io.callqa.operators.sinks.elasticsearch.documents.IndexNames;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {

  @Test
  void componentsComeBeforeTheIndexTemplatesThatUseThem() {
    List<Template> all = IndexTemplates.all(1, 0);
    assertThat(all)
        .extracting(Template::name)
        .containsExactly(
            "callqa-settings",
            "callqa-dynamic-mappings",
            "callqa-utterances",
            "callqa-calls",
            "callqa-alerts",
            "callqa-deadletters");
    for (Template t : all) {
      if (t.kind() == Kind.INDEX) {
        for (JsonNode c : t.body().path("composed_of")) {
          assertThat(IndexTemplates.COMPONENTS).contains(c.asText());
        }
      }
    }
  }

  @Test
  void shardsAndReplicasAreSetInTheSettingsComponent() {
    Template settings = IndexTemplates.all(3, 2).get(0);
    JsonNode index = settings.body().path("template").path("settings").path("index");
    assertThat(index.path("number_of_shards").asInt()).isEqualTo(3);
    assertThat(index.path("number_of_replicas").asInt()).isEqualTo(2);
    JsonNode defaults =
        IndexTemplates.all(1, 0).get(0).body().path("template").path("settings").path("index");
    assertThat(defaults.path("number_of_replicas").asInt()).isZero();
    assertThatThrownBy(() -> IndexTemplates.all(0, 0)).hasMessageContaining("shards");
    assertThatThrownBy(() -> IndexTemplates.all(1, -1)).hasMessageContaining("replicas");
  }

  @Test
  void everyTemplateFileIsInstalledAndNoneIsMissing() throws IOException, URISyntaxException {
    // the schemas module's resources: a directory in `mvn test`, a jar in `mvn verify`
    URI uri =
        IndexTemplates.class.getClassLoader().getResource(IndexTemplates.RESOURCE_DIR).toURI();
    List<String> files;
    try (FileSystem jar =
        uri.getScheme().equals("jar") ? FileSystems.newFileSystem(uri, Map.of()) : null) {
      Path dir = jar != null ? jar.getPath(IndexTemplates.RESOURCE_DIR) : Path.of(uri);
      try (Stream<Path> walk = Files.walk(dir)) {
        files =
            walk.filter(Files::isRegularFile)
                .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                .sorted()
                .toList();
      }
    }
    List<String> installed =
        IndexTemplates.all(1, 0).stream()
            .map(t -> t.kind().resource(t.name()).substring(IndexTemplates.RESOURCE_DIR.length()))
            .sorted()
            .toList();
    assertThat(files).isEqualTo(installed);
  }

  @Test
  void indexTemplatesCoverTheirFamiliesAndNoOther() {
    for (IndexNames family : IndexNames.values()) {
      JsonNode t = IndexTemplates.indexTemplate(family);
      String index = family.index("acme", java.time.Instant.parse("2026-11-21T10:00:00Z"));
      for (IndexNames other : IndexNames.values()) {
        String otherIndex = other.index("acme", java.time.Instant.parse("2026-11-21T10:00:00Z"));
        boolean matches = false;
        for (JsonNode p : t.path("index_patterns")) {
          matches |= SavedObjects.glob(p.asText()).matcher(otherIndex).matches();
        }
        assertThat(matches).as(family + " template on " + otherIndex).isEqualTo(other == family);
      }
      assertThat(index).startsWith(family.prefix());
      assertThat(
              t.path("template")
                  .path("mappings")
                  .path("properties")
                  .path("@timestamp")
                  .path("type")
                  .asText())
          .isEqualTo("date");
    }
  }
}
