#!/usr/bin/python3
"""Writes the front-end parity fixtures under operators/src/test/resources/frontend/.

Run with Debian's system python (torch 1.13 + torchaudio 0.13 + numpy):

    /usr/bin/python3 operators/src/test/python/make_frontend_fixtures.py

Inputs (WAV files, committed next to the fixtures) are made here too, deterministically:
espeak-ng speech (English and Mandarin) through sox, digital silence, hard clipping, a clip
shorter than one 25 ms frame, odd lengths, a tone with DC offset and noise, and 8 kHz G.711
μ-law / A-law versions of the English sentence. Re-running rewrites identical files as long as
espeak-ng and sox do not change; the Java tests only read what is committed.

For every 16 kHz WAV `NAME.wav` it writes:
  NAME.fbank.npy  torchaudio.compliance.kaldi.fbank(...) with the SenseVoice options, computed on a
                  float64 tensor and stored as float32 [T, 80]: the reference the Java test holds
                  to max |diff| <= 1e-3
  NAME.fbank32.npy the same computed on a float32 tensor (what FunASR does at run time). float32
                  loses mel bands far below the frame's loudest band to FFT rounding (on other
                  espeak sentences we saw float32 vs float64 differ by 2e-3 in one such band); the
                  Java test compares with it too (see FrontEndParityTest for the exact rule)
  NAME.lfr.npy    FunASR apply_lfr(m=7, n=6) of that, float32 [ceil(T/6), 560] (numpy, float32)
  NAME.cmvn.npy   FunASR apply_cmvn with am.mvn (below), float32 [ceil(T/6), 560]
plus:
  am.mvn                 a synthetic Kaldi nnet CMVN (shift = -mean, scale = 1/std of the speech LFR)
  NAME.pcm.npy           for the G.711 WAVs: the samples decoded by CPython's audioop, float32 [1, n]
  g711_decode.npy        [2, 256]: audioop's mu-law and A-law decoding of every code
  g711_encode.npy        [3, n]: a grid of int16 values, audioop's mu-law and A-law codes for them
  fbank_float64.max_diff.txt   how far torchaudio float32 is from torchaudio float64 on these files

torchaudio asserts on input shorter than one frame (400 samples); Kaldi itself returns no frames,
and so does the Java front end: the fixtures for such input are empty [0, 80] / [0, 560] arrays.
"""
import math
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

warnings.filterwarnings("ignore", category=DeprecationWarning)
import audioop  # noqa: E402  (deprecated, still in 3.11; an independent G.711 implementation)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "frontend"))
SR = 16000
RNG = np.random.default_rng(20261121)

EN_TEXT = "Thank you for calling customer service. My name is Anna, how can I help you today?"
ZH_TEXT = "您好，欢迎致电客服中心，请问有什么可以帮您？"


def fbank(samples_int16_range: np.ndarray, dtype=torch.float32) -> np.ndarray:
    if len(samples_int16_range) < 400:
        return np.zeros((0, 80), dtype=np.float32)
    x = torch.from_numpy(samples_int16_range.astype(np.float64)).to(dtype).unsqueeze(0)
    y = kaldi.fbank(
        x,
        num_mel_bins=80,
        frame_length=25,
        frame_shift=10,
        dither=0.0,
        window_type="hamming",
        sample_frequency=16000,
        energy_floor=0.0,
        preemphasis_coefficient=0.97,
        remove_dc_offset=True,
        low_freq=20,
        high_freq=0,
        snip_edges=True,
        round_to_power_of_two=True,
        use_log_fbank=True,
        use_power=True,
    )
    return y.numpy()


