#!/usr/bin/python3
"""Reference front end of the model contract (the Java side reimplements exactly this).

wave (float32 mono 16 kHz in [-1,1]) -> * 32768 -> Kaldi fbank (80 mel, 25/10 ms, hamming,
preemphasis 0.97, remove DC, low 20 Hz, dither 0, snip edges, 512-pt FFT) -> LFR m=7 n=6 (FunASR)
-> CMVN y = (x + shift) * scale with shift/scale from am.mvn.
"""
import math

import numpy as np
import torch
import torchaudio

LFR_M = 7
LFR_N = 6


def fbank(wave):
    """wave: float32 numpy/tensor in [-1,1] at 16 kHz -> [T, 80] float32 tensor."""
    w = torch.as_tensor(np.asarray(wave, dtype=np.float32)) * 32768.0
    return torchaudio.compliance.kaldi.fbank(
        w[None], num_mel_bins=80, frame_length=25, frame_shift=10, dither=0.0,
        window_type='hamming', sample_frequency=16000, energy_floor=0.0,
        preemphasis_coefficient=0.97, remove_dc_offset=True, low_freq=20, high_freq=0,
        snip_edges=True, round_to_power_of_two=True)


def lfr(frames, m=LFR_M, n=LFR_N):
    """FunASR apply_lfr: [T, D] -> [ceil(T/n), m*D]."""
    T = frames.shape[0]
    T_lfr = int(math.ceil(T / n))
    left = (m - 1) // 2
    frames = torch.cat([frames[0:1].repeat(left, 1), frames], 0)
    T = T + left
    out = []
    for i in range(T_lfr):
        if m <= T - i * n:
            out.append(frames[i * n:i * n + m].reshape(-1))
        else:
            x = frames[i * n:].reshape(-1)
            for _ in range(m - (T - i * n)):
                x = torch.cat([x, frames[-1]])
            out.append(x)
    if not out:
        return torch.zeros(0, m * frames.shape[1])
    return torch.stack(out)


def features_nocmvn(wave):
    """[T_lfr, 560] before CMVN (empty if the audio is shorter than one 25 ms frame)."""
    if len(wave) < 400:
        return torch.zeros(0, 560)
    return lfr(fbank(wave))


def load_cmvn(path):
    """Parses a Kaldi nnet am.mvn: returns (shift, scale) float32 numpy [560]."""
    lines = open(path).read().split('\n')
    shift = scale = None
    for i, line in enumerate(lines):
        if line.startswith('<AddShift>'):
            shift = _vec(lines[i + 1])
        if line.startswith('<Rescale>'):
            scale = _vec(lines[i + 1])
    return shift, scale


def _vec(line):
    s = line[line.index('[') + 1:line.index(']')]
    return np.array([float(v) for v in s.split()], dtype=np.float32)


def write_cmvn(path, mean, std):
    shift = ' '.join('%.6f' % (-v) for v in mean)
    scale = ' '.join('%.6f' % (1.0 / v) for v in std)
    n = len(mean)
    with open(path, 'w') as f:
        f.write('<Nnet>\n<Splice> %d %d\n[ 0 ]\n<AddShift> %d %d\n<LearnRateCoef> 0 [ %s ]\n'
                '<Rescale> %d %d\n<LearnRateCoef> 0 [ %s ]\n</Nnet>\n' % (n, n, n, n, shift, n, n, scale))


def apply_cmvn(feats, shift, scale):
    return (feats + torch.as_tensor(shift)) * torch.as_tensor(scale)


def features(wave, shift, scale):
    return apply_cmvn(features_nocmvn(wave), shift, scale)
