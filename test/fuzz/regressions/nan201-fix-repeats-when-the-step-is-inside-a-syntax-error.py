from torch import nn
model = nn.Transformer(d_model=128, nhead=4)((
        loss.backward()
    for src, tgt in loader:
        scaler.step(optimizer)
