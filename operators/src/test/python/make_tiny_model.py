"""Writes a tiny TorchScript model with the SenseVoice I/O contract, for the DJL recognizer tests.

Frame-wise (embedding of the 4 queries + a linear layer over features), so its output for an item
cannot depend on batch padding; seeded, so the committed file is reproducible.
Run with Debian's torch: /usr/bin/python3 operators/src/test/python/make_tiny_model.py
"""
import json
import os
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "inference", "tiny-model")
TAGS = ["<|zh|>", "<|en|>", "<|yue|>", "<|ja|>", "<|ko|>", "<|nospeech|>",
        "<|HAPPY|>", "<|SAD|>", "<|ANGRY|>", "<|NEUTRAL|>", "<|FEARFUL|>", "<|DISGUSTED|>", "<|SURPRISED|>",
        "<|EMO_UNKNOWN|>", "<|Speech|>", "<|BGM|>", "<|Applause|>", "<|Laughter|>", "<|Cry|>", "<|Sneeze|>",
        "<|Breath|>", "<|Cough|>", "<|Event_UNK|>", "<|withitn|>", "<|woitn|>"]
TOKENS = ["<blank>"] + TAGS + ["\u2581hello", "\u2581world", "\u2581", "1", "2", "3", "你", "好"]


class Tiny(nn.Module):
    def __init__(self, vocab: int):
        super().__init__()
        self.embed = nn.Embedding(16, 560)
        self.proj = nn.Linear(560, vocab)

    def forward(self, speech: torch.Tensor, speech_lengths: torch.Tensor, language: torch.Tensor,
                textnorm: torch.Tensor):
        b = speech.shape[0]
        lang = self.embed(language.long()).unsqueeze(1)
        event_emo = self.embed(torch.tensor([[1, 2]], device=speech.device).expand(b, 2))
        norm = self.embed(textnorm.long()).unsqueeze(1)
        x = torch.cat([lang, event_emo, norm, speech], dim=1)
        return self.proj(x), (speech_lengths + 4).to(torch.int32)


def main():
    torch.manual_seed(7)
    os.makedirs(OUT, exist_ok=True)
    model = Tiny(len(TOKENS)).eval()
    torch.jit.script(model).save(os.path.join(OUT, "model.pt"))
    with open(os.path.join(OUT, "tokens.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(TOKENS) + "\n")
    with open(os.path.join(OUT, "am.mvn"), "w") as f:
        f.write("<Nnet>\n<Splice> 560 560\n[ 0 ]\n<AddShift> 560 560\n<LearnRateCoef> 0 [ "
                + " ".join(["0"] * 560) + " ]\n<Rescale> 560 560\n<LearnRateCoef> 0 [ "
                + " ".join(["1"] * 560) + " ]\n</Nnet>\n")
    descriptor = {
        "name": "tiny-test-model", "version": "1", "engine": "PyTorch", "modelFile": "model.pt",
        "sampleRate": 16000,
        "frontend": {"type": "kaldi-fbank", "numMelBins": 80, "frameLengthMs": 25, "frameShiftMs": 10,
                     "window": "hamming", "preemphasis": 0.97, "removeDcOffset": True, "lowFreqHz": 20,
                     "highFreqHz": 0, "dither": 0, "lfrM": 7, "lfrN": 6, "cmvnFile": "am.mvn"},
        "tokens": "tokens.txt", "blankId": 0, "outputFrameMs": 60,
        "languageIds": {"auto": 0, "zh": 3, "en": 4, "yue": 7, "ja": 11, "ko": 12, "nospeech": 13},
        "textnormIds": {"withitn": 14, "woitn": 15}, "maxSlotSeconds": 30}
    with open(os.path.join(OUT, "model.json"), "w") as f:
        json.dump(descriptor, f, indent=2)


if __name__ == "__main__":
    main()
