import type { DataLoadFact } from '../facts/dataLoads';
import type { SemanticModel } from '../semantic/model';
import { defineRule, type Fix } from '../rule';

export default defineRule({
  meta: {
    code: 'NAN402',
    name: 'unchecked-missing-values',
    frameworks: ['pytorch', 'keras'],
    severity: 'information',
    fix: 'unsafe',
    docs: {
      summary: 'Tabular data is loaded and fed to training with no missing-value handling anywhere in the file.',
      whatItDoes:
        'Flags `pd.read_csv`, `pd.read_parquet`, `pd.read_excel`, `np.genfromtxt` and `np.loadtxt` whose data reaches a tensor (`torch.tensor`, `torch.from_numpy`, `torch.as_tensor`, `torch.FloatTensor`, a `DataLoader`, `tf.constant`, `tf.convert_to_tensor`, `tf.data.Dataset.from_tensor_slices`) or a `fit(...)` call, directly or through names, tuple unpacking, `for` targets, the parameters and return values of functions defined in the same file, and `self.x` attributes of classes defined in it (a `Dataset` that reads the CSV in `__init__`). Silent when the file handles missing values anywhere: `dropna`, `fillna`, `isna`, `isnull`, `isnan`, `nan_to_num`, `interpolate`, an imputer (`SimpleImputer`, `KNNImputer`, ...), or the equivalent checks `notna`, `notnull`, `isfinite`, `ffill`, `bfill`. Silent when the data is only inspected (`df.describe()`) and never reaches training, and when it flows through another module.',
      whyNaN:
        'An empty cell becomes `NaN` in the loaded array. `NaN` survives every arithmetic operation, so the first batch that contains it produces a `NaN` loss and `NaN` gradients, and the optimizer writes `NaN` into every weight it touches: the model is ruined from that step on, even if the other rows are clean.',
      example:
        'import pandas as pd\nimport torch\n\ndf = pd.read_csv("train.csv")\nfeatures = torch.tensor(df.drop(columns="label").values, dtype=torch.float32)\n',
      useInstead:
        'import pandas as pd\nimport torch\n\ndf = pd.read_csv("train.csv").dropna()\nfeatures = torch.tensor(df.drop(columns="label").values, dtype=torch.float32)\n',
      fixSafety:
        'The fix appends `.dropna()` to a pandas load. It is unsafe (not preferred, never applied by `--fix` without `--unsafe-fixes`): dropping rows changes the data set, and imputing (`fillna`, `SimpleImputer`) is often the better choice. No fix is offered for NumPy loads (an array has no `dropna`), for `read_excel(sheet_name=...)` that can return several sheets, or for chunked reads (`chunksize=`, `iterator=True`).',
      whenToIgnore: 'The data is known to be complete (validated upstream, or a file you generate yourself).',
      references: [
        'https://pandas.pydata.org/docs/user_guide/missing_data.html',
        'https://scikit-learn.org/stable/modules/impute.html',
      ],
    },
  },
  check({ model, facts, report }) {
    const { loads, missingValueHandling } = facts.dataLoads;
    if (missingValueHandling.length > 0) return;
    for (const load of loads) {
      if (!load.reachesTraining) continue;
      const callee = load.call.callee?.text ?? load.function;
      report({
        node: load.call.node,
        message: `\`${callee}(...)\` data reaches training with no missing-value handling in the file: one empty cell becomes NaN and turns the loss NaN`,
        fix: () => dropnaFix(model, load),
      });
    }
  },
});

function dropnaFix(model: SemanticModel, load: DataLoadFact): Fix | undefined {
  const call = load.call;
  if (load.library !== 'pandas' || call.hasKeyword('chunksize') || call.hasKeyword('iterator')) return undefined;
  const sheet = call.keyword('sheet_name');
  if (sheet && typeof model.constantValue(sheet)?.value !== 'string' && typeof model.constantValue(sheet)?.value !== 'number') return undefined;
  const end = call.node.endIndex;
  return { title: 'Drop rows with missing values: append `.dropna()`', applicability: 'unsafe', edits: [{ start: end, end, content: '.dropna()' }] };
}