def apply_lfr(inputs: np.ndarray, lfr_m: int = 7, lfr_n: int = 6) -> np.ndarray:
    """FunASR's apply_lfr, transcribed to numpy (frontends/wav_frontend.py)."""
    T = inputs.shape[0]
    if T == 0:
        return np.zeros((0, inputs.shape[1] * lfr_m), dtype=np.float32)
    T_lfr = int(np.ceil(T / lfr_n))
    left_padding = np.tile(inputs[0], ((lfr_m - 1) // 2, 1))
    inputs = np.vstack((left_padding, inputs))
    T = T + (lfr_m - 1) // 2
    out = []
    for i in range(T_lfr):
        if lfr_m <= T - i * lfr_n:
            out.append(inputs[i * lfr_n : i * lfr_n + lfr_m].reshape(1, -1))
        else:  # process last LFR frame
            num_padding = lfr_m - (T - i * lfr_n)
            frame = inputs[i * lfr_n :].reshape(-1)
            for _ in range(num_padding):
                frame = np.hstack((frame, inputs[-1]))
            out.append(frame.reshape(1, -1))
    return np.vstack(out).astype(np.float32)


def load_cmvn(path: str) -> np.ndarray:
    """FunASR's load_cmvn: decimal text -> float64 -> float32, shape [2, dim]."""
    with open(path, "r", encoding="utf-8") as f:
        lines = f.readlines()
    means, scales = [], []
    for i in range(len(lines)):
        item = lines[i].split()
        if item and item[0] == "<AddShift>":
            nxt = lines[i + 1].split()
            if nxt[0] == "<LearnRateCoef>":
                means = list(nxt[3 : len(nxt) - 1])
        elif item and item[0] == "<Rescale>":
            nxt = lines[i + 1].split()
            if nxt[0] == "<LearnRateCoef>":
                scales = list(nxt[3 : len(nxt) - 1])
    return np.array([np.array(means, dtype=np.float64), np.array(scales, dtype=np.float64)]).astype(
        np.float32
    )


def apply_cmvn(inputs: np.ndarray, cmvn: np.ndarray) -> np.ndarray:
    """FunASR's apply_cmvn in float32: (x + shift) * scale."""
    x = inputs.astype(np.float32).copy()
    dim = x.shape[1]
    x += cmvn[0:1, :dim]
    x *= cmvn[1:2, :dim]
    return x


def write_wav16(path: str, samples: np.ndarray) -> None:
    import wave

    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(samples.astype("<i2").tobytes())


def read_wav_pcm16(path: str) -> np.ndarray:
    import wave

    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == SR, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.int16)


def espeak(text: str, voice: str, out_wav: str, rate: int, extra=()) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "espeak.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", raw, text], check=True)
        subprocess.run(["sox", "-D", "-R", raw, "-r", str(rate), *extra, out_wav], check=True)


