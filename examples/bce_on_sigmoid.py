"""Binary classifier whose forward ends in a sigmoid, trained with BCELoss."""
import torch
import torch.nn as nn

torch.manual_seed(0)
features = torch.randn(2048, 16)
targets = (features[:, 0] + 0.5 * features[:, 1] > 0).float()


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return torch.sigmoid(self.body(x)).squeeze(1)  # NAN104: use BCEWithLogitsLoss on the logits


model = Classifier()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = nn.BCELoss()

for epoch in range(30):
    optimizer.zero_grad()
    loss = criterion(model(features), targets)
    loss.backward()
    optimizer.step()
