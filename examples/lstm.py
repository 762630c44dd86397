"""An embedding + LSTM language model: next-token loss, forward and backward on random tokens."""

import torch
from torch import nn

torch.manual_seed(0)


class LanguageModel(nn.Module):
    """Embedding, a two-layer LSTM and a projection back onto the vocabulary."""

    def __init__(self, vocab: int = 50, width: int = 16, hidden: int = 32) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.lstm = nn.LSTM(width, hidden, num_layers=2, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        states, _ = self.lstm(self.embed(tokens))
        return self.out(states)


model = LanguageModel()
tokens = torch.randint(0, 50, (3, 10))
logits = model(tokens[:, :-1])
loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, 1:].reshape(-1))
loss.backward()
print(f"loss {loss.item():.4f}")
