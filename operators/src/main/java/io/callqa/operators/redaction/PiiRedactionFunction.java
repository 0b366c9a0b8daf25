package io.callqa.operators.redaction;

import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Emits each utterance with its text redacted by {@link PiiRedactor} and the kinds found added to
 * {@code piiKinds} (kinds already there are kept, so running it twice is harmless). Stateless; put
 * it before anything that stores or sends utterance text.
 *
 * <p>Metrics: {@code piiUtterances} (utterances that contained PII).
 */
public class PiiRedactionFunction extends RichMapFunction<Utterance, Utterance> {
  private static final long serialVersionUID = 1L;

  private transient PiiRedactor redactor;
  private transient Counter piiUtterances;

  @Override
  public void open(OpenContext openContext) {
    redactor = new PiiRedactor();
    piiUtterances = getRuntimeContext().getMetricGroup().counter("piiUtterances");
  }

  @Override
  public Utterance map(Utterance u) {
    return redact(redactor, u, piiUtterances);
  }

  /** Redacts one utterance without Flink (also used by tests). */
  public static Utterance redact(PiiRedactor redactor, Utterance u, Counter counter) {
    PiiRedactor.Result r = redactor.redact(u.getText());
    if (!r.found()) {
      return u;
    }
    if (counter != null) {
      counter.inc();
    }
    Set<PiiKind> all = EnumSet.copyOf(r.kinds());
    for (String k : u.getPiiKinds()) {
      try {
        all.add(PiiKind.valueOf(k));
      } catch (IllegalArgumentException unknownKind) {
        // a kind from another redactor: keep it below
      }
    }
    List<String> kinds = new ArrayList<>();
    all.forEach(k -> kinds.add(k.name()));
    for (String k : u.getPiiKinds()) {
      if (!kinds.contains(k)) {
        kinds.add(k);
      }
    }
    return Utterance.newBuilder(u).setText(r.text()).setPiiKinds(kinds).build();
  }
}
