#!/usr/bin/python3
"""Network and token table of the callqa demo model (SenseVoiceSmall I/O contract).

forward(speech f32 [B,T,560], speech_lengths i32 [B], language i32 [B], textnorm i32 [B])
  -> (ctc_logits f32 [B,T+4,V], encoder_out_lens i32 [B] = speech_lengths + 4)

Like SenseVoice, 4 query vectors embed(language), embed(1), embed(2), embed(textnorm) from one
16-entry table are prepended to the projected speech frames; output positions 0..3 carry the
language / emotion / event / ITN tags, positions 4.. the CTC text tokens.
Encoder: depthwise-separable conv blocks over the frames (masked squeeze-excitation for
relative position) -> masked multi-head self-attention over queries + frames -> FFN]. No absolute
positions, so lengths beyond the training lengths behave; padded frames are masked in attention
and zeroed before every convolution, so an item's outputs do not depend on its batch.
"""
import math
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

TAGS = ['<|zh|>', '<|en|>', '<|yue|>', '<|ja|>', '<|ko|>', '<|nospeech|>',
        '<|HAPPY|>', '<|SAD|>', '<|ANGRY|>', '<|NEUTRAL|>', '<|FEARFUL|>', '<|DISGUSTED|>',
        '<|SURPRISED|>', '<|EMO_UNKNOWN|>',
        '<|Speech|>', '<|BGM|>', '<|Applause|>', '<|Laughter|>', '<|Cry|>', '<|Sneeze|>',
        '<|Breath|>', '<|Cough|>', '<|Event_UNK|>',
        '<|withitn|>', '<|woitn|>']
SP = '\u2581'
LANG_IDS = {'auto': 0, 'zh': 3, 'en': 4, 'yue': 7, 'ja': 11, 'ko': 12, 'nospeech': 13}
TEXTNORM_IDS = {'withitn': 14, 'woitn': 15}


def build_tokens(inventory):
    """Token table: <blank>, tags, '▁', digits, English words (▁word), Chinese characters."""
    words, chars = set(), set()
    for p in inventory:
        if p['lang'] == 'en':
            words.update(w for w in p['text'].split() if not w.isdigit())
        else:
            chars.update(c for c in p['text'] if not c.isdigit() and c != ' ')
    return (['<blank>'] + TAGS + [SP] + [str(d) for d in range(10)]
            + sorted(SP + w for w in words) + sorted(chars))


def encode_text(text, lang, tok2id):
    ids = []
    if lang == 'en':
        for w in text.split():
            if w.isdigit():
                ids.append(tok2id[SP])
                ids.extend(tok2id[c] for c in w)
            else:
                ids.append(tok2id[SP + w])
    else:
        ids.extend(tok2id[c] for c in text if c != ' ')
    return ids


def decode_ids(ids, tokens):
    """SentencePiece-style detokenization (what the Java decoder does)."""
    s = ''.join(tokens[i] for i in ids).replace(SP, ' ')
    return ' '.join(s.split())


def greedy(logits, length, tokens):
    """CTC greedy decode of one item: returns (lang, emotion, event, itn, text) tag names."""
    best = logits[:length].argmax(-1).tolist()
    out, prev = [], -1
    for b in best:
        if b != prev and b != 0:
            out.append(b)
        prev = b
    tags = [tokens[i] for i in out if tokens[i].startswith('<|')]
    text_ids = [i for i in out if not tokens[i].startswith('<|')]
    return tags, decode_ids(text_ids, tokens)


class ChanLN(nn.Module):
    """LayerNorm over the channel dim of a [B, C, T] tensor (per frame, so padding-safe)."""

    def __init__(self, c: int):
        super().__init__()
        self.w = nn.Parameter(torch.ones(1, c, 1))
        self.b = nn.Parameter(torch.zeros(1, c, 1))

    def forward(self, x):
        m = x.mean(1, keepdim=True)
        v = (x - m).pow(2).mean(1, keepdim=True)
        return (x - m) * torch.rsqrt(v + 1e-5) * self.w + self.b


