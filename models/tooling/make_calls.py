#!/usr/bin/python3
"""Synthesizes demo calls (dual-channel call folders) from call scripts.

  /usr/bin/python3 models/tooling/make_calls.py calls/scripts calls/demo [--only ID ...]

For each calls/scripts/<name>.yaml writes calls/demo/<callId>/{agent.wav, customer.wav, call.yaml}:
agent.wav / customer.wav are 8 kHz G.711 mu-law WAV of equal duration; each channel holds only
that party's speech plus light line noise; hold music is put on the agent channel between
HOLD_START and HOLD_END. call.yaml carries the metadata, the events and `expected` (the authored
alerts, and the turns with their true speech boundaries measured from the synthesized audio).
See calls/README.md for the script format. Deterministic for a given script (its `seed`).
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402

SR = synth.SR
DEFAULT_PAUSE = 0.8


def q(s):
    return json.dumps(s, ensure_ascii=False)


def turn_phrases(turn, lang, inv, rng):
    """Phrases of one turn: `intent` (str or list, with optional `idx`), or literal `text`
    (+ `pinyin` for zh)."""
    if 'text' in turn:
        speak = turn.get('pinyin', turn['text']) if lang == 'zh' else turn['text']
        return [{'speak': speak, 'text': synth.label_text(turn['text'], lang)}]
    intents = turn['intent'] if isinstance(turn['intent'], list) else [turn['intent']]
    idxs = turn.get('idx')
    if not isinstance(idxs, list):
        idxs = [idxs] * len(intents)
    return [synth.find_phrase(inv, it, lang, ix, rng) for it, ix in zip(intents, idxs)]


def build_call(script, inv):
    rng = np.random.default_rng(int(script.get('seed', 1)))
    call_lang = script.get('language', 'en')
    voices = dict(script.get('voices') or {})
    placed = []          # (role, start_sample, audio)
    events = [{'type': 'STARTED', 'atMs': 0}]
    holds = []           # (start, end) samples
    turns_out = []
    cursor = 0.0         # seconds: end of the last placed thing
    last_end = {'agent': -1e9, 'customer': -1e9}
    prev_turn = None
    for turn in script['turns']:
        if 'hold' in turn:
            start = cursor + float(turn.get('pause', DEFAULT_PAUSE))
            end = start + float(turn['hold'])
            events.append({'type': 'HOLD_START', 'atMs': int(round(start * 1000))})
            events.append({'type': 'HOLD_END', 'atMs': int(round(end * 1000))})
            holds.append((int(start * SR), int(end * SR), turn.get('music', True)))
            cursor = end
            continue
        if 'event' in turn:
            at = cursor + float(turn.get('pause', DEFAULT_PAUSE))
            events.append({'type': turn['event'], 'atMs': int(round(at * 1000))})
            cursor = at
            continue
        role = turn['role']
        lang = turn.get('language', call_lang if call_lang in ('en', 'zh') else 'en')
        vkey = role + '_' + lang
        if vkey not in voices:   # voices: {agent_en: en-us+m4, customer_zh: cmn-latn-pinyin+f3}
            voices[vkey] = synth.random_voice(rng, lang, heldout=True)
        emotion = turn.get('emotion', 'NEUTRAL')
        phrases = turn_phrases(turn, lang, inv, rng)
        params = None
        if 'speedScale' in script:   # a faster or slower talker than the style's rate
            params = synth.style_params(emotion, rng)
            params['speed'] = int(round(params['speed'] * float(script['speedScale'])))
        audio, _ = synth.speak_phrases(phrases, voices[vkey], emotion, rng, params)
        if 'overlap' in turn and prev_turn is not None:
            start = prev_turn['end'] - float(turn['overlap'])
        elif 'startAfterPrevStart' in turn and prev_turn is not None:
            start = prev_turn['start'] + float(turn['startAfterPrevStart'])
        else:
            start = cursor + float(turn.get('pause', DEFAULT_PAUSE))
        if start < last_end[role] + 0.5:
            raise ValueError('%s: %s turn at %.2fs runs into its previous turn' % (script['callId'], role, start))
        s0 = int(round(start * SR))
        placed.append((role, s0, audio))
        end = (s0 + len(audio)) / SR
        last_end[role] = end
        sep = ' ' if lang == 'en' else ''
        text = sep.join(p['text'] for p in phrases)
        turns_out.append({'role': role, 'startMs': int(round(s0 * 1000 / SR)),
                          'endMs': int(round((s0 + len(audio)) * 1000 / SR)), 'text': text,
                          'emotion': emotion, 'event': 'Speech', 'language': lang,
                          'voice': voices[vkey]})
        prev_turn = {'start': start, 'end': end}
        cursor = max(cursor, end)
    total = cursor + float(script.get('tail', 1.0))
    for ev in script.get('endEvents', []):
        at = cursor + float(ev.get('pause', 0.5))
        events.append({'type': ev['event'], 'atMs': int(round(at * 1000))})
        total = max(total, at + 0.3)
    n = int(round(total * SR))
    events.append({'type': 'ENDED', 'atMs': int(round(n * 1000 / SR))})
    chans = {}
    for role in ('agent', 'customer'):
        x = np.zeros(n, np.float32)
        for r, s0, a in placed:
            if r == role:
                x[s0:s0 + len(a)] += a[:max(0, n - s0)]
        if role == 'agent':
            for h0, h1, music in holds:
                if music:
                    x[h0:h1] += synth.hold_music(h1 - h0, rng, float(script.get('holdMusicDb', -24)))
        x += synth.line_noise(n, rng, float(script.get('lineNoiseDb', rng.uniform(-56, -48))))
        chans[role] = np.clip(x, -1, 1)
    events.sort(key=lambda e: e['atMs'])
    turns_out.sort(key=lambda t: t['startMs'])
    return chans, events, turns_out


def write_call_yaml(path, script, events, turns):
    L = []
    L.append('tenant: %s' % script.get('tenant', 'acme'))
    L.append('callId: %s' % script['callId'])
    L.append('agentId: %s' % script.get('agentId', 'agent-007'))
    L.append('queue: %s' % script.get('queue', 'billing'))
    L.append('language: %s' % script.get('language', 'en'))
    st = script.get('startedAt', '2026-11-21T09:00:00Z')
    if hasattr(st, 'strftime'):   # YAML parsed it as a datetime
        st = st.strftime('%Y-%m-%dT%H:%M:%SZ')
    L.append('startedAt: %s' % st)
    L.append('events:')
    for e in events:
        L.append('  - {type: %s, atMs: %d}' % (e['type'], e['atMs']))
    L.append('expected:')
    alerts = script.get('alerts') or []
    if not alerts:
        L.append('  alerts: []')
    else:
        L.append('  alerts:')
        for a in alerts:
            extra = ', count: %d' % a['count'] if a.get('count', 1) != 1 else ''
            L.append('    - {rule: %s%s}' % (a['rule'], extra))
    L.append('  turns:')
    for t in turns:
        L.append('    - {role: %s, startMs: %d, endMs: %d, text: %s, emotion: %s, event: %s, language: %s}'
                 % (t['role'], t['startMs'], t['endMs'], q(t['text']), t['emotion'], t['event'], t['language']))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('# Generated by models/tooling/make_calls.py from calls/scripts — do not edit by hand.\n')
        if script.get('description'):
            f.write('# %s\n' % script['description'].strip().replace('\n', '\n# '))
        f.write('\n'.join(L) + '\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('scripts')
    ap.add_argument('out')
    ap.add_argument('--only', nargs='*')
    a = ap.parse_args()
    inv = synth.phrase_inventory()
    files = sorted(glob.glob(os.path.join(a.scripts, '*.yaml')))
    for fpath in files:
        script = yaml.safe_load(open(fpath, encoding='utf-8'))
        if a.only and script['callId'] not in a.only:
            continue
        chans, events, turns = build_call(script, inv)
        d = os.path.join(a.out, script['callId'])
        os.makedirs(d, exist_ok=True)
        for role, x in chans.items():
            synth.write_wav(os.path.join(d, role + '.wav'), x, ulaw=True)
        write_call_yaml(os.path.join(d, 'call.yaml'), script, events, turns)
        dur = len(chans['agent']) / SR
        print('%-32s %5.1fs %2d turns alerts=%s' % (script['callId'], dur, len(turns),
              [x['rule'] for x in script.get('alerts') or []]))


if __name__ == '__main__':
    main()
