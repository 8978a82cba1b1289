import torch.nn as nn
( loss.backward() # noqa: NAN301
[ optimizer.step()
]
self.rnn = nn.LSTM(10, 20)