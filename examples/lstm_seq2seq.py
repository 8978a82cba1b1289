"""Character-level seq2seq with an LSTM encoder/decoder (the classic "loss: nan after epoch 3" script)."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--hidden", type=int, default=256)
parser.add_argument("--batch-size", type=int, default=16)
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()


class Seq2Seq(nn.Module):
    def __init__(self, vocab_size, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.encoder = nn.LSTM(hidden, hidden, batch_first=True)
        self.decoder = nn.LSTM(hidden, hidden, batch_first=True)
        self.project = nn.Linear(hidden, vocab_size)

    def forward(self, source, target):
        _, state = self.encoder(self.embedding(source))
        output, _ = self.decoder(self.embedding(target), state)
        return self.project(output)


def train(dataset, vocab_size):
    model = Seq2Seq(vocab_size, args.hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=True)
    for epoch in range(args.epochs):
        for source, target in loader:
            optimizer.zero_grad()
            logits = model(source, target[:, :-1])
            loss = criterion(logits.reshape(-1, vocab_size), target[:, 1:].reshape(-1))
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")
    return model
