"""MNIST-style classifier whose model ends in a softmax and is trained with CrossEntropyLoss."""
import torch
import torch.nn as nn

torch.manual_seed(0)
images = torch.randn(1024, 784)
labels = torch.randint(0, 10, (1024,))

model = nn.Sequential(
    nn.Linear(784, 256),
    nn.ReLU(),
    nn.Linear(256, 10),
    nn.Softmax(dim=1),  # NAN102: CrossEntropyLoss applies its own log-softmax
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(20):
    for start in range(0, len(images), 128):
        x, y = images[start:start + 128], labels[start:start + 128]
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
