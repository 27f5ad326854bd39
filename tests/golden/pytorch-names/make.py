#!/usr/bin/python3
"""PyTorch-made state_dicts whose modules carry the names PyTorch users give them, for the structure discovery of
plain state_dicts (no metadata of ours, no renaming): each model is saved exactly as
safetensors.torch.save_file(model.state_dict()) would save it, with JSONL records and PyTorch's predictions.

  lstm_fc          embedding -> lstm (LSTM, batch_first) -> fc on h_n[-1]                        classifier
  encoder_rnn_head encoder.embed -> encoder.rnn (GRU, 2 layers) -> head on h_n[-1]                classifier
  gru_bi_cls       emb -> gru (bidirectional GRU, batch_first) -> classifier on cat(h_n[-2], h_n[-1])  classifier
  rnn_out_tagger   embedding -> rnn (nn.RNN tanh, time-major) -> out at every step                tagger (--mode rnn_tanh)
  lstm_proj_linear embedding -> lstm (LSTM, 2 layers, proj_size) -> linear on h_n[-1]             classifier
  word_lm          encoder (Embedding) -> rnn (LSTM) -> decoder (Linear), as PyTorch's word-language-model
                   example names them; next-token logits at every step                          tagger
  lstm_layer       a module holding only lstm (bidirectional LSTM): a bare layer under a prefix; X.npy (T, N, I)
                   and PyTorch's Y (float64 rounded to float32) for rnn forward

Records: {"id": <int>, "tokens": [...]} (lengths 1..9). Expected: classifier {"id", "label", "probabilities"};
tagger {"id", "labels": [T], "probabilities": [T][classes]}, computed in float64 (float32 weights converted
exactly) over packed sequences. Records whose two best classes are within MARGIN are drawn again, so float32
rounding cannot flip a label.

Regenerate (Debian's python3-torch, nothing else):  /usr/bin/python3 tests/golden/pytorch-names/make.py
"""
import json
import os
import struct

import numpy
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MARGIN = 1e-3
RECORDS = 24
pack = torch.nn.utils.rnn.pack_padded_sequence
unpack = torch.nn.utils.rnn.pad_packed_sequence


