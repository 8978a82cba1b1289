/** Training scripts the LSP tests open: small, realistic, and each known to trigger specific rules. */

export const HIGH_LR = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)\n';

/** An LSTM trained with Adam at 0.01 and no clipping: NAN301 at `lr=0.01`, NAN201 at `optimizer.step()`. */
export const LSTM_TRAINING = `import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(10, 64, batch_first=True)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


model = Forecaster()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()

for x, y in loader:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
`;

/** The same script split the way a notebook is: imports, model, optimizer, data, loop. */
export const LSTM_NOTEBOOK_CELLS = [
  'import torch\nimport torch.nn as nn\n%matplotlib inline',
  'class Forecaster(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.lstm = nn.LSTM(10, 64, batch_first=True)\n        self.head = nn.Linear(64, 1)\n\n    def forward(self, x):\n        out, _ = self.lstm(x)\n        return self.head(out[:, -1])',
  'model = Forecaster()\noptimizer = torch.optim.Adam(model.parameters(), lr=1e-3)\nloss_fn = nn.MSELoss()',
  '!pip list | grep torch',
  'for x, y in loader:\n    optimizer.zero_grad()\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()',
];

/**
 * The rules these samples are written for. Tests that compare whole sets of codes select them, so a
 * rule added to the catalogue later (one that also has an opinion on an LSTM) does not change the set.
 */
export const FOCUS = { select: ['NAN201', 'NAN301'] };

/** NAN204 with two ways out: bfloat16 (the fix) or a GradScaler (the alternative). */
export const FP16_LOOP =
  'import torch\nfor x, y in loader:\n    optimizer.zero_grad()\n    with torch.autocast("cuda"):\n        loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n';