class Block(nn.Module):
    """Depthwise-separable conv block on the frames [B, C, T] (pointwise layers as 1x1 convs:
    they run on oneDNN, much faster than the generic BLAS of Debian's torch), a masked
    squeeze-excitation for utterance context, then the 4 query vectors attend to the frames."""

    def __init__(self, d: int, heads: int, ff: int, kernel: int, drop: float):
        super().__init__()
        self.heads = heads
        self.dh = d // heads
        self.ln = ChanLN(d)
        self.dw = nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d)
        self.pw1 = nn.Conv1d(d, ff, 1)
        self.pw2 = nn.Conv1d(ff, d, 1)
        self.se1 = nn.Linear(d, d // 4)
        self.se2 = nn.Linear(d // 4, d)
        self.q_ln = nn.LayerNorm(d)
        self.q = nn.Linear(d, d)
        self.kv = nn.Conv1d(d, 2 * d, 1)
        self.q_proj = nn.Linear(d, d)
        self.q_ln2 = nn.LayerNorm(d)
        self.q_ff1 = nn.Linear(d, ff)
        self.q_ff2 = nn.Linear(ff, d)
        self.drop = nn.Dropout(drop)

    def forward(self, x, q, valid):
        # x [B, d, T] frames; q [B, 4, d] queries; valid [B, 1, T] float (1 = real frame)
        B, d, T = x.size(0), x.size(1), x.size(2)
        y = self.ln(x) * valid
        y = self.pw2(self.drop(F.gelu(self.pw1(self.dw(y)))))
        g = (y * valid).sum(2) / valid.sum(2).clamp(min=1.0)
        g = torch.sigmoid(self.se2(F.relu(self.se1(g)))).unsqueeze(2)
        x = x + self.drop(y * g)
        # queries attend to the frames
        kv = self.kv(self.ln(x) * valid).view(B, 2, self.heads, self.dh, T)
        k, v = kv[:, 0], kv[:, 1]                       # [B, H, dh, T]
        qq = self.q(self.q_ln(q)).view(B, 4, self.heads, self.dh).transpose(1, 2)  # [B,H,4,dh]
        s = torch.matmul(qq, k) * (1.0 / math.sqrt(self.dh))                     # [B,H,4,T]
        s = s.masked_fill(valid.unsqueeze(1) < 0.5, float('-inf'))
        a = self.drop(torch.softmax(s, -1))
        o = torch.matmul(a, v.transpose(2, 3)).transpose(1, 2).reshape(B, 4, d)
        q = q + self.drop(self.q_proj(o))
        q = q + self.drop(self.q_ff2(self.drop(F.gelu(self.q_ff1(self.q_ln2(q))))))
        return x, q


class DemoSenseVoice(nn.Module):
    def __init__(self, vocab: int, d: int = 192, layers: int = 6, heads: int = 4, ff: int = 384,
                 kernel: int = 15, drop: float = 0.1, feat_dim: int = 560):
        super().__init__()
        self.embed = nn.Embedding(16, d)
        self.inp = nn.Conv1d(feat_dim, d, 1)
        self.inp_ln = ChanLN(d)
        self.blocks = nn.ModuleList([Block(d, heads, ff, kernel, drop) for _ in range(layers)])
        self.out_ln = ChanLN(d)
        self.out = nn.Conv1d(d, vocab, 1)
        self.q_out_ln = nn.LayerNorm(d)
        self.q_out = nn.Linear(d, vocab)
        self.drop = nn.Dropout(drop)

    def forward(self, speech: torch.Tensor, speech_lengths: torch.Tensor, language: torch.Tensor,
                textnorm: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        B, T = speech.size(0), speech.size(1)
        lens = speech_lengths.to(torch.long)
        lang = language.to(torch.long).view(B, 1)
        tn = textnorm.to(torch.long).view(B, 1)
        qid = torch.cat([lang, torch.ones_like(lang), torch.full_like(lang, 2), tn], 1)
        q = self.embed(qid)                                           # [B, 4, d]
        pos = torch.arange(T, device=speech.device).unsqueeze(0)
        valid = (pos < lens.unsqueeze(1)).to(torch.float32).unsqueeze(1)   # [B, 1, T]
        x = speech.to(torch.float32).transpose(1, 2) * valid
        x = self.drop(self.inp_ln(self.inp(x)))
        for blk in self.blocks:
            x, q = blk(x, q, valid)
        frames = self.out(self.out_ln(x) * valid).transpose(1, 2)     # [B, T, V]
        tags = self.q_out(self.q_out_ln(q))                           # [B, 4, V]
        return torch.cat([tags, frames], 1), (lens + 4).to(torch.int32)
