import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../server/src/engine/facts/facts';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

function dataLoadsOf(text: string) {
  const model = new SemanticModel(parse(text), text);
  return buildFacts(model).dataLoads;
}

/** Whether each load of the file reaches training, in document order. */
function reaches(text: string): boolean[] {
  return dataLoadsOf(`import pandas as pd\nimport numpy as np\nimport torch\nimport tensorflow as tf\n${text}`).loads.map((load) => load.reachesTraining);
}

describe('data loads', () => {
  it('collects pandas and numpy table loads through import aliases', () => {
    const { loads } = dataLoadsOf('import pandas\nfrom numpy import genfromtxt, loadtxt\na = pandas.read_csv("a.csv")\nb = pandas.read_parquet("b")\nc = pandas.read_excel("c.xlsx")\nd = genfromtxt("d")\ne = loadtxt("e")\n');
    expect(loads.map((load) => `${load.library}.${load.function}`)).toEqual(['pandas.read_csv', 'pandas.read_parquet', 'pandas.read_excel', 'numpy.genfromtxt', 'numpy.loadtxt']);
  });

  it('does not take a local read_csv for pandas', () => {
    expect(dataLoadsOf('def read_csv(path):\n    return []\nrows = read_csv("a.csv")\n').loads).toEqual([]);
  });

  it('collects missing-value handling calls', () => {
    const { missingValueHandling } = dataLoadsOf('import pandas as pd\nfrom sklearn.impute import SimpleImputer\ndf = pd.read_csv("a")\ndf.fillna(0)\nimp = SimpleImputer()\n# dropna would be nice\n');
    expect(missingValueHandling.map((call) => call.method)).toEqual(['fillna', 'SimpleImputer']);
  });

  it('follows a load through names to a tensor', () => {
    expect(reaches('df = pd.read_csv("a.csv")\nX = df.drop(columns="y").values\nxt = torch.tensor(X, dtype=torch.float32)\n')).toEqual([true]);
  });

  it('follows a load straight into a tensor', () => {
    expect(reaches('xt = torch.from_numpy(np.loadtxt("a.txt"))\n')).toEqual([true]);
  });

  it('follows tuple unpacking to fit', () => {
    expect(reaches('df = pd.read_csv("a.csv")\nX_train, X_test, y_train, y_test = train_test_split(df.values, df.y)\nmodel.fit(X_train, y_train, epochs=3)\n')).toEqual([true]);
  });

  it('follows a load returned from a helper function', () => {
    expect(reaches('def load(path):\n    frame = pd.read_csv(path)\n    return frame.values\n\ndata = load("a.csv")\nds = tf.data.Dataset.from_tensor_slices(data)\n')).toEqual([true]);
  });

  it('follows a frame passed into a helper function parameter', () => {
    expect(reaches('def to_tensor(frame):\n    return torch.tensor(frame.values)\n\ndf = pd.read_csv("a.csv")\nxt = to_tensor(df)\n')).toEqual([true]);
    expect(reaches('def to_tensor(frame=None):\n    return torch.tensor(frame.values)\n\ndf = pd.read_csv("a.csv")\nxt = to_tensor(frame=df)\n')).toEqual([true]);
  });

  it('follows self attributes of a Dataset class and its instance to a DataLoader', () => {
    const dataset = 'class Tabular(torch.utils.data.Dataset):\n    def __init__(self, path):\n        self.frame = pd.read_csv(path)\n    def __getitem__(self, i):\n        return torch.tensor(self.frame.iloc[i].values)\n';
    expect(reaches(dataset)).toEqual([true]);
    const plain = 'class Tabular:\n    def __init__(self, path):\n        self.rows = pd.read_csv(path).values\n\nds = Tabular("a.csv")\nloader = torch.utils.data.DataLoader(ds, batch_size=4)\n';
    expect(reaches(plain)).toEqual([true]);
  });

  it('follows a frame passed to a class constructor', () => {
    expect(reaches('class Rows:\n    def __init__(self, frame):\n        self.x = torch.tensor(frame.values)\n\ndf = pd.read_csv("a.csv")\nrows = Rows(df)\n')).toEqual([true]);
  });

  it('follows a for target over the data', () => {
    expect(reaches('df = pd.read_csv("a.csv")\nfor row in df.values:\n    t = torch.tensor(row)\n')).toEqual([true]);
  });

  it('stays silent for data that is only inspected', () => {
    expect(reaches('df = pd.read_csv("a.csv")\nprint(df.describe())\ndf.plot()\nother = torch.tensor([1.0, 2.0])\n')).toEqual([false]);
  });

  it('tells loads apart: only the one that reaches training', () => {
    expect(reaches('labels = pd.read_csv("labels.csv")\nprint(labels.head())\ntrain = pd.read_csv("train.csv")\nmodel.fit(train.values, y)\n')).toEqual([false, true]);
  });

  it('does not take a keyword argument named like the data for the data', () => {
    expect(reaches('df = pd.read_csv("a.csv")\nprint(df)\nmodel.fit(df=other)\n')).toEqual([false]);
    expect(reaches('df = pd.read_csv("a.csv")\nmodel.fit(x=df)\n')).toEqual([true]);
  });

  it('ends on an assignment whose target a syntax error left empty, and still follows the other loads', () => {
    // `: = pd.read_parquet(path)` parses as an assignment to a MISSING identifier (found by the long fuzz run).
    const text = 'frame = pd.read_csv("a.csv")\nx = torch.tensor(frame.values)\n\ndef load_usage(path)usage\n    : = pd.read_parquet(path)\n    return usage\n';
    expect(reaches(text)).toEqual([true, false]);
  });

  it('does not confuse a same-named variable in another function', () => {
    expect(reaches('def inspect():\n    df = pd.read_csv("a.csv")\n    print(df)\n\ndef train(df):\n    model.fit(df)\n')).toEqual([false]);
  });
});