class LstmFc(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(20, 5)
        self.lstm = torch.nn.LSTM(5, 6, batch_first=True)
        self.fc = torch.nn.Linear(6, 3)

    def forward(self, tokens, lengths):
        _, (h, _) = self.lstm(pack(self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False))
        return self.fc(h[-1])


class Encoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(16, 4)
        self.rnn = torch.nn.GRU(4, 5, num_layers=2)

    def forward(self, tokens, lengths):
        _, h = self.rnn(pack(self.embed(tokens).transpose(0, 1), lengths, enforce_sorted=False))
        return h[-1]


class EncoderRnnHead(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.head = torch.nn.Linear(5, 4)

    def forward(self, tokens, lengths):
        return self.head(self.encoder(tokens, lengths))


class GruBiCls(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(18, 4)
        self.gru = torch.nn.GRU(4, 5, batch_first=True, bidirectional=True)
        self.classifier = torch.nn.Linear(10, 3)

    def forward(self, tokens, lengths):
        _, h = self.gru(pack(self.emb(tokens), lengths, batch_first=True, enforce_sorted=False))
        return self.classifier(torch.cat((h[-2], h[-1]), dim=1))


class RnnOutTagger(torch.nn.Module):
    per_step = True

    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(12, 4)
        self.rnn = torch.nn.RNN(4, 6)
        self.out = torch.nn.Linear(6, 3)

    def forward(self, tokens, lengths):
        y, _ = self.rnn(pack(self.embedding(tokens).transpose(0, 1), lengths, enforce_sorted=False))
        y, _ = unpack(y, total_length=tokens.shape[1])
        return self.out(y.transpose(0, 1))


class LstmProjLinear(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(15, 4)
        self.lstm = torch.nn.LSTM(4, 6, num_layers=2, proj_size=3, batch_first=True)
        self.linear = torch.nn.Linear(3, 4)

    def forward(self, tokens, lengths):
        _, (h, _) = self.lstm(pack(self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False))
        return self.linear(h[-1])


class WordLm(torch.nn.Module):
    per_step = True

    def __init__(self):
        super().__init__()
        self.encoder = torch.nn.Embedding(14, 5)
        self.rnn = torch.nn.LSTM(5, 5)
        self.decoder = torch.nn.Linear(5, 14)

    def forward(self, tokens, lengths):
        y, _ = self.rnn(pack(self.encoder(tokens).transpose(0, 1), lengths, enforce_sorted=False))
        y, _ = unpack(y, total_length=tokens.shape[1])
        return self.decoder(y.transpose(0, 1))


class LstmLayer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(3, 4, bidirectional=True)


def save_safetensors(path, state_dict):
    """safetensors by hand: 8-byte little-endian header length, JSON header, raw little-endian F32 data."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, t in state_dict.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def pad(sequences):
    lengths = torch.tensor([len(s) for s in sequences])
    tokens = torch.zeros(len(sequences), int(lengths.max()), dtype=torch.int64)
    for n, s in enumerate(sequences):
        tokens[n, :len(s)] = torch.tensor(s)
    return tokens, lengths


def softmax64(model, sequences):
    tokens, lengths = pad(sequences)
    with torch.no_grad():
        return torch.softmax(model(tokens, lengths), dim=-1)


def write_jsonl(path, rows):
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row, separators=(",", ":")) + "\n")


def make_model(name, model, seed):
    """Random weights scaled up (so the classes differ clearly), saved as float32, predicted in float64."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=generator) * 0.8)
    save_safetensors(os.path.join(HERE, name + ".safetensors"), model.state_dict())
    model = model.double().eval()
    vocab = next(m for m in model.modules() if isinstance(m, torch.nn.Embedding)).num_embeddings
    per_step = getattr(model, "per_step", False)
    sequences = []
    while len(sequences) < RECORDS:
        s = torch.randint(0, vocab, (int(torch.randint(1, 10, (1,), generator=generator)),), generator=generator).tolist()
        p = softmax64(model, [s])[0]
        best = torch.topk(p, 2, dim=-1).values
        margins = best[..., 0] - best[..., 1]
        if bool((margins[:len(s)] >= MARGIN).all() if per_step else margins >= MARGIN):
            sequences.append(s)
    p = softmax64(model, sequences)
    write_jsonl(os.path.join(HERE, name + "_input.jsonl"), [{"id": i, "tokens": s} for i, s in enumerate(sequences)])
    if per_step:
        rows = [{"id": i, "labels": p[i, :len(s)].argmax(-1).tolist(), "probabilities": p[i, :len(s)].tolist()} for i, s in enumerate(sequences)]
    else:
        rows = [{"id": i, "label": int(p[i].argmax()), "probabilities": p[i].tolist()} for i in range(len(sequences))]
    write_jsonl(os.path.join(HERE, name + "_expected.jsonl"), rows)
    print(f"{name}: {list(model.state_dict().keys())}")


def make_layer(name, seed):
    torch.manual_seed(seed)
    model = LstmLayer()
    save_safetensors(os.path.join(HERE, name + ".safetensors"), model.state_dict())
    x = torch.randn(5, 3, 3).to(torch.float32)
    with torch.no_grad():
        y, _ = model.double().lstm(x.double())
    numpy.save(os.path.join(HERE, name + "_x.npy"), x.numpy())
    numpy.save(os.path.join(HERE, name + "_y.npy"), y.numpy().astype(numpy.float32))
    print(f"{name}: {list(model.state_dict().keys())}")


if __name__ == "__main__":
    torch.manual_seed(26)
    make_model("lstm_fc", LstmFc(), 1)
    make_model("encoder_rnn_head", EncoderRnnHead(), 2)
    make_model("gru_bi_cls", GruBiCls(), 3)
    make_model("rnn_out_tagger", RnnOutTagger(), 4)
    make_model("lstm_proj_linear", LstmProjLinear(), 5)
    make_model("word_lm", WordLm(), 6)
    make_layer("lstm_layer", 7)
