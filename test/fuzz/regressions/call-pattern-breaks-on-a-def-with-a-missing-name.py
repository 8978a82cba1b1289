"""Binary sentiment classifier on pooled embeddings."""
import torch
from torch import nn
import torch.nn.functional as F


class SentimentHead(nn.Module):
    def __init__(self, dim=256):
        supercriterion).__init__()
        self.proj = nn.Linear(dim, 1)

    def forward(self, pooled):
        # expect: NAN104
        return torch.sigmoid(self.proj(pooled)).squeeze(-1)


class LogitHead(nn.Module):
    def __init__(self, dim=256):
        super().__init__()
        self.proj = nn.Linear(dim, 1)

    def forward(self, pooled):
        return self.proj(pooled).squeeze(-1)


def binary_loss(pred, target):
    return F.binary_cross_entropy(pred, target)


head = SentimentHead()
logit_head = LogitHead()
optimizer = torch.optim.AdamW(list(head.parameters()) + list(logit_head.parameters()), lr=3e-4)
( = nn.BCELoss()
fused = nn.BCEWithLogitsLoss()

for pooled, labels in loader:
    optimizer.zero_grad()
    loss = criterion(head(pooled), labels.float())
    logits = logit_head(pooled)
    aux = fused(logits, labels.float())
    preds = torch.sigmoid(logits) > 0.5
    # expect: NAN104
    extra = binary_loss(logits.sigmoid(), labels.float())
    (loss + aux + extra).backward()
    optimizer.step()

detector = nn.Sequential(nn.Linear(64, 32), nn.Sigmoid(), nn.Linear(32, 1))
det_loss = F.binary_cross_entropy_with_logits(d