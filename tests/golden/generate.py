#!/usr/bin/python3
"""Golden data from PyTorch for the RnnNative reference and every backend.

Each case is a small nn.RNN / nn.LSTM / nn.GRU computed in float64 with packed-sequence semantics
(pack_padded_sequence(enforce_sorted=False) -> module -> pad_packed_sequence(total_length=T)), so padded
outputs are zero and final states are taken at each sequence's own last step.

Every input (weights, x, h0, c0, dy, dhn, dcn) is rounded to a float32-representable value before the float64
computation, so the float32 files hold the exact inputs; outputs and gradients are stored in float64, PyTorch's
own float64 result, so tests compare against the truth rather than against a rounded copy of it.

Gradients are those of L = sum(y*dy) + sum(hn*dhn) + sum(cn*dcn). dy is random at padded steps too: a correct
implementation ignores it there. x is random at padded steps too: a correct implementation never reads it.

Layout of one case directory:
  case.json            {"batch_first": bool, "description": str}
  model.safetensors    F32 parameters named as PyTorch's state_dict; __metadata__ mode, input_size, hidden_size,
                       num_layers, bidirectional, bias (strings)
  x.npy lengths.npy (int64) [h0.npy] [c0.npy] dy.npy dhn.npy [dcn.npy]    inputs, float32 except lengths
  y.npy hn.npy [cn.npy] dx.npy dh0.npy [dc0.npy]                            results, float64
  grads.safetensors    F64 parameter gradients, named and described as the model

dh0 (and dc0) are stored even when no initial state is given: they are the gradients with respect to the zero
state the module starts from, which is what the RnnNative API returns.

Regenerate with: /usr/bin/python3 tests/golden/generate.py   (Debian's python3-torch; no other package needed)
"""

import json
import os
import shutil
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# name, mode, input, hidden, layers, bidirectional, bias, batch_first, T, lengths, initial states given, description
CASES = [
    ("lstm_unsorted_states", "lstm", 3, 4, 1, False, True, False, 5, [5, 2, 4], True,
     "LSTM, distinct unsorted lengths, h0 and c0 given"),
    ("lstm_bi_3layers_nobias", "lstm", 5, 3, 3, True, False, True, 4, [4, 1], False,
     "LSTM, 3 layers, bidirectional, no bias, batch-first, a length-1 sequence beside a length-T one"),
    ("lstm_size1_bi", "lstm", 1, 1, 2, True, True, False, 3, [2, 3, 2], True,
     "LSTM, input 1 and hidden 1, 2 layers, bidirectional, ties in lengths, states given"),
    ("gru_bi_ties_batchfirst", "gru", 4, 3, 2, True, True, True, 6, [3, 6, 3, 1], False,
     "GRU, 2 layers, bidirectional, batch-first, ties and a length-1 beside a length-T sequence"),
    ("gru_size1_states", "gru", 1, 1, 1, False, True, False, 3, [1, 3], True,
     "GRU, input 1 and hidden 1, h0 given"),
    ("gru_3layers_nobias", "gru", 2, 5, 3, False, False, False, 4, [4, 4, 4], True,
     "GRU, 3 layers, no bias, all lengths equal, h0 given"),
    ("rnn_tanh_3layers_bi", "rnn_tanh", 3, 4, 3, True, True, True, 7, [7, 3, 1, 3, 5], True,
     "RNN tanh, 3 layers, bidirectional, batch-first, unsorted lengths with ties, h0 given"),
    ("rnn_tanh_nobias_single_step", "rnn_tanh", 4, 2, 1, False, False, False, 1, [1, 1], False,
     "RNN tanh, no bias, T = 1"),
    ("rnn_relu_size1_bi", "rnn_relu", 1, 1, 2, True, True, False, 4, [1, 4, 2], True,
     "RNN ReLU, input 1 and hidden 1, 2 layers, bidirectional, h0 given"),
    ("rnn_relu_varlen", "rnn_relu", 6, 5, 2, False, True, True, 5, [2, 5, 5, 3], False,
     "RNN ReLU, 2 layers, batch-first, unsorted lengths with ties"),
]


def exact_f32(t):
    """The nearest float32 value, kept in float64, so the float32 file is the exact input."""
    return t.float().double()


def build_module(mode, input_size, hidden, layers, bidirectional, bias, batch_first):
    common = dict(num_layers=layers, bidirectional=bidirectional, bias=bias, batch_first=batch_first, dtype=torch.float64)
    if mode == "lstm":
        return torch.nn.LSTM(input_size, hidden, **common)
    if mode == "gru":
        return torch.nn.GRU(input_size, hidden, **common)
    return torch.nn.RNN(input_size, hidden, nonlinearity=mode[len("rnn_"):], **common)


