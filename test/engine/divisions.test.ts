import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../server/src/engine/facts/facts';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

function divisionsOf(text: string) {
  const model = new SemanticModel(parse(text), text);
  return buildFacts(model).divisions;
}

/** The statistic kind of the file's last division (null when it is not a bare statistic). */
function lastStatistic(text: string): string | null {
  const divisions = divisionsOf(text);
  return divisions[divisions.length - 1]?.statistic?.kind ?? null;
}

const IMPORTS = 'import numpy as np\nimport torch\nimport tensorflow as tf\nimport statistics\n';

describe('divisions', () => {
  it('collects / and /= with their denominators, and skips //', () => {
    const divisions = divisionsOf('a = x / y\nb //= z\nc /= w\nd = "a/b"\ne = p // q\n');
    expect(divisions.map((division) => division.denominator.text)).toEqual(['y', 'w']);
  });

  it('collects divisions nested in calls, comprehensions and lambdas', () => {
    const divisions = divisionsOf('f(a / b)\nys = [v / s for v in vs]\ng = lambda t: t / n\n');
    expect(divisions.map((division) => division.denominator.text)).toEqual(['b', 's', 'n']);
  });

  it.each([
    ['x / x.std()', 'std'],
    ['(x - m) / x.std(axis=0)', 'std'],
    ['x / np.std(x)', 'std'],
    ['x / torch.std(x, dim=0)', 'std'],
    ['x / tf.math.reduce_std(x)', 'std'],
    ['x / statistics.stdev(xs)', 'std'],
    ['x / x.var()', 'var'],
    ['x / np.var(x)', 'var'],
    ['x / np.linalg.norm(x)', 'norm'],
    ['x / torch.norm(x)', 'norm'],
    ['x / x.norm(dim=1, keepdim=True)', 'norm'],
    ['x / (x.max() - x.min())', 'range'],
    ['x / (np.max(x) - np.min(x))', 'range'],
    ['x / (x.max(dim=0).values - x.min(dim=0).values)', 'range'],
    ['x / (torch.max(x, 0)[0] - torch.min(x, 0)[0])', 'range'],
    ['x / np.ptp(x)', 'range'],
    ['x / torch.sqrt(x.var())', 'std'],
    ['x / x.var().sqrt()', 'std'],
    ['x / x.var() ** 0.5', 'std'],
  ])('recognises %s', (line, kind) => {
    expect(lastStatistic(`${IMPORTS}${line}\n`)).toBe(kind);
  });

  it.each([
    ['x / (x.std() + 1e-8)'],
    ['x / (std + eps)'],
    ['x / x.std().clamp(min=1e-6)'],
    ['x / np.clip(x.std(), 1e-6, None)'],
    ['x / np.maximum(np.std(x), 1e-8)'],
    ['x / torch.sqrt(x.var() + 1e-5)'],
    ['x / 255.0'],
    ['x / len(loader)'],
    ['x / batch_size'],
    ['x / x.sum()'],
    ['x / (hi - lo)'],
  ])('does not count %s', (line) => {
    expect(lastStatistic(`${IMPORTS}${line}\n`)).toBeNull();
  });

  it('follows a name to the statistic it was assigned from, with the definition', () => {
    const divisions = divisionsOf(`${IMPORTS}std = data.std(axis=0)\nscale = std\nx = x / scale\n`);
    const statistic = divisions[0]?.statistic;
    expect(statistic?.kind).toBe('std');
    expect(statistic?.definition?.text).toBe('std = data.std(axis=0)');
  });

  it('follows self attributes and augmented division', () => {
    const text = `${IMPORTS}class Scaler:\n    def fit(self, x):\n        self.scale = x.std(0)\n    def transform(self, x):\n        x /= self.scale\n        return x\n`;
    expect(lastStatistic(text)).toBe('std');
  });

  it('follows names to a max - min range', () => {
    expect(lastStatistic(`${IMPORTS}hi = x.max(axis=0)\nlo = x.min(axis=0)\nrng = hi - lo\ny = x / rng\n`)).toBe('range');
  });

  it('does not resolve function parameters', () => {
    expect(lastStatistic(`${IMPORTS}def normalize(x, mean, std):\n    return (x - mean) / std\n`)).toBeNull();
  });

  it('does not count a local function named like a statistic', () => {
    expect(lastStatistic('def std(values):\n    return 1.0\ny = x / std(x)\n')).toBeNull();
  });

  it('sees zero entries replaced before the division', () => {
    expect(lastStatistic(`${IMPORTS}std = x.std(0)\nstd[std == 0] = 1.0\ny = x / std\n`)).toBeNull();
    expect(lastStatistic(`${IMPORTS}std = x.std(0)\nstd += 1e-8\ny = x / std\n`)).toBeNull();
    expect(lastStatistic(`${IMPORTS}std = x.std(0)\nstd = np.where(std == 0, 1.0, std)\ny = x / std\n`)).toBeNull();
  });

  it('sees a condition on the denominator around the division', () => {
    expect(lastStatistic(`${IMPORTS}std = x.std()\nif std > 0:\n    y = x / std\n`)).toBeNull();
    expect(lastStatistic(`${IMPORTS}std = x.std()\ny = x / std if std else x\n`)).toBeNull();
    expect(lastStatistic(`${IMPORTS}std = x.std()\nif verbose:\n    y = x / std\n`)).toBe('std');
    expect(lastStatistic(`${IMPORTS}std = x.std()\nif x.max() / std > 3:\n    pass\n`)).toBe('std');
    expect(lastStatistic(`${IMPORTS}std = x.std()\nif std == 0:\n    y = x\nelse:\n    y = x / std\n`)).toBeNull();
  });
});
