#!/usr/bin/python3
"""Fits the model's emotion calibration (docs/emotion.md) and measures it on call folders.

  /usr/bin/python3 models/tooling/calibrate_emotion.py --model models/sensevoice-demo \
      --reference calls/demo [--weight 0.5] [--eval DIR ...] [--write]

A model that hears one slot at a time takes a fast or high-pitched talker's NEUTRAL for HAPPY and
a slow or low one's for SAD. The job calibrates a slot's emotion by its channel's earlier slots
(EmotionCalibration.java): score(tag) = log p(tag) - weight * (mean log p(tag) over the channel's
earlier slots - reference(tag)), for the calibrated tags only; a slot the model calls ANGRY keeps
it, and no slot becomes ANGRY. This script computes the reference (the mean log-probability of each
calibrated tag over every true turn of the --reference calls, cut like evaluate.py: +-0.3 s),
prints the turn-level emotion accuracy per weight on every --eval folder (true turns, in order per
channel, exactly as the Java operator would), and with --write stores
{"weight", "reference"} as "emotionCalibration" in the model's model.json.
Probabilities: softmax over the emotion tags of the token table at the emotion position, as the
Java decoder does.
"""
import argparse
import collections
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import call_turns, forward, load_model  # noqa: E402

EMOTION_TAGS = ['HAPPY', 'SAD', 'ANGRY', 'NEUTRAL', 'FEARFUL', 'DISGUSTED', 'SURPRISED', 'EMO_UNKNOWN']
CALIBRATED = ['NEUTRAL', 'HAPPY', 'SAD']
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def turn_scores(model_dir, calls_dir):
    """[(call, role, true emotion, {tag: log p})] for every true turn, in call order."""
    m, tokens, shift, scale = load_model(model_dir)
    names = [t for t in EMOTION_TAGS if '<|%s|>' % t in tokens]
    ids = [tokens.index('<|%s|>' % t) for t in names]
    rows, feats = [], []
    for call, turns, turn_feats in call_turns(calls_dir, shift, scale):
        rows.extend((call['callId'], t['role'], t['emotion']) for t in turns)
        feats.extend(turn_feats)
    scores = []
    for lg, _ in forward(m, feats):
        for row in torch.log_softmax(lg[:, 1, ids], dim=-1).numpy():
            scores.append(dict(zip(names, row.tolist())))
    return [r + (s,) for r, s in zip(rows, scores)]


def calibrate(model_emotion, scores, earlier, weight, reference):
    """The Java EmotionCalibration.calibrate, line for line."""
    tags = list(reference)
    if weight == 0 or model_emotion not in tags or not earlier:
        return model_emotion
    mean = {t: np.mean([e[t] for e in earlier]) for t in tags}
    return max(tags, key=lambda t: scores[t] - weight * (mean[t] - reference[t]))


def accuracy(turns, weight, reference):
    ok, seen, right = 0, collections.Counter(), collections.Counter()
    history = collections.defaultdict(list)
    for call, role, truth, scores in turns:
        model = max(scores, key=scores.get)
        got = calibrate(model, scores, history[(call, role)], weight, reference)
        history[(call, role)].append(scores)
        ok += got == truth
        seen[truth] += 1
        right[truth] += got == truth
    return ok / len(turns), {t: right[t] / seen[t] for t in seen}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--model', default='models/sensevoice-demo')
    ap.add_argument('--reference', default='calls/demo', help='call folder the reference is the mean over')
    ap.add_argument('--weight', type=float, default=0.5)
    ap.add_argument('--eval', nargs='*', default=[], help='call folders to measure the weights on')
    ap.add_argument('--write', action='store_true', help='store the calibration in model.json')
    a = ap.parse_args()
    ref_turns = turn_scores(a.model, a.reference)
    reference = {t: float(np.mean([s[t] for *_, s in ref_turns])) for t in CALIBRATED}
    print('reference (mean log p over %d turns of %s): %s' % (
        len(ref_turns), a.reference, ', '.join('%s %.3f' % kv for kv in reference.items())))
    totals = collections.defaultdict(list)
    for d in [a.reference] + a.eval:
        turns = ref_turns if d == a.reference else turn_scores(a.model, d)
        cells = []
        for w in WEIGHTS:
            acc, recall = accuracy(turns, w, reference)
            totals[w].append(acc)
            cells.append('w %.2f %.3f (%s)' % (w, acc, ' '.join(
                '%s %.2f' % (t[:3], recall[t]) for t in ('NEUTRAL', 'HAPPY', 'SAD', 'ANGRY') if t in recall)))
        print('%-28s %s' % (os.path.basename(os.path.normpath(d)) or d, ' | '.join(cells)), flush=True)
    if a.eval:
        print('mean over the eval folders: ' + ' '.join(
            'w %.2f %.3f' % (w, np.mean(v[1:])) for w, v in totals.items()))
    if a.write:
        path = os.path.join(a.model, 'model.json')
        desc = json.load(open(path, encoding='utf-8'))
        desc['emotionCalibration'] = {'weight': a.weight,
                                      'reference': {t: round(v, 4) for t, v in reference.items()}}
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(desc, f, indent=2, ensure_ascii=False)
            f.write('\n')
        print('wrote', path)


if __name__ == '__main__':
    main()
