package io.callqa.operators.rules;

/**
 * The overtalk definition, shared by the real-time rule and the call summary: the agent starts
 * speaking while the customer has been speaking for at least {@code customerSpeakingMs}, and both
 * then speak together for at least {@code minOverlapMs}.
 */
public final class Overtalk {
  private Overtalk() {}

  /** The overlap in ms when the agent utterance talks over the customer utterance, else -1. */
  public static long overlap(
      long agentStart,
      long agentEnd,
      long customerStart,
      long customerEnd,
      long customerSpeakingMs,
      long minOverlapMs) {
    boolean customerTalkingLongEnough = agentStart - customerStart >= customerSpeakingMs;
    boolean customerStillTalking = agentStart < customerEnd;
    if (!customerTalkingLongEnough || !customerStillTalking) {
      return -1;
    }
    long overlap = Math.min(agentEnd, customerEnd) - agentStart;
    return overlap >= minOverlapMs ? overlap : -1;
  }
}
