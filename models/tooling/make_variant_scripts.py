#!/usr/bin/python3
"""Writes variants of the call scripts: same turns, pauses and expected alerts, other seeds and
other held-out voice variants (never used in training), callId suffixed. A robustness check of the
whole system on renderings it has never seen:

  /usr/bin/python3 models/tooling/make_variant_scripts.py calls/scripts /tmp/var-scripts [--round 2]
  /usr/bin/python3 models/tooling/make_calls.py /tmp/var-scripts /tmp/var-calls
  ./callqa demo --calls /tmp/var-calls --speed 0

Stress options (each optional): --noise-db sets every call's line-noise level (dBFS; the demo
calls use -56..-48), --speed-scale multiplies every talker's speech rate, --pause-scale multiplies
the ordinary pauses between turns (those up to 3 s; long silences such as dead air keep their
length, and a party's consecutive turns stay at least 0.55 s apart).
"""
import argparse
import glob
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402


def scale_pauses(turns, scale):
    """Scales the ordinary pauses before spoken turns; keeps long silences (dead air) and holds."""
    last_role = None
    after_overlap = False
    for t in turns:
        role = t.get('role')
        if role is not None and 'pause' in t and float(t['pause']) <= 3.0 and not after_overlap:
            floor = 0.55 if role == last_role else 0.1
            t['pause'] = round(max(floor, float(t['pause']) * scale), 2)
        if role is not None:
            last_role = role
        elif 'hold' in t:
            last_role = None
        # the turn after an overlapping one keeps its pause: its start is measured from the end
        # of the overlapped turn, which the overlap may reach past
        after_overlap = 'overlap' in t or 'startAfterPrevStart' in t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('scripts')
    ap.add_argument('out')
    ap.add_argument('--round', type=int, default=2, help='variant number: seeds, voices, callId suffix')
    ap.add_argument('--noise-db', type=float, help='line-noise level of every call (dBFS)')
    ap.add_argument('--speed-scale', type=float, help='speech rate x this')
    ap.add_argument('--pause-scale', type=float, help='ordinary pauses (<= 3 s) x this')
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
        if a.noise_db is not None:
            d['lineNoiseDb'] = a.noise_db
        if a.speed_scale is not None:
            d['speedScale'] = a.speed_scale
        if a.pause_scale is not None:
            scale_pauses(d['turns'], a.pause_scale)
        with open(os.path.join(a.out, os.path.basename(path)), 'w', encoding='utf-8') as f:
            yaml.safe_dump(d, f, allow_unicode=True, sort_keys=False)
        print(d['callId'], voices)


if __name__ == '__main__':
    main()
