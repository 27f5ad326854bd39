#!/usr/bin/python3
"""Golden data from PyTorch for LSTMs with projections (nn.LSTM(proj_size=P)).

The same method and files as ../generate.py (read its docstring): float64 PyTorch with packed-sequence semantics,
inputs rounded to float32-representable values, outputs and gradients stored in float64. What differs with a
projection: h0, hn, dhn and dh0 are (L*D, N, P), c0, cn, dcn and dc0 are (L*D, N, H), y is (.., D*P), weight_hh_l{k}
is (4H, P), and every layer and direction has weight_hr_l{k}[_reverse] (P, H); model.safetensors' __metadata__ adds
proj_size.

Regenerate with: /usr/bin/python3 tests/golden/projections/generate.py   (Debian's python3-torch)
"""

import json
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from generate import exact_f32, save_npy, write_safetensors  # noqa: E402  (the helpers of ../generate.py)

# name, input, hidden, proj, layers, bidirectional, bias, batch_first, T, lengths, initial states given, description
CASES = [
    ("lstmp_unsorted_states", 3, 5, 2, 1, False, True, False, 5, [5, 2, 4], True,
     "LSTM proj_size 2 of hidden 5, distinct unsorted lengths, h0 (P wide) and c0 (H wide) given"),
    ("lstmp_bi_2layers_batchfirst", 4, 6, 3, 2, True, True, True, 4, [4, 1, 3], False,
     "LSTM proj_size 3 of hidden 6, 2 layers, bidirectional (layer 1 reads 2P), batch-first, a length-1 beside a length-T one"),
    ("lstmp_2layers_nobias_proj1", 2, 4, 1, 2, False, False, False, 3, [3, 3], True,
     "LSTM proj_size 1 of hidden 4, 2 layers, no bias, all lengths equal, states given"),
    ("lstmp_bi_ties_states", 3, 3, 2, 1, True, True, False, 4, [2, 4, 2], True,
     "LSTM proj_size 2 of hidden 3, bidirectional, tied lengths, states given"),
]


def generate(case, seed):
    name, input_size, hidden, proj, layers, bidir, bias, batch_first, seq_len, lengths, with_states, description = case
    torch.manual_seed(seed)
    directions = 2 if bidir else 1
    batch = len(lengths)

    module = torch.nn.LSTM(input_size, hidden, num_layers=layers, bidirectional=bidir, bias=bias,
                           batch_first=batch_first, proj_size=proj, dtype=torch.float64)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(exact_f32(p))

    x_shape = (batch, seq_len, input_size) if batch_first else (seq_len, batch, input_size)
    h_shape = (layers * directions, batch, proj)
    c_shape = (layers * directions, batch, hidden)
    y_shape = (batch, seq_len, directions * proj) if batch_first else (seq_len, batch, directions * proj)

    def rand(shape):
        return exact_f32(torch.rand(shape, dtype=torch.float64) * 2 - 1)

    x = rand(x_shape).requires_grad_()
    h0 = (rand(h_shape) if with_states else torch.zeros(h_shape, dtype=torch.float64)).requires_grad_()
    c0 = (rand(c_shape) if with_states else torch.zeros(c_shape, dtype=torch.float64)).requires_grad_()
    dy, dhn, dcn = rand(y_shape), rand(h_shape), rand(c_shape)

    lengths_t = torch.tensor(lengths, dtype=torch.int64)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths_t, batch_first=batch_first, enforce_sorted=False)
    out, (hn, cn) = module(packed, (h0, c0))
    y, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=batch_first, total_length=seq_len)
    assert y.shape == y_shape and hn.shape == h_shape and cn.shape == c_shape

    loss = (y * dy).sum() + (hn * dhn).sum() + (cn * dcn).sum()
    loss.backward()

    directory = os.path.join(HERE, name)
    os.makedirs(directory)
    with open(os.path.join(directory, "case.json"), "w") as f:
        json.dump({"batch_first": batch_first, "description": description}, f, indent=1)
        f.write("\n")

    metadata = {
        "mode": "lstm",
        "input_size": str(input_size),
        "hidden_size": str(hidden),
        "num_layers": str(layers),
        "bidirectional": "true" if bidir else "false",
        "bias": "true" if bias else "false",
        "proj_size": str(proj),
    }
    params = list(module.named_parameters())
    assert any(n.startswith("weight_hr_l0") for n, _ in params)
    write_safetensors(os.path.join(directory, "model.safetensors"), params, metadata, "F32")
    write_safetensors(os.path.join(directory, "grads.safetensors"), [(n, p.grad) for n, p in params], metadata, "F64")

    save_npy(directory, "x", x, np.float32)
    save_npy(directory, "lengths", lengths_t, np.int64)
    if with_states:
        save_npy(directory, "h0", h0, np.float32)
        save_npy(directory, "c0", c0, np.float32)
    save_npy(directory, "dy", dy, np.float32)
    save_npy(directory, "dhn", dhn, np.float32)
    save_npy(directory, "dcn", dcn, np.float32)
    save_npy(directory, "y", y, np.float64)
    save_npy(directory, "hn", hn, np.float64)
    save_npy(directory, "cn", cn, np.float64)
    save_npy(directory, "dx", x.grad, np.float64)
    save_npy(directory, "dh0", h0.grad, np.float64)
    save_npy(directory, "dc0", c0.grad, np.float64)


def main():
    for entry in sorted(os.listdir(HERE)):
        if os.path.isfile(os.path.join(HERE, entry, "case.json")):
            shutil.rmtree(os.path.join(HERE, entry))
    for index, case in enumerate(CASES):
        generate(case, seed=1500 + index)
    print(f"wrote {len(CASES)} projection cases with torch {torch.__version__}")


if __name__ == "__main__":
    main()
