package io.callqa.operators.sinks.elasticsearch.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IndexNamesTest {
  /** What Elasticsearch accepts, restricted further to what callqa writes. */
  private static final Pattern INDEX_NAME =
      Pattern.compile(
          "callqa-(utterances|calls|alerts|deadletters)-[a-z0-9_]+-\\d{4}\\.\\d{2}\\.\\d{2}");

  private static final Instant LATE_EVENING_UTC = Instant.parse("2026-11-21T23:59:59.999Z");
  private static final Instant NEXT_MIDNIGHT_UTC = Instant.parse("2026-11-22T00:00:00Z");

  @Test
  void namesIndicesByPrefixTenantAndUtcDay() {
    assertThat(IndexNames.UTTERANCES.index("acme", LATE_EVENING_UTC))
        .isEqualTo("callqa-utterances-acme-2026.11.21");
    assertThat(IndexNames.UTTERANCES.index("acme", NEXT_MIDNIGHT_UTC))
        .isEqualTo("callqa-utterances-acme-2026.11.22");
    assertThat(IndexNames.CALLS.index("acme", LATE_EVENING_UTC))
        .isEqualTo("callqa-calls-acme-2026.11.21");
    assertThat(IndexNames.ALERTS.index("acme", LATE_EVENING_UTC))
        .isEqualTo("callqa-alerts-acme-2026.11.21");
    assertThat(IndexNames.DEAD_LETTERS.index("acme", LATE_EVENING_UTC))
        .isEqualTo("callqa-deadletters-acme-2026.11.21");
  }

  @Test
  void readPatternsAliasesAndTenantPatterns() {
    assertThat(IndexNames.UTTERANCES.readPattern()).isEqualTo("callqa-utterances-*");
    assertThat(IndexNames.CALLS.readPattern()).isEqualTo("callqa-calls-*");
    assertThat(IndexNames.ALERTS.readPattern()).isEqualTo("callqa-alerts-*");
    assertThat(IndexNames.DEAD_LETTERS.readPattern()).isEqualTo("callqa-deadletters-*");
    assertThat(IndexNames.UTTERANCES.readAlias()).isEqualTo("callqa-utterances");
    assertThat(IndexNames.ALERTS.readAlias()).isEqualTo("callqa-alerts");
    assertThat(IndexNames.DEAD_LETTERS.readAlias())
        .as("callqa-deadletters is the sink's own index")
        .isNull();
    assertThat(IndexNames.ALERTS.tenantPattern("Acme")).isEqualTo("callqa-alerts-acme-*");
  }

  @Test
  void plainTenantIdsAreOnlyLowerCased() {
    assertThat(IndexNames.tenantSegment("acme")).isEqualTo("acme");
    assertThat(IndexNames.tenantSegment("ACME_2")).isEqualTo("acme_2");
    assertThat(IndexNames.tenantSegment("Acme")).isEqualTo(IndexNames.tenantSegment("acme"));
  }

  @Test
  void otherCharactersAreReplacedAndAHashKeepsTenantsApart() {
    String dashed = IndexNames.tenantSegment("acme-corp");
    String underscored = IndexNames.tenantSegment("acme_corp");
    assertThat(dashed).matches("acme_corp_[0-9a-f]{8}");
    assertThat(underscored).isEqualTo("acme_corp");
    assertThat(dashed).isNotEqualTo(underscored);

    String spaced = IndexNames.tenantSegment("Acme Corp/EU:1*?\"<>|,#");
    assertThat(spaced).matches("[a-z0-9_]+");
    assertThat(IndexNames.tenantSegment("华为")).matches("___[0-9a-f]{8}").hasSize(11);
    assertThat(IndexNames.tenantSegment("华为")).isNotEqualTo(IndexNames.tenantSegment("腾讯"));
    assertThat(IndexNames.tenantSegment("😀")).as("one _ per code point").matches("__[0-9a-f]{8}");
    assertThat(IndexNames.tenantSegment("-acme")).doesNotStartWith("-");
  }

  @Test
  void missingTenantsShareTheUnknownSegmentButATenantNamedUnknownDoesNot() {
    assertThat(IndexNames.tenantSegment(null)).isEqualTo("unknown");
    assertThat(IndexNames.tenantSegment("")).isEqualTo("unknown");
    assertThat(IndexNames.tenantSegment("  ")).isEqualTo("unknown");
    assertThat(IndexNames.tenantSegment("unknown")).matches("unknown_[0-9a-f]{8}");
  }

  @Test
  void longTenantIdsAreCutAndHashed() {
    String longId = "t".repeat(300);
    String segment = IndexNames.tenantSegment(longId);
    assertThat(segment).hasSize(IndexNames.MAX_TENANT_LENGTH + 9);
    assertThat(segment).isNotEqualTo(IndexNames.tenantSegment("t".repeat(301)));
  }

  @Test
  void everyIndexNameIsAValidElasticsearchName() {
    for (IndexNames kind : IndexNames.values()) {
      for (String tenant :
          new String[] {"acme", "ACME", "a b", "华为", "x".repeat(500), null, ".."}) {
        String name = kind.index(tenant, LATE_EVENING_UTC);
        assertThat(name).matches(INDEX_NAME);
        assertThat(name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
            .isLessThanOrEqualTo(255);
        assertThat(name).startsWith(kind.prefix() + "-");
      }
    }
  }
}
