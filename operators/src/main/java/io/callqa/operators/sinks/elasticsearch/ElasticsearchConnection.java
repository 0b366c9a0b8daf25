package io.callqa.operators.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;

/**
 * Where Elasticsearch is and how to authenticate. Secrets are never held here: only the names of
 * the environment variables that carry them, read when the client is built.
 */
public record ElasticsearchConnection(
    List<String> hosts, String apiKeyEnv, String username, String passwordEnv)
    implements Serializable {

  public ElasticsearchConnection {
    Objects.requireNonNull(hosts, "hosts");
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("elasticsearch hosts: at least one URL is required");
    }
    for (String h : hosts) {
      if (!h.startsWith("http://") && !h.startsWith("https://")) {
        throw new IllegalArgumentException(
            "elasticsearch host '" + h + "' must start with http:// or https://");
      }
    }
  }

  /** No authentication (the dev stack). */
  public static ElasticsearchConnection of(String... hosts) {
    return new ElasticsearchConnection(List.of(hosts), null, null, null);
  }

  /** A new async client; the caller closes its transport. */
  public ElasticsearchAsyncClient newAsyncClient() {
    HttpHost[] httpHosts = hosts.stream().map(HttpHost::create).toArray(HttpHost[]::new);
    var builder = RestClient.builder(httpHosts);
    String apiKey = apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
    if (apiKeyEnv != null && apiKey == null) {
      throw new IllegalStateException(
          "environment variable " + apiKeyEnv + " (Elasticsearch API key) is not set");
    }
    if (apiKey != null) {
      builder.setDefaultHeaders(
          new Header[] {new BasicHeader("Authorization", "ApiKey " + apiKey)});
    } else if (username != null) {
      String password = passwordEnv == null ? null : System.getenv(passwordEnv);
      if (password == null) {
        throw new IllegalStateException(
            "environment variable " + passwordEnv + " (Elasticsearch password) is not set");
      }
      String basic =
          java.util.Base64.getEncoder()
              .encodeToString(
                  (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "Basic " + basic)});
    }
    RestClientTransport transport =
        new RestClientTransport(builder.build(), new JacksonJsonpMapper());
    return new ElasticsearchAsyncClient(transport);
  }

  @Override
  public String toString() {
    return "ElasticsearchConnection{hosts="
        + hosts
        + (apiKeyEnv != null ? ", apiKey from $" + apiKeyEnv : "")
        + (username != null ? ", user " + username + ", password from $" + passwordEnv : "")
        + "}";
  }
}
