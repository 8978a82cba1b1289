/** The verdict is computed from the measurements: never a NaN that did not happen. */
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../server/src/protocol/reproduce';
import { composeVerdict } from '../../server/src/reproduce/verdict';

function finiteRun(variant: RunReport['variant'], seed: number, losses: number[], divergedAt: number | null = null): RunReport {
  return {
    label: variant === 'as-written' ? 'as written' : 'with fixes (NAN201)',
    variant,
    seed,
    config: { optimizer: 'Adam', learningRate: 0.01, loss: 'mse', outputActivation: 'linear', clip: { kind: null, maxValue: null, placement: 'none' }, zeroGrad: true, epsilon: null, dropMissing: false },
    loss: losses,
    gradNorm: losses.map((l) => l * 2),
    gradNormApplied: losses.map((l) => l * 2),
    maxAbsActivation: losses,
    minProbability: null,
    saturatedShare: null,
    clipReturned: null,
    nonFinite: { loss: null, gradients: null, weights: null },
    firstNonFinite: null,
    divergedAt,
    stepsRun: losses.length,
    finalLoss: losses[losses.length - 1] ?? null,
    wallMs: 1,
  };
}

describe('verdict', () => {
  it('says "not reproduced" with measured final losses when every run stayed finite', () => {
    const runs = [finiteRun('as-written', 0, [1, 0.5]), finiteRun('as-written', 1, [1, 0.25]), finiteRun('fixed', 0, [1, 0.75])];
    const verdict = composeVerdict(runs, [], null, 2);
    expect(verdict).toBe(
      'Not reproduced in 2 steps. As written: finite in all 2 seeds for 2 steps, final loss 0.25–0.5, max gradient norm 2. With fixes (NAN201): finite in all 1 seeds for 2 steps, final loss 0.75, max gradient norm 2.',
    );
  });

  it('reports divergence without calling it NaN', () => {
    const runs = [finiteRun('as-written', 0, [1, 20, 30], 1)];
    const verdict = composeVerdict(runs, [], null, 3);
    expect(verdict).toContain('Not reproduced in 3 steps');
    expect(verdict).toContain('the loss rose above 10x its start in 1/1 seeds (from step [1])');
    expect(verdict).not.toContain('NaN');
  });
});
