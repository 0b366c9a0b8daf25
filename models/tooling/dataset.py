#!/usr/bin/python3
"""Builds the synthetic training corpus and the held-out evaluation corpus as LFR features.

  /usr/bin/python3 models/tooling/dataset.py --out models/work/data [--n-train 12000] [--n-eval 800]

train.pt: list of items {feats: float16 [T,560] (LFR, before CMVN), text, language, emotion,
          event, channel}; training voices (synth.TRAIN_VARIANTS), half of the items through an
          8 kHz G.711 mu-law channel, half spoken at a talker's own rate (talker_rate).
eval.pt:  held-out voice variants (synth.HELDOUT_VARIANTS), other seeds / phrase orders; every
          item twice: channel pcm16 (16 kHz) and ulaw8 (8 kHz mu-law round trip) of the same audio.
Item i of a split is generated from numpy seed (seed, split, i), so the corpus does not depend
on the number of worker processes.
"""
import argparse
import functools
import multiprocessing as mp
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import frontend  # noqa: E402
import synth  # noqa: E402

_INV = None


def talker_rate(rng):
    """Training only: half of the talkers speak at their own rate, x0.7..1.4 (log-uniform) of
    the emotion style's, whatever the emotion (see synth.make_utterance)."""
    return float(np.exp(rng.uniform(np.log(0.7), np.log(1.4)))) if rng.random() < 0.5 else 1.0


def _inv():
    global _INV
    if _INV is None:
        _INV = synth.phrase_inventory()
    return _INV


def _f16(x):
    return frontend.features_nocmvn(x).numpy().astype(np.float16)


def gen_train(args, tight_share=0.0, noise_db=None):
    """tight_share, noise_db: opt-in training augmentation (synth.make_utterance)."""
    seed, i = args
    torch.set_num_threads(1)
    rng = np.random.default_rng([seed, 0, i])
    x, meta = synth.make_utterance(rng, _inv(), heldout=False, talker_rate=talker_rate,
                                   tight_share=tight_share, noise_db=noise_db)
    ch = 'ulaw8' if rng.random() < 0.5 else 'pcm16'
    if ch == 'ulaw8':
        x = synth.ulaw_roundtrip(x)
    meta.update(feats=_f16(x), channel=ch)
    return meta


def gen_eval(args):
    seed, i = args
    torch.set_num_threads(1)
    rng = np.random.default_rng([seed, 1, i])
    x, meta = synth.make_utterance(rng, _inv(), heldout=True)
    a = dict(meta, feats=_f16(x), channel='pcm16', idx=i)
    b = dict(meta, feats=_f16(synth.ulaw_roundtrip(x)), channel='ulaw8', idx=i)
    return [a, b]


def run(fn, seed, n, procs):
    t = time.time()
    out = []
    with mp.Pool(procs) as pool:
        for k, r in enumerate(pool.imap(fn, [(seed, i) for i in range(n)], chunksize=16)):
            out.append(r)
            if (k + 1) % 1000 == 0:
                print('  %s %d/%d %.0fs' % (getattr(fn, 'func', fn).__name__, k + 1, n, time.time() - t), flush=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='models/work/data')
    ap.add_argument('--n-train', type=int, default=12000)
    ap.add_argument('--n-eval', type=int, default=800)
    ap.add_argument('--seed', type=int, default=20261121)
    ap.add_argument('--procs', type=int, default=2)
    ap.add_argument('--only', choices=['train', 'eval'], default=None)
    ap.add_argument('--tight-share', type=float, default=0.0,
                    help='training: share of speech items that start at their first sample')
    ap.add_argument('--noise-db', type=float, nargs=2, default=None, metavar=('LOW', 'HIGH'),
                    help='training: line-noise level range in dBFS (default -58 -38)')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.only in (None, 'eval'):
        ev = [x for pair in run(gen_eval, a.seed, a.n_eval, a.procs) for x in pair]
        torch.save(ev, os.path.join(a.out, 'eval.pt'))
        print('eval items', len(ev), flush=True)
    if a.only in (None, 'train'):
        augment = dict(tight_share=a.tight_share, noise_db=None if a.noise_db is None else tuple(a.noise_db))
        tr = run(functools.partial(gen_train, **augment), a.seed, a.n_train, a.procs)
        torch.save(tr, os.path.join(a.out, 'train.pt'))
        hours = sum(len(x['feats']) for x in tr) * 0.06 / 3600
        print('train items', len(tr), 'hours %.2f' % hours, flush=True)


if __name__ == '__main__':
    main()
