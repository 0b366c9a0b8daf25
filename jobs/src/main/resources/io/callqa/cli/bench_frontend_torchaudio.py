"""torchaudio's Kaldi fbank throughput on one thread, for `callqa bench frontend`.

Usage: python3 bench_frontend_torchaudio.py INPUT.s16le WARMUP_SECONDS
INPUT.s16le is raw 16 kHz mono int16 audio. After loading and a warm-up it prints one JSON line
{"ready": true, "torch": ..., "torchaudio": ..., "threads": 1, "seconds": ...}, then for every
line "run" on stdin computes the fbank of the whole input once and prints
{"wall_s": ..., "cpu_s": ..., "frames": ...}; "quit" (or end of input) exits. The caller
interleaves these passes with its own, so both sides see the same machine load.
The options are the SenseVoice front end's (see io.callqa.operators.features.KaldiFbank).
"""
import json
import sys
import time

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi


def fbank(x):
    return kaldi.fbank(
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


def main():
    path, warmup_s = sys.argv[1], float(sys.argv[2])
    torch.set_num_threads(1)
    samples = np.fromfile(path, dtype="<i2").astype(np.float32)
    x = torch.from_numpy(samples).unsqueeze(0)
    fbank(x[:, : max(400, int(warmup_s * 16000))])
    hello = {
        "ready": True,
        "seconds": len(samples) / 16000.0,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "torchaudio": torchaudio.__version__,
    }
    print(json.dumps(hello), flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        w0, c0 = time.perf_counter(), time.process_time()
        y = fbank(x)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        print(json.dumps({"wall_s": wall, "cpu_s": cpu, "frames": y.shape[0]}), flush=True)


if __name__ == "__main__":
    main()
