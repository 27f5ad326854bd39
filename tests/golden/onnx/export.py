#!/usr/bin/python3
"""Writes the golden ONNX cases: one folder per case with model.onnx and its inputs (input_<name>.npy, float32, or
int32 token ids). ONNX Runtime's outputs (ort_<name>.npy) are then written by OrtGolden (see README.md).

Every model is exported by Debian's PyTorch (torch.onnx.export) except layout1_lstm, which torch cannot write (it
always emits layout 0 with Transposes around it) and is built with onnx.helper from a PyTorch LSTM's weights
(ONNX Runtime refuses layout = 1, so that case is checked against PyTorch's state_dict instead).
Needs Debian's python3-torch and python3-onnx; run with /usr/bin/python3."""
import os
import numpy as np
import torch
import onnx
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
T, N = 5, 2


def case_dir(name):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    return d


def save_input(d, name, array):
    np.save(os.path.join(d, f"input_{name}.npy"), array)


def export(name, module, args, input_names, output_names, opset, dynamic=None):
    d = case_dir(name)
    module.eval()
    torch.onnx.export(module, args, os.path.join(d, "model.onnx"), input_names=input_names,
                      output_names=output_names, opset_version=opset, dynamic_axes=dynamic)
    for n, a in zip(input_names, args):
        arr = a.numpy()
        save_input(d, n, arr.astype(np.int32) if arr.dtype == np.int64 else arr.astype(np.float32))


class WithStates(torch.nn.Module):
    """Passes (x, h0, c0) to an LSTM as PyTorch wants them: (x, (h0, c0))."""
    def __init__(self, lstm):
        super().__init__()
        self.rnn = lstm

    def forward(self, x, h0, c0):
        return self.rnn(x, (h0, c0))


def randn(*shape):
    return torch.randn(*shape, dtype=torch.float32)


class Classifier(torch.nn.Module):
    """The shape of RnnNative's ready SequenceClassifier: embedding → LSTM → linear head on the last step."""
    def __init__(self, vocab, emb, hidden, classes):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, emb)
        self.rnn = torch.nn.LSTM(emb, hidden)
        self.fc = torch.nn.Linear(hidden, classes)

    def forward(self, tokens):
        out, _ = self.rnn(self.embedding(tokens))
        return self.fc(out[-1])


class Tagger(torch.nn.Module):
    """The shape of RnnNative's ready SequenceTagger: embedding → bidirectional GRU → linear head on every step."""
    def __init__(self, vocab, emb, hidden, classes):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, emb)
        self.rnn = torch.nn.GRU(emb, hidden, bidirectional=True)
        self.fc = torch.nn.Linear(2 * hidden, classes)

    def forward(self, tokens):
        out, _ = self.rnn(self.embedding(tokens))
        return self.fc(out)


def main():
    torch.manual_seed(15)
    export("lstm", WithStates(torch.nn.LSTM(3, 4)), (randn(T, N, 3), randn(1, N, 4), randn(1, N, 4)),
           ["x", "h0", "c0"], ["y", "hn", "cn"], opset=14)
    export("gru", torch.nn.GRU(3, 4), (randn(T, N, 3), randn(1, N, 4)), ["x", "h0"], ["y", "hn"], opset=9)
    export("rnn_tanh", torch.nn.RNN(3, 4), (randn(T, N, 3), randn(1, N, 4)), ["x", "h0"], ["y", "hn"], opset=7)
    export("bilstm", torch.nn.LSTM(3, 4, bidirectional=True), (randn(T, N, 3),), ["x"], ["y", "hn", "cn"], opset=17)
    export("gru_2layers", torch.nn.GRU(3, 4, num_layers=2), (randn(T, N, 3), randn(2, N, 4)),
           ["x", "h0"], ["y", "hn"], opset=13)
    # Opset 7: PyTorch reorders the gates in the graph (Slice + Concat + Unsqueeze on the initializers).
    export("bilstm_2layers_opset7", WithStates(torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)), (randn(T, N, 3), randn(4, N, 4), randn(4, N, 4)),
           ["x", "h0", "c0"], ["y", "hn", "cn"], opset=7)
    export("lstm_batchfirst", torch.nn.LSTM(3, 4, batch_first=True), (randn(N, T, 3),), ["x"], ["y", "hn", "cn"], opset=11)
    export("classifier", Classifier(7, 3, 4, 3), (torch.randint(0, 7, (T, N)),), ["tokens"], ["logits"], opset=14)
    export("tagger", Tagger(7, 3, 4, 3), (torch.randint(0, 7, (T, N)),), ["tokens"], ["logits"], opset=14)
    layout1_lstm()


def layout1_lstm():
    """An LSTM node with layout = 1 (batch-major X, Y, Y_h, Y_c), weights from a PyTorch LSTM reordered i,f,g,o → i,o,f,c."""
    d = case_dir("layout1_lstm")
    lstm = torch.nn.LSTM(3, 4)
    H = 4
    def onnx_order(w):
        i, f, g, o = np.split(w, 4, axis=0)
        return np.concatenate([i, o, f, g], axis=0)
    W = onnx_order(lstm.weight_ih_l0.detach().numpy())[None]
    R = onnx_order(lstm.weight_hh_l0.detach().numpy())[None]
    B = np.concatenate([onnx_order(lstm.bias_ih_l0.detach().numpy()), onnx_order(lstm.bias_hh_l0.detach().numpy())])[None]
    node = helper.make_node("LSTM", ["x", "W", "R", "B", "", "h0", "c0"], ["y", "hn", "cn"], name="lstm_layout1",
                            hidden_size=H, layout=1)
    graph = helper.make_graph(
        [node], "layout1",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [N, T, 3]),
         helper.make_tensor_value_info("h0", TensorProto.FLOAT, [N, 1, H]),
         helper.make_tensor_value_info("c0", TensorProto.FLOAT, [N, 1, H])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [N, T, 1, H]),
         helper.make_tensor_value_info("hn", TensorProto.FLOAT, [N, 1, H]),
         helper.make_tensor_value_info("cn", TensorProto.FLOAT, [N, 1, H])],
        # float_data rather than raw_data, so the importer's second initializer encoding is covered too.
        [helper.make_tensor("W", TensorProto.FLOAT, W.shape, W.flatten().tolist()),
         helper.make_tensor("R", TensorProto.FLOAT, R.shape, R.flatten().tolist()),
         helper.make_tensor("B", TensorProto.FLOAT, B.shape, B.flatten().tolist())])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="export.py")
    model.ir_version = 7
    onnx.checker.check_model(model)
    # ONNX Runtime refuses layout = 1, so this case has no ort_*.npy: its truth is PyTorch's own state_dict.
    onnx.save(model, os.path.join(d, "layout1.onnx"))
    for k, v in lstm.state_dict().items():
        np.save(os.path.join(d, f"torch_{k}.npy"), v.numpy().astype(np.float32))


if __name__ == "__main__":
    main()
