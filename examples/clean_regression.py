"""A small, well-behaved PyTorch regression script: nanlint finds nothing here."""
import torch
import torch.nn as nn

torch.manual_seed(0)
features = torch.randn(512, 8)
targets = features @ torch.randn(8, 1) + 0.1 * torch.randn(512, 1)

model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.MSELoss()

for epoch in range(100):
    optimizer.zero_grad()
    loss = criterion(model(features), targets)
    loss.backward()
    optimizer.step()
    if epoch % 20 == 0:
        print(f"epoch {epoch}: mse {loss.item():.4f}")
