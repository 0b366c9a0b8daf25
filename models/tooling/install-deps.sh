#!/bin/sh
# Installs the Debian packages the model tooling needs (idempotent; needs root).
# The tooling runs with the Debian system interpreter /usr/bin/python3.
set -e
if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
need=""
for p in python3-torch python3-torchaudio python3-yaml python3-numpy python3-sentencepiece python3-protobuf espeak-ng sox; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  $SUDO apt-get update
  $SUDO apt-get install -y $need
else
  echo "all dependencies present"
fi
