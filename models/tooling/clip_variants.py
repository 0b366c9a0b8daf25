#!/usr/bin/python3
"""Scores a model on the held-out speech test clips as they are and changed the way a slotter or a
line changes them: cut tight at the first loud sample (a slot that starts at the speech onset) and
with telephone line noise added (-36 and -30 dBFS), alone and together.

  /usr/bin/python3 models/tooling/clip_variants.py models/sensevoice-demo [--clips models/testclips]

One line per variant: clips exactly right (text), CER per language, emotion and event right
(evaluate.py's scoring). Seeded noise, so
two models are compared on the same inputs.
"""
import argparse
import os
import sys

import numpy as np
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import frontend  # noqa: E402
import synth  # noqa: E402
from evaluate import load_model, recognize, score  # noqa: E402

LOUD = 655 / 32768  # -34 dBFS: where a tight slot would start


def tight(x):
    return x[int(np.argmax(np.abs(x) >= LOUD)):]


def noisy(db, cut=lambda x: x):
    def change(x, rng):
        y = cut(x)
        return np.clip(y + synth.line_noise(len(y), rng, db), -1, 1)
    return change


VARIANTS = {
    'as recorded': lambda x, rng: x,
    'cut tight': lambda x, rng: tight(x),
    'noise -36 dBFS': noisy(-36),
    'tight + noise -36': noisy(-36, tight),
    'noise -30 dBFS': noisy(-30),
    'tight + noise -30': noisy(-30, tight),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('model')
    ap.add_argument('--clips', default='models/testclips')
    a = ap.parse_args()
    m, tokens, shift, scale = load_model(a.model)
    manifest = yaml.safe_load(open(os.path.join(a.clips, 'manifest.yaml'), encoding='utf-8'))
    clips = [c for c in manifest['clips'] if c['language'] in ('en', 'zh')]
    for name, change in VARIANTS.items():
        feats = []
        for k, c in enumerate(clips):
            x = synth.read_wav(os.path.join(a.clips, c['file']))
            rng = np.random.default_rng([7, k])
            feats.append(frontend.features(change(x, rng).astype(np.float32), shift, scale))
        r = score(clips, recognize(m, tokens, feats))
        exact = sum(round(r['sentence_acc_' + lang] * r['n_' + lang]) for lang in ('en', 'zh'))
        print('%-18s exact %2d/%d  CER en %.3f zh %.3f  emotion %2d  event %2d' % (
            name, exact, len(clips), r['cer_en'], r['cer_zh'], round(r['emotion_acc'] * len(clips)),
            round(r['event_acc'] * len(clips))), flush=True)


if __name__ == '__main__':
    main()