def write_safetensors(path, tensors, metadata, dtype):
    """safetensors by hand: 8-byte little-endian header length, JSON header, raw little-endian data."""
    code, np_dtype = {"F32": ("F32", "<f4"), "F64": ("F64", "<f8")}[dtype]
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, tensor in tensors:
        data = tensor.detach().numpy().astype(np_dtype).tobytes()
        header[name] = {"dtype": code, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the format recommends 8-byte alignment of the data
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def save_npy(directory, name, tensor, dtype):
    np.save(os.path.join(directory, name + ".npy"), tensor.detach().numpy().astype(dtype))


def generate(case, seed):
    name, mode, input_size, hidden, layers, bidir, bias, batch_first, seq_len, lengths, with_states, description = case
    torch.manual_seed(seed)
    is_lstm = mode == "lstm"
    directions = 2 if bidir else 1
    batch = len(lengths)

    module = build_module(mode, input_size, hidden, layers, bidir, bias, batch_first)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(exact_f32(p))

    x_shape = (batch, seq_len, input_size) if batch_first else (seq_len, batch, input_size)
    state_shape = (layers * directions, batch, hidden)
    y_shape = (batch, seq_len, directions * hidden) if batch_first else (seq_len, batch, directions * hidden)

    def rand(shape):
        return exact_f32(torch.rand(shape, dtype=torch.float64) * 2 - 1)

    x = rand(x_shape).requires_grad_()
    # Absent states are the zeros the module would start from; making them leaves yields dh0/dc0 for that case too.
    h0 = (rand(state_shape) if with_states else torch.zeros(state_shape, dtype=torch.float64)).requires_grad_()
    c0 = (rand(state_shape) if with_states else torch.zeros(state_shape, dtype=torch.float64)).requires_grad_()
    dy, dhn, dcn = rand(y_shape), rand(state_shape), rand(state_shape)

    lengths_t = torch.tensor(lengths, dtype=torch.int64)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths_t, batch_first=batch_first, enforce_sorted=False)
    if is_lstm:
        out, (hn, cn) = module(packed, (h0, c0))
    else:
        out, hn = module(packed, h0)
        cn = None
    y, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=batch_first, total_length=seq_len)

    loss = (y * dy).sum() + (hn * dhn).sum()
    if is_lstm:
        loss = loss + (cn * dcn).sum()
    loss.backward()

    directory = os.path.join(HERE, name)
    os.makedirs(directory)
    with open(os.path.join(directory, "case.json"), "w") as f:
        json.dump({"batch_first": batch_first, "description": description}, f, indent=1)
        f.write("\n")

    metadata = {
        "mode": mode,
        "input_size": str(input_size),
        "hidden_size": str(hidden),
        "num_layers": str(layers),
        "bidirectional": "true" if bidir else "false",
        "bias": "true" if bias else "false",
    }
    params = list(module.named_parameters())
    write_safetensors(os.path.join(directory, "model.safetensors"), params, metadata, "F32")
    write_safetensors(os.path.join(directory, "grads.safetensors"), [(n, p.grad) for n, p in params], metadata, "F64")

    save_npy(directory, "x", x, np.float32)
    save_npy(directory, "lengths", lengths_t, np.int64)
    if with_states:
        save_npy(directory, "h0", h0, np.float32)
        if is_lstm:
            save_npy(directory, "c0", c0, np.float32)
    save_npy(directory, "dy", dy, np.float32)
    save_npy(directory, "dhn", dhn, np.float32)
    save_npy(directory, "y", y, np.float64)
    save_npy(directory, "hn", hn, np.float64)
    save_npy(directory, "dx", x.grad, np.float64)
    save_npy(directory, "dh0", h0.grad, np.float64)
    if is_lstm:
        save_npy(directory, "dcn", dcn, np.float32)
        save_npy(directory, "cn", cn, np.float64)
        save_npy(directory, "dc0", c0.grad, np.float64)


def main():
    # Only directories this script wrote (they hold case.json) are replaced, so a renamed case leaves no stale copy.
    for entry in sorted(os.listdir(HERE)):
        if os.path.isfile(os.path.join(HERE, entry, "case.json")):
            shutil.rmtree(os.path.join(HERE, entry))
    for index, case in enumerate(CASES):
        generate(case, seed=1000 + index)
    print(f"wrote {len(CASES)} cases with torch {torch.__version__}")


if __name__ == "__main__":
    main()
