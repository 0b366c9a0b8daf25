package io.callqa.operators.inference;

import io.callqa.operators.audio.SpeechSlot;
import io.callqa.operators.features.Features;
import io.callqa.operators.features.FrontEnd;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.UtteranceStatus;
import java.nio.file.Paths;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits one {@link Utterance} per {@link SpeechSlot}: front end on the task thread, then the slot
 * joins a micro-batch of the TaskManager's shared model. A slot that cannot be recognised (too
 * long, bad audio, NaN logits, a forward pass that failed {@code maxAttempts} times, a timeout)
 * becomes an Utterance with status FAILED and the reason, and is counted — never dropped, never a
 * job failure.
 *
 * <p>Use with {@code AsyncDataStream.unorderedWait}: in-flight slots are part of the checkpoint and
 * are recognised again after a restore.
 */
public final class InferenceFunction extends RichAsyncFunction<SpeechSlot, Utterance> {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceFunction.class);

  private final InferenceSettings settings;

  private transient SharedRecognizers.Lease lease;
  private transient FrontEnd frontEnd;
  private transient ModelDescriptor descriptor;
  private transient Counter slots;
  private transient Counter failures;
  private transient Counter retries;
  private transient Counter audioMs;
  private transient Histogram batchSize;
  private transient Histogram queueWaitMs;
  private transient Histogram forwardMs;
  private transient Histogram latencyMs;
  private transient volatile double realTimeFactor;

  public InferenceFunction(InferenceSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) throws Exception {
    lease = SharedRecognizers.acquire(settings);
    descriptor = lease.recognizer().descriptor();
    frontEnd =
        FrontEnd.load(Paths.get(settings.modelDir()).resolve(descriptor.frontend().cmvnFile()));
    var metrics = getRuntimeContext().getMetricGroup().addGroup("inference");
    slots = metrics.counter("slots");
    failures = metrics.counter("failures");
    retries = metrics.counter("retries");
    audioMs = metrics.counter("audioMs");
    batchSize = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
    queueWaitMs = metrics.histogram("queueWaitMs", new DescriptiveStatisticsHistogram(1000));
    forwardMs = metrics.histogram("forwardMs", new DescriptiveStatisticsHistogram(1000));
    latencyMs = metrics.histogram("slotLatencyMs", new DescriptiveStatisticsHistogram(1000));
    metrics.gauge("realTimeFactor", () -> realTimeFactor);
  }

  @Override
  public void asyncInvoke(SpeechSlot slot, ResultFuture<Utterance> result) {
    slots.inc();
    audioMs.inc(slot.durationMs());
    long maxMs = (long) (descriptor.maxSlotSeconds() * 1000);
    if (slot.samples == null || slot.samples.length == 0) {
      result.complete(List.of(failed(slot, "EMPTY_SLOT: no samples")));
      return;
    }
    long samplesMs = slot.samples.length * 1000L / SpeechSlot.SAMPLE_RATE;
    if (samplesMs > maxMs) {
      result.complete(
          List.of(failed(slot, "SLOT_TOO_LONG: " + samplesMs + " ms > " + maxMs + " ms")));
      return;
    }
    Features features;
    try {
      features = frontEnd.compute(slot.samples);
    } catch (RuntimeException e) {
      result.complete(List.of(failed(slot, "FRONT_END: " + e.getMessage())));
      return;
    }
    if (features.frames() == 0) {
      result.complete(
          List.of(
              failed(
                  slot, "TOO_SHORT: " + slot.samples.length + " samples give no feature frame")));
      return;
    }
    Features input = features;
    Attempts.upTo(
            settings.maxAttempts(), () -> lease.recognizer().submit(input), n -> retries.inc())
        .whenComplete(
            (r, error) -> {
              if (error != null) {
                result.complete(List.of(failed(slot, "INFERENCE: " + error.getMessage())));
                return;
              }
              batchSize.update(r.batchSize());
              queueWaitMs.update(r.queueWaitNanos() / 1_000_000);
              forwardMs.update(r.forwardNanos() / 1_000_000);
              realTimeFactor = r.forwardNanos() / 1e6 / r.batchSize() / Math.max(1, samplesMs);
              Utterance u = recognised(slot, r.recognition());
              latencyMs.update(u.getProcessingLatencyMs());
              result.complete(List.of(u));
            });
  }

  @Override
  public void timeout(SpeechSlot slot, ResultFuture<Utterance> result) {
    result.complete(
        List.of(failed(slot, "TIMEOUT: no result within " + settings.timeoutMs() + " ms")));
  }

  private Utterance recognised(SpeechSlot slot, Recognition r) {
    return base(slot)
        .setText(r.text())
        .setLanguage(r.language())
        .setEmotion(r.emotion())
        .setModelEmotion(r.emotion())
        .setEmotionScores(r.emotionScores())
        .setEvent(r.event())
        .setConfidence(r.confidence())
        .setStatus(UtteranceStatus.OK)
        .build();
  }

  private Utterance failed(SpeechSlot slot, String reason) {
    failures.inc();
    LOG.warn("slot {} not recognised: {}", slot.utteranceId(), reason);
    return base(slot).setStatus(UtteranceStatus.FAILED).setError(reason).build();
  }

  private Utterance.Builder base(SpeechSlot slot) {
    long latency =
        slot.lastAudioArrivedAtEpochMs > 0
            ? System.currentTimeMillis() - slot.lastAudioArrivedAtEpochMs
            : 0;
    return Utterance.newBuilder()
        .setUtteranceId(slot.utteranceId())
        .setTenant(slot.tenant)
        .setCallId(slot.callId)
        .setChannel(slot.channel)
        .setSlotIndex(slot.slotIndex)
        .setStartMs(slot.startMs)
        .setEndMs(slot.endMs)
        .setModelId(descriptor.id())
        .setAgentId(slot.agentId)
        .setStartedAt(
            slot.startedAt == null ? null : java.time.Instant.ofEpochMilli(slot.startedAt))
        .setProcessingLatencyMs(Math.max(0, latency));
  }

  @Override
  public void close() throws Exception {
    if (lease != null) {
      lease.close();
    }
  }
}
