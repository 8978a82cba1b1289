"""Transformer language-model fine-tuning where the gradient clip sits before backward()."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyLM(nn.Module):
    def __init__(self, vocab=5000, d_model=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead=8, batch_first=True)
        self.body = nn.TransformerEncoder(layer, num_layers=4)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        return self.head(self.body(self.embed(tokens)))


model = TinyLM()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)


def train_epoch(loader):
    model.train()
    for tokens in loader:
        optimizer.zero_grad()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        logits = model(tokens[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tokens[:, 1:].reshape(-1))
        loss.backward()
        optimizer.step()
