package io.callqa.operators.sinks.elasticsearch.documents;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * The Elasticsearch indices callqa writes, one family per kind of document: {@code
 * <prefix>-<tenant>-<yyyy.MM.dd>}, e.g. {@code callqa-utterances-acme-2026.11.21}.
 *
 * <p>One index per tenant and UTC day (of the call's start) makes retention a delete of whole
 * indices ({@code DELETE callqa-utterances-*-2026.10.*}) and lets a tenant's data be removed or
 * protected by index pattern ({@code callqa-*-acme-*}). Every index of a family is created by the
 * family's index template ({@code schemas/src/main/resources/elasticsearch/}), which also puts it
 * into the family's read alias ({@link #readAlias()}); Kibana data views use {@link
 * #readPattern()}.
 *
 * <p>There is no write alias: the mapper of each document picks the concrete daily index, so no
 * rollover (ILM, not available in every distribution) is needed.
 */
public enum IndexNames {
  UTTERANCES("callqa-utterances", true),
  CALLS("callqa-calls", true),
  ALERTS("callqa-alerts", true),
  /**
   * Dead letters as Avro {@code DeadLetter} records; the Elasticsearch sink's own dead letters
   * (documents Elasticsearch refused) go to the single index {@code callqa-deadletters} (its
   * default), which the same template covers. No read alias: that name is taken by the index.
   */
  DEAD_LETTERS("callqa-deadletters", false);

  /** Tenant segment used when a record has no tenant. */
  public static final String UNKNOWN_TENANT = "unknown";

  /** Longest tenant segment before the collision-proof suffix is added. */
  static final int MAX_TENANT_LENGTH = 48;

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("uuuu.MM.dd").withZone(ZoneOffset.UTC);

  private final String prefix;
  private final boolean hasReadAlias;

  IndexNames(String prefix, boolean hasReadAlias) {
    this.prefix = prefix;
    this.hasReadAlias = hasReadAlias;
  }

  /** {@code callqa-utterances} etc.: the start of every index name of this family. */
  public String prefix() {
    return prefix;
  }

  /** The concrete index for a tenant and a UTC day: {@code callqa-utterances-acme-2026.11.21}. */
  public String index(String tenant, Instant day) {
    return prefix + "-" + tenantSegment(tenant) + "-" + DAY.format(day);
  }

  /** All indices of this family: {@code callqa-utterances-*} (Kibana data views, searches). */
  public String readPattern() {
    return prefix + "-*";
  }

  /** All indices of one tenant: {@code callqa-utterances-acme-*}. */
  public String tenantPattern(String tenant) {
    return prefix + "-" + tenantSegment(tenant) + "-*";
  }

  /**
   * The alias every index of this family joins when it is created ({@code callqa-utterances}), or
   * {@code null} for dead letters.
   */
  public String readAlias() {
    return hasReadAlias ? prefix : null;
  }

  /**
   * The tenant as it appears in index names: lower case {@code [a-z0-9_]} only, never empty. A
   * tenant id of ASCII letters, digits and underscores is only lower-cased ({@code Acme} and {@code
   * acme} share indices: tenant ids are treated as case-insensitive). Anything else is replaced by
   * {@code _} and a hash of the original id is appended ({@code acme-corp} → {@code
   * acme_corp_1b2c3d4e}), so two tenants never share an index. The tenant never contains {@code -},
   * so the segments of an index name stay unambiguous and {@code callqa-alerts-acme-*} cannot match
   * another tenant's indices.
   */
  public static String tenantSegment(String tenant) {
    if (tenant == null || tenant.isBlank()) {
      return UNKNOWN_TENANT;
    }
    StringBuilder out = new StringBuilder(tenant.length());
    boolean replaced = false;
    for (int i = 0; i < tenant.length(); i++) {
      char c = Character.toLowerCase(tenant.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        out.append(c);
      } else {
        out.append('_');
        replaced = true;
        if (Character.isHighSurrogate(tenant.charAt(i))) {
          i++; // one replacement per code point
        }
      }
    }
    String segment = out.toString();
    boolean truncated = segment.length() > MAX_TENANT_LENGTH;
    if (truncated) {
      segment = segment.substring(0, MAX_TENANT_LENGTH);
    }
    if (replaced || truncated || segment.equals(UNKNOWN_TENANT)) {
      // "unknown" itself is suffixed too, so a tenant named "unknown" is not mixed with records
      // that have no tenant
      segment = segment + "_" + hash(tenant);
    }
    return segment;
  }

  private static String hash(String tenant) {
    CRC32 crc = new CRC32();
    crc.update(tenant.getBytes(StandardCharsets.UTF_8));
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }
}
