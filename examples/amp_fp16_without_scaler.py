"""ResNet fine-tuning with mixed precision: float16 autocast, but no GradScaler to keep gradients in range."""
import torch
import torch.nn.functional as F
import torchvision

device = torch.device("cuda")
model = torchvision.models.resnet18(num_classes=100).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
loader = torch.utils.data.DataLoader(
    torchvision.datasets.CIFAR100("data", train=True, download=True, transform=torchvision.transforms.ToTensor()),
    batch_size=256,
    shuffle=True,
)

for epoch in range(30):
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
