#!/bin/sh
# Reproduces the demo model from scratch: synthesis -> training -> export (with checks) ->
# test clips -> held-out evaluation -> model card; then the demo calls.
# Uses the Debian interpreter /usr/bin/python3 (torch 1.13, torchaudio 0.13), espeak-ng and sox
# (see install-deps.sh). Scratch data goes to models/work/ (gitignored).
#   models/tooling/build-model.sh            # full build (about 15 min synthesis + TRAIN_MINUTES)
#   TRAIN_MINUTES=50 THREADS=1 models/tooling/build-model.sh
set -eu
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
W=models/work
TRAIN_MINUTES=${TRAIN_MINUTES:-50}
EXTRA_MINUTES=${EXTRA_MINUTES:-0}
THREADS=${THREADS:-1}
mkdir -p $W
$PY models/tooling/dataset.py --out $W/data --n-train 12000 --n-eval 800 2>&1 | tee $W/dataset.log
$PY models/tooling/train.py --data $W/data --out $W/train --minutes "$TRAIN_MINUTES" --threads "$THREADS" --lr 2e-3 2>&1 | tee $W/train.log
if [ "$EXTRA_MINUTES" != 0 ]; then
  # optional warm-started second cosine cycle (how the shipped model was trained, see MODEL_CARD.md)
  cp $W/train/ckpt.pt $W/train/ckpt-stage1.pt
  $PY models/tooling/train.py --data $W/data --out $W/train --minutes "$EXTRA_MINUTES" --threads "$THREADS" --lr 1e-3 --init $W/train/ckpt-stage1.pt 2>&1 | tee -a $W/train.log
fi
$PY models/tooling/export.py --train $W/train --data $W/data --out models/sensevoice-demo
$PY models/tooling/make_testclips.py --out models/testclips
$PY models/tooling/evaluate.py --model models/sensevoice-demo --data $W/data --clips models/testclips --out $W/eval.json
$PY models/tooling/model_card.py --eval $W/eval.json --train $W/train --model models/sensevoice-demo
$PY models/tooling/make_calls.py calls/scripts calls/demo
$PY models/tooling/check_calls.py calls/demo
