#!/usr/bin/python3
"""Evaluates the exported model folder on the held-out corpus and the shipped test clips, and
writes the numbers (JSON) that MODEL_CARD.md is generated from.

  /usr/bin/python3 models/tooling/evaluate.py --model models/sensevoice-demo \
      --data models/work/data --out models/work/eval.json

Held-out corpus: voice variants never used in training (synth.HELDOUT_VARIANTS), other seeds and
phrase combinations; each item is scored twice, as 16 kHz PCM and after an 8 kHz G.711 mu-law
round trip. Decoding = CTC greedy (argmax, collapse repeats, drop blank), language=auto,
textnorm=withitn, exactly what the Java recognizer does.
It also rewrites the clips' Java parity fixtures (models/testclips/fixtures, demo-model-outputs.yaml)
from this model: pass --no-fixtures when judging a candidate that is not shipped.
CER: character edit distance / reference characters; zh over characters without spaces, en over
the lower-case text including the single spaces between words.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import frontend  # noqa: E402
import synth  # noqa: E402
from model import greedy  # noqa: E402
from train import edit_distance  # noqa: E402

EMO = ['NEUTRAL', 'HAPPY', 'SAD', 'ANGRY']


def load_model(model_dir):
    m = torch.jit.load(os.path.join(model_dir, 'model.pt'))
    m.eval()
    tokens = open(os.path.join(model_dir, 'tokens.txt'), encoding='utf-8').read().split('\n')[:-1]
    shift, scale = frontend.load_cmvn(os.path.join(model_dir, 'am.mvn'))
    return m, tokens, shift, scale


def forward(m, feats_list, language=0, textnorm=14, batch=32):
    """feats_list: CMVN'd [T,560] tensors -> yields (logits [B,T+4,V], output lengths [B]) per
    padded batch of `batch` items, in order."""
    with torch.no_grad():
        for k in range(0, len(feats_list), batch):
            fs = feats_list[k:k + batch]
            T = max(1, max(f.shape[0] for f in fs))
            sp = torch.zeros(len(fs), T, 560)
            ln = torch.zeros(len(fs), dtype=torch.int32)
            for b, f in enumerate(fs):
                sp[b, :f.shape[0]] = f
                ln[b] = f.shape[0]
            yield m(sp, ln, torch.full((len(fs),), language, dtype=torch.int32),
                    torch.full((len(fs),), textnorm, dtype=torch.int32))


def recognize(m, tokens, feats_list, language=0, textnorm=14, batch=32):
    """feats_list: CMVN'd [T,560] tensors -> list of (tags, text)."""
    out = []
    for lg, ol in forward(m, feats_list, language, textnorm, batch):
        for b in range(lg.shape[0]):
            out.append(greedy(lg[b], int(ol[b]), tokens))
    return out


def tag(tags, i):
    return tags[i][2:-2] if len(tags) > i else ''


def score(items, results):
    r = {'n': len(items)}
    for lang in ('en', 'zh'):
        e = c = 0
        exact = n = 0
        for it, (tags, text) in zip(items, results):
            if it['language'] != lang:
                continue
            ref, hyp = it['text'], text
            if lang == 'zh':
                ref, hyp = ref.replace(' ', ''), hyp.replace(' ', '')
            e += edit_distance(ref, hyp)
            c += len(ref)
            exact += int(ref == hyp)
            n += 1
        r['cer_' + lang] = e / max(1, c)
        r['sentence_acc_' + lang] = exact / max(1, n)
        r['n_' + lang] = n
    sp = [(it, res) for it, res in zip(items, results) if it['language'] != 'nospeech']
    r['lid_acc'] = float(np.mean([tag(t, 0) == it['language'] for it, (t, _) in zip(items, results)]))
    r['lid_acc_speech'] = float(np.mean([tag(t, 0) == it['language'] for it, (t, _) in sp]))
    r['emotion_acc'] = float(np.mean([tag(t, 1) == it['emotion'] for it, (t, _) in sp]))
    conf = {a: {b: 0 for b in EMO + ['other']} for a in EMO}
    for it, (t, _) in sp:
        p = tag(t, 1)
        conf[it['emotion']][p if p in EMO else 'other'] += 1
    r['emotion_confusion'] = conf
    r['event_acc'] = float(np.mean([tag(t, 2) == it['event'] for it, (t, _) in zip(items, results)]))
    ev = {}
    for it, (t, _) in zip(items, results):
        k = it['event'] if it['language'] != 'nospeech' else 'nospeech/' + it['event']
        ev.setdefault(k, [0, 0])
        ev[k][0] += int(tag(t, 2) == it['event'])
        ev[k][1] += 1
    r['event_acc_by_kind'] = {k: v[0] / v[1] for k, v in ev.items()}
    r['event_n_by_kind'] = {k: v[1] for k, v in ev.items()}
    r['itn_tag_acc'] = float(np.mean([tag(t, 3) == 'withitn' for t, _ in results]))
    r['nospeech_empty_text'] = float(np.mean([txt == '' for it, (t, txt) in zip(items, results)
                                              if it['language'] == 'nospeech'] or [1.0]))
    return r


