#!/usr/bin/python3
"""PyTorch-made golden files for batch inference (rnn predict, BatchPredictor).

Two ready models, trained (a few hundred Adam steps) on small synthetic tasks, so the weights are not their random
start and the predictions are confident enough for an int8 agreement figure to mean something; saved
the way PyTorch users save them: a plain state_dict as safetensors, metadata {"format": "pt"} only, names as PyTorch
gives them (embedding.weight, rnn.weight_ih_l0, ..., fc.weight, fc.bias):

  classifier.safetensors   nn.Embedding(50, 8) -> nn.LSTM(8, 12, num_layers=2, batch_first=True) -> nn.Linear(12, 4)
                           on h_n of the last layer (many-to-one)
  tagger.safetensors       nn.Embedding(30, 6) -> nn.GRU(6, 7, bidirectional=True, batch_first=True)
                           -> nn.Linear(14, 5) at every step (many-to-many)

Inputs, one JSON object per line, as rnn predict reads them:
  classifier_input.jsonl   {"id": <int>, "tokens": [...]}   300 records, lengths 1..60, long-tailed
  tagger_input.jsonl       {"id": "<str>", "tokens": [...]} 80 records, lengths 1..25

Expected outputs, computed by PyTorch in float64 (the float32 weights converted exactly) over packed sequences
(pack_padded_sequence(enforce_sorted=False)), one line per input record in input order:
  classifier_expected.jsonl {"id", "label", "probabilities": [classes]}
  tagger_expected.jsonl     {"id", "labels": [T], "probabilities": [T][classes]}

Labels are compared exactly, so every record whose two most likely classes (at any step, for the tagger) are closer
than MARGIN in probability is drawn again: float32 rounding (about 1e-6 here) must not be able to flip a label.

Regenerate (Debian's python3-torch, nothing else):  /usr/bin/python3 tests/golden/predict/generate.py
"""
import json
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MARGIN = 1e-3


class Classifier(torch.nn.Module):
    def __init__(self, vocab, embed, hidden, layers, classes):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, embed)
        self.rnn = torch.nn.LSTM(embed, hidden, num_layers=layers, batch_first=True)
        self.fc = torch.nn.Linear(hidden, classes)

    def forward(self, tokens, lengths):
        packed = torch.nn.utils.rnn.pack_padded_sequence(self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.rnn(packed)
        return self.fc(h[-1])  # (N, classes)


class Tagger(torch.nn.Module):
    def __init__(self, vocab, embed, hidden, classes):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, embed)
        self.rnn = torch.nn.GRU(embed, hidden, bidirectional=True, batch_first=True)
        self.fc = torch.nn.Linear(2 * hidden, classes)

    def forward(self, tokens, lengths):
        packed = torch.nn.utils.rnn.pack_padded_sequence(self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.rnn(packed)
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=tokens.shape[1])
        return self.fc(out)  # (N, T, classes)


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


def long_tailed_length(generator, cap):
    # log-normal, median about 8
    return max(1, min(cap, int(torch.exp(torch.randn(1, generator=generator) * 0.8 + 2.1).item())))


def random_sequence(generator, vocab, length):
    return torch.randint(0, vocab, (length,), generator=generator).tolist()


def classifier_task(sequence):
    # the class of a sequence: how its last token compares with its first, and whether it is long
    return (int(sequence[-1] > sequence[0]) + 2 * int(len(sequence) > 8)) % 4


def tagger_task(sequence):
    # the tag of a step: the token modulo 5, shifted by whether the next token is larger (needs the backward direction)
    return [(t + int(i + 1 < len(sequence) and sequence[i + 1] > t)) % 5 for i, t in enumerate(sequence)]


def train(model, make_batch, steps, loss_of):
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(steps):
        tokens, lengths, targets = make_batch()
        optimizer.zero_grad()
        loss = loss_of(model(tokens, lengths), targets, lengths)
        loss.backward()
        optimizer.step()
    return loss.item()


def softmax64(model, sequences):
    tokens, lengths = pad(sequences)
    with torch.no_grad():
        return torch.softmax(model.double()(tokens, lengths), dim=-1)


