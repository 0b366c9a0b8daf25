package io.callqa.operators.rules;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * A test harness around the real CEP operator that {@code CEP.pattern(...).inEventTime()
 * .process(...)} builds, fed by hand: each signal gets the next timestamp of the CEP clock and a
 * watermark right behind it, as {@link CepClockOperator} does.
 */
final class CepHarness implements AutoCloseable {
  final KeyedOneInputStreamOperatorTestHarness<String, CallSignal, CallSignal> harness;
  private long clock = 1_000;

  @SuppressWarnings("unchecked")
  CepHarness(Pattern<CallSignal, ?> pattern, PatternProcessFunction<CallSignal, CallSignal> fn)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<CallSignal> src =
        env.fromData(List.of(new CallSignal()), TypeInformation.of(CallSignal.class));
    SingleOutputStreamOperator<CallSignal> out =
        CEP.pattern(src.keyBy(new RulesAssembly.CallIdKey(), Types.STRING), pattern)
            .inEventTime()
            .process(fn, TypeInformation.of(CallSignal.class));
    StreamOperatorFactory<CallSignal> factory =
        ((OneInputTransformation<CallSignal, CallSignal>) out.getTransformation())
            .getOperatorFactory();
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            factory, new RulesAssembly.CallIdKey(), Types.STRING);
    harness.open();
  }

  static CepHarness anger(RuleSpec rule) throws Exception {
    return new CepHarness(
        CepRules.angerPattern(rule, SLACK_MS),
        new CepRules.AngerEscalationFunction(TestCalls.RULES, rule));
  }

  static CepHarness forcedTransfer(RuleSpec rule) throws Exception {
    return new CepHarness(
        CepRules.forcedTransferPattern(rule, SLACK_MS),
        new CepRules.ForcedTransferFunction(TestCalls.RULES, rule));
  }

  static final long SLACK_MS = 60_000;

  /** Feeds the signals in order, one clock tick apart, each followed by its watermark. */
  CepHarness feed(CallSignal... signals) throws Exception {
    for (CallSignal s : signals) {
      clock++;
      harness.processElement(s, clock);
      harness.processWatermark(clock);
    }
    return this;
  }

  /** Moves the CEP clock on (partial matches time out once their window + slack is passed). */
  CepHarness advance(long ms) throws Exception {
    clock += ms;
    harness.processWatermark(clock);
    return this;
  }

  List<CallSignal> matches() {
    return harness.extractOutputValues();
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}