def eval_clips(m, tokens, shift, scale, clip_dir):
    import yaml
    man = yaml.safe_load(open(os.path.join(clip_dir, 'manifest.yaml'), encoding='utf-8'))
    clips = man['clips']
    feats = [frontend.features(synth.read_wav(os.path.join(clip_dir, c['file'])), shift, scale)
             for c in clips]
    res = recognize(m, tokens, feats)
    rows = []
    for c, (tags, text) in zip(clips, res):
        rows.append({'file': c['file'], 'truth': [c['language'], c['emotion'], c['event'], c['text']],
                     'output': [tag(tags, 0), tag(tags, 1), tag(tags, 2), text]})
    return rows


def write_fixtures(m, tokens, shift, scale, clip_dir, rows):
    """Front-end / model parity fixtures for the Java side (float32 .npy, frames x dims) for the
    first 16 kHz clip, plus the demo model's decoded output for every clip."""
    fx = os.path.join(clip_dir, 'fixtures')
    os.makedirs(fx, exist_ok=True)
    name = rows[0]['file']
    wave = synth.read_wav(os.path.join(clip_dir, name))
    fb = frontend.fbank(wave)
    lf = frontend.lfr(fb)
    cm = frontend.apply_cmvn(lf, shift, scale)
    base = os.path.join(fx, name[:-4])
    np.save(base + '.fbank.npy', fb.numpy().astype(np.float32))
    np.save(base + '.lfr.npy', lf.numpy().astype(np.float32))
    np.save(base + '.cmvn.npy', cm.numpy().astype(np.float32))
    with torch.no_grad():
        lg, ol = m(cm[None], torch.tensor([cm.shape[0]], dtype=torch.int32),
                   torch.tensor([0], dtype=torch.int32), torch.tensor([14], dtype=torch.int32))
    np.save(base + '.logits.npy', lg[0].numpy().astype(np.float32))
    with open(os.path.join(clip_dir, 'demo-model-outputs.yaml'), 'w', encoding='utf-8') as f:
        f.write('# What the shipped demo model (models/sensevoice-demo) outputs for each clip, through the\n'
                '# Python reference front end, language=auto, textnorm=withitn, greedy CTC (evaluate.py).\n'
                '# fixtures/%s.{fbank,lfr,cmvn,logits}.npy: float32 parity fixtures for that clip\n'
                '# (fbank [T,80], lfr [T_lfr,560], cmvn [T_lfr,560], logits [T_lfr+4,V]).\nclips:\n' % name[:-4])
        for r in rows:
            o = r['output']
            f.write('  - {file: %s, language: %s, emotion: %s, event: %s, text: %s}\n'
                    % (r['file'], o[0], o[1], o[2], json.dumps(o[3], ensure_ascii=False)))


def call_turns(calls_dir, shift, scale):
    """Yields (call, its true turns, their CMVN'd features) for every call folder of calls_dir, in
    name order; each turn is cut from its channel with 0.3 s margins."""
    import glob
    import yaml
    for f in sorted(glob.glob(os.path.join(calls_dir, '*', 'call.yaml'))):
        call = yaml.safe_load(open(f, encoding='utf-8'))
        d = os.path.dirname(f)
        chans = {r: synth.read_wav(os.path.join(d, r + '.wav')) for r in ('agent', 'customer')}
        turns = call['expected']['turns']
        feats = []
        for t in turns:
            x = chans[t['role']]
            s0 = max(0, int((t['startMs'] - 300) * 16))
            s1 = min(len(x), int((t['endMs'] + 300) * 16))
            feats.append(frontend.features(x[s0:s1], shift, scale))
        yield call, turns, feats


