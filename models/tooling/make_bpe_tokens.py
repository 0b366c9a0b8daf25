#!/usr/bin/python3
"""Writes a token table as a SentencePiece model (``*.bpe.model``), the form a real SenseVoiceSmall
export ships its tokens in, so that the Java side's SentencePiece path (DJL's sentencepiece
extension) is tested against the demo model: same ids, same pieces as ``tokens.txt``.

Tags (<|zh|>, <|HAPPY|>, ...) become user-defined symbols, id 0 (the CTC blank) the unknown piece.

Usage: /usr/bin/python3 models/tooling/make_bpe_tokens.py models/sensevoice-demo/tokens.txt OUT.bpe.model
Needs Debian's python3-sentencepiece and python3-protobuf (models/tooling/install-deps.sh).
"""
import sys

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as pb


def main(tokens_path: str, out_path: str) -> None:
    pieces = [line.rstrip('\n') for line in open(tokens_path, encoding='utf-8') if line.rstrip('\n')]
    m = pb.ModelProto()
    t = m.trainer_spec
    t.model_type = pb.TrainerSpec.BPE
    t.vocab_size = len(pieces)
    t.unk_id, t.bos_id, t.eos_id, t.pad_id = 0, -1, -1, -1
    t.unk_piece = pieces[0]
    n = m.normalizer_spec
    n.name = 'identity'
    n.add_dummy_prefix = True
    n.remove_extra_whitespaces = True
    n.escape_whitespaces = True
    for i, p in enumerate(pieces):
        sp = m.pieces.add()
        sp.piece = p
        sp.score = -float(i)
        if i == 0:
            sp.type = pb.ModelProto.SentencePiece.UNKNOWN
        elif p.startswith('<|') and p.endswith('|>'):
            sp.type = pb.ModelProto.SentencePiece.USER_DEFINED
        else:
            sp.type = pb.ModelProto.SentencePiece.NORMAL
    data = m.SerializeToString()
    # the model must load and keep every id
    check = spm.SentencePieceProcessor(model_proto=data)
    assert check.get_piece_size() == len(pieces)
    assert all(check.id_to_piece(i) == p for i, p in enumerate(pieces))
    with open(out_path, 'wb') as f:
        f.write(data)
    print(f'{out_path}: {len(pieces)} pieces, {len(data)} bytes')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
