package io.callqa.jobs.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.jobs.elasticsearch.JsonHttp.Response;
import io.callqa.jobs.elasticsearch.JsonHttp.UnreachableException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Imports saved objects into Kibana with its saved objects import API: {@code POST
 * [/s/<space>]/api/saved_objects/_import?overwrite=true}, the NDJSON as the multipart form field
 * {@code file}, header {@code kbn-xsrf: true}. Objects with the same ids are overwritten, so
 * importing again updates the dashboards in place.
 */
public final class KibanaImporter {
  /** Kibana space ids: lower-case letters, digits, {@code _} and {@code -}. */
  static final Pattern SPACE_ID = Pattern.compile("[a-z0-9_-]+");

  private final JsonHttp kibana;

  public KibanaImporter(JsonHttp kibana) {
    this.kibana = kibana;
  }

  /** What Kibana reported. */
  public record Result(int successCount, List<String> errors) {
    public boolean success() {
      return errors.isEmpty();
    }
  }

  /** The API path for a space ({@code null} or {@code default}: the default space). */
  public static String importPath(String space) {
    if (space != null && !SPACE_ID.matcher(space).matches()) {
      throw new IllegalArgumentException(
          "space id '" + space + "' must be lower-case letters, digits, '_' or '-'");
    }
    String prefix = space == null || space.equals("default") ? "" : "/s/" + space;
    return prefix + "/api/saved_objects/_import?overwrite=true";
  }

  /**
   * Imports the NDJSON.
   *
   * @throws ImportException when Kibana answers with an HTTP error
   */
  public Result importNdjson(String space, String fileName, byte[] ndjson)
      throws UnreachableException, ImportException {
    String boundary = "callqa-" + UUID.randomUUID();
    byte[] body = multipart(boundary, fileName, ndjson);
    Response r =
        kibana.send(
            kibana
                .request(importPath(space))
                .header("kbn-xsrf", "true")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)));
    if (!r.ok()) {
      throw new ImportException(
          "Kibana at "
              + kibana.base()
              + " answered "
              + r.status()
              + ": "
              + r.errorText()
              + (r.status() == 404 && space != null ? " (does space '" + space + "' exist?)" : ""));
    }
    JsonNode json = r.json();
    List<String> errors = new ArrayList<>();
    for (JsonNode e : json.path("errors")) {
      errors.add(
          e.path("type").asText()
              + " "
              + e.path("id").asText()
              + " ("
              + e.path("title").asText(e.path("meta").path("title").asText(""))
              + "): "
              + e.path("error").path("type").asText()
              + describeError(e.path("error")));
    }
    if (!json.path("success").asBoolean(false) && errors.isEmpty()) {
      errors.add("Kibana reported success=false: " + JsonHttp.abbreviate(r.body()));
    }
    return new Result(json.path("successCount").asInt(0), errors);
  }

  private static String describeError(JsonNode error) {
    StringBuilder s = new StringBuilder();
    for (JsonNode ref : error.path("references")) {
      s.append(s.length() == 0 ? " missing " : ", ")
          .append(ref.path("type").asText())
          .append(' ')
          .append(ref.path("id").asText());
    }
    if (error.hasNonNull("message")) {
      s.append(" ").append(error.get("message").asText());
    }
    return s.toString();
  }

  /** A multipart/form-data body with one file field named {@code file}. */
  static byte[] multipart(String boundary, String fileName, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 256);
    String head =
        "--"
            + boundary
            + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\""
            + fileName.replace("\"", "")
            + "\"\r\n"
            + "Content-Type: application/ndjson\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Kibana refused the request. */
  public static final class ImportException extends Exception {
    private static final long serialVersionUID = 1L;

    ImportException(String message) {
      super(message);
    }
  }
}