def top_two_margin(probabilities):
    best = torch.topk(probabilities, 2, dim=-1).values
    return (best[..., 0] - best[..., 1])


def draw_records(model, generator, count, vocab, cap, per_step):
    """Records whose labels are clear (margin >= MARGIN at every step), drawn in batches, in order."""
    sequences = []
    while len(sequences) < count:
        candidates = [random_sequence(generator, vocab, long_tailed_length(generator, cap)) for _ in range(count)]
        p = softmax64(model, candidates)
        margins = top_two_margin(p)
        for n, s in enumerate(candidates):
            clear = bool((margins[n, :len(s)] >= MARGIN).all()) if per_step else bool(margins[n] >= MARGIN)
            if clear and len(sequences) < count:
                sequences.append(s)
    return sequences


def write_jsonl(path, rows):
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row, separators=(",", ":")) + "\n")


def make_classifier():
    torch.manual_seed(12)
    generator = torch.Generator().manual_seed(120)
    vocab, cap = 50, 60
    model = Classifier(vocab, 8, 12, 2, 4)

    def batch():
        seqs = [random_sequence(generator, vocab, long_tailed_length(generator, cap)) for _ in range(32)]
        tokens, lengths = pad(seqs)
        return tokens, lengths, torch.tensor([classifier_task(s) for s in seqs])

    loss = train(model, batch, 400, lambda logits, y, _: torch.nn.functional.cross_entropy(logits, y))
    model.eval()
    save_safetensors(os.path.join(HERE, "classifier.safetensors"), model.state_dict())
    model = model.double()  # the float32 weights, exactly, in float64
    sequences = draw_records(model, generator, 300, vocab, cap, per_step=False)
    p = softmax64(model, sequences)
    write_jsonl(os.path.join(HERE, "classifier_input.jsonl"), [{"id": i, "tokens": s} for i, s in enumerate(sequences)])
    write_jsonl(os.path.join(HERE, "classifier_expected.jsonl"),
                [{"id": i, "label": int(p[i].argmax()), "probabilities": p[i].tolist()} for i in range(len(sequences))])
    labels = p.argmax(-1)
    print(f"classifier: loss after training {loss:.4f}; labels predicted {torch.bincount(labels, minlength=4).tolist()}, "
          f"accuracy on the task {sum(int(labels[i]) == classifier_task(s) for i, s in enumerate(sequences)) / len(sequences):.3f}")


def make_tagger():
    torch.manual_seed(14)
    generator = torch.Generator().manual_seed(140)
    vocab, cap, classes = 30, 25, 5
    model = Tagger(vocab, 6, 7, classes)

    def batch():
        seqs = [random_sequence(generator, vocab, long_tailed_length(generator, cap)) for _ in range(32)]
        tokens, lengths = pad(seqs)
        tags = torch.full(tokens.shape, -100, dtype=torch.int64)
        for n, s in enumerate(seqs):
            tags[n, :len(s)] = torch.tensor(tagger_task(s))
        return tokens, lengths, tags

    loss = train(model, batch, 300,
                 lambda logits, y, _: torch.nn.functional.cross_entropy(logits.reshape(-1, classes), y.reshape(-1), ignore_index=-100))
    model.eval()
    save_safetensors(os.path.join(HERE, "tagger.safetensors"), model.state_dict())
    model = model.double()
    sequences = draw_records(model, generator, 80, vocab, cap, per_step=True)
    p = softmax64(model, sequences)
    write_jsonl(os.path.join(HERE, "tagger_input.jsonl"), [{"id": f"s{i:03d}", "tokens": s} for i, s in enumerate(sequences)])
    rows = []
    for i, s in enumerate(sequences):
        steps = p[i, :len(s)]
        rows.append({"id": f"s{i:03d}", "labels": steps.argmax(-1).tolist(), "probabilities": steps.tolist()})
    write_jsonl(os.path.join(HERE, "tagger_expected.jsonl"), rows)
    print(f"tagger: loss after training {loss:.4f}; {sum(len(s) for s in sequences)} tagged steps")


if __name__ == "__main__":
    make_classifier()
    make_tagger()
