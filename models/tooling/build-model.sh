#!/bin/sh
# Reproduces the demo model from scratch: synthesis -> training -> export (with checks) ->
# test clips -> held-out evaluation -> model card; then the demo calls and their rule check.
# Uses the Debian interpreter /usr/bin/python3 (torch 1.13, torchaudio 0.13), espeak-ng and sox
# (see install-deps.sh). Scratch data goes to models/work/ (gitignored).
#   models/tooling/build-model.sh            (about 5 min synthesis + TRAIN_MINUTES + 5 min)
# The training schedule is time-based (cosine over a wall-clock budget), so on a faster or idle
# machine the same recipe does more steps; the data and the initialisation are seeded.
set -eu
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
W=models/work
export OMP_WAIT_POLICY=PASSIVE     # do not spin-wait: much faster when the machine is shared
mkdir -p $W
# training items: 15 % cut tight at their first sample, line noise up to -30 dBFS
$PY models/tooling/dataset.py --out $W/data --n-train "${N_TRAIN:-30000}" --n-eval 800 \
    --tight-share 0.15 --noise-db -58 -30 2>&1 | tee $W/dataset.log
# one stage from scratch: two single-threaded data-parallel processes (both cores), warmup then
# cosine over the budget (the issue's limit: 60 min)
$PY models/tooling/train.py --data $W/data --out $W/train --minutes "${TRAIN_MINUTES:-57}" --procs 2 --lr 1.5e-3 2>&1 | tee $W/train.log
$PY models/tooling/export.py --train $W/train --data $W/data --out models/sensevoice-demo
$PY models/tooling/make_testclips.py --out models/testclips
$PY models/tooling/make_calls.py calls/scripts calls/demo
$PY models/tooling/check_calls.py calls/demo
# the channel emotion calibration: reference = mean over the demo calls (docs/emotion.md)
$PY models/tooling/calibrate_emotion.py --model models/sensevoice-demo --reference calls/demo --write
$PY models/tooling/evaluate.py --model models/sensevoice-demo --data $W/data --clips models/testclips --calls calls/demo --out $W/eval.json
$PY models/tooling/model_card.py --eval $W/eval.json --train $W/train --model models/sensevoice-demo
