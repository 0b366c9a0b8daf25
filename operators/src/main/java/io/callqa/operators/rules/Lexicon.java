package io.callqa.operators.rules;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The phrase lexicon: intents, each with the role that says it and its phrases per language. The
 * rules refer to intents by name; the {@link IntentMatcher} finds them in ASR text.
 */
public final class Lexicon implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One intent.
   *
   * @param role who says it (agent, customer), or null when the lexicon does not say
   * @param phrases language code → phrases, in file order
   */
  public record Intent(String name, Role role, Map<String, List<String>> phrases)
      implements Serializable {
    public Intent {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      phrases.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      phrases = Collections.unmodifiableMap(copy);
    }

    /** All phrases of all languages. */
    public List<String> allPhrases() {
      return phrases.values().stream().flatMap(List::stream).toList();
    }
  }

  private final int version;
  private final LinkedHashMap<String, Intent> intents;

  public Lexicon(int version, Map<String, Intent> intents) {
    this.version = version;
    this.intents = new LinkedHashMap<>(intents);
  }

  public int version() {
    return version;
  }

  public Map<String, Intent> intents() {
    return Collections.unmodifiableMap(intents);
  }

  public boolean has(String intent) {
    return intents.containsKey(intent);
  }

  /** A copy of this lexicon with one more intent (used for a phrase rule's literal phrases). */
  public Lexicon with(Intent intent) {
    Map<String, Intent> m = new LinkedHashMap<>(intents);
    m.put(intent.name(), intent);
    return new Lexicon(version, m);
  }
}
