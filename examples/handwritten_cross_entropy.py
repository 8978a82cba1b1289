"""Soft-label classifier with a hand-written cross-entropy."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
inputs = torch.randn(512, 32)
soft_labels = F.softmax(torch.randn(512, 5), dim=1)

model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def soft_cross_entropy(logits, targets):
    probs = F.softmax(logits, dim=1)
    return -(targets * torch.log(probs)).sum(dim=1).mean()  # NAN103: log of a softmax underflows


def binary_cross_entropy(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()  # NAN103: no epsilon or clamp


for epoch in range(50):
    optimizer.zero_grad()
    logits = model(inputs)
    loss = soft_cross_entropy(logits, soft_labels)
    aux = binary_cross_entropy(torch.sigmoid(logits[:, 0]), (soft_labels[:, 0] > 0.2).float())
    (loss + aux).backward()
    optimizer.step()
