#!/usr/bin/python3
"""Writes a cost stand-in for SenseVoiceSmall: the demo model's network at the size of the real
model (70 encoder blocks of width 512, a 25 055-token output), random weights, same contract
(descriptor, inputs, outputs, front end). It recognises nothing; it costs per second of speech
about what SenseVoiceSmall costs, so that `callqa bench pipeline --model DIR` can measure the
pipeline's overhead against a model of real size (no internet here to fetch the real one).

  /usr/bin/python3 models/tooling/make_cost_model.py --out models/work/cost-model

Per 60 ms output frame, SenseVoiceSmall's SANM blocks (q/k/v 3·512², output 512², feed-forward
2·512·2048) take about 3.15 M multiply-adds each, 70 blocks plus the CTC layer (512 × 25 055)
about 233 M. The demo block's per-frame layers are the pointwise pair (2·512·ff) and the key/value
projection (2·512²); ff = 2560 gives the same 3.15 M per block. Its 4 query vectors add
parameters but next to no per-frame work, so the file (about 1.8 GB) is larger than
SenseVoiceSmall's 0.9 GB while the work per second of speech matches. Nothing of it is committed.
"""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import DemoSenseVoice  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(HERE, '..', 'sensevoice-demo')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='models/work/cost-model')
    ap.add_argument('--layers', type=int, default=70)
    ap.add_argument('--d', type=int, default=512)
    ap.add_argument('--ff', type=int, default=2560)
    ap.add_argument('--vocab', type=int, default=25055)
    a = ap.parse_args()
    torch.manual_seed(0)
    os.makedirs(a.out, exist_ok=True)

    # the demo tokens first (tags keep their ids), then placeholders up to the real vocabulary
    tokens = open(os.path.join(DEMO, 'tokens.txt'), encoding='utf-8').read().split('\n')[:-1]
    tokens += ['▁x%d' % i for i in range(a.vocab - len(tokens))]
    with open(os.path.join(a.out, 'tokens.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(tokens) + '\n')
    shutil.copy(os.path.join(DEMO, 'am.mvn'), os.path.join(a.out, 'am.mvn'))

    model = DemoSenseVoice(len(tokens), d=a.d, layers=a.layers, heads=4, ff=a.ff, kernel=11)
    model.eval()
    torch.jit.script(model).save(os.path.join(a.out, 'model.pt'))

    desc = json.load(open(os.path.join(DEMO, 'model.json'), encoding='utf-8'))
    params = sum(p.numel() for p in model.parameters())
    macs = a.layers * (2 * a.d * a.ff + 2 * a.d * a.d) + a.d * len(tokens)
    desc.update({
        'name': 'callqa-cost-stand-in', 'version': '0',
        'vocabSize': len(tokens), 'params': params,
        'note': 'random weights: a cost stand-in of SenseVoiceSmall size, recognises nothing',
        'multiplyAddsPerFrame': macs,
    })
    desc.pop('paddingInvarianceMaxDiff', None)
    with open(os.path.join(a.out, 'model.json'), 'w', encoding='utf-8') as f:
        json.dump(desc, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print('%s: %d blocks × %d (ff %d), vocab %d, %.0f M params, %.0f M multiply-adds per frame'
          % (a.out, a.layers, a.d, a.ff, len(tokens), params / 1e6, macs / 1e6))


if __name__ == '__main__':
    main()
