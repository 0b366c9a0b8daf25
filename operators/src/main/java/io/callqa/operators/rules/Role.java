package io.callqa.operators.rules;

import io.callqa.schemas.Channel;
import java.util.Locale;

/**
 * Who a rule listens to. {@code ANY} also covers {@link Channel#MIXED} recordings, where the
 * speaker is unknown; {@code AGENT} and {@code CUSTOMER} never match a MIXED channel.
 */
public enum Role {
  AGENT,
  CUSTOMER,
  ANY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.wireName().equalsIgnoreCase(text)) {
        return r;
      }
    }
    return null;
  }

  /** Whether an utterance on {@code channel} is in this role's scope. */
  public boolean covers(Channel channel) {
    switch (this) {
      case AGENT:
        return channel == Channel.AGENT;
      case CUSTOMER:
        return channel == Channel.CUSTOMER;
      default:
        return true;
    }
  }
}
