package io.callqa.operators.audio;

import java.util.Random;

/**
 * Synthetic, seeded test audio at 16 kHz unless stated: "speech" is a train of voiced syllables
 * (harmonic complex at a speaking pitch that glides, 120–280 ms each, raised-cosine envelope, short
 * dips in between), silence is digital zero, noise is Gaussian.
 */
final class TestSignals {

  static final int RATE = 16_000;

  private TestSignals() {}

  static int samples(long ms) {
    return (int) (ms * RATE / 1000);
  }

  static short[] silence(long ms) {
    return new short[samples(ms)];
  }

  /** Speech-like syllable train of exactly {@code ms}, peak about {@code amplitude}. */
  static short[] speech(long ms, long seed, double amplitude) {
    Random random = new Random(seed);
    double[] x = new double[samples(ms)];
    int pos = 0;
    while (pos < x.length) {
      int syllable = samples(120 + random.nextInt(160));
      int dip = samples(30 + random.nextInt(60));
      double f0 = 110 + random.nextInt(120);
      // intonation: the pitch glides 15-30 % up or down over the syllable (a voice never holds a
      // pitch the way a note of music does; the VAD's music rejection relies on that)
      double glide = (random.nextBoolean() ? 1 : -1) * (0.15 + 0.15 * random.nextDouble());
      double seconds = (double) syllable / RATE;
      double phase = random.nextDouble() * 2 * Math.PI;
      for (int i = 0; i < syllable && pos + i < x.length; i++) {
        double env = Math.sin(Math.PI * i / syllable);
        double t = (double) i / RATE;
        double cycles = f0 * (t + glide * t * t / (2 * seconds));
        double v = 0;
        for (int h = 1; h <= 12; h++) {
          v += Math.sin(2 * Math.PI * cycles * h + phase * h) / h;
        }
        x[pos + i] = amplitude * 0.55 * env * v;
      }
      pos += syllable + dip;
    }
    return toShort(x);
  }

  static short[] speech(long ms, long seed) {
    return speech(ms, seed, 8_000);
  }

  static short[] noise(long ms, double rms, long seed) {
    Random random = new Random(seed);
    double[] x = new double[samples(ms)];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian() * rms;
    }
    return toShort(x);
  }

  /** Integrated white noise (a random walk) with its slow drift removed, rms {@code rms}. */
  static short[] brownNoise(int n, double rms, long seed) {
    Random random = new Random(seed);
    double[] walk = new double[n];
    double level = 0;
    double drift = 0;
    double sumSquares = 0;
    for (int i = 0; i < n; i++) {
      level += random.nextGaussian();
      drift += (level - drift) / 400; // a ~6 Hz high-pass keeps the walk from wandering off
      walk[i] = level - drift;
      sumSquares += walk[i] * walk[i];
    }
    double scale = rms / Math.sqrt(sumSquares / n);
    short[] x = new short[n];
    for (int i = 0; i < n; i++) {
      x[i] = (short) Math.max(-32768, Math.min(32767, Math.round(walk[i] * scale)));
    }
    return x;
  }

  static short[] tone(double hz, long ms, double amplitude, int rate) {
    short[] x = new short[(int) (ms * rate / 1000)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return x;
  }

  /** Hold-music stand-in: a steady chord of three tones with a slow ±1.5 dB tremolo, plus noise. */
  static short[] holdMusic(long ms, double amplitude, long seed) {
    Random random = new Random(seed);
    double[] x = new double[samples(ms)];
    for (int i = 0; i < x.length; i++) {
      double t = (double) i / RATE;
      double trem = 1 + 0.18 * Math.sin(2 * Math.PI * 0.7 * t);
      x[i] =
          amplitude
                  * trem
                  * (Math.sin(2 * Math.PI * 262 * t)
                      + 0.8 * Math.sin(2 * Math.PI * 330 * t)
                      + 0.6 * Math.sin(2 * Math.PI * 392 * t))
                  / 2.4
              + random.nextGaussian() * amplitude * 0.02;
    }
    return toShort(x);
  }

  static short[] concat(short[]... parts) {
    int n = 0;
    for (short[] p : parts) {
      n += p.length;
    }
    short[] out = new short[n];
    int pos = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  /** Sample-wise sum, saturated. */
  static short[] mix(short[] a, short[] b) {
    short[] out = new short[Math.max(a.length, b.length)];
    for (int i = 0; i < out.length; i++) {
      int v = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
    return out;
  }

  static short[] plusDc(short[] a, int dc) {
    short[] out = new short[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, a[i] + dc));
    }
    return out;
  }

  static short[] gain(short[] a, double g) {
    double[] x = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      x[i] = a[i] * g;
    }
    return toShort(x);
  }

  /** Every sample at ±32767/−32768: a hard-clipped square wave train in speech rhythm. */
  static short[] clippedSpeech(long ms, long seed) {
    return gain(speech(ms, seed), 40);
  }

  static short[] toShort(double[] x) {
    short[] out = new short[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(x[i])));
    }
    return out;
  }

  /** Amplitude of the {@code hz} component (least-squares fit of a sine and cosine). */
  static double amplitudeAt(short[] x, int from, int to, double hz, int rate) {
    double sc = 0;
    double ss = 0;
    double cc = 0;
    double xs = 0;
    double xc = 0;
    for (int i = from; i < to; i++) {
      double s = Math.sin(2 * Math.PI * hz * i / rate);
      double c = Math.cos(2 * Math.PI * hz * i / rate);
      ss += s * s;
      cc += c * c;
      sc += s * c;
      xs += x[i] * s;
      xc += x[i] * c;
    }
    double det = ss * cc - sc * sc;
    double a = (xs * cc - xc * sc) / det;
    double b = (xc * ss - xs * sc) / det;
    return Math.hypot(a, b);
  }
}
