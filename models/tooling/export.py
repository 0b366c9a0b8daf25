#!/usr/bin/python3
"""Exports the trained demo model to the SenseVoiceSmall-compatible model folder.

  /usr/bin/python3 models/tooling/export.py --train models/work/train --data models/work/data \
      --out models/sensevoice-demo

Writes model.pt (TorchScript, scripted on CPU), am.mvn, tokens.txt, model.json, and checks:
  * padding invariance: batched vs one-by-one logits over each item's own length, max |diff| < 1e-4
  * the saved model.pt re-loads and matches the eager model
  * int32 inputs are accepted and encoder_out_lens is int32 = speech_lengths + 4
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import frontend  # noqa: E402
from model import DemoSenseVoice, LANG_IDS, TEXTNORM_IDS  # noqa: E402

DESCRIPTOR = {
    "name": "callqa-sensevoice-demo", "version": "1.1", "engine": "PyTorch", "modelFile": "model.pt",
    "sampleRate": 16000,
    "frontend": {"type": "kaldi-fbank", "numMelBins": 80, "frameLengthMs": 25, "frameShiftMs": 10,
                 "window": "hamming", "preemphasis": 0.97, "removeDcOffset": True, "lowFreqHz": 20,
                 "highFreqHz": 0, "dither": 0, "energyFloor": 0, "snipEdges": True, "fftSize": 512,
                 "lfrM": 7, "lfrN": 6, "cmvnFile": "am.mvn"},
    "tokens": "tokens.txt", "tokenStyle": "sentencepiece", "blankId": 0, "outputFrameMs": 60,
    "tagPositions": 4,
    "languageIds": LANG_IDS, "textnormIds": TEXTNORM_IDS,
    "inputs": ["speech f32[B,T,560]", "speech_lengths i32[B]", "language i32[B]", "textnorm i32[B]"],
    "outputs": ["ctc_logits f32[B,T+4,V]", "encoder_out_lens i32[B]"],
    "maxSlotSeconds": 30,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--train', default='models/work/train')
    ap.add_argument('--data', default='models/work/data')
    ap.add_argument('--out', default='models/sensevoice-demo')
    a = ap.parse_args()
    torch.set_num_threads(1)
    ck = torch.load(os.path.join(a.train, 'ckpt.pt'))
    model = DemoSenseVoice(ck['vocab'], **ck['cfg'])
    model.load_state_dict(ck['state'])
    model.eval()
    os.makedirs(a.out, exist_ok=True)
    shutil.copy(os.path.join(a.train, 'am.mvn'), os.path.join(a.out, 'am.mvn'))
    shutil.copy(os.path.join(a.train, 'tokens.txt'), os.path.join(a.out, 'tokens.txt'))
    tokens = open(os.path.join(a.out, 'tokens.txt'), encoding='utf-8').read().split('\n')[:-1]
    assert tokens[0] == '<blank>' and len(tokens) == ck['vocab']

    scripted = torch.jit.script(model)
    path = os.path.join(a.out, 'model.pt')
    scripted.save(path)

    # --- checks on real held-out features
    shift, scale = frontend.load_cmvn(os.path.join(a.out, 'am.mvn'))
    ev = torch.load(os.path.join(a.data, 'eval.pt'))
    rng = np.random.default_rng(0)
    pick = rng.choice(len(ev), 8, replace=False)
    feats = [frontend.apply_cmvn(torch.from_numpy(ev[i]['feats'].astype(np.float32)), shift, scale)
             for i in pick]
    feats.append(feats[0][:3].clone())            # a very short item too
    B = len(feats)
    T = max(f.shape[0] for f in feats)
    speech = torch.zeros(B, T, 560)
    lens = torch.zeros(B, dtype=torch.int32)
    for b, f in enumerate(feats):
        speech[b, :f.shape[0]] = f
        lens[b] = f.shape[0]
    lang = torch.tensor([0, 4, 3, 0, 0, 13, 0, 0, 0][:B], dtype=torch.int32)
    tn = torch.tensor([14, 15] * 5, dtype=torch.int32)[:B]
    loaded = torch.jit.load(path)
    with torch.no_grad():
        eager_logits, eager_lens = model(speech, lens, lang, tn)
        lb, llens = loaded(speech, lens, lang, tn)
        assert llens.dtype == torch.int32 and torch.equal(llens, lens + 4), llens
        assert lb.dtype == torch.float32 and lb.shape == (B, T + 4, len(tokens))
        d_load = (lb - eager_logits).abs().max().item()
        d_pad = 0.0
        for b in range(B):
            L = int(lens[b])
            one, ol = loaded(speech[b:b + 1, :L], lens[b:b + 1], lang[b:b + 1], tn[b:b + 1])
            d_pad = max(d_pad, (one[0, :L + 4] - lb[b, :L + 4]).abs().max().item())
    print('max |eager - loaded| = %.3g' % d_load)
    print('max |batched - one-by-one| = %.3g' % d_pad)
    assert d_load < 1e-4, d_load
    assert d_pad < 1e-4, d_pad

    desc = dict(DESCRIPTOR)
    desc['vocabSize'] = len(tokens)
    desc['tagTokenIds'] = {t: i for i, t in enumerate(tokens) if t.startswith('<|')}
    desc['params'] = ck['params']
    desc['paddingInvarianceMaxDiff'] = float('%.3g' % d_pad)
    with open(os.path.join(a.out, 'model.json'), 'w') as f:
        json.dump(desc, f, indent=2, ensure_ascii=False)
        f.write('\n')
    size = sum(os.path.getsize(os.path.join(a.out, n)) for n in os.listdir(a.out))
    print('model folder %s: %.2f MB, params %d' % (a.out, size / 1e6, ck['params']))


if __name__ == '__main__':
    main()
