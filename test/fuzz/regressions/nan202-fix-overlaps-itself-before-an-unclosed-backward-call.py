import torch.nn as nn
for x in loader:
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    loss.backward(print
    optimizer.step()
)
