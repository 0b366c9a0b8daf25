#!/usr/bin/python3
"""Sanity check for demo calls: evaluates the rule catalog (design.md defaults) on the TRUE
turns of each call.yaml and compares with its expected.alerts, so no call fires a rule by
accident. Intent matching here is exact phrase containment on the truth text.

  /usr/bin/python3 models/tooling/check_calls.py calls/demo
"""
import glob
import os
import re
import sys
from collections import Counter

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402


def intents_of(text, lang, inv):
    t = text.replace(' ', '') if lang == 'zh' else ' ' + text + ' '
    out = set()
    for p in inv:
        if p['lang'] != lang:
            continue
        ph = p['text'].replace(' ', '') if lang == 'zh' else ' ' + p['text'] + ' '
        if ph in t:
            out.add(p['intent'])
    return out


def rules(call, inv):
    turns = call['expected']['turns']
    events = call['events']
    for t in turns:
        t['intents'] = intents_of(t['text'], t['language'], inv)
    fired = Counter()
    agent = [t for t in turns if t['role'] == 'agent']
    cust = [t for t in turns if t['role'] == 'customer']
    # anger_escalation
    in_episode = False
    for a, b in zip(cust, cust[1:]):
        if a['emotion'] == 'ANGRY' and b['emotion'] == 'ANGRY' and b['startMs'] - a['startMs'] <= 60000:
            if not in_episode:
                fired['anger_escalation'] += 1
                in_episode = True
        elif b['emotion'] != 'ANGRY':
            in_episode = False
    # forced_transfer
    reqs = [t for t in cust if 'customer_request_human' in t['intents']]
    transfers = [t['startMs'] for t in agent if 'agent_transfer' in t['intents']] + \
                [e['atMs'] for e in events if e['type'] == 'TRANSFERRED']
    for r1, r2 in zip(reqs, reqs[1:]):
        honored = any(r1['endMs'] <= x <= r1['endMs'] + 30000 and x < r2['startMs'] for x in transfers)
        if r2['startMs'] - r1['startMs'] <= 180000 and not honored:
            fired['forced_transfer'] = 1
            break
    fired['banned_phrase'] += sum('agent_banned' in t['intents'] for t in agent)
    fired['complaint_risk'] += sum('customer_complaint_risk' in t['intents'] for t in cust)
    if not any('agent_greeting' in t['intents'] for t in agent[:2]):
        fired['missing_greeting'] += 1
    if not any('agent_closing' in t['intents'] for t in agent[-2:]):
        fired['missing_closing'] += 1
    # dead_air (outside hold)
    end = [e['atMs'] for e in events if e['type'] == 'ENDED'][0]
    holds = []
    hs = None
    for e in events:
        if e['type'] == 'HOLD_START':
            hs = e['atMs']
        if e['type'] == 'HOLD_END':
            holds.append((hs, e['atMs']))
    busy = sorted([(t['startMs'], t['endMs']) for t in turns] + holds)
    cur = 0
    for s, e in busy + [(end, end)]:
        if s - cur > 10000:
            fired['dead_air'] += 1
        cur = max(cur, e)
    # overtalk
    for a in agent:
        for c in cust:
            if c['startMs'] <= a['startMs'] - 1000 and min(c['endMs'], a['endMs']) - a['startMs'] >= 1000:
                fired['overtalk'] += 1
    fired['pii_spoken'] += sum(bool(re.search(r'\d{7,}', t['text'])) for t in turns)
    # hygiene warnings
    warn = []
    for role in ('agent', 'customer'):
        ts = [t for t in turns if t['role'] == role]
        for a, b in zip(ts, ts[1:]):
            if b['startMs'] - a['endMs'] < 500:
                warn.append('%s turns %d-%d closer than 0.5 s' % (role, a['startMs'], b['startMs']))
    return {k: v for k, v in fired.items() if v}, warn


def main():
    inv = synth.phrase_inventory()
    bad = 0
    for f in sorted(glob.glob(os.path.join(sys.argv[1] if len(sys.argv) > 1 else 'calls/demo', '*', 'call.yaml'))):
        call = yaml.safe_load(open(f, encoding='utf-8'))
        fired, warn = rules(call, inv)
        exp = {a['rule']: a.get('count', 1) for a in call['expected']['alerts']}
        ok = fired == exp
        bad += not ok
        print('%-34s %s fired=%s expected=%s %s' % (call['callId'], 'OK ' if ok else 'BAD', fired, exp, warn or ''))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