def wav_data(path: str) -> bytes:
    """The data chunk of a WAV file (for the G.711 files, which the wave module cannot read)."""
    with open(path, "rb") as f:
        b = f.read()
    pos = 12
    while pos + 8 <= len(b):
        cid = b[pos : pos + 4]
        size = int.from_bytes(b[pos + 4 : pos + 8], "little")
        if cid == b"data":
            return b[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)
    raise ValueError("no data chunk in " + path)


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    p = lambda name: os.path.join(OUT, name)  # noqa: E731

    # ---- inputs -------------------------------------------------------------------------------
    espeak(EN_TEXT, "en-us", p("speech_en.wav"), SR, ["-b", "16", "-e", "signed-integer"])
    espeak(ZH_TEXT, "cmn", p("speech_zh.wav"), SR, ["-b", "16", "-e", "signed-integer"])
    espeak(EN_TEXT, "en-us", p("speech_en_8k_ulaw.wav"), 8000, ["-e", "u-law"])
    espeak(EN_TEXT, "en-us", p("speech_en_8k_alaw.wav"), 8000, ["-e", "a-law"])
    en = read_wav_pcm16(p("speech_en.wav"))

    write_wav16(p("silence.wav"), np.zeros(SR, dtype=np.int16))
    clipped = np.clip(en.astype(np.int64) * 12, -32768, 32767).astype(np.int16)
    write_wav16(p("clipping.wav"), clipped)
    write_wav16(p("short_20ms.wav"), en[8000 : 8000 + 320])  # < 25 ms: no frames
    write_wav16(p("one_frame_401.wav"), en[8000 : 8000 + 401])
    write_wav16(p("odd_12345.wav"), en[4000 : 4000 + 12345])
    t = np.arange(SR * 2 + 7) / SR
    tone = 6000 * np.sin(2 * math.pi * 440 * t) + 1500 * np.sin(2 * math.pi * 2300 * t)
    tone += 3000 + RNG.normal(0, 50, len(t))  # DC offset and a little noise
    write_wav16(p("tone_dc_noise.wav"), np.round(tone).astype(np.int16))

    # ---- G.711 reference tables from CPython's audioop ----------------------------------------
    codes = bytes(range(256))
    ul = np.frombuffer(audioop.ulaw2lin(codes, 2), dtype="<i2").astype(np.float32)
    al = np.frombuffer(audioop.alaw2lin(codes, 2), dtype="<i2").astype(np.float32)
    np.save(p("g711_decode.npy"), np.stack([ul, al]))
    grid = np.concatenate([np.arange(-32768, 32768, 37), [32767, -1, 0, 1]]).astype(np.int16)
    gb = grid.astype("<i2").tobytes()
    ue = np.frombuffer(audioop.lin2ulaw(gb, 2), dtype=np.uint8).astype(np.float32)
    ae = np.frombuffer(audioop.lin2alaw(gb, 2), dtype=np.uint8).astype(np.float32)
    np.save(p("g711_encode.npy"), np.stack([grid.astype(np.float32), ue, ae]))
    for name, fn in [("speech_en_8k_ulaw", audioop.ulaw2lin), ("speech_en_8k_alaw", audioop.alaw2lin)]:
        pcm = np.frombuffer(fn(wav_data(p(name + ".wav")), 2), dtype="<i2").astype(np.float32)
        np.save(p(name + ".pcm.npy"), pcm.reshape(1, -1))

    # ---- CMVN: synthetic but realistic (shift = -mean, scale = 1/std of the speech LFR) -------
    speech_lfr = np.vstack(
        [apply_lfr(fbank(read_wav_pcm16(p(n)).astype(np.float64), torch.float64)) for n in ("speech_en.wav", "speech_zh.wav")]
    )
    mean = speech_lfr.astype(np.float64).mean(axis=0)
    std = speech_lfr.astype(np.float64).std(axis=0) + 1e-3
    with open(p("am.mvn"), "w", encoding="utf-8") as f:
        f.write("<Nnet>\n<Splice> 560 560\n[ 0 ]\n")
        f.write("<AddShift> 560 560\n<LearnRateCoef> 0 [ " + " ".join("%.6f" % v for v in -mean) + " ]\n")
        f.write("<Rescale> 560 560\n<LearnRateCoef> 0 [ " + " ".join("%.6f" % v for v in 1 / std) + " ]\n")
        f.write("</Nnet>\n")
    cmvn = load_cmvn(p("am.mvn"))

    # ---- features -----------------------------------------------------------------------------
    report = []
    for name in sorted(os.listdir(OUT)):
        if not name.endswith(".wav") or "_8k_" in name:
            continue
        base = name[:-4]
        x = read_wav_pcm16(p(name)).astype(np.float64)
        fb32 = fbank(x)
        fb64 = fbank(x, torch.float64)
        fb = fb64.astype(np.float32)
        lfr = apply_lfr(fb)
        np.save(p(base + ".fbank.npy"), fb)
        np.save(p(base + ".fbank32.npy"), fb32.astype(np.float32))
        np.save(p(base + ".lfr.npy"), lfr)
        np.save(p(base + ".cmvn.npy"), apply_cmvn(lfr, cmvn))
        diff = float(np.abs(fb32.astype(np.float64) - fb64).max()) if fb.size else 0.0
        report.append("%-22s frames=%5d  max|fbank32 - fbank64| = %.3g" % (base, fb.shape[0], diff))
    with open(p("fbank_float64.max_diff.txt"), "w") as f:
        f.write("torchaudio %s, torch %s\n" % (torchaudio.__version__, torch.__version__))
        f.write("\n".join(report) + "\n")
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
