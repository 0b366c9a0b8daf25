package io.callqa.operators.features;

import io.callqa.operators.audio.WavReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The committed front-end fixtures (operators/src/test/resources/frontend), made by
 * operators/src/test/python/make_frontend_fixtures.py with torchaudio 0.13.
 */
final class Fixtures {

  /** 16 kHz WAVs with fbank / lfr / cmvn fixtures. */
  static final String[] PARITY_CASES = {
    "speech_en",
    "speech_zh",
    "silence",
    "clipping",
    "short_20ms",
    "one_frame_401",
    "odd_12345",
    "tone_dc_noise"
  };

  private Fixtures() {}

  static Path path(String name) {
    URL url = Fixtures.class.getResource("/frontend/" + name);
    if (url == null) {
      throw new IllegalStateException("missing fixture frontend/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Features npy(String name) {
    try {
      return Npy.read(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static short[] wav16k(String base) {
    try {
      WavReader.WavAudio wav = WavReader.read(path(base + ".wav"));
      if (wav.sampleRate() != 16_000 || wav.channels() != 1) {
        throw new IllegalStateException(base + " is not 16 kHz mono");
      }
      return wav.samples();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Cmvn cmvn() {
    try {
      return Cmvn.load(path("am.mvn"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
