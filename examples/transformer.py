"""A small transformer encoder for sequence classification: forward and backward on random tokens."""

import torch
from torch import nn

torch.manual_seed(0)


class Classifier(nn.Module):
    """Token embedding, two encoder layers, mean pooling and a linear head."""

    def __init__(self, vocab: int = 100, width: int = 32, classes: int = 4) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        layer = nn.TransformerEncoderLayer(width, nhead=4, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, classes)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(self.embed(tokens))
        return self.head(self.norm(hidden).mean(dim=1))


model = Classifier()
tokens = torch.randint(0, 100, (2, 12))
labels = torch.randint(0, 4, (2,))
loss = nn.functional.cross_entropy(model(tokens), labels)
loss.backward()
print(f"loss {loss.item():.4f}")
