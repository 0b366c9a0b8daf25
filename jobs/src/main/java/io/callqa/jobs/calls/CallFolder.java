package io.callqa.jobs.calls;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.callqa.operators.audio.WavReader;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A call in the call folder format (docs/calls.md): {@code agent.wav} + {@code customer.wav} (or
 * one {@code mixed.wav}) and {@code call.yaml} with metadata, call events and optionally the ground
 * truth ({@code expected}) that tests and the demo score against.
 */
public record CallFolder(Path dir, Meta meta, Map<Channel, WavReader.WavAudio> channels) {

  /** call.yaml. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Meta(
      String tenant,
      String callId,
      String agentId,
      String queue,
      String language,
      Instant startedAt,
      List<Event> events,
      Expected expected) {}

  /** A call-control event at a call time. */
  public record Event(CallEventType type, long atMs) {}

  /** Ground truth: the alerts a correct system raises and the true turns. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Expected(List<ExpectedAlert> alerts, List<Turn> turns) {}

  /** One expected alert; {@code count} times (default 1). */
  public record ExpectedAlert(String rule, Integer count) {
    public int times() {
      return count == null ? 1 : count;
    }
  }

  /** One true turn of one party. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Turn(
      String role,
      long startMs,
      long endMs,
      String text,
      String emotion,
      String event,
      String language) {}

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .registerModule(new JavaTimeModule())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Reads one call folder; a missing or inconsistent part is named in the message. */
  public static CallFolder read(Path dir) throws IOException {
    Path yaml = dir.resolve("call.yaml");
    if (!Files.isRegularFile(yaml)) {
      throw new IOException(dir + ": not a call folder (no call.yaml)");
    }
    Meta meta = YAML.readValue(yaml.toFile(), Meta.class);
    String callId = meta.callId() != null ? meta.callId() : dir.getFileName().toString();
    meta =
        new Meta(
            meta.tenant() != null ? meta.tenant() : "default",
            callId,
            meta.agentId(),
            meta.queue(),
            meta.language() != null ? meta.language() : "auto",
            meta.startedAt(),
            meta.events() != null ? meta.events() : List.of(),
            meta.expected());
    Map<Channel, WavReader.WavAudio> channels = new LinkedHashMap<>();
    for (Channel c : List.of(Channel.AGENT, Channel.CUSTOMER, Channel.MIXED)) {
      Path wav = dir.resolve(c.name().toLowerCase() + ".wav");
      if (Files.isRegularFile(wav)) {
        WavReader.WavAudio audio = WavReader.read(wav);
        if (audio.channels() != 1) {
          throw new IOException(
              wav + ": " + audio.channels() + " channels; each channel file must be mono");
        }
        channels.put(c, audio);
      }
    }
    if (channels.isEmpty()) {
      throw new IOException(dir + ": no agent.wav / customer.wav / mixed.wav");
    }
    if (channels.containsKey(Channel.MIXED) && channels.size() > 1) {
      throw new IOException(dir + ": mixed.wav cannot be combined with agent.wav / customer.wav");
    }
    if (channels.size() == 1 && !channels.containsKey(Channel.MIXED)) {
      throw new IOException(dir + ": a dual-channel call needs both agent.wav and customer.wav");
    }
    return new CallFolder(dir, meta, channels);
  }

  /**
   * {@code path} itself if it is a call folder, else every call folder directly inside it, sorted.
   */
  public static List<CallFolder> readAll(Path path) throws IOException {
    if (Files.isRegularFile(path.resolve("call.yaml"))) {
      return List.of(read(path));
    }
    if (!Files.isDirectory(path)) {
      throw new IOException(path + ": no such call folder or folder of calls");
    }
    List<CallFolder> calls = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(path)) {
      for (Path d : dirs.sorted().toList()) {
        if (Files.isRegularFile(d.resolve("call.yaml"))) {
          calls.add(read(d));
        }
      }
    }
    if (calls.isEmpty()) {
      throw new IOException(path + ": contains no call folders (folders with a call.yaml)");
    }
    return calls;
  }

  public String callId() {
    return meta.callId();
  }

  /** Length of the longest channel, ms. */
  public long durationMs() {
    return channels.values().stream()
        .mapToLong(a -> Math.round(a.durationSeconds() * 1000))
        .max()
        .orElse(0);
  }
}
