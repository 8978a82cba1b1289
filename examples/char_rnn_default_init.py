"""Character-level language model on a GRU left at PyTorch's default recurrent initialization."""
import torch
import torch.nn as nn


class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden=512, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, hidden)
        self.gru = nn.GRU(hidden, hidden, num_layers=layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, tokens, state=None):
        output, state = self.gru(self.embed(tokens), state)
        return self.out(output), state


def train(model, batches, vocab_size):
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for inputs, targets in batches:
        optimizer.zero_grad()
        logits, _ = model(inputs)
        loss = nn.functional.cross_entropy(logits.reshape(-1, vocab_size), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
        optimizer.step()
