import rule from '../../server/src/engine/rules/unchecked-missing-values';
import { ruleTester } from '../helpers/ruleTester';

const TO_TENSOR = 'import pandas as pd\nimport torch\ndf = pd.read_csv("train.csv")\nX = torch.tensor(df.drop(columns="label").values)\n';
const handled = (line: string): string => `${TO_TENSOR}${line}\n`;

ruleTester(rule, {
  valid: [
    { name: 'dropna anywhere in the file', code: handled('df = df.dropna()') },
    { name: 'fillna', code: handled('df.fillna(0, inplace=True)') },
    { name: 'an isna check', code: handled('assert not df.isna().any().any()') },
    { name: 'an isnull check', code: handled('print(df.isnull().sum())') },
    { name: 'np.isnan', code: handled('import numpy as np\nassert not np.isnan(X.numpy()).any()') },
    { name: 'torch.nan_to_num', code: handled('X = torch.nan_to_num(X)') },
    { name: 'a SimpleImputer', code: handled('from sklearn.impute import SimpleImputer\nimp = SimpleImputer(strategy="median")') },
    { name: 'interpolate', code: handled('df = df.interpolate()') },
    { name: 'data that is only inspected', code: 'import pandas as pd\ndf = pd.read_csv("results.csv")\nprint(df.describe())\ndf.plot(x="epoch", y="loss")\n' },
    { name: 'a local read_csv helper is not pandas', code: 'import torch\ndef read_csv(path):\n    return [[1.0, 2.0]]\nX = torch.tensor(read_csv("a.csv"))\n' },
    { name: 'a mention of dropna in a comment does not count, but no training means silence', code: 'import pandas as pd\n# TODO: dropna\nlabels = pd.read_excel("labels.xlsx")\nlabels.to_json("labels.json")\n' },
  ],
  invalid: [
    {
      name: 'flags read_csv reaching torch.tensor and appends dropna (unsafe)',
      code: TO_TENSOR,
      unsafe: true,
      errors: [{ line: 3, column: 6, anchor: 'pd.read_csv("train.csv")', message: '`pd.read_csv(...)` data reaches training with no missing-value handling' }],
      output: 'import pandas as pd\nimport torch\ndf = pd.read_csv("train.csv").dropna()\nX = torch.tensor(df.drop(columns="label").values)\n',
    },
    {
      name: 'does not apply the not-preferred fix without unsafe fixes',
      code: TO_TENSOR,
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'flags read_parquet reaching Keras fit through unpacking',
      code: 'import pandas\nfrom sklearn.model_selection import train_test_split\ndata = pandas.read_parquet("features.parquet")\nX_train, X_val, y_train, y_val = train_test_split(data.drop(columns="y"), data["y"])\nmodel.fit(X_train, y_train, validation_data=(X_val, y_val))\n',
      unsafe: true,
      errors: [{ line: 3, anchor: 'pandas.read_parquet("features.parquet")' }],
      output: 'import pandas\nfrom sklearn.model_selection import train_test_split\ndata = pandas.read_parquet("features.parquet").dropna()\nX_train, X_val, y_train, y_val = train_test_split(data.drop(columns="y"), data["y"])\nmodel.fit(X_train, y_train, validation_data=(X_val, y_val))\n',
    },
    {
      name: 'flags read_excel imported by name reaching tf.constant',
      code: 'from pandas import read_excel\nimport tensorflow as tf\nsheet = read_excel("prices.xlsx", sheet_name="2024")\nprices = tf.constant(sheet.values)\n',
      unsafe: true,
      errors: [{ line: 3, anchor: 'read_excel("prices.xlsx", sheet_name="2024")' }],
      output: 'from pandas import read_excel\nimport tensorflow as tf\nsheet = read_excel("prices.xlsx", sheet_name="2024").dropna()\nprices = tf.constant(sheet.values)\n',
    },
    {
      name: 'flags np.genfromtxt but offers no fix (an array has no dropna)',
      code: 'import numpy as np\nimport torch\ndata = np.genfromtxt("sensor.csv", delimiter=",", skip_header=1)\nx = torch.from_numpy(data[:, :-1]).float()\n',
      unsafe: true,
      errors: [{ line: 3, anchor: 'np.genfromtxt("sensor.csv", delimiter=",", skip_header=1)' }],
      output: null,
    },
    {
      name: 'flags np.loadtxt reaching a Dataset from_tensor_slices',
      code: 'import numpy as np\nimport tensorflow as tf\nrows = np.loadtxt("rows.txt")\nds = tf.data.Dataset.from_tensor_slices(rows)\n',
      unsafe: true,
      errors: [{ line: 3, anchor: 'np.loadtxt("rows.txt")' }],
      output: null,
    },
    {
      name: 'flags a load in a helper function whose result reaches a tensor',
      code: 'import pandas as pd\nimport torch\ndef load_features(path):\n    frame = pd.read_csv(path)\n    return frame.values\n\nfeatures = torch.as_tensor(load_features("train.csv"))\n',
      unsafe: true,
      errors: [{ line: 4, anchor: 'pd.read_csv(path)' }],
      output: 'import pandas as pd\nimport torch\ndef load_features(path):\n    frame = pd.read_csv(path).dropna()\n    return frame.values\n\nfeatures = torch.as_tensor(load_features("train.csv"))\n',
    },
    {
      name: 'flags a Dataset class that reads the CSV in __init__',
      code: 'import pandas as pd\nimport torch\nfrom torch.utils.data import Dataset\nclass TabularDataset(Dataset):\n    def __init__(self, path):\n        self.frame = pd.read_csv(path)\n    def __len__(self):\n        return len(self.frame)\n    def __getitem__(self, i):\n        return torch.tensor(self.frame.iloc[i].values, dtype=torch.float32)\n',
      unsafe: true,
      errors: [{ line: 6, anchor: 'pd.read_csv(path)' }],
      output: 'import pandas as pd\nimport torch\nfrom torch.utils.data import Dataset\nclass TabularDataset(Dataset):\n    def __init__(self, path):\n        self.frame = pd.read_csv(path).dropna()\n    def __len__(self):\n        return len(self.frame)\n    def __getitem__(self, i):\n        return torch.tensor(self.frame.iloc[i].values, dtype=torch.float32)\n',
    },
    {
      name: 'flags a chunked read but offers no fix',
      code: 'import pandas as pd\nimport torch\nfor chunk in pd.read_csv("big.csv", chunksize=10000):\n    batch = torch.tensor(chunk.values)\n',
      unsafe: true,
      errors: [{ line: 3, anchor: 'pd.read_csv("big.csv", chunksize=10000)' }],
      output: null,
    },
  ],
});
