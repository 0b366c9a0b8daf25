package io.callqa.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.operators.audio.SpeechSlot;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.UtteranceStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The async inference operator in Flink's harness, on the tiny contract model. */
class InferenceFunctionTest {

  private static SpeechSlot slot(int index, int samples) {
    SpeechSlot s = new SpeechSlot();
    s.tenant = "acme";
    s.callId = "call-1";
    s.channel = Channel.CUSTOMER;
    s.slotIndex = index;
    s.startMs = index * 10_000L;
    s.endMs = s.startMs + samples / 16;
    s.samples = new short[samples];
    Random r = new Random(index);
    for (int i = 0; i < samples; i++) {
      s.samples[i] = (short) (r.nextGaussian() * 3000);
    }
    s.agentId = "agent-7";
    s.startedAt = 1_700_000_000_000L;
    s.lastAudioArrivedAtEpochMs = System.currentTimeMillis();
    return s;
  }

  private static List<Utterance> run(SpeechSlot... slots) throws Exception {
    var factory =
        new AsyncWaitOperatorFactory<SpeechSlot, Utterance>(
            new InferenceFunction(TinyModel.settings()),
            30_000,
            16,
            AsyncDataStream.OutputMode.UNORDERED);
    List<Utterance> out = new ArrayList<>();
    try (var h =
        new OneInputStreamOperatorTestHarness<>(
            factory,
            TypeInformation.of(SpeechSlot.class).createSerializer(new SerializerConfigImpl()))) {
      h.open();
      for (SpeechSlot s : slots) {
        h.processElement(new StreamRecord<>(s, s.startMs));
      }
      h.endInput();
      for (Object o : h.getOutput()) {
        if (o instanceof StreamRecord<?> r) {
          out.add((Utterance) r.getValue());
        }
      }
    }
    out.sort(Comparator.comparingInt(Utterance::getSlotIndex));
    return out;
  }

  @Test
  void turnsEverySlotIntoOneUtteranceWithItsIdentityAndTags() throws Exception {
    List<Utterance> out = run(slot(0, 16_000), slot(1, 8_000), slot(2, 24_000));

    assertThat(out).hasSize(3);
    Utterance u = out.get(1);
    assertThat(u.getUtteranceId()).isEqualTo("call-1/CUSTOMER/1");
    assertThat(u.getStatus()).isEqualTo(UtteranceStatus.OK);
    assertThat(u.getStartMs()).isEqualTo(10_000L);
    assertThat(u.getEndMs()).isEqualTo(10_500L);
    assertThat(u.getModelId()).isEqualTo("tiny-test-model@1");
    assertThat(u.getAgentId()).isEqualTo("agent-7");
    assertThat(u.getEmotion()).isIn(CtcDecoder.EMOTIONS);
    assertThat(u.getLanguage()).isIn(CtcDecoder.LANGUAGES);
    assertThat(u.getProcessingLatencyMs()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aSlotThatCannotBeRecognisedBecomesAFailedUtteranceNotALoss() throws Exception {
    List<Utterance> out = run(slot(0, 16_000 * 31), slot(1, 0), slot(2, 100));

    assertThat(out).hasSize(3);
    assertThat(out).allMatch(u -> u.getStatus() == UtteranceStatus.FAILED);
    assertThat(out.get(0).getError()).startsWith("SLOT_TOO_LONG");
    assertThat(out.get(1).getError()).startsWith("EMPTY_SLOT");
    assertThat(out.get(2).getError()).startsWith("TOO_SHORT");
  }
}
