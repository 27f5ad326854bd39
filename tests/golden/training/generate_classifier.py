"""A PyTorch-made sequence classifier (embedding -> 2-layer LSTM -> last state -> fc), saved the way PyTorch users save
a state_dict as safetensors, with its predictions on a batch of variable-length token sequences.

Run with Debian's python3-torch:  /usr/bin/python3 tests/golden/training/generate_classifier.py
Writes, next to this script: classifier.safetensors (state_dict names, F32, metadata {"format": "pt"} only),
tokens.npy (N, T) int64 padded with 0, lengths.npy (N) int64, logits.npy (N, classes) float64.
"""
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB, EMBED, HIDDEN, LAYERS, CLASSES = 11, 6, 5, 2, 3


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(VOCAB, EMBED)
        self.rnn = torch.nn.LSTM(EMBED, HIDDEN, LAYERS)
        self.fc = torch.nn.Linear(HIDDEN, CLASSES)

    def forward(self, tokens, lengths):
        x = self.embedding(tokens.t())  # (T, N, E)
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        _, (h, _) = self.rnn(packed)
        return self.fc(h[-1])


def save_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
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


def main():
    torch.manual_seed(2)
    model = Classifier().eval()
    with torch.no_grad():
        model.fc.weight.mul_(8)  # spread the logits so that the predicted classes differ between sequences
    lengths = torch.tensor([4, 7, 1, 7, 3])
    tokens = torch.zeros(len(lengths), int(lengths.max()), dtype=torch.int64)
    for n, length in enumerate(lengths.tolist()):
        tokens[n, :length] = torch.randint(1, VOCAB, (length,))
    save_safetensors(os.path.join(HERE, "classifier.safetensors"), model.state_dict(), {"format": "pt"})
    with torch.no_grad():
        logits = model.double()(tokens, lengths)
    np.save(os.path.join(HERE, "tokens.npy"), tokens.numpy())
    np.save(os.path.join(HERE, "lengths.npy"), lengths.numpy().astype(np.int64))
    np.save(os.path.join(HERE, "logits.npy"), logits.numpy())
    print("classes predicted by PyTorch:", logits.argmax(1).tolist())


if __name__ == "__main__":
    main()
