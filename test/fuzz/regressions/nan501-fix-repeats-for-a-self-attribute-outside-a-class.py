import torch.nn as nn
self.rnn = nn.LSTM(10, 20)
