#!/usr/bin/python3
"""Trains the demo model on the synthetic corpus (CPU, seeded).

  /usr/bin/python3 models/tooling/train.py --data models/work/data --out models/work/train \
      [--minutes 55] [--threads 2] [--procs 1]

--procs N splits every batch over N single-threaded processes (torch.distributed, gloo) that
average their gradients: the same batches and learning rate as one process, but both cores busy —
one process with 2 libtorch threads keeps only ~1.1 cores busy on this small network.

Writes <out>/am.mvn, tokens.txt, ckpt.pt (state dict + config) and train.log lines to stdout.
Loss: CTC over the speech positions (4..) with the text tokens, plus cross-entropy on the four
query positions (language, emotion, event, ITN tag tokens). The learning-rate schedule is
time-based (cosine over --minutes), so a run stops after its budget.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import frontend  # noqa: E402
import synth  # noqa: E402
from model import (DemoSenseVoice, LANG_IDS, TEXTNORM_IDS, build_tokens, encode_text,  # noqa: E402
                   greedy)

CFG = dict(d=192, layers=6, heads=4, ff=384, kernel=15, drop=0.1)


def tag_targets(item, tok2id, itn):
    return [tok2id['<|%s|>' % item['language']], tok2id['<|%s|>' % item['emotion']],
            tok2id['<|%s|>' % item['event']], tok2id['<|%s|>' % itn]]


def make_batches(lengths, max_frames, max_items, rng):
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches, cur, cur_max = [], [], 0
    for i in order:
        m = max(cur_max, lengths[i])
        if cur and (m * (len(cur) + 1) > max_frames or len(cur) >= max_items):
            batches.append(cur)
            cur, m = [], lengths[i]
        cur.append(i)
        cur_max = m
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def spec_augment(x, rng):
    """Light masking on LFR features (after CMVN, 0 = mean): the feature function itself stays
    exactly the contract; this only perturbs training inputs."""
    T = x.shape[0]
    if rng.random() < 0.5:
        v = x.view(T, 7, 80)
        for _ in range(2):
            w = rng.randint(0, 8)
            f0 = rng.randint(0, 80 - w)
            v[:, :, f0:f0 + w] = 0
        if T > 20:
            for _ in range(2):
                w = rng.randint(0, 3)
                t0 = rng.randint(0, T - w)
                x[t0:t0 + w] = 0
    return x


def collate(items, feats, tok2id, rng, train):
    B = len(items)
    T = max(feats[i].shape[0] for i in items)
    speech = torch.zeros(B, T, 560)
    lens = torch.zeros(B, dtype=torch.int32)
    lang = torch.zeros(B, dtype=torch.int32)
    tn = torch.zeros(B, dtype=torch.int32)
    tags, targets, tlens = [], [], []
    for b, i in enumerate(items):
        it = feats[i]
        x = it.float()
        if train:
            x = spec_augment(x.clone(), rng)
        speech[b, :x.shape[0]] = x
        lens[b] = x.shape[0]
        meta = META[i]
        itn = 'withitn' if (not train or rng.random() < 0.8) else 'woitn'
        tn[b] = TEXTNORM_IDS[itn]
        if train and meta['language'] != 'nospeech' and rng.random() < 0.25:
            lang[b] = LANG_IDS[meta['language']]
        tags.append(tag_targets(meta, tok2id, itn))
        ids = encode_text(meta['text'], meta['language'], tok2id)
        targets.extend(ids)
        tlens.append(len(ids))
    return (speech, lens, lang, tn, torch.tensor(tags), torch.tensor(targets, dtype=torch.long),
            torch.tensor(tlens, dtype=torch.long))


def compute_loss(model, batch):
    speech, lens, lang, tn, tags, targets, tlens = batch
    logits, olens = model(speech, lens, lang, tn)
    ce = F.cross_entropy(logits[:, :4].reshape(-1, logits.size(-1)), tags.reshape(-1))
    lp = F.log_softmax(logits[:, 4:], -1).transpose(0, 1)
    ctc = F.ctc_loss(lp, targets, lens.long(), tlens, blank=0, reduction='mean', zero_infinity=True)
    return ctc, ce


META = []


def evaluate_quick(model, idx, feats, tok2id, tokens, rng):
    model.eval()
    errs = chars = 0
    ok = [0, 0, 0]
    with torch.no_grad():
        for k in range(0, len(idx), 32):
            items = idx[k:k + 32]
            speech, lens, lang, tn, *_ = collate(items, feats, tok2id, rng, False)
            logits, olens = model(speech, lens, lang, tn)
            for b, i in enumerate(items):
                tg, text = greedy(logits[b], int(olens[b]), tokens)
                m = META[i]
                ref = m['text'].replace(' ', '') if m['language'] == 'zh' else m['text']
                hyp = text.replace(' ', '') if m['language'] == 'zh' else text
                errs += edit_distance(ref, hyp)
                chars += max(1, len(ref))
                want = ['<|%s|>' % m['language'], '<|%s|>' % m['emotion'], '<|%s|>' % m['event']]
                for j in range(3):
                    ok[j] += int(len(tg) > j and tg[j] == want[j])
    model.train()
    n = max(1, len(idx))
    return errs / max(1, chars), [o / n for o in ok]


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return prev[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default='models/work/data')
    ap.add_argument('--out', default='models/work/train')
    ap.add_argument('--minutes', type=float, default=55)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--lr', type=float, default=1.5e-3)
    ap.add_argument('--max-frames', type=int, default=4000)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--cfg', default=None, help='JSON overrides of the network config')
    ap.add_argument('--init', default=None, help='warm start from a ckpt.pt')
    ap.add_argument('--max-epochs', type=int, default=0, help='stop after this many epochs (0 = budget only)')
    ap.add_argument('--procs', type=int, default=1,
                    help='data-parallel processes, one libtorch thread each (--threads is then ignored)')
    ap.add_argument('--port', type=int, default=29517, help='local rendezvous port for --procs > 1')
    a = ap.parse_args()
    # with several processes the parent must not start an OpenMP pool before it forks them
    torch.set_num_threads(1 if a.procs > 1 else a.threads)
    os.makedirs(a.out, exist_ok=True)
    cfg = dict(CFG, **(json.loads(a.cfg) if a.cfg else {}))

    inv = synth.phrase_inventory()
    tokens = build_tokens(inv)
    tok2id = {t: i for i, t in enumerate(tokens)}
    with open(os.path.join(a.out, 'tokens.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(tokens) + '\n')

    data = torch.load(os.path.join(a.data, 'train.pt'))
    data = [d for d in data if d['feats'].shape[0] > 0]
    # CMVN statistics over all training LFR frames
    s = np.zeros(560)
    s2 = np.zeros(560)
    n = 0
    for d in data:
        f = d['feats'].astype(np.float64)
        s += f.sum(0)
        s2 += (f * f).sum(0)
        n += f.shape[0]
    mean = s / n
    std = np.sqrt(np.maximum(s2 / n - mean * mean, 1e-8))
    frontend.write_cmvn(os.path.join(a.out, 'am.mvn'), mean, std)
    shift, scale = frontend.load_cmvn(os.path.join(a.out, 'am.mvn'))
    feats = []
    for d in data:
        feats.append(frontend.apply_cmvn(torch.from_numpy(d['feats'].astype(np.float32)), shift, scale).half())
        META.append({k: d[k] for k in ('text', 'language', 'emotion', 'event')})
    del data
    nval = min(300, len(feats) // 10)
    val_idx = list(range(len(feats) - nval, len(feats)))
    tr_idx = list(range(len(feats) - nval))
    lengths = [feats[i].shape[0] for i in tr_idx]
    print('train items %d, frames %d (%.2f h), val %d' % (len(tr_idx), sum(lengths),
          sum(lengths) * 0.06 / 3600, nval), flush=True)
    data = (cfg, tokens, tok2id, feats, tr_idx, val_idx, lengths)
    if a.procs == 1:
        train(0, a, data)
    else:
        # forked after loading: the children share the features' pages instead of copying them
        mp.start_processes(train, args=(a, data), nprocs=a.procs, start_method='fork')


def train(rank, a, data):
    cfg, tokens, tok2id, feats, tr_idx, val_idx, lengths = data
    procs = a.procs
    if procs > 1:
        torch.set_num_threads(1)
        dist.init_process_group('gloo', init_method='tcp://127.0.0.1:%d' % a.port,
                                rank=rank, world_size=procs)
    torch.manual_seed(a.seed)
    # the batches are the same in every process (same seed); augmentation differs per process
    rng = random.Random(a.seed)
    aug_rng = rng if procs == 1 else random.Random(a.seed * 1000 + rank)
    lead = rank == 0
    log = print if lead else (lambda *args, **kw: None)

    model = DemoSenseVoice(len(tokens), **cfg)
    prev = {'train_minutes': 0.0, 'cpu_minutes': 0.0, 'epochs': 0, 'steps': 0, 'history': []}
    if a.init:
        ck0 = torch.load(a.init)
        model.load_state_dict(ck0['state'])
        for k in prev:
            prev[k] = ck0.get(k, prev[k])
    nparams = sum(p.numel() for p in model.parameters())
    log('params %d cfg %s processes %d' % (nparams, cfg, procs), flush=True)
    # DDP averages the gradients of the processes' shares of each batch during the backward pass
    net = torch.nn.parallel.DistributedDataParallel(model) if procs > 1 else model
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=0.01, betas=(0.9, 0.98))
    warm = 200
    t0 = time.time()
    c0 = time.process_time()
    history = list(prev['history'])
    budget = a.minutes * 60
    step = 0
    epoch = 0
    done = False
    while not done:
        epoch += 1
        batches = make_batches(lengths, a.max_frames, 64, rng)
        tot_ctc = tot_ce = 0.0
        for bi, b in enumerate(batches):
            el = elapsed(t0, procs)
            if el > budget:
                done = True
                break
            frac = el / budget
            lr = a.lr * min(1.0, (step + 1) / warm) * (0.03 + 0.97 * 0.5 * (1 + math.cos(math.pi * frac)))
            for g in opt.param_groups:
                g['lr'] = lr
            # a batch is sorted by length, so the shares cost about the same; a one-item batch is
            # run by every process (each must take part in the gradient averaging)
            share = b[rank::procs] or b[:1]
            batch = collate([tr_idx[i] for i in share], feats, tok2id, aug_rng, True)
            ctc, ce = compute_loss(net, batch)
            loss = ctc + ce
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            step += 1
            tot_ctc += ctc.item()
            tot_ce += ce.item()
            if step % 100 == 0:
                log('step %d ep %d %.1fmin lr %.2e ctc %.3f ce %.3f' % (
                    step, epoch, (time.time() - t0) / 60, lr, tot_ctc / (bi + 1), tot_ce / (bi + 1)), flush=True)
        cpu_minutes = total(time.process_time() - c0, procs) / 60
        if lead:
            cer, accs = evaluate_quick(model, val_idx, feats, tok2id, tokens, aug_rng)
            log('epoch %d done %.1fmin steps %d  val CER %.4f  lang %.3f emo %.3f event %.3f' % (
                epoch, (time.time() - t0) / 60, step, cer, *accs), flush=True)
            history.append({'epoch': prev['epochs'] + epoch, 'minutes': prev['train_minutes'] + (time.time() - t0) / 60,
                            'cer': cer, 'lang': accs[0], 'emo': accs[1], 'event': accs[2]})
            torch.save({'state': model.state_dict(), 'cfg': cfg, 'vocab': len(tokens),
                        'train_minutes': prev['train_minutes'] + (time.time() - t0) / 60,
                        'cpu_minutes': prev['cpu_minutes'] + cpu_minutes,
                        'epochs': prev['epochs'] + epoch, 'steps': prev['steps'] + step,
                        'history': history, 'threads': a.threads if procs == 1 else 1,
                        'procs': procs, 'lr': a.lr,
                        'params': nparams}, os.path.join(a.out, 'ckpt.pt'))
        if procs > 1:
            dist.barrier()  # the others wait for the evaluation, not run ahead into the next epoch
        if a.max_epochs and epoch >= a.max_epochs:
            break
    log('finished %.1f min' % ((time.time() - t0) / 60), flush=True)
    if procs > 1:
        dist.destroy_process_group()


def elapsed(t0, procs):
    """Seconds since t0 by the first process's clock, so that all stop at the same step."""
    el = torch.tensor([time.time() - t0], dtype=torch.float64)
    if procs > 1:
        dist.broadcast(el, 0)
    return float(el)


def total(value, procs):
    """The sum of value over the processes."""
    t = torch.tensor([value], dtype=torch.float64)
    if procs > 1:
        dist.all_reduce(t)
    return float(t)


if __name__ == '__main__':
    main()
