#!/usr/bin/python3
"""The ONNX exports PyTorch users make, as torch.onnx.export (PyTorch 1.13, opset 14) writes them: batch_first
modules (so Transposes around the RNN node), dynamic batch and sequence axes, and the heads people write:

  lstm_hn         Embedding -> LSTM(batch_first) -> fc(h_n[-1])                       classifier
  lstm_out_last   Embedding -> LSTM(batch_first) -> fc(out[:, -1])                    classifier
  gru_bi_hn       Embedding -> GRU(bidirectional, batch_first) -> fc(cat(h_n[-2], h_n[-1]))  classifier
  lstm2_softmax   Embedding -> LSTM(2 layers, batch_first) -> softmax(fc(h_n[-1]))   classifier with its softmax
  gru_tagger_bf   Embedding -> GRU(bidirectional, batch_first) -> fc(out)              tagger
  lstm_bi_out_last Embedding -> LSTM(bidirectional, batch_first) -> fc(out[:, -1])     not our classifier: the
                  backward half of out[:, -1] has seen one step, not the sequence (rnn convert must refuse it)
  gru_bi_hn_last  Embedding -> GRU(bidirectional, batch_first) -> fc(h_n[-1])         not our classifier: h_n[-1] is
                  the backward direction alone (refused)

Each folder: model.onnx, tokens.npy (int32, (N, T)) and probabilities.npy (float32: PyTorch's softmax over the
classes computed in float64; (N, classes), or (N, T, classes) for the tagger).

Regenerate (Debian's python3-torch and python3-onnx):  /usr/bin/python3 tests/golden/onnx-usual/make.py
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
N, T = 3, 6


class Model(torch.nn.Module):
    def __init__(self, rnn, head, classes, pick, softmax=False):
        super().__init__()
        self.embedding = torch.nn.Embedding(11, 4)
        self.rnn = rnn
        self.fc = torch.nn.Linear(head, classes)
        self.pick = pick
        self.softmax = softmax

    def forward(self, tokens):
        out, state = self.rnn(self.embedding(tokens))
        h = state[0] if isinstance(state, tuple) else state
        if self.pick == "hn":
            features = h[-1]
        elif self.pick == "hn2":
            features = torch.cat((h[-2], h[-1]), dim=1)
        elif self.pick == "last":
            features = out[:, -1]
        else:
            features = out
        logits = self.fc(features)
        return torch.softmax(logits, dim=-1) if self.softmax else logits


def make(name, model, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape) * 0.7)
    model.eval()
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    tokens = torch.randint(0, 11, (N, T))
    dynamic = {"tokens": {0: "batch", 1: "steps"}, "out": {0: "batch"} if model.pick != "all" else {0: "batch", 1: "steps"}}
    torch.onnx.export(model, (tokens,), os.path.join(d, "model.onnx"), input_names=["tokens"], output_names=["out"],
                      opset_version=14, dynamic_axes=dynamic)
    with torch.no_grad():
        y = model.double()(tokens)
        p = y if model.softmax else torch.softmax(y, dim=-1)
    np.save(os.path.join(d, "tokens.npy"), tokens.numpy().astype(np.int32))
    np.save(os.path.join(d, "probabilities.npy"), p.numpy().astype(np.float32))


if __name__ == "__main__":
    make("lstm_hn", Model(torch.nn.LSTM(4, 5, batch_first=True), 5, 3, "hn"), 1)
    make("lstm_out_last", Model(torch.nn.LSTM(4, 5, batch_first=True), 5, 3, "last"), 2)
    make("gru_bi_hn", Model(torch.nn.GRU(4, 5, batch_first=True, bidirectional=True), 10, 3, "hn2"), 3)
    make("lstm2_softmax", Model(torch.nn.LSTM(4, 5, num_layers=2, batch_first=True), 5, 4, "hn", softmax=True), 4)
    make("gru_tagger_bf", Model(torch.nn.GRU(4, 5, batch_first=True, bidirectional=True), 10, 3, "all"), 5)
    make("lstm_bi_out_last", Model(torch.nn.LSTM(4, 5, batch_first=True, bidirectional=True), 10, 3, "last"), 6)
    make("gru_bi_hn_last", Model(torch.nn.GRU(4, 5, batch_first=True, bidirectional=True), 5, 3, "hn"), 7)
