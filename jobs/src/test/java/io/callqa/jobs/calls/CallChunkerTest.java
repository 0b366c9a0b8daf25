package io.callqa.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callqa.operators.audio.G711;
import io.callqa.operators.audio.WavWriter;
import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallChunkerTest {
  private static final int RATE = 8000;

  private static short[] noise(int n, long seed) {
    Random r = new Random(seed);
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      // μ-law round trip is exact only for values μ-law can represent: decode random codes
      s[i] = G711.ulawToLinear(r.nextInt(256));
    }
    return s;
  }

  private static Path writeCall(Path dir, short[] agent, short[] customer) throws Exception {
    Path call = dir.resolve("call-7");
    Files.createDirectories(call);
    WavWriter.write(call.resolve("agent.wav"), agent, RATE, AudioEncoding.PCMU);
    WavWriter.write(call.resolve("customer.wav"), customer, RATE, AudioEncoding.PCMU);
    Files.writeString(
        call.resolve("call.yaml"),
        """
        tenant: acme
        agentId: agent-1
        queue: billing
        language: en
        startedAt: 2026-11-21T09:00:00Z
        events: [{type: STARTED, atMs: 0}, {type: ENDED, atMs: 1050}]
        expected:
          alerts: [{rule: dead_air}, {rule: banned_phrase, count: 2}]
          turns: [{role: agent, startMs: 100, endMs: 900, text: hello, emotion: NEUTRAL, event: Speech, language: en}]
        """);
    return call;
  }

  @Test
  void cutsEachChannelIntoChunksThatDecodeBackToTheRecording(@TempDir Path dir) throws Exception {
    short[] agent = noise(8400, 1); // 1.05 s
    short[] customer = noise(8400, 2);
    CallFolder call = CallFolder.read(writeCall(dir, agent, customer));

    assertThat(call.callId()).isEqualTo("call-7");
    assertThat(call.meta().expected().alerts())
        .extracting(CallFolder.ExpectedAlert::times)
        .containsExactly(1, 2);
    List<CallChunker.Item> timeline = CallChunker.timeline(call, 200, null);

    List<CallAudioChunk> agentChunks =
        timeline.stream()
            .filter(i -> i instanceof CallChunker.ChunkItem)
            .map(i -> ((CallChunker.ChunkItem) i).chunk())
            .filter(c -> c.getChannel() == Channel.AGENT)
            .toList();
    assertThat(agentChunks).hasSize(6);
    assertThat(agentChunks)
        .extracting(CallAudioChunk::getSeq)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(agentChunks)
        .extracting(CallAudioChunk::getLast)
        .containsExactly(false, false, false, false, false, true);
    assertThat(agentChunks.get(5).getPayload().remaining()).isEqualTo(400);
    assertThat(agentChunks.get(0).getStartedAt()).isEqualTo(Instant.parse("2026-11-21T09:00:00Z"));
    short[] decoded = new short[8400];
    int at = 0;
    for (CallAudioChunk c : agentChunks) {
      byte[] p = new byte[c.getPayload().remaining()];
      c.getPayload().duplicate().get(p);
      G711.decodeUlaw(p, 0, p.length, decoded, at);
      at += p.length;
    }
    assertThat(decoded).isEqualTo(agent);

    assertThat(timeline).extracting(CallChunker.Item::availableAtMs).isSorted();
    assertThat(timeline)
        .filteredOn(i -> i instanceof CallChunker.EventItem)
        .extracting(i -> ((CallChunker.EventItem) i).event().getType())
        .containsExactly(CallEventType.STARTED, CallEventType.ENDED);
  }

  @Test
  void refusesAFolderWithOnlyOneOfTheTwoChannels(@TempDir Path dir) throws Exception {
    Path call = writeCall(dir, noise(800, 1), noise(800, 2));
    Files.delete(call.resolve("customer.wav"));
    assertThatThrownBy(() -> CallFolder.read(call))
        .hasMessageContaining("needs both agent.wav and customer.wav");
  }

  @Test
  void readsEveryCallFolderOfAFolder(@TempDir Path dir) throws Exception {
    writeCall(dir, noise(800, 1), noise(800, 2));
    assertThat(CallFolder.readAll(dir)).extracting(CallFolder::callId).containsExactly("call-7");
    assertThatThrownBy(() -> CallFolder.readAll(dir.resolve("call-7/nothing")))
        .hasMessageContaining("no such");
  }
}
