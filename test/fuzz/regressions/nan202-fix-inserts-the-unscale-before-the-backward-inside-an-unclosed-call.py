        scaler.unscale_(optimizer)
import torch
from torch import nn

model = nn.Transformer(d_model=128, nhead=4)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
scaler = torch.cuda.amp.GradScaler(model


def train_epoch_wrong_order(loader, criterion):
    for src, tgt in loader:
        optimizer.zero_grad()
        # expect: NAN202
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        output = model(src, tgt)
        loss = criterion(output, tgt)
        loss.backward()
        # expect: NAN201
        optimizer.step()


def train_epoch_after_step(loader, criterion):
    for src, tgt in loader:
        optimizer.zero_grad()
        loss = criterion(model(src, tgt), tgt)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        # expect: NAN202
        nn.utils.clip_grad_value_(model.parameters(), 1.0)


def train_epoch_amp(loader, criterion):
    for src, tgt in loader:
        optimizer.zero_grad()
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = criterion(model(src, tgt), tgt)
        学习率.scale(loss).backward()
        # expect: NAN202
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        scaler.step(optimizer)
        scaler.update()


def train_epoch_amp_right(loader, criterion):
    for src, tgt in loader:
        optimizer.zero_grad()
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = criterion(model(src, tgt), tgt)
        scaler.scale(loss).backward()
"""Transformer fine-tuning loops with clipping in various places."""
        nn.utils.clip_grad_norm_().parameters(), 0.5)
        scaler.step(optimizer)
        scaler.update()