def eval_calls(m, tokens, shift, scale, calls_dir):
    """Recognizes every true turn of the demo calls (cut from its channel with 0.3 s margins)."""
    out = []
    for call, turns, feats in call_turns(calls_dir, shift, scale):
        res = recognize(m, tokens, feats)
        n = len(turns)
        text_ok = sum(t['text'].replace(' ', '') == r[1].replace(' ', '') for t, r in zip(turns, res))
        emo_ok = sum(tag(r[0], 1) == t['emotion'] for t, r in zip(turns, res))
        lang_ok = sum(tag(r[0], 0) == t['language'] for t, r in zip(turns, res))
        errs = [(t['role'], t['text'], t['emotion'], r[1], tag(r[0], 1)) for t, r in zip(turns, res)
                if t['text'].replace(' ', '') != r[1].replace(' ', '') or tag(r[0], 1) != t['emotion']]
        out.append({'callId': call['callId'], 'turns': n, 'text_exact': text_ok, 'emotion_ok': emo_ok,
                    'language_ok': lang_ok, 'errors': errs})
        print('%-34s turns %2d text %2d emo %2d lang %2d' % (call['callId'], n, text_ok, emo_ok, lang_ok), flush=True)
    return out


RATE_FACTORS = (0.8, 1.25)


def eval_talker_rates(m, tokens, shift, scale, n, seed=20261201):
    """Held-out utterances (speech only, 8 kHz mu-law) whose talker speaks at a rate x0.8 or x1.25
    of the emotion style's, for every emotion alike: is the emotion still heard when the rate is
    the talker's own rather than the emotion's?"""
    out = {}
    inv = synth.phrase_inventory()
    for factor in RATE_FACTORS:
        rng = np.random.default_rng([seed, int(factor * 100)])
        items, feats = [], []
        for _ in range(n):
            x, meta = synth.make_utterance(rng, inv, event='Speech', heldout=True,
                                           talker_rate=lambda r, f=factor: f)
            items.append(meta)
            feats.append(frontend.features(synth.ulaw_roundtrip(x), shift, scale))
        out['x%g' % factor] = score(items, recognize(m, tokens, feats))
        print('talker rate x%g' % factor, json.dumps({k: v for k, v in out['x%g' % factor].items()
                                                     if not isinstance(v, dict)}), flush=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default='models/sensevoice-demo')
    ap.add_argument('--data', default='models/work/data')
    ap.add_argument('--clips', default='models/testclips')
    ap.add_argument('--out', default='models/work/eval.json')
    ap.add_argument('--calls', default='calls/demo')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--n-rate', type=int, default=300, help='utterances per talker-rate factor')
    ap.add_argument('--no-fixtures', action='store_true',
                    help='a candidate model: leave the clips\' Java parity fixtures as they are')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    m, tokens, shift, scale = load_model(a.model)
    ev = torch.load(os.path.join(a.data, 'eval.pt'))
    out = {}
    t = time.time()
    for ch in ('pcm16', 'ulaw8'):
        items = [e for e in ev if e['channel'] == ch]
        feats = [frontend.apply_cmvn(torch.from_numpy(e['feats'].astype(np.float32)), shift, scale)
                 for e in items]
        res = recognize(m, tokens, feats)
        out[ch] = score(items, res)
        print(ch, json.dumps({k: v for k, v in out[ch].items() if not isinstance(v, dict)}), flush=True)
        errs = [(it['text'], r[1], it['emotion'], r[0]) for it, r in zip(items, res)
                if it['text'] != r[1] or '<|%s|>' % it['emotion'] not in r[0]][:15]
        out[ch]['examples_of_errors'] = errs
    audio_s = sum(e['feats'].shape[0] for e in ev) * 0.06
    out['eval_seconds_audio'] = audio_s
    out['eval_wall_seconds'] = time.time() - t
    if os.path.exists(os.path.join(a.clips, 'manifest.yaml')):
        rows = eval_clips(m, tokens, shift, scale, a.clips)
        out['testclips'] = rows
        ok = sum(r['truth'] == r['output'] for r in rows)
        print('test clips fully correct: %d/%d' % (ok, len(rows)))
        if not a.no_fixtures:
            write_fixtures(m, tokens, shift, scale, a.clips, rows)
    if a.n_rate > 0:
        out['talker_rate'] = eval_talker_rates(m, tokens, shift, scale, a.n_rate)
    if a.calls and os.path.isdir(a.calls):
        out['calls'] = eval_calls(m, tokens, shift, scale, a.calls)
    with open(a.out, 'w') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)


if __name__ == '__main__':
    main()
