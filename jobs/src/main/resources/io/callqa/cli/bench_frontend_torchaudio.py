"""torchaudio's Kaldi fbank throughput on one thread, for `callqa bench frontend`.

Usage: python3 bench_frontend_torchaudio.py INPUT.s16le REPEATS WARMUP_SECONDS
INPUT.s16le is raw 16 kHz mono int16 audio. Prints one JSON line:
{"xrt": audio seconds per wall second (median of REPEATS), "xrt_cpu": per CPU second, ...}.
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
    path, repeats, warmup_s = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    torch.set_num_threads(1)
    samples = np.fromfile(path, dtype="<i2").astype(np.float32)
    seconds = len(samples) / 16000.0
    x = torch.from_numpy(samples).unsqueeze(0)
    fbank(x[:, : int(warmup_s * 16000)])
    walls, cpus = [], []
    frames = 0
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        y = fbank(x)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        frames = y.shape[0]
    wall = float(np.median(walls))
    cpu = float(np.median(cpus))
    print(
        json.dumps(
            {
                "xrt": seconds / wall,
                "xrt_cpu": seconds / cpu,
                "median_wall_s": wall,
                "frames": frames,
                "threads": torch.get_num_threads(),
                "torch": torch.__version__,
                "torchaudio": torchaudio.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
