package io.callqa.operators.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.callqa.operators.features.Features;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a SenseVoice-contract model through DJL's PyTorch engine: pads a batch of feature matrices,
 * one forward pass, CTC-decodes each item over its own length. One instance per model; {@link
 * #recognize} is NOT thread-safe (one DJL Predictor): another thread gets its own {@link
 * #newSession()} on the same loaded weights.
 */
public final class SpeechRecognizer implements AutoCloseable {
  private final ModelDescriptor descriptor;
  private final ZooModel<NDList, NDList> model;
  private final Session session;
  private final CtcDecoder decoder;
  private final int languageId;
  private final int textnormId;

  private SpeechRecognizer(
      ModelDescriptor descriptor,
      ZooModel<NDList, NDList> model,
      CtcDecoder decoder,
      int languageId,
      int textnormId) {
    this.descriptor = descriptor;
    this.model = model;
    this.decoder = decoder;
    this.languageId = languageId;
    this.textnormId = textnormId;
    this.session = newSession();
  }

  /** Loads the model folder offline (no download, ever). */
  public static SpeechRecognizer load(InferenceSettings settings) throws IOException {
    Path dir = Paths.get(settings.modelDir());
    ModelDescriptor descriptor = ModelDescriptor.load(dir);
    Integer language = descriptor.languageIds().get(settings.language());
    if (language == null) {
      throw new IOException(
          "language '"
              + settings.language()
              + "' is not one of the model's "
              + descriptor.languageIds().keySet());
    }
    Integer textnorm = descriptor.textnormIds().get(settings.textnorm());
    if (textnorm == null) {
      throw new IOException("textnorm '" + settings.textnorm() + "' unknown to the model");
    }
    configureEngine(settings);
    TokenTable tokens = TokenTable.load(dir.resolve(descriptor.tokens()));
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(dir)
            .optModelName(stripExtension(descriptor.modelFile()))
            .optEngine(descriptor.engine())
            .optDevice(device(settings.device()))
            .optTranslator(new NoopTranslator())
            .build();
    try {
      ZooModel<NDList, NDList> model = criteria.loadModel();
      return new SpeechRecognizer(
          descriptor,
          model,
          new CtcDecoder(tokens, descriptor.blankId(), descriptor.outputFrameMs()),
          language,
          textnorm);
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException(
          "cannot load " + dir.resolve(descriptor.modelFile()) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Engine options are JVM-wide system properties read when libtorch starts: set them once, first
   * writer wins. The graph optimizer must be off for variable-length TorchScript inputs, or every
   * new length recompiles.
   */
  private static synchronized void configureEngine(InferenceSettings settings) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    if (settings.intraOpThreads() > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.intraOpThreads()));
    }
    if (settings.interOpThreads() > 0
        && System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty(
          "ai.djl.pytorch.num_interop_threads", Integer.toString(settings.interOpThreads()));
    }
  }

  private static Device device(String device) {
    if (device.equals("cpu")) {
      return Device.cpu();
    }
    return device.contains(":") ? Device.gpu(Integer.parseInt(device.substring(4))) : Device.gpu();
  }

  private static String stripExtension(String file) {
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }

  public ModelDescriptor descriptor() {
    return descriptor;
  }

  /**
   * One forward pass over a batch, in this recognizer's own session.
   *
   * @param features per item, frames × featureDim (LFR + CMVN applied); at least one frame each
   */
  public List<Recognition> recognize(List<Features> features) {
    return session.recognize(features);
  }

  /** A forward-pass context (DJL Predictor) of its own on the same weights, for one more thread. */
  public Session newSession() {
    return new Session(model.newPredictor());
  }

  /** One thread's forward passes; close it before the recognizer. */
  public final class Session implements AutoCloseable {
    private final Predictor<NDList, NDList> predictor;

    private Session(Predictor<NDList, NDList> predictor) {
      this.predictor = predictor;
    }

    /**
     * Sets the libtorch threads of the forward passes that the calling thread runs (libtorch keeps
     * the count per calling thread); other engines keep their own.
     */
    public void useThreadsOnThisThread(int threads) {
      if ("PyTorch".equals(descriptor.engine())) {
        JniUtils.setNumThreads(threads);
      }
    }

    /** As {@link SpeechRecognizer#recognize}. */
    public List<Recognition> recognize(List<Features> features) {
      int batch = features.size();
      int dim = descriptor.featureDim();
      int maxFrames = features.stream().mapToInt(Features::frames).max().orElse(0);
      if (batch == 0) {
        return List.of();
      }
      FloatBuffer speech = FloatBuffer.allocate(batch * maxFrames * dim);
      int[] lengths = new int[batch];
      for (int i = 0; i < batch; i++) {
        Features f = features.get(i);
        if (f.frames() == 0) {
          throw new IllegalArgumentException("item " + i + " has no feature frames");
        }
        if (f.dim() != dim) {
          throw new IllegalArgumentException("feature dim " + f.dim() + " != model's " + dim);
        }
        lengths[i] = f.frames();
        speech.position(i * maxFrames * dim);
        speech.put(f.data(), 0, f.frames() * dim);
      }
      speech.rewind();
      int[] language = new int[batch];
      int[] textnorm = new int[batch];
      Arrays.fill(language, languageId);
      Arrays.fill(textnorm, textnormId);
      // every NDArray of this batch lives in this sub-manager and is freed with it: no native
      // growth
      try (NDManager manager = model.getNDManager().newSubManager()) {
        NDList input =
            new NDList(
                manager.create(speech, new Shape(batch, maxFrames, dim)),
                manager.create(lengths),
                manager.create(language),
                manager.create(textnorm));
        NDList output = predictor.predict(input);
        output.attach(manager);
        NDArray logits = output.get(0);
        long[] shape = logits.getShape().getShape();
        int outFrames = (int) shape[1];
        int vocab = (int) shape[2];
        float[] all = logits.toFloatArray();
        int[] outLengths = toInts(output.get(1));
        if (hasNonFinite(all)) {
          throw new IllegalStateException("model produced NaN or infinite logits");
        }
        List<Recognition> results = new ArrayList<>(batch);
        int itemSize = outFrames * vocab;
        for (int i = 0; i < batch; i++) {
          float[] item = Arrays.copyOfRange(all, i * itemSize, (i + 1) * itemSize);
          results.add(decoder.decode(item, vocab, Math.min(outLengths[i], outFrames)));
        }
        return results;
      } catch (TranslateException e) {
        throw new IllegalStateException("forward pass failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      predictor.close();
    }
  }

  private static boolean hasNonFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return true;
      }
    }
    return false;
  }

  private static int[] toInts(NDArray array) {
    return switch (array.getDataType()) {
      case INT32 -> array.toIntArray();
      case INT64 -> Arrays.stream(array.toLongArray()).mapToInt(Math::toIntExact).toArray();
      default ->
          throw new IllegalStateException("encoder_out_lens has type " + array.getDataType());
    };
  }

  @Override
  public void close() {
    session.close();
    model.close();
  }
}
