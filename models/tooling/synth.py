#!/usr/bin/python3
"""Synthetic call-center speech for the callqa demo model (espeak-ng + sox + numpy).

Library used by dataset.py (training / held-out corpora), make_calls.py (demo calls) and the
test-clip builder; also a small CLI:

  /usr/bin/python3 models/tooling/synth.py --lang en --emotion ANGRY --voice en-gb+m3 \
      --text "i am very angry" --out /tmp/x.wav [--ulaw] [--bgm] [--noise]

Everything is driven by an explicit numpy Generator, so a given seed gives the same audio.
Audio inside this module is float32 mono in [-1, 1] at 16 kHz unless stated otherwise.
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np
import yaml

SR = 16000
HERE = os.path.dirname(os.path.abspath(__file__))
PHRASES_FILE = os.path.join(HERE, '..', 'corpus', 'phrases.yaml')

EMOTIONS = ['NEUTRAL', 'HAPPY', 'SAD', 'ANGRY']

# ---------------------------------------------------------------------------------------------
# Voices. Training uses the TRAIN variants; the held-out evaluation set (and the shipped test
# clips) use the HELDOUT variants only, so the reported numbers are on unseen voices.
EN_BASES = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd',
            'en-029', 'en-us-nyc']
ZH_BASES = ['cmn-latn-pinyin']
TRAIN_VARIANTS = ['', 'm1', 'm2', 'm3', 'm5', 'm6', 'm8', 'f1', 'f2', 'f4', 'f5',
                  'Alex', 'Andy', 'Annie', 'adam', 'anika', 'aunty', 'belinda', 'benjamin',
                  'boris', 'caleb', 'david', 'ed', 'edward', 'iven', 'john', 'linda', 'max',
                  'michel', 'paul', 'pedro', 'quincy', 'rob', 'robert', 'steph', 'travis',
                  'victor', 'zac', 'Lee', 'Michael', 'Mike', 'Gene', 'Jacky', 'Marco', 'Mario',
                  'Hugo', 'Denis', 'Diogo', 'Henrique', 'Andrea', 'Alicia', 'norbert',
                  'sandro', 'shelby', 'gustave', 'grandma', 'grandpa', 'klatt', 'klatt2',
                  'iven3', 'Storm']
HELDOUT_VARIANTS = ['m4', 'm7', 'f3', 'antonio', 'pablo', 'miguel', 'marcelo', 'steph2',
                    'iven2', 'edward2', 'Nguyen', 'kaukovalta', 'klatt4', 'Gene2', 'steph3']


def voice_name(base, variant):
    return base + ('+' + variant if variant else '')


def random_voice(rng, lang, heldout=False):
    variants = HELDOUT_VARIANTS if heldout else TRAIN_VARIANTS
    bases = EN_BASES if lang == 'en' else ZH_BASES
    return voice_name(bases[rng.integers(len(bases))], variants[rng.integers(len(variants))])


# ---------------------------------------------------------------------------------------------
# Phrases and labels
_ZH_NUM = {'零': '0', '〇': '0', '一': '1', '二': '2', '三': '3', '四': '4', '五': '5', '六': '6',
           '七': '7', '八': '8', '九': '9'}


def label_text(text, lang):
    """Transcript as the model must output it (SenseVoice ITN style): digits as ASCII digits
    without spaces; runs of >= 3 Chinese numerals (read digit by digit) become digits, so
    "我要投诉到一二三一五" -> "我要投诉到12315"."""
    if lang == 'zh':
        t = text.replace(' ', '')
        t = re.sub('[零〇一二三四五六七八九]{3,}', lambda m: ''.join(_ZH_NUM[c] for c in m.group(0)), t)
        return t
    words = text.lower().split()
    out = []
    for w in words:
        if w.isdigit() and out and out[-1].isdigit():
            out[-1] += w
        else:
            out.append(w)
    return ' '.join(out)


def load_phrases(path=PHRASES_FILE):
    with open(path, encoding='utf-8') as f:
        return yaml.safe_load(f)


def phrase_inventory(doc=None):
    """Flat list of {intent, role, lang, idx, speak, text} for every phrase in phrases.yaml."""
    doc = doc or load_phrases()
    out = []
    for intent, d in doc['intents'].items():
        for lang in ('en', 'zh'):
            for i, t in enumerate(d.get(lang, [])):
                speak = d['zh_pinyin'][i] if lang == 'zh' else t
                out.append({'intent': intent, 'role': d['role'], 'lang': lang, 'idx': i,
                            'speak': speak, 'text': label_text(t, lang)})
    return out


def find_phrase(inv, intent, lang, idx=None, rng=None):
    cands = [p for p in inv if p['intent'] == intent and p['lang'] == lang]
    if not cands:
        raise KeyError('no phrase for %s/%s' % (intent, lang))
    if idx is not None:
        return cands[idx % len(cands)]
    return cands[rng.integers(len(cands))] if rng is not None else cands[0]


# ---------------------------------------------------------------------------------------------
# Emotion styles (phrases.yaml `styles`): several cues at once so the classes stay separable
# under voice / level / channel variation: rate, loudness, pitch base, pitch range.
def style_params(emotion, rng):
    u = rng.uniform
    if emotion == 'ANGRY':      # faster, louder, higher, wider pitch range
        return dict(speed=int(u(215, 265)), pitch=int(u(60, 82)), amp=int(u(150, 185)),
                    range='x-high', gain_db=u(1.0, 4.0))
    if emotion == 'SAD':        # slower, quieter, lower
        return dict(speed=int(u(105, 138)), pitch=int(u(12, 32)), amp=int(u(45, 65)),
                    range='x-low', gain_db=u(-5.0, -2.0))
    if emotion == 'HAPPY':      # higher, slightly faster
        return dict(speed=int(u(180, 208)), pitch=int(u(66, 88)), amp=int(u(100, 120)),
                    range='high', gain_db=u(-1.0, 1.0))
    return dict(speed=int(u(145, 182)), pitch=int(u(38, 60)), amp=int(u(85, 110)),
                range='medium', gain_db=u(-1.5, 1.5))


def espeak(speak, voice, speed, pitch, amp, prange='medium'):
    """Runs espeak-ng and returns float32 audio at 16 kHz."""
    ssml = '<speak><prosody range="%s">%s</prosody></speak>' % (prange, speak)
    p1 = subprocess.run(['espeak-ng', '-m', '-v', voice, '-s', str(speed), '-p', str(pitch),
                         '-a', str(amp), '--stdout', ssml], stdout=subprocess.PIPE, check=True)
    p2 = subprocess.run(['sox', '-V1', '-D', '-t', 'wav', '-', '-t', 'raw', '-r', str(SR), '-e', 'signed',
                         '-b', '16', '-c', '1', '-'], input=p1.stdout, stdout=subprocess.PIPE,
                        check=True)
    return np.frombuffer(p2.stdout, dtype='<i2').astype(np.float32) / 32768.0


def trim_silence(x, thr=1e-3):
    idx = np.nonzero(np.abs(x) > thr)[0]
    if len(idx) == 0:
        return x[:0]
    return x[idx[0]:idx[-1] + 1]


def speak_phrases(phrases, voice, emotion, rng, params=None):
    """Synthesizes one utterance of 1..n phrases (same language, same voice and style), joined
    by short pauses. Returns (audio, params)."""
    params = params or style_params(emotion, rng)
    parts = []
    for i, p in enumerate(phrases):
        # tiny per-phrase jitter around the utterance style
        a = espeak(p['speak'], voice, max(80, params['speed'] + int(rng.integers(-6, 7))),
                   int(np.clip(params['pitch'] + rng.integers(-3, 4), 0, 99)), params['amp'],
                   params['range'])
        a = trim_silence(a)
        if i > 0:
            parts.append(np.zeros(int(SR * rng.uniform(0.08, 0.35)), np.float32))
        parts.append(a)
    x = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    x = x * np.float32(10 ** (params['gain_db'] / 20))
    return np.clip(x, -1, 1).astype(np.float32), params


# ---------------------------------------------------------------------------------------------
# Hold music and line noise
_SCALES = [[0, 2, 4, 5, 7, 9, 11], [0, 2, 4, 7, 9], [0, 2, 3, 5, 7, 8, 10]]


def hold_music(n, rng, level_db=None):
    """Music-like tones: a random melody (+ optional bass / chord tones) with harmonics and
    note envelopes; n samples at 16 kHz, RMS around level_db dBFS."""
    level_db = rng.uniform(-30, -16) if level_db is None else level_db
    out = np.zeros(n, np.float32)
    scale = _SCALES[rng.integers(len(_SCALES))]
    root = rng.uniform(196, 330)
    beat = 60.0 / rng.uniform(70, 150)
    nharm = int(rng.integers(1, 5))
    voices = int(rng.integers(1, 4))
    t = 0
    while t < n:
        dur = int(SR * beat * rng.choice([0.5, 1, 1, 2]))
        deg = int(rng.integers(len(scale) * 2))
        notes = [root * 2 ** ((scale[deg % len(scale)] + 12 * (deg // len(scale))) / 12.0)]
        if voices > 1:
            notes.append(notes[0] / 2)
        if voices > 2:
            notes.append(notes[0] * 2 ** (7 / 12.0))
        m = min(dur, n - t)
        tt = np.arange(m) / SR
        env = np.minimum(1, tt / 0.02) * np.exp(-tt * rng.uniform(0.5, 4))
        seg = np.zeros(m, np.float32)
        for f in notes:
            for h in range(1, nharm + 1):
                if f * h < 7000:
                    seg += (0.6 ** (h - 1)) * np.sin(2 * np.pi * f * h * tt + rng.uniform(0, 6.28))
        out[t:t + m] += (seg * env).astype(np.float32)
        t += dur
    rms = np.sqrt(np.mean(out ** 2)) + 1e-9
    return (out * (10 ** (level_db / 20) / rms)).astype(np.float32)


def line_noise(n, rng, level_db=None):
    """Telephone line noise: white / pink / brown noise, sometimes with mains hum."""
    level_db = rng.uniform(-58, -38) if level_db is None else level_db
    kind = rng.integers(3)
    w = rng.standard_normal(n + 1).astype(np.float32)
    if kind == 1:     # pink-ish: one-pole lowpass mix
        b = np.fft.rfft(w)
        f = np.arange(len(b)) + 1.0
        w = np.fft.irfft(b / np.sqrt(f), n=len(w)).astype(np.float32)
    elif kind == 2:   # brown-ish
        w = np.cumsum(w).astype(np.float32)
        w -= np.convolve(w, np.ones(401) / 401, mode='same').astype(np.float32)
    w = w[:n]
    w /= (np.sqrt(np.mean(w ** 2)) + 1e-9)
    if rng.random() < 0.3:
        tt = np.arange(n) / SR
        hz = 50 if rng.random() < 0.5 else 60
        w += 0.7 * (np.sin(2 * np.pi * hz * tt) + 0.5 * np.sin(2 * np.pi * 3 * hz * tt)).astype(np.float32)
    return (w * 10 ** (level_db / 20)).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Channels
def _sox_raw(x, args_in, args_out):
    p = subprocess.run(['sox', '-V1', '-D'] + args_in + ['-'] + args_out + ['-'], input=x,
                       stdout=subprocess.PIPE, check=True)
    return p.stdout


def to_int16_bytes(x):
    return (np.clip(x, -1, 32767 / 32768) * 32768).astype('<i2').tobytes()


def ulaw_roundtrip(x):
    """16 kHz -> 8 kHz G.711 mu-law -> 16 kHz (through sox, like a telephone channel)."""
    raw = to_int16_bytes(x)
    ul = _sox_raw(raw, ['-t', 'raw', '-r', str(SR), '-e', 'signed', '-b', '16', '-c', '1'],
                  ['-t', 'raw', '-r', '8000', '-e', 'u-law', '-b', '8', '-c', '1'])
    back = _sox_raw(ul, ['-t', 'raw', '-r', '8000', '-e', 'u-law', '-b', '8', '-c', '1'],
                    ['-t', 'raw', '-r', str(SR), '-e', 'signed', '-b', '16', '-c', '1'])
    y = np.frombuffer(back, dtype='<i2').astype(np.float32) / 32768.0
    if len(y) < len(x):
        y = np.pad(y, (0, len(x) - len(y)))
    return y[:len(x)]


def write_wav(path, x, rate=16000, ulaw=False):
    """Writes 16 kHz float audio as 16-bit PCM WAV at `rate`, or as 8 kHz G.711 mu-law WAV."""
    raw = to_int16_bytes(x)
    out_args = ['-r', '8000', '-e', 'u-law', '-b', '8'] if ulaw else ['-r', str(rate), '-e', 'signed', '-b', '16']
    subprocess.run(['sox', '-V1', '-D', '-t', 'raw', '-r', str(SR), '-e', 'signed', '-b', '16', '-c', '1', '-']
                   + out_args + ['-c', '1', path], input=raw, check=True)


def read_wav(path):
    """Any WAV sox can read -> float32 mono 16 kHz."""
    p = subprocess.run(['sox', '-V1', '-D', path, '-t', 'raw', '-r', str(SR), '-e', 'signed', '-b', '16',
                        '-c', '1', '-'], stdout=subprocess.PIPE, check=True)
    return np.frombuffer(p.stdout, dtype='<i2').astype(np.float32) / 32768.0


# ---------------------------------------------------------------------------------------------
def make_utterance(rng, inv, lang=None, emotion=None, event=None, voice=None, heldout=False,
                   n_phrases=None, intents=None, talker_rate=None, tight_share=0.0, noise_db=None):
    """Random utterance for training / evaluation, before the channel. Returns (audio16k, meta)
    where meta has text, language, emotion, event. event in Speech | BGM | NOSPEECH_BGM |
    NOSPEECH_NOISE. talker_rate(rng) -> factor: the talker's own speech rate relative to the
    emotion style's (talkers differ in rate, so a model must hear the emotion in pitch, pitch
    range and loudness too, not in the rate alone). tight_share: the share of speech items whose
    speech starts at the first sample (a slot cut tight at its onset). noise_db: (low, high) dBFS
    range of the line noise (default: line_noise's own)."""
    if event is None:
        r = rng.random()
        event = 'NOSPEECH_BGM' if r < 0.04 else 'NOSPEECH_NOISE' if r < 0.08 else 'BGM' if r < 0.26 else 'Speech'
    lead = int(SR * rng.uniform(0.05, 0.8))
    trail = int(SR * rng.uniform(0.05, 0.8))
    if event.startswith('NOSPEECH'):
        n = int(SR * rng.uniform(0.6, 6.0))
        if event == 'NOSPEECH_BGM':
            x = hold_music(n, rng) + line_noise(n, rng)
            ev = 'BGM'
        else:
            lvl = rng.uniform(-75, -35)
            x = line_noise(n, rng, lvl)
            ev = 'Event_UNK'
        meta = {'text': '', 'language': 'nospeech', 'emotion': 'EMO_UNKNOWN', 'event': ev}
        return x.astype(np.float32), meta
    lang = lang or ('en' if rng.random() < 0.5 else 'zh')
    emotion = emotion or EMOTIONS[rng.integers(4)]
    voice = voice or random_voice(rng, lang, heldout)
    cands = [p for p in inv if p['lang'] == lang and (intents is None or p['intent'] in intents)]
    k = n_phrases or (1 if rng.random() < 0.6 else 2)
    phrases = [cands[rng.integers(len(cands))] for _ in range(k)]
    params = style_params(emotion, rng)
    if talker_rate is not None:
        params['speed'] = int(round(params['speed'] * talker_rate(rng)))
    speech, params = speak_phrases(phrases, voice, emotion, rng, params)
    if tight_share and rng.random() < tight_share:
        lead = 0
    x = np.concatenate([np.zeros(lead, np.float32), speech, np.zeros(trail, np.float32)])
    if event == 'BGM':
        snr = rng.uniform(3, 15)
        sp_rms = np.sqrt(np.mean(speech ** 2)) + 1e-9
        x = x + hold_music(len(x), rng, 20 * np.log10(sp_rms) - snr)
    if rng.random() < 0.7:
        x = x + line_noise(len(x), rng, None if noise_db is None else rng.uniform(*noise_db))
    sep = ' ' if lang == 'en' else ''
    text = sep.join(p['text'] for p in phrases)
    meta = {'text': text, 'language': lang, 'emotion': emotion, 'event': event, 'voice': voice,
            'speed': params['speed'], 'pitch': params['pitch'], 'amp': params['amp']}
    return np.clip(x, -1, 1).astype(np.float32), meta


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--lang', default='en', choices=['en', 'zh'])
    ap.add_argument('--emotion', default='NEUTRAL', choices=EMOTIONS)
    ap.add_argument('--voice', default=None)
    ap.add_argument('--text', help='en text, or tone-numbered pinyin for zh')
    ap.add_argument('--intent', help='take a phrase of this intent from phrases.yaml instead')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--bgm', action='store_true')
    ap.add_argument('--noise', action='store_true')
    ap.add_argument('--ulaw', action='store_true', help='write 8 kHz G.711 mu-law WAV')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    if a.intent:
        p = find_phrase(phrase_inventory(), a.intent, a.lang, rng=rng)
    else:
        p = {'speak': a.text, 'text': label_text(a.text, a.lang)}
    voice = a.voice or random_voice(rng, a.lang)
    x, _ = speak_phrases([p], voice, a.emotion, rng)
    x = np.concatenate([np.zeros(4000, np.float32), x, np.zeros(4000, np.float32)])
    if a.bgm:
        x = x + hold_music(len(x), rng, 20 * np.log10(np.sqrt(np.mean(x ** 2)) + 1e-9) - 8)
    if a.noise:
        x = x + line_noise(len(x), rng)
    write_wav(a.out, np.clip(x, -1, 1), ulaw=a.ulaw)
    print('%s\t%s\t%s' % (a.out, voice, p.get('text')))


if __name__ == '__main__':
    main()
