"""Models built from torch.nn layers the scan issue does not name: a scan acceptance script.

A residual CNN, an MLP, a small U-Net, a GRU classifier and a ViT-style encoder, each run
forward (and backward where it trains), with random weights and inputs.
"""

import torch
from torch import nn

torch.manual_seed(0)


class Residual(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(channels, channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(channels),
        )
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.body(x) + x)


class UNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.down = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.GroupNorm(2, 4), nn.SiLU(), nn.MaxPool2d(2)
        )
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.out = nn.Conv2d(5, 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.cat([self.up(self.down(x)), x], dim=1))


class GRUClassifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed, self.rnn, self.head = (
            nn.Embedding(30, 8),
            nn.GRU(8, 16, batch_first=True),
            nn.Linear(16, 2),
        )

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        states, _ = self.rnn(self.embed(tokens))
        return self.head(states[:, -1])


class ViT(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.patch = nn.Conv2d(3, 16, 4, stride=4)
        layer = nn.TransformerEncoderLayer(16, 2, 32, activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
        self.norm, self.head = nn.LayerNorm(16), nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        tokens = self.patch(x).flatten(2).transpose(1, 2)
        return self.head(self.norm(self.encoder(tokens)).mean(dim=1))


resnet = nn.Sequential(
    nn.Conv2d(3, 8, 3, stride=2, padding=1), Residual(8), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d((1, 1)),
    nn.Flatten(), nn.Linear(8, 5),
).eval()  # fmt: skip
with torch.no_grad():
    resnet(torch.randn(2, 3, 32, 32))

mlp = nn.Sequential(
    nn.Linear(20, 64), nn.LayerNorm(64), nn.GELU(), nn.Dropout(0.1), nn.Linear(64, 3), nn.SiLU()
)
nn.functional.mse_loss(mlp(torch.randn(8, 20)), torch.randn(8, 3)).backward()

unet = UNet()
nn.functional.cross_entropy(unet(torch.randn(2, 1, 16, 16)), torch.randint(0, 2, (2, 16, 16))).backward()

gru = GRUClassifier()
logits = gru(torch.randint(0, 30, (4, 7)))
nn.functional.nll_loss(torch.log_softmax(logits, dim=-1), torch.randint(0, 2, (4,))).backward()

vit = ViT()
nn.functional.cross_entropy(vit(torch.randn(2, 3, 16, 16)), torch.tensor([1, 2])).backward()
