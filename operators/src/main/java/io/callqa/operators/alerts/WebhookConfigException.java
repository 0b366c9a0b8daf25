package io.callqa.operators.alerts;

/** A webhook configuration that cannot be used, with the path of the wrong value. */
public class WebhookConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String path;

  public WebhookConfigException(String path, String problem) {
    super("webhooks: " + path + ": " + problem);
    this.path = path;
  }

  public String path() {
    return path;
  }
}
