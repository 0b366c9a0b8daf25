package io.callqa.operators.audio;

import static io.callqa.operators.audio.TestSignals.concat;
import static io.callqa.operators.audio.TestSignals.holdMusic;
import static io.callqa.operators.audio.TestSignals.silence;
import static io.callqa.operators.audio.TestSignals.speech;
import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SlotterFunctionTest {

  static final String CALL = "call-0001";
  static final long CHUNK_MS = 20;
  static final long ONE_MINUTE = 60_000;

  /** Keep nothing after a close, so "state back to zero" is checked right at the close. */
  static final SlotterSettings NO_TOMBSTONE =
      SlotterSettings.builder().closedRetentionMs(0).build();

  /** 7 s: 1 s silence, 1.5 s speech, 1.5 s silence, 2 s speech, 1 s silence. */
  static short[] twoUtterances() {
    return concat(
        silence(1_000), speech(1_500, 1), silence(1_500), speech(2_000, 2), silence(1_000));
  }

  static List<CallAudioChunk> chunks(short[] pcm16k, Channel channel) {
    return LocalSlotter.chunks(
        "acme", CALL, channel, pcm16k, 16_000, AudioEncoding.PCM_S16LE, (int) CHUNK_MS);
  }

  static List<CallAudioChunk> chunks(short[] pcm16k) {
    return chunks(pcm16k, Channel.AGENT);
  }

  static CallEvent ended() {
    return CallEvent.newBuilder()
        .setTenant("acme")
        .setCallId(CALL)
        .setType(CallEventType.ENDED)
        .setAtMs(7_000)
        .setAttributes(Map.of())
        .build();
  }

  static CallAudioChunk with(CallAudioChunk c, UnaryOperator<CallAudioChunk.Builder> change) {
    return change.apply(CallAudioChunk.newBuilder(c)).build();
  }

  static void assertNothingLeft(SlotterHarness h) {
    assertThat(h.keyedStateEntries()).as("keyed state entries").isZero();
    assertThat(h.timers()).as("processing-time timers").isZero();
  }

  // --------------------------------------------------------------------------------------------

  @Test
  void cutsOneSlotPerUtteranceAndReportsCoverageOnTheLastChunk() throws Exception {
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(chunks(twoUtterances()), CHUNK_MS);

      List<SpeechSlot> slots = h.slots();
      assertThat(slots).hasSize(2);
      SpeechSlot first = slots.get(0);
      assertThat(first.callId).isEqualTo(CALL);
      assertThat(first.channel).isEqualTo(Channel.AGENT);
      assertThat(first.tenant).isEqualTo("acme");
      assertThat(first.slotIndex).isZero();
      assertThat(first.startMs).isBetween(780L, 830L); // 200 ms padding before 1.0 s
      assertThat(first.endMs).isBetween(2_700L, 2_900L); // 2.5 s + hangover + 200 ms padding
      assertThat(first.samples).hasSize((int) (first.durationMs() * 16));
      assertThat(slots.get(1).slotIndex).isEqualTo(1);
      assertThat(slots.get(1).startMs).isBetween(3_780L, 3_830L);
      assertThat(slots.get(1).endMs).isBetween(6_200L, 6_400L);

      ChannelReport report = h.reports().get(0);
      assertThat(report.getClosedBy()).isEqualTo("LAST_CHUNK");
      assertThat(report.getEndMs()).isEqualTo(7_000);
      assertThat(report.getCoverage().getChunksReceived()).isEqualTo(350);
      assertThat(report.getCoverage().getAudioMsReceived()).isEqualTo(7_000);
      assertThat(report.getCoverage().getSlotsCut()).isEqualTo(2);
      assertThat(report.getCoverage().getChunksRejected()).isZero();
      assertThat(report.getCoverage().getDuplicateChunks()).isZero();
      assertThat(report.getCoverage().getGapMsFilled()).isZero();
      assertThat(h.deadLetters()).isEmpty();
    }
  }

  @Test
  void slotSamplesAreTheInputAudio() throws Exception {
    short[] audio = twoUtterances();
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(chunks(audio), CHUNK_MS);
      for (SpeechSlot s : h.slots()) {
        short[] expected =
            java.util.Arrays.copyOfRange(audio, (int) s.startMs * 16, (int) s.endMs * 16);
        assertThat(s.samples).isEqualTo(expected);
      }
    }
  }

  @Test
  void closesSlotAfterTrailingSilenceWithoutWaitingForTheChannelToEnd() throws Exception {
    List<CallAudioChunk> call = chunks(concat(silence(500), speech(1_200, 3), silence(5_000)));
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call.subList(0, 150), CHUNK_MS); // up to 3.0 s: 1.1 s after the speech ended

      assertThat(h.slots()).hasSize(1);
      assertThat(h.reports()).isEmpty();
    }
  }

  @Test
  void clearsAllStateAndTimersWhenTheChannelCloses() throws Exception {
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      List<CallAudioChunk> call = chunks(twoUtterances());
      h.stream(call.subList(0, 100), CHUNK_MS);
      assertThat(h.keyedStateEntries()).isPositive();
      assertThat(h.timers()).isPositive();

      h.stream(call.subList(100, call.size()), CHUNK_MS);

      assertThat(h.reports()).hasSize(1);
      assertNothingLeft(h);
    }
  }

  @Test
  void keepsOnlyATombstoneThatRejectsStragglersUntilItExpires() throws Exception {
    SlotterSettings settings = SlotterSettings.builder().closedRetentionMs(10 * ONE_MINUTE).build();
    try (SlotterHarness h = new SlotterHarness(settings)) {
      List<CallAudioChunk> call = chunks(twoUtterances());
      h.stream(call, CHUNK_MS);
      assertThat(h.keyedStateEntries()).isEqualTo(1);
      assertThat(h.timers()).isEqualTo(1);

      h.send(call.get(call.size() - 1)); // redelivered last chunk
      h.send(call.get(3));

      assertThat(h.deadLetterReasons()).containsExactly("CHUNK_AFTER_LAST", "CHUNK_AFTER_LAST");
      assertThat(h.reports()).hasSize(1);
      h.advance(10 * ONE_MINUTE);
      assertNothingLeft(h);
    }
  }

  @Test
  void reordersOutOfOrderChunksBySeq() throws Exception {
    List<CallAudioChunk> call = chunks(twoUtterances());
    List<SpeechSlot> inOrder;
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call, CHUNK_MS);
      inOrder = h.slots();
    }
    // shuffle within windows of 8 chunks (160 ms of network jitter), last chunk kept last
    List<CallAudioChunk> shuffled = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < call.size() - 1; i += 8) {
      List<CallAudioChunk> window =
          new ArrayList<>(call.subList(i, Math.min(i + 8, call.size() - 1)));
      Collections.shuffle(window, random);
      shuffled.addAll(window);
    }
    shuffled.add(call.get(call.size() - 1));

    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(shuffled, CHUNK_MS);

      assertThat(h.slots()).isEqualTo(inOrder);
      assertThat(h.reports().get(0).getCoverage().getGapMsFilled()).isZero();
      assertThat(h.deadLetters()).isEmpty();
      assertNothingLeft(h);
    }
  }

  @Test
  void dropsDuplicateChunksAndCountsThem() throws Exception {
    List<CallAudioChunk> call = chunks(twoUtterances());
    List<CallAudioChunk> withDuplicates = new ArrayList<>();
    for (CallAudioChunk c : call) {
      withDuplicates.add(c);
      if (c.getSeq() % 50 == 7) {
        withDuplicates.add(c); // processed twice would shift all later audio by 20 ms
      }
    }
    // seq 30 twice ahead of time: the second copy meets the first in the reorder buffer
    withDuplicates.add(20, call.get(30));
    withDuplicates.add(21, call.get(30));

    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(withDuplicates, CHUNK_MS);

      // 7 repeats (seq 7, 57, ..., 307), the copy in the buffer, the original of seq 30
      assertThat(h.deadLetterReasons()).hasSize(9).containsOnly("DUPLICATE_CHUNK");
      ChannelReport report = h.reports().get(0);
      assertThat(report.getCoverage().getDuplicateChunks()).isEqualTo(9);
      assertThat(report.getCoverage().getChunksReceived()).isEqualTo(359);
      assertThat(report.getCoverage().getAudioMsReceived()).isEqualTo(7_000);
      assertThat(report.getEndMs()).isEqualTo(7_000);
    }
  }

  @Test
  void fillsAGapWithSilenceAfterTheGapTimeoutAndRejectsTheLateChunk() throws Exception {
    List<CallAudioChunk> call = chunks(twoUtterances());
    List<CallAudioChunk> lossy = new ArrayList<>(call);
    CallAudioChunk lost1 = lossy.remove(120);
    lossy.remove(120); // seq 120 and 121: 40 ms lost

    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(lossy.subList(0, 125), CHUNK_MS);
      assertThat(h.reports()).isEmpty();
      h.advance(SlotterSettings.DEFAULT_GAP_TIMEOUT_MS); // the gap timer fires
      h.send(lost1); // too late now
      h.stream(lossy.subList(125, lossy.size()), CHUNK_MS);

      assertThat(h.deadLetterReasons()).containsExactly("LATE_CHUNK");
      ChannelReport report = h.reports().get(0);
      assertThat(report.getCoverage().getGapMsFilled()).isEqualTo(40);
      assertThat(report.getCoverage().getAudioMsReceived()).isEqualTo(6_960);
      assertThat(report.getCoverage().getChunksRejected()).isEqualTo(1);
      assertThat(report.getEndMs()).isEqualTo(7_000); // the timeline did not shift
      assertThat(h.slots()).hasSize(2);
      assertThat(h.slots().get(1).startMs).isBetween(3_780L, 3_830L);
      assertNothingLeft(h);
    }
  }

  @Test
  void aFullReorderBufferFillsTheGapAtOnce() throws Exception {
    SlotterSettings small = NO_TOMBSTONE.toBuilder().reorderBufferChunks(4).build();
    List<CallAudioChunk> call = chunks(twoUtterances());
    try (SlotterHarness h = new SlotterHarness(small)) {
      h.stream(call.subList(0, 10), CHUNK_MS);
      h.stream(call.subList(11, 16), 1); // seq 10 missing; 5th buffered chunk overflows

      assertThat(h.keyedStateEntries()).isEqualTo(2); // channel state + audio, buffer drained
      h.stream(call.subList(16, call.size()), CHUNK_MS);
      assertThat(h.reports().get(0).getCoverage().getGapMsFilled()).isEqualTo(20);
    }
  }

  static Stream<Arguments> badChunks() {
    CallAudioChunk good = chunks(speech(200, 1)).get(3);
    return Stream.of(
        Arguments.of("UNKNOWN_ENCODING", with(good, b -> b.setEncoding(AudioEncoding.UNKNOWN))),
        Arguments.of("UNSUPPORTED_SAMPLE_RATE", with(good, b -> b.setSampleRate(9_600))),
        Arguments.of("UNSUPPORTED_SAMPLE_RATE", with(good, b -> b.setSampleRate(0))),
        Arguments.of(
            "ODD_PCM16_LENGTH", with(good, b -> b.setPayload(ByteBuffer.wrap(new byte[641])))),
        Arguments.of("EMPTY_PAYLOAD", with(good, b -> b.setPayload(ByteBuffer.wrap(new byte[0])))),
        Arguments.of(
            "EMPTY_PAYLOAD",
            with(
                good,
                b ->
                    b.setEncoding(AudioEncoding.PCMU)
                        .setSampleRate(8_000)
                        .setPayload(ByteBuffer.allocate(0)))),
        Arguments.of("INVALID_SEQ", with(good, b -> b.setSeq(-1))),
        Arguments.of("INVALID_SEQ", with(good, b -> b.setSeq(Long.MAX_VALUE))),
        Arguments.of("INVALID_OFFSET", with(good, b -> b.setOffsetMs(-20))),
        Arguments.of("INVALID_OFFSET", with(good, b -> b.setOffsetMs(Long.MAX_VALUE / 2))),
        Arguments.of(
            "CHUNK_TOO_LONG",
            with(good, b -> b.setPayload(ByteBuffer.wrap(new byte[2 * 16_000 * 61])))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badChunks")
  void rejectsBadInputWithAStableReasonAndCountsIt(String reason, CallAudioChunk bad)
      throws Exception {
    List<CallAudioChunk> call = chunks(twoUtterances());
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call.subList(0, 50), CHUNK_MS);
      h.send(bad);
      h.stream(call.subList(50, call.size()), CHUNK_MS);

      DeadLetter dl = h.deadLetters().get(0);
      assertThat(h.deadLetters()).hasSize(1);
      assertThat(dl.getReason()).isEqualTo(reason);
      assertThat(dl.getStage()).isEqualTo("slotter");
      assertThat(dl.getCallId()).isEqualTo(CALL);
      assertThat(dl.getChannel()).isEqualTo("AGENT");
      assertThat(dl.getDetail()).isNotBlank();
      ChannelReport report = h.reports().get(0);
      assertThat(report.getCoverage().getChunksRejected()).isEqualTo(1);
      assertThat(report.getCoverage().getChunksReceived()).isEqualTo(351);
      assertThat(h.slots()).hasSize(2); // the call itself is unaffected
      assertNothingLeft(h);
    }
  }

  @Test
  void rejectsEmptyAndOversizedCallIdsWithoutKeepingState() throws Exception {
    CallAudioChunk good = chunks(speech(200, 1)).get(0);
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.send(with(good, b -> b.setCallId("")));
      h.send(with(good, b -> b.setCallId("x".repeat(257))));
      h.send(with(good, b -> b.setCallId("é".repeat(129)))); // 258 UTF-8 bytes

      h.send(with(good, b -> b.setCallId("y".repeat(100_000))));

      assertThat(h.deadLetterReasons())
          .containsExactly(
              "INVALID_CALL_ID", "INVALID_CALL_ID", "INVALID_CALL_ID", "INVALID_CALL_ID");
      assertThat(h.deadLetters().get(3).getCallId()).hasSizeLessThan(600).startsWith("yyy");
      assertNothingLeft(h);
    }
  }

  @Test
  void aCallIdOfExactly256BytesIsAccepted() throws Exception {
    CallAudioChunk good = chunks(speech(200, 1)).get(0);
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.send(with(good, b -> b.setCallId("x".repeat(256))));
      assertThat(h.deadLetters()).isEmpty();
    }
  }

  @Test
  void rejectsChunksBeyondTheLastSeq() throws Exception {
    List<CallAudioChunk> call = chunks(twoUtterances());
    CallAudioChunk last = call.get(call.size() - 1);
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call.subList(0, 300), CHUNK_MS);
      h.send(last); // arrives early: the channel waits for seq 300..348
      h.send(with(last, b -> b.setSeq(last.getSeq() + 1).setLast(false)));
      h.send(with(call.get(310), b -> b.setLast(true))); // a second, conflicting last
      h.stream(call.subList(300, call.size() - 1), CHUNK_MS);

      assertThat(h.deadLetterReasons()).containsExactly("CHUNK_AFTER_LAST", "CONFLICTING_LAST");
      assertThat(h.reports()).hasSize(1);
      assertThat(h.reports().get(0).getClosedBy()).isEqualTo("LAST_CHUNK");
      assertThat(h.reports().get(0).getCoverage().getChunksRejected()).isEqualTo(2);
    }
  }

  @Test
  void closesAChannelThatNeverSendsLastAfterTheIdleTimeout() throws Exception {
    List<CallAudioChunk> call = chunks(concat(silence(500), speech(1_500, 4)));
    call.remove(call.size() - 1); // no last flag ever
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call, CHUNK_MS);
      assertThat(h.slots()).isEmpty(); // speech was still going on

      h.advance(SlotterSettings.DEFAULT_IDLE_TIMEOUT_MS);

      assertThat(h.slots()).hasSize(1); // the open slot was flushed
      assertThat(h.slots().get(0).endMs).isEqualTo(1_980);
      ChannelReport report = h.reports().get(0);
      assertThat(report.getClosedBy()).isEqualTo("IDLE_TIMEOUT");
      assertThat(report.getEndMs()).isEqualTo(1_980);
      assertNothingLeft(h);
    }
  }

  @Test
  void idleTimeoutCountsFromTheLastChunk() throws Exception {
    List<CallAudioChunk> call = chunks(silence(3_000));
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.send(call.get(0));
      h.advance(SlotterSettings.DEFAULT_IDLE_TIMEOUT_MS - 1_000);
      h.send(call.get(1));
      h.advance(1_000); // the first idle timer fires but the channel was active since
      assertThat(h.reports()).isEmpty();
      h.advance(SlotterSettings.DEFAULT_IDLE_TIMEOUT_MS);
      assertThat(h.reports()).hasSize(1);
      assertNothingLeft(h);
    }
  }

  @Test
  void closesOnTheCallsEndedEventAfterTheGracePeriod() throws Exception {
    List<CallAudioChunk> call = chunks(twoUtterances(), Channel.CUSTOMER);
    call.remove(call.size() - 1);
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call, CHUNK_MS);
      h.event(ended());
      assertThat(h.reports()).isEmpty();

      h.advance(SlotterSettings.DEFAULT_ENDED_GRACE_MS);

      assertThat(h.reports()).hasSize(1);
      assertThat(h.reports().get(0).getClosedBy()).isEqualTo("CALL_ENDED");
      assertThat(h.reports().get(0).getChannel()).isEqualTo(Channel.CUSTOMER);
      assertThat(h.slots()).hasSize(2);
      assertNothingLeft(h);
    }
  }

  static void assertClosedByEndedWithEveryChunk(SlotterHarness h, int chunks) {
    assertThat(h.reports())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getClosedBy()).isEqualTo("CALL_ENDED");
              assertThat(r.getCoverage().getChunksReceived()).isEqualTo(chunks);
              assertThat(r.getCoverage().getChunksRejected()).isZero();
            });
  }

  @Test
  void aShortLastChunkBehindTheEndedEventIsWaitedFor() throws Exception {
    // a backlog: ENDED overtakes most of the audio, whose last chunk holds only 10 ms (recorders
    // here mark no chunk as the last one)
    List<CallAudioChunk> call =
        new java.util.ArrayList<>(chunks(concat(twoUtterances(), silence(50)), Channel.CUSTOMER));
    CallAudioChunk shortLast = with(call.remove(call.size() - 1), b -> b.setLast(false));
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.send(call.get(0));
      h.event(CallEvent.newBuilder(ended()).setAtMs(7_050).build());
      h.stream(call.subList(1, call.size()), CHUNK_MS);
      // 10 ms short of the end, the last chunk came less than a grace period ago
      h.advance(SlotterSettings.DEFAULT_ENDED_GRACE_MS - 1_000);
      assertThat(h.reports()).isEmpty();

      h.send(shortLast);
      h.advance(SlotterSettings.DEFAULT_ENDED_GRACE_MS);

      assertClosedByEndedWithEveryChunk(h, call.size() + 1);
      assertNothingLeft(h);
    }
  }

  @Test
  void audioEndingJustBeforeEndedClosesOnceTheChannelWentQuiet() throws Exception {
    // the recorder's audio stops 50 ms before the ENDED it sends: no more audio will come
    List<CallAudioChunk> call = chunks(twoUtterances(), Channel.CUSTOMER);
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call.stream().map(c -> with(c, b -> b.setLast(false))).toList(), CHUNK_MS);
      h.event(CallEvent.newBuilder(ended()).setAtMs(7_050).build());
      h.advance(SlotterSettings.DEFAULT_ENDED_GRACE_MS);

      assertClosedByEndedWithEveryChunk(h, call.size());
    }
  }

  @Test
  void callEventsForChannelsThatNeverSentAudioKeepNoState() throws Exception {
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.event(ended());
      h.event(with(ended(), CallEventType.HOLD_START));
      h.advance(ONE_MINUTE);

      assertThat(h.reports()).isEmpty();
      assertNothingLeft(h);
    }
  }

  @Test
  void anEndedThatComesBeforeAnyAudioClosesTheChannelAtItsEnd() throws Exception {
    // a backlog read from two topics: the call's ENDED comes before the first of its chunks,
    // and no chunk is marked last; the channel closes at its end, not on the idle timeout
    List<CallAudioChunk> call =
        chunks(twoUtterances(), Channel.CUSTOMER).stream()
            .map(c -> with(c, b -> b.setLast(false)))
            .toList();
    try (SlotterHarness h = new SlotterHarness(SlotterSettings.DEFAULTS)) {
      h.event(ended());
      h.advance(SlotterSettings.DEFAULT_IDLE_TIMEOUT_MS); // the audio is far behind
      h.stream(call, CHUNK_MS);
      h.advance(SlotterSettings.DEFAULT_ENDED_GRACE_MS);

      assertClosedByEndedWithEveryChunk(h, call.size());
      assertThat(h.slots()).hasSize(2);
      h.advance(SlotterSettings.DEFAULT_CLOSED_RETENTION_MS);
      assertNothingLeft(h);
    }
  }

  @Test
  void anEndedForAChannelThatNeverSendsAudioIsForgottenAfterTheRetention() throws Exception {
    try (SlotterHarness h = new SlotterHarness(SlotterSettings.DEFAULTS)) {
      h.event(ended());
      h.event(ended()); // redelivered
      h.event(with(ended(), CallEventType.HOLD_START));
      // one copy per channel key, each a few bytes and one timer
      assertThat(h.keyedStateEntries()).isEqualTo(Channel.values().length);
      assertThat(h.timers()).isEqualTo(Channel.values().length);

      h.advance(SlotterSettings.DEFAULT_CLOSED_RETENTION_MS);

      assertThat(h.reports()).isEmpty();
      assertNothingLeft(h);
    }
  }

  private static CallEvent with(CallEvent e, CallEventType type) {
    return CallEvent.newBuilder(e).setType(type).build();
  }

  @Test
  void theTwoChannelsOfACallAreIndependent() throws Exception {
    List<CallAudioChunk> agent = chunks(twoUtterances(), Channel.AGENT);
    List<CallAudioChunk> customer =
        chunks(concat(silence(3_000), speech(1_000, 9), silence(3_000)), Channel.CUSTOMER);
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      for (int i = 0; i < agent.size(); i++) {
        h.send(agent.get(i));
        h.send(customer.get(i));
        h.advance(CHUNK_MS);
      }
      assertThat(h.slots()).filteredOn(s -> s.channel == Channel.AGENT).hasSize(2);
      assertThat(h.slots()).filteredOn(s -> s.channel == Channel.CUSTOMER).hasSize(1);
      assertThat(h.reports())
          .extracting(ChannelReport::getChannel)
          .containsExactlyInAnyOrder(Channel.AGENT, Channel.CUSTOMER);
      assertNothingLeft(h);
    }
  }

  @Test
  void allZeroAudioGivesNoSlotsButStillAReport() throws Exception {
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(chunks(silence(10_000)), CHUNK_MS);

      assertThat(h.slots()).isEmpty();
      ChannelReport report = h.reports().get(0);
      assertThat(report.getCoverage().getAudioMsReceived()).isEqualTo(10_000);
      assertThat(report.getCoverage().getSlotsCut()).isZero();
      assertThat(report.getEndMs()).isEqualTo(10_000);
      assertNothingLeft(h);
    }
  }

  @Test
  void fullScaleClippingStillCutsSlots() throws Exception {
    short[] clipped =
        concat(
            silence(1_000),
            TestSignals.clippedSpeech(1_500, 1),
            silence(1_500),
            TestSignals.clippedSpeech(2_000, 2),
            silence(1_000));
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(chunks(clipped), CHUNK_MS);

      assertThat(h.slots()).hasSize(2);
      assertThat(h.slots().get(0).startMs).isBetween(780L, 830L);
    }
  }

  @Test
  void dcOffsetDoesNotChangeTheSlotBoundaries() throws Exception {
    List<SpeechSlot> clean;
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(chunks(twoUtterances()), CHUNK_MS);
      clean = h.slots();
    }
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(chunks(TestSignals.plusDc(twoUtterances(), 9_000)), CHUNK_MS);

      assertThat(h.slots())
          .extracting(s -> s.startMs + ".." + s.endMs)
          .isEqualTo(clean.stream().map(s -> s.startMs + ".." + s.endMs).toList());
    }
  }

  @Test
  void steadyHoldMusicIsNotCutIntoSlots() throws Exception {
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(chunks(TestSignals.holdMusic(20_000, 3_000, 5)), CHUNK_MS);
      assertThat(h.slots()).isEmpty();
    }
  }

  @Test
  void g711At8kIsDecodedAndResampledTo16k() throws Exception {
    short[] at16k = twoUtterances();
    short[] at8k = new short[at16k.length / 2];
    for (int i = 0; i < at8k.length; i++) {
      at8k[i] = at16k[2 * i]; // the test speech has nothing above 3 kHz
    }
    for (AudioEncoding encoding : new AudioEncoding[] {AudioEncoding.PCMU, AudioEncoding.PCMA}) {
      try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
        h.stream(
            LocalSlotter.chunks("acme", CALL, Channel.AGENT, at8k, 8_000, encoding, 20), CHUNK_MS);

        assertThat(h.slots()).as("%s", encoding).hasSize(2);
        SpeechSlot first = h.slots().get(0);
        assertThat(first.startMs).isBetween(780L, 830L);
        assertThat(first.samples).hasSize((int) first.durationMs() * 16);
        ChannelReport report = h.reports().get(0);
        assertThat(report.getEndMs()).isEqualTo(7_000);
        assertThat(report.getCoverage().getAudioMsReceived()).isEqualTo(7_000);
        assertThat(report.getCoverage().getChunksReceived()).isEqualTo(350);
      }
    }
  }

  @Test
  void splitsSpeechLongerThanMaxSlot() throws Exception {
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(chunks(concat(silence(500), speech(70_000, 6), silence(1_000))), CHUNK_MS);

      assertThat(h.slots()).hasSizeGreaterThanOrEqualTo(3);
      for (int i = 0; i < h.slots().size(); i++) {
        SpeechSlot s = h.slots().get(i);
        assertThat(s.durationMs()).isLessThanOrEqualTo(30_000);
        if (i > 0) {
          assertThat(s.startMs).isEqualTo(h.slots().get(i - 1).endMs);
        }
      }
    }
  }

  /** What a run without interruption gives: the reference for the restore tests. */
  record Uninterrupted(List<SpeechSlot> slots, List<ChannelReport> reports) {}

  static Uninterrupted uninterrupted(List<CallAudioChunk> call) throws Exception {
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call, CHUNK_MS);
      return new Uninterrupted(h.slots(), h.reports());
    }
  }

  @Test
  void resumesMidCallAfterSnapshotAndRestore() throws Exception {
    // 8 kHz mu-law, so that the resampler's filter history is part of what must survive
    short[] at16k = twoUtterances();
    short[] at8k = new short[at16k.length / 2];
    for (int i = 0; i < at8k.length; i++) {
      at8k[i] = at16k[2 * i];
    }
    List<CallAudioChunk> call =
        LocalSlotter.chunks("acme", CALL, Channel.AGENT, at8k, 8_000, AudioEncoding.PCMU, 20);
    Uninterrupted expected = uninterrupted(call);

    // cut in the middle of the first utterance, with a chunk waiting in the reorder buffer
    List<SpeechSlot> slots = new ArrayList<>();
    OperatorSubtaskState snapshot;
    long resumeAt;
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call.subList(0, 90), CHUNK_MS);
      h.send(call.get(91));
      snapshot = h.snapshot();
      resumeAt = h.now();
      slots.addAll(h.slots());
    }
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE, snapshot, resumeAt)) {
      h.send(call.get(90));
      h.stream(call.subList(92, call.size()), CHUNK_MS);
      slots.addAll(h.slots());

      assertThat(slots).isEqualTo(expected.slots()); // same bounds, same samples
      assertThat(h.reports()).isEqualTo(expected.reports());
      assertNothingLeft(h);
    }
  }

  @Test
  void aRestoreAfterALongOutageDoesNotTimeTheChannelOut() throws Exception {
    // the job was down for 10 minutes: the idle timer (60 s after the last chunk) is long overdue
    // when the job comes back, but the channel's audio is only now being read from the backlog
    List<CallAudioChunk> call = chunks(twoUtterances());
    Uninterrupted expected = uninterrupted(call);
    List<SpeechSlot> slots = new ArrayList<>();
    OperatorSubtaskState snapshot;
    long downAt;
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call.subList(0, 40), CHUNK_MS);
      h.send(call.get(41)); // chunk 40 is late: its gap timer is running too
      snapshot = h.snapshot();
      downAt = h.now();
      slots.addAll(h.slots());
    }
    long outage = 10 * 60_000L;
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE, snapshot, downAt + outage)) {
      assertThat(h.reports()).as("closed by an overdue timer").isEmpty();
      h.advance(1);
      h.send(call.get(40)); // the backlog, read at full speed
      h.stream(call.subList(42, call.size()), 0);
      slots.addAll(h.slots());

      assertThat(slots).isEqualTo(expected.slots());
      assertThat(h.reports()).isEqualTo(expected.reports());
      assertNothingLeft(h);
    }
  }

  @Test
  void afterARestoreAChannelThatStaysSilentStillTimesOutOneTimeoutLater() throws Exception {
    List<CallAudioChunk> call = chunks(concat(silence(500), speech(1_500, 4)));
    call.remove(call.size() - 1); // no last flag ever
    OperatorSubtaskState snapshot;
    long downAt;
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call, CHUNK_MS);
      snapshot = h.snapshot();
      downAt = h.now();
    }
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE, snapshot, downAt + 10 * 60_000L)) {
      assertThat(h.reports()).isEmpty();
      h.advance(SlotterSettings.DEFAULT_IDLE_TIMEOUT_MS - 1_000);
      assertThat(h.reports()).isEmpty();

      h.advance(1_000);

      assertThat(h.reports()).hasSize(1);
      assertThat(h.reports().get(0).getClosedBy()).isEqualTo("IDLE_TIMEOUT");
      assertNothingLeft(h);
    }
  }

  @Test
  void stampsEachSlotWithTheArrivalTimeOfTheChunkThatCompletedIt() throws Exception {
    List<CallAudioChunk> call = chunks(twoUtterances());
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      List<Long> arrival = new ArrayList<>();
      List<Integer> slotCounts = new ArrayList<>();
      for (CallAudioChunk c : call) {
        arrival.add(h.now());
        h.send(c);
        slotCounts.add(h.slots().size());
        h.advance(CHUNK_MS);
      }
      int completing = slotCounts.indexOf(1);
      assertThat(h.slots().get(0).lastAudioArrivedAtEpochMs).isEqualTo(arrival.get(completing));
    }
  }

  @Test
  void carriesAgentAndStartTimeIntoTheSlots() throws Exception {
    Instant started = Instant.parse("2026-11-21T09:30:00Z");
    List<CallAudioChunk> call = new ArrayList<>();
    for (CallAudioChunk c : chunks(twoUtterances())) {
      call.add(with(c, b -> b.setAgentId("agent-7").setStartedAt(started)));
    }
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call, CHUNK_MS);
      assertThat(h.slots().get(0).agentId).isEqualTo("agent-7");
      assertThat(h.slots().get(0).startedAt).isEqualTo(started.toEpochMilli());
      assertThat(h.slots().get(0).utteranceId()).isEqualTo(CALL + "/AGENT/0");
    }
  }

  /**
   * Speech that stresses the progress bound: pauses just under and over the 300 ms max pause (the
   * slot stays open while the processed position runs ahead of its eventual end), bursts shorter
   * than the 300 ms minimum (discarded), hold music, and a 40 s run that is split at 30 s.
   */
  static short[] trickySpeech() {
    return concat(
        silence(700),
        speech(900, 11),
        silence(280), // inside the slot
        speech(600, 12),
        silence(450), // closes it
        speech(150, 13), // a click: discarded
        silence(900),
        speech(1_200, 14),
        silence(290),
        speech(200, 15),
        silence(2_500),
        holdMusic(3_000, 6_000, 16),
        silence(1_000),
        speech(40_000, 17), // split at the maximum slot length
        silence(250),
        speech(700, 18),
        silence(1_200));
  }

  static Stream<Arguments> progressCalls() {
    List<CallAudioChunk> lossy = new ArrayList<>(chunks(twoUtterances()));
    lossy.remove(120); // filled with silence by the gap timer, mid-utterance
    return Stream.of(
        Arguments.of("two utterances", chunks(twoUtterances())),
        Arguments.of("tricky speech", chunks(trickySpeech())),
        Arguments.of("lost chunk", lossy));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("progressCalls")
  void noSlotIsEmittedAfterAProgressMarkerThatItEndsBefore(String name, List<CallAudioChunk> call)
      throws Exception {
    // a marker after every chunk, so the promise is checked at every point of the audio
    SlotterSettings everyChunk = NO_TOMBSTONE.toBuilder().progressIntervalMs(0).build();
    try (SlotterHarness h = new SlotterHarness(everyChunk)) {
      // after each chunk: what was emitted so far, and how far the audio had been processed
      List<Integer> slotsBefore = new ArrayList<>(); // per marker: slots emitted before it
      List<Long> processedAt = new ArrayList<>(); // per marker: call time processed so far
      for (CallAudioChunk c : call) {
        h.send(c);
        h.advance(SlotterSettings.DEFAULT_GAP_TIMEOUT_MS); // lets a gap timer fire in between
        long processed = c.getOffsetMs() + CHUNK_MS;
        while (slotsBefore.size() < h.progress().size()) {
          slotsBefore.add(h.slots().size());
          processedAt.add(processed);
        }
      }
      List<SpeechSlot> slots = h.slots();
      List<ChannelProgress> markers = h.progress();
      assertThat(h.reports()).hasSize(1);
      assertThat(markers).isNotEmpty();

      boolean boundBelowProcessed = false;
      for (int m = 0; m < markers.size(); m++) {
        ChannelProgress p = markers.get(m);
        assertThat(p.getCallId()).isEqualTo(CALL);
        assertThat(p.getChannel()).isEqualTo(Channel.AGENT);
        assertThat(p.getSlotsCut()).as("marker %d: slots", m).isEqualTo((long) slotsBefore.get(m));
        for (int i = slotsBefore.get(m); i < slots.size(); i++) {
          assertThat(slots.get(i).endMs)
              .as(
                  "%s: slot %d emitted after marker %d (cutUpToMs %d)",
                  name, i, m, p.getCutUpToMs())
              .isGreaterThan(p.getCutUpToMs());
          if (slots.get(i).endMs <= processedAt.get(m)) {
            boundBelowProcessed = true; // "processed up to" would have broken the promise
          }
        }
        if (m > 0) {
          assertThat(p.getCutUpToMs()).isGreaterThanOrEqualTo(markers.get(m - 1).getCutUpToMs());
        }
      }
      // the test would catch a marker that vouched for everything processed
      assertThat(boundBelowProcessed).as("a slot ended behind the processed position").isTrue();
    }
  }

  @Test
  void progressMarkersAreThrottledButKeepUpWithASilentChannel() throws Exception {
    List<CallAudioChunk> call = chunks(concat(silence(10_000), speech(1_500, 21), silence(3_000)));
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call.subList(0, 500), CHUNK_MS); // 10 s of silence, 500 chunks
      List<ChannelProgress> silent = h.progress();
      assertThat(silent).hasSizeBetween(18, 21); // one per 500 ms, not one per chunk
      assertThat(silent).allSatisfy(p -> assertThat(p.getSlotsCut()).isZero());
      // a silent channel is vouched for up to (almost) what was processed
      assertThat(silent.get(silent.size() - 1).getCutUpToMs())
          .isBetween(10_000 - SlotterSettings.DEFAULT_PROGRESS_INTERVAL_MS - 20, 10_000L);

      h.stream(call.subList(500, call.size()), CHUNK_MS);
      assertThat(h.slots()).hasSize(1);
      // the marker right after the slot was cut carries it
      ChannelProgress afterSlot =
          h.progress().stream().filter(p -> p.getSlotsCut() == 1).findFirst().orElseThrow();
      assertThat(afterSlot.getCutUpToMs()).isGreaterThanOrEqualTo(h.slots().get(0).endMs);
      assertThat(h.progress().size()).isLessThan(call.size() / 10);
    }
  }

  @Test
  void theFunctionAndItsSettingsSurviveJavaSerialization() throws Exception {
    // Flink ships the function to the task managers serialized
    SlotterSettings settings = SlotterSettings.builder().gapTimeoutMs(1_234).build();
    assertThat(org.apache.flink.util.InstantiationUtil.clone(new SlotterFunction(settings)))
        .isNotNull();
    assertThat(org.apache.flink.util.InstantiationUtil.clone(settings)).isEqualTo(settings);
  }

  @Test
  void stateTypesAreFlinkPojosWithoutGenericFields() {
    for (Class<?> type : List.of(ChannelState.class, PendingChunk.class)) {
      assertNoGenericTypes(TypeInformation.of(type), type.getSimpleName());
    }
  }

  private static void assertNoGenericTypes(TypeInformation<?> info, String path) {
    assertThat(info).as(path).isNotInstanceOf(GenericTypeInfo.class);
    if (info instanceof PojoTypeInfo<?> pojo) {
      for (int i = 0; i < pojo.getArity(); i++) {
        assertNoGenericTypes(
            pojo.getTypeAt(i), path + "." + pojo.getPojoFieldAt(i).getField().getName());
      }
    }
  }
}
