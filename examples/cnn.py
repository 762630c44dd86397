"""A small convolutional classifier: forward and backward on a random batch (nothing downloaded)."""

import torch
from torch import nn

torch.manual_seed(0)

model = nn.Sequential(
    nn.Conv2d(3, 8, kernel_size=3, padding=1),
    nn.BatchNorm2d(8),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(8, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Dropout(0.1),
    nn.Linear(16, 10),
)

images = torch.randn(4, 3, 16, 16)
labels = torch.randint(0, 10, (4,))
loss = nn.functional.cross_entropy(model(images), labels)
loss.backward()
print(f"loss {loss.item():.4f}")
