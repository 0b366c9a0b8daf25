package io.callqa.operators.inference;

import io.callqa.operators.features.Features;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;

/** The tiny TorchScript test model (src/test/python/make_tiny_model.py) and feature fixtures. */
final class TinyModel {
  private TinyModel() {}

  static Path dir() {
    try {
      return Paths.get(TinyModel.class.getResource("/inference/tiny-model/model.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static InferenceSettings settings() {
    return InferenceSettings.defaults(dir().toString()).withBatching(8, 30).withWorkers(0, 1);
  }

  static Features randomFeatures(int frames, long seed) {
    Random r = new Random(seed);
    float[] data = new float[frames * 560];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextGaussian();
    }
    return new Features(frames, 560, data);
  }
}
