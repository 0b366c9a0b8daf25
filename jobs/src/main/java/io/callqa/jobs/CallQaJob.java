package io.callqa.jobs;

import io.callqa.operators.alerts.SecretResolver;
import io.callqa.operators.alerts.WebhookConfig;
import io.callqa.operators.alerts.Webhooks;
import io.callqa.operators.audio.SlotterFunction;
import io.callqa.operators.audio.SlotterKeys;
import io.callqa.operators.audio.SlotterOutputs;
import io.callqa.operators.audio.SlotterSettings;
import io.callqa.operators.audio.SpeechSlot;
import io.callqa.operators.emotion.EmotionCalibratorFunction;
import io.callqa.operators.inference.InferenceFunction;
import io.callqa.operators.inference.InferenceSettings;
import io.callqa.operators.ingest.AvroRecordDeserializer;
import io.callqa.operators.ingest.DeadLetterKafkaSerializer;
import io.callqa.operators.ingest.DeadLetterSplitter;
import io.callqa.operators.rules.RulesAssembly;
import io.callqa.operators.rules.RulesConfig;
import io.callqa.operators.rules.RulesLoader;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchConnection;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchSink;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchSinkSettings;
import io.callqa.operators.sinks.elasticsearch.EsDocumentMapper;
import io.callqa.operators.sinks.elasticsearch.documents.AlertDeliveryDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.AlertDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.CallSummaryDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.DeadLetterDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.UtteranceDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.WebhookDeliveryDocuments;
import io.callqa.operators.sinks.kafka.AvroRecordSerializer;
import io.callqa.schemas.Alert;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.WebhookDelivery;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callqa Flink job. {@link #build} wires the pipeline from decoded input streams to output
 * streams, so the same wiring runs on Kafka and Elasticsearch ({@link #wire}) and in tests on
 * collections; {@link #main} runs it from a job config file.
 *
 * <pre>
 * call-audio ─► decode ─► slotter (keyed callId/channel) ─► async inference ─► emotion calibration ─► rules ─► utterances (redacted)
 * call-events ─► decode ─► fan out per channel ─┘      └ channel reports, progress ──────────────────────►│    alerts, summaries
 * call-events ───────────────────────────────────────────────────────────────────────────────────────►  ─┘
 * </pre>
 */
public final class CallQaJob {
  private static final Logger LOG = LoggerFactory.getLogger(CallQaJob.class);

  private final SlotterSettings slotter;
  private final InferenceSettings inference;
  private final RulesConfig rules;

  public CallQaJob(SlotterSettings slotter, InferenceSettings inference, RulesConfig rules) {
    this.slotter = slotter;
    this.inference = inference;
    this.rules = rules;
  }

  /**
   * What the pipeline produces.
   *
   * @param utterances recognised utterances, PII already redacted
   */
  public record Outputs(
      DataStream<Utterance> utterances,
      DataStream<Alert> alerts,
      DataStream<CallSummary> summaries,
      DataStream<DeadLetter> deadLetters) {}

  /** Wires slotting and inference onto decoded inputs. Every operator has a stable uid. */
  public Outputs build(DataStream<CallAudioChunk> audio, DataStream<CallEvent> events) {
    DataStream<CallEvent> perChannelEvents =
        events
            .flatMap(
                (CallEvent e, org.apache.flink.util.Collector<CallEvent> out) ->
                    SlotterKeys.fanOut(e).forEach(out::collect))
            .returns(new AvroTypeInfo<>(CallEvent.class))
            .uid("fan-out-call-events")
            .name("fan out call events per channel");
    SingleOutputStreamOperator<SpeechSlot> slots =
        audio
            .keyBy(SlotterKeys::of)
            .connect(perChannelEvents.keyBy(SlotterKeys::of))
            .process(new SlotterFunction(slotter))
            .returns(TypeInformation.of(SpeechSlot.class))
            .uid("slotter")
            .name("slotter: reorder, decode, resample, VAD, cut slots");
    DataStream<Utterance> utterances =
        AsyncDataStream.unorderedWait(
                slots,
                new InferenceFunction(inference),
                inference.timeoutMs(),
                TimeUnit.MILLISECONDS,
                inference.capacity())
            .returns(new AvroTypeInfo<>(Utterance.class))
            .uid("inference")
            .name("speech inference (batched, shared model)");
    // after a timeout the async operator still emits the slot (FAILED): twice that is a real gap
    DataStream<Utterance> calibrated =
        utterances
            .keyBy(new EmotionCalibratorFunction.ChannelKey(), Types.STRING)
            .process(new EmotionCalibratorFunction(inference.modelDir(), 2 * inference.timeoutMs()))
            .returns(new AvroTypeInfo<>(Utterance.class))
            .uid("emotion-calibration")
            .name("emotion calibration per channel (slot order)");
    RulesAssembly.Result checked =
        RulesAssembly.wire(
            rules,
            calibrated,
            events,
            slots.getSideOutput(SlotterOutputs.CHANNEL_REPORTS),
            slots.getSideOutput(SlotterOutputs.CHANNEL_PROGRESS));
    return new Outputs(
        checked.redactedUtterances(),
        checked.alerts(),
        checked.summaries(),
        slots.getSideOutput(SlotterOutputs.DEAD_LETTERS).union(checked.deadLetters()));
  }

  /**
   * The full job on Kafka and Elasticsearch as the config says.
   *
   * @param secrets where webhook secrets named by {@code secretEnv} are read (the TaskManagers'
   *     environment in a deployment)
   */
  public static void wire(
      StreamExecutionEnvironment env, JobConfig config, SecretResolver secrets) {
    JobConfig.Kafka kafka = config.kafka();
    env.enableCheckpointing(config.checkpoints().intervalMs(), CheckpointingMode.AT_LEAST_ONCE);
    if (config.parallelism() != null) {
      env.setParallelism(config.parallelism());
    }
    SingleOutputStreamOperator<CallAudioChunk> audio =
        decoded(env, kafka, kafka.topics().audio(), CallAudioChunk.class);
    SingleOutputStreamOperator<CallEvent> events =
        decoded(env, kafka, kafka.topics().events(), CallEvent.class);

    RulesConfig rules =
        config.rules().file() == null
            ? RulesLoader.defaults()
            : RulesLoader.load(config.rules().file());
    CallQaJob job = new CallQaJob(slotterSettings(config), inferenceSettings(config), rules);
    Outputs out = job.build(audio, events);

    ElasticsearchConnection es =
        new ElasticsearchConnection(
            config.elasticsearch().hosts(),
            config.elasticsearch().apiKeyEnv(),
            config.elasticsearch().username(),
            config.elasticsearch().passwordEnv());
    ElasticsearchSinkSettings esSettings = ElasticsearchSinkSettings.defaults(es);
    out.utterances()
        .sinkTo(elasticsearch(new UtteranceDocuments(), esSettings))
        .uid("utterances-to-es")
        .name("utterances → Elasticsearch");
    out.utterances()
        .sinkTo(
            kafkaSink(
                kafka,
                new AvroRecordSerializer<>(
                    Utterance.class, kafka.topics().utterances(), Utterance::getCallId)))
        .uid("utterances-to-kafka")
        .name("utterances → Kafka");

    out.alerts()
        .sinkTo(elasticsearch(new AlertDocuments(), esSettings))
        .uid("alerts-to-es")
        .name("alerts → Elasticsearch");
    out.alerts()
        .sinkTo(
            kafkaSink(
                kafka,
                new AvroRecordSerializer<>(Alert.class, kafka.topics().alerts(), Alert::getCallId)))
        .uid("alerts-to-kafka")
        .name("alerts → Kafka");
    DataStream<WebhookDelivery> deliveries =
        Webhooks.deliver(out.alerts(), webhooks(config), secrets);
    deliveries
        .sinkTo(elasticsearch(new WebhookDeliveryDocuments(), esSettings))
        .uid("webhook-deliveries-to-es")
        .name("webhook deliveries → Elasticsearch");
    // the same outcomes merged into each alert's own document (webhooks.<endpoint>); the index
    // above stays the audit log with one document per delivery
    deliveries
        .sinkTo(elasticsearch(new AlertDeliveryDocuments(), esSettings))
        .uid("webhook-outcomes-to-alerts")
        .name("webhook outcomes → alert documents");
    out.summaries()
        .sinkTo(elasticsearch(new CallSummaryDocuments(), esSettings))
        .uid("summaries-to-es")
        .name("call summaries → Elasticsearch");

    DataStream<DeadLetter> deadLetters =
        audio
            .getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
            .union(events.getSideOutput(DeadLetterSplitter.DEAD_LETTERS), out.deadLetters());
    deadLetters
        .sinkTo(kafkaSink(kafka, new DeadLetterKafkaSerializer(kafka.topics().deadLetters())))
        .uid("dead-letters-to-kafka")
        .name("dead letters → Kafka");
    deadLetters
        .sinkTo(elasticsearch(new DeadLetterDocuments(), esSettings))
        .uid("dead-letters-to-es")
        .name("dead letters → Elasticsearch");
  }

  private static <T extends SpecificRecordBase> SingleOutputStreamOperator<T> decoded(
      StreamExecutionEnvironment env, JobConfig.Kafka kafka, String topic, Class<T> type) {
    KafkaSource<org.apache.flink.types.Either<DeadLetter, T>> source =
        KafkaSource.<org.apache.flink.types.Either<DeadLetter, T>>builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .setTopics(topic)
            .setGroupId(kafka.groupId())
            .setStartingOffsets(startingOffsets(kafka.startingOffsets()))
            .setDeserializer(AvroRecordDeserializer.of(type))
            .setProperty("commit.offsets.on.checkpoint", "true")
            .setProperty("partition.discovery.interval.ms", "60000")
            .build();
    return env.fromSource(
            source,
            WatermarkStrategy
                .<org.apache.flink.types.Either<DeadLetter, T>>forBoundedOutOfOrderness(
                    Duration.ofSeconds(5))
                .withIdleness(Duration.ofSeconds(10)),
            topic)
        .uid("source-" + topic)
        .process(new DeadLetterSplitter<T>())
        .returns(new AvroTypeInfo<>(type))
        .uid("decode-" + topic)
        .name("decode " + topic + " (bad records → dead letters)");
  }

  private static OffsetsInitializer startingOffsets(String mode) {
    return switch (mode) {
      case "earliest" -> OffsetsInitializer.earliest();
      case "latest" -> OffsetsInitializer.latest();
      case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      default -> OffsetsInitializer.timestamp(JobConfig.startingInstant(mode).toEpochMilli());
    };
  }

  private static <T> Sink<T> kafkaSink(
      JobConfig.Kafka kafka,
      org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> serializer) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  private static <T> Sink<T> elasticsearch(
      EsDocumentMapper<T> mapper, ElasticsearchSinkSettings settings) {
    return new ElasticsearchSink<>(mapper, settings);
  }

  static WebhookConfig webhooks(JobConfig config) {
    return new WebhookConfig(
        config.webhooks().stream()
            .map(w -> WebhookConfig.endpoint(w.name(), w.url(), w.format(), w.secretEnv()))
            .toList(),
        WebhookConfig.DEFAULT_CAPACITY);
  }

  static SlotterSettings slotterSettings(JobConfig config) {
    SlotterSettings.Builder b = SlotterSettings.builder();
    if (config.slotting().idleTimeoutMs() != null) {
      b.idleTimeoutMs(config.slotting().idleTimeoutMs());
    }
    if (config.slotting().gapTimeoutMs() != null) {
      b.gapTimeoutMs(config.slotting().gapTimeoutMs());
    }
    return b.build();
  }

  /** The recognizer settings of a job with this config. */
  public static InferenceSettings inferenceSettings(JobConfig config) {
    JobConfig.Model m = config.model();
    return new InferenceSettings(
        Paths.get(m.dir()).toAbsolutePath().toString(),
        m.device(),
        m.maxBatch(),
        m.maxWaitMs(),
        m.workers(),
        m.intraOpThreads(),
        m.interOpThreads(),
        m.language(),
        "withitn",
        m.timeoutMs(),
        m.capacity(),
        m.maxAttempts());
  }

  /**
   * A warning when checkpoints would be kept in the JobManager's memory (no checkpoint directory):
   * that storage refuses more than 5 MB of state per task, which the slotter's open slots pass with
   * a few hundred concurrent channels — every checkpoint then fails.
   */
  static Optional<String> checkpointStorageWarning(ReadableConfig conf) {
    String storage = conf.getOptional(CheckpointingOptions.CHECKPOINT_STORAGE).orElse("");
    boolean memory =
        storage.equalsIgnoreCase("jobmanager")
            || (storage.isEmpty()
                && conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty());
    if (!memory) {
      return Optional.empty();
    }
    return Optional.of(
        "checkpoints go to the JobManager's memory (execution.checkpointing.storage: "
            + (storage.isEmpty() ? "unset, no execution.checkpointing.dir" : storage)
            + "): it refuses more than 5 MB of state per task, which a few hundred concurrent "
            + "channels pass. Set execution.checkpointing.storage: filesystem and "
            + "execution.checkpointing.dir (see flink-conf/config.yaml)");
  }

  /** {@code flink run callqa-jobs-*-job.jar --config callqa-job.yaml}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--config")) {
      System.err.println("usage: CallQaJob --config callqa-job.yaml");
      System.exit(2);
    }
    JobConfig config = JobConfig.load(Paths.get(args[1]));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    checkpointStorageWarning(env.getConfiguration()).ifPresent(LOG::warn);
    wire(env, config, SecretResolver.environment());
    env.execute("callqa");
  }
}
