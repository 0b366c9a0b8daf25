#!/usr/bin/python3
"""Writes variants of the call scripts: same turns, pauses and expected alerts, other seeds and
other held-out voice variants (never used in training), callId suffixed. A robustness check of the
whole system on renderings it has never seen:

  /usr/bin/python3 models/tooling/make_variant_scripts.py calls/scripts /tmp/var-scripts [--round 2]
  /usr/bin/python3 models/tooling/make_calls.py /tmp/var-scripts /tmp/var-calls
  ./callqa demo --calls /tmp/var-calls --speed 0
"""
import argparse
import glob
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('scripts')
    ap.add_argument('out')
    ap.add_argument('--round', type=int, default=2, help='variant number: seeds, voices, callId suffix')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    held = synth.HELDOUT_VARIANTS
    k = 5 * a.round
    for path in sorted(glob.glob(os.path.join(a.scripts, '*.yaml'))):
        d = yaml.safe_load(open(path, encoding='utf-8'))
        d['seed'] = int(d.get('seed', 1)) + 7919 * (a.round - 1)
        d['callId'] = '%s-v%d' % (d['callId'], a.round)
        voices = d.get('voices', {})
        for role in list(voices):
            base, _, old = voices[role].partition('+')
            new = held[k % len(held)]
            k += 3
            if new == old:
                new = held[(k + 1) % len(held)]
            voices[role] = base + '+' + new
        with open(os.path.join(a.out, os.path.basename(path)), 'w', encoding='utf-8') as f:
            yaml.safe_dump(d, f, allow_unicode=True, sort_keys=False)
        print(d['callId'], voices)


if __name__ == '__main__':
    main()
