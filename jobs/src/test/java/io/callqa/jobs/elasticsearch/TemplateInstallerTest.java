package io.callqa.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** How stored templates are compared with the desired ones (the real round trip: SetupEsITCase). */
class TemplateInstallerTest {

  private static JsonNode json(String s) throws Exception {
    return SavedObjects.JSON.readTree(s);
  }

  @Test
  void settingsAreComparedAfterElasticsearchRewritesThem() throws Exception {
    JsonNode desired =
        json(
            "{\"template\": {\"settings\": {\"index\": {\"number_of_shards\": 1, \"number_of_replicas\": 0,"
                + " \"mapping\": {\"total_fields\": {\"limit\": 2000}}}}}, \"version\": 1}");
    JsonNode stored =
        json(
            "{\"template\": {\"settings\": {\"index\": {\"number_of_shards\": \"1\", \"number_of_replicas\": \"0\","
                + " \"mapping\": {\"total_fields\": {\"limit\": \"2000\"}}}}}, \"version\": 1,"
                + " \"created_date_millis\": 1700000000000, \"modified_date_millis\": 1700000000000}");
    assertThat(TemplateInstaller.same(desired, stored)).isTrue();
    JsonNode flat =
        json(
            "{\"template\": {\"settings\": {\"index.number_of_shards\": \"1\", \"number_of_replicas\": \"0\","
                + " \"index.mapping.total_fields.limit\": \"2000\"}}, \"version\": 1}");
    assertThat(TemplateInstaller.same(desired, flat)).isTrue();
  }

  @Test
  void aChangedReplicaCountIsADifference() throws Exception {
    JsonNode desired = IndexTemplates.all(1, 1).get(0).body();
    JsonNode stored = IndexTemplates.all(1, 0).get(0).body();
    assertThat(TemplateInstaller.same(desired, stored)).isFalse();
    assertThat(TemplateInstaller.same(desired, IndexTemplates.all(1, 1).get(0).body())).isTrue();
  }

  @Test
  void mappingChangesAreDifferences() throws Exception {
    ObjectNode desired = IndexTemplates.all(1, 0).get(2).body();
    ObjectNode stored = desired.deepCopy();
    assertThat(TemplateInstaller.same(desired, stored)).isTrue();
    ((ObjectNode) stored.path("template").path("mappings").path("properties").path("text"))
        .put("type", "keyword");
    assertThat(TemplateInstaller.same(desired, stored)).isFalse();
    ObjectNode extra = desired.deepCopy();
    extra.put("allow_auto_create", true);
    assertThat(TemplateInstaller.same(desired, extra)).as("a key added by someone else").isFalse();
  }

  @Test
  void scalarsCompareByTheirText() throws Exception {
    assertThat(
            TemplateInstaller.same(
                json("{\"dynamic\": true, \"priority\": 200}"),
                json("{\"dynamic\": \"true\", \"priority\": \"200\"}")))
        .isTrue();
    assertThat(TemplateInstaller.same(json("{\"a\": [1, 2]}"), json("{\"a\": [2, 1]}"))).isFalse();
  }
}
