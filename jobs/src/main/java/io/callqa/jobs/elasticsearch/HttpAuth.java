package io.callqa.jobs.elasticsearch;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How a command authenticates to Elasticsearch or Kibana: an API key or a user and password, each
 * secret read from an environment variable named on the command line, never from the command line
 * itself (it would show in shell history and {@code ps}). No option: no authentication (the dev
 * stack).
 */
public final class HttpAuth {
  @Option(
      names = "--api-key-env",
      paramLabel = "VAR",
      description =
          "Environment variable holding an API key (sent as 'Authorization: ApiKey ...').")
  String apiKeyEnv;

  @Option(
      names = "--user",
      paramLabel = "USER",
      description = "User for basic authentication; the password comes from --password-env.")
  String user;

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      description = "Environment variable holding the password of --user.")
  String passwordEnv;

  public HttpAuth() {}

  /** An API key read from {@code apiKeyEnv} (tests). */
  public static HttpAuth apiKeyFrom(String apiKeyEnv) {
    HttpAuth a = new HttpAuth();
    a.apiKeyEnv = apiKeyEnv;
    return a;
  }

  /**
   * The {@code Authorization} header value, or {@code null} for none. {@code env} looks up
   * environment variables ({@code System::getenv} outside tests).
   */
  public String header(Function<String, String> env) {
    if (apiKeyEnv != null) {
      if (user != null) {
        throw new IllegalArgumentException("give either --api-key-env or --user, not both");
      }
      return "ApiKey " + required(env, apiKeyEnv, "API key");
    }
    if (user != null) {
      if (passwordEnv == null) {
        throw new IllegalArgumentException(
            "--user needs --password-env VAR (the password's variable)");
      }
      String password = required(env, passwordEnv, "password");
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    if (passwordEnv != null) {
      throw new IllegalArgumentException("--password-env needs --user");
    }
    return null;
  }

  /** Adds the header to a request, if there is one. */
  public HttpRequest.Builder apply(HttpRequest.Builder request, Function<String, String> env) {
    String h = header(env);
    return h == null ? request : request.header("Authorization", h);
  }

  private static String required(Function<String, String> env, String var, String what) {
    String value = env.apply(var);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "environment variable " + var + " (" + what + ") is not set");
    }
    return value;
  }

  @Override
  public String toString() {
    if (apiKeyEnv != null) {
      return "API key from $" + apiKeyEnv;
    }
    if (user != null) {
      return "user " + user + ", password from $" + passwordEnv;
    }
    return "no authentication";
  }
}
