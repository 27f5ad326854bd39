"""Exports the standard benchmark configurations from PyTorch to ONNX for the ONNX Runtime peer run.

Usage: /usr/bin/python3 export_onnx.py OUT_DIR   (needs Debian's python3-torch and python3-onnx)
"""
import sys
import os
import torch

CONFIGS = {
    # name: (module, input, hidden, layers, bidirectional, batch, T)
    "lstm-infer": (torch.nn.LSTM, 256, 512, 2, False, 64, 100),
    "gru-infer": (torch.nn.GRU, 256, 512, 2, False, 64, 100),
    "bilstm-infer": (torch.nn.LSTM, 128, 256, 1, True, 32, 200),
    "rnn-infer": (torch.nn.RNN, 256, 512, 2, False, 64, 100),
}


class OutputOnly(torch.nn.Module):
    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)[0]


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    for name, (cls, inp, hid, layers, bidir, batch, seq) in CONFIGS.items():
        model = OutputOnly(cls(inp, hid, layers, bidirectional=bidir)).eval()
        x = torch.randn(seq, batch, inp)
        path = os.path.join(out_dir, f"{name}.onnx")
        torch.onnx.export(model, (x,), path, input_names=["x"], output_names=["y"], opset_version=14)
        print(f"{name}: {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "models")
