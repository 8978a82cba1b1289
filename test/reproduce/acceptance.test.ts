/**
 * The facts reproduce.md records, measured on the wasm backend with cpu confirmation, fixed seeds.
 * Runs in-process (the worker only adds a process boundary, tested in worker.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ReproReport } from '../../server/src/protocol/reproduce';
import { runReport } from '../../server/src/reproduce/runner';
import { adamLstm, clipBeforeBackward, constantColumnStd, handwrittenLogSoftmax } from './trainingConfigs';

function runsOf(report: ReproReport, variant: 'as-written' | 'fixed') {
  return report.runs.filter((r) => r.variant === variant);
}

describe('reproduction facts on wasm with cpu confirmation', () => {
  it('makes a hand-written log(softmax) at lr 1.0 NaN in 3/3 seeds at kernel Log while log_softmax stays finite', async () => {
    const report = await runReport(handwrittenLogSoftmax(1.0), { file: 'train.py', backend: 'wasm', steps: 60 });
    expect(report.backend).toBe('wasm');
    const written = runsOf(report, 'as-written');
    expect(written).toHaveLength(3);
    for (const run of written) {
      expect(run.firstNonFinite).not.toBeNull();
      expect(run.firstNonFinite?.op).toBe('Log');
      expect(run.firstNonFinite?.cpuConfirmed).toBe(true);
    }
    const fixed = runsOf(report, 'fixed');
    expect(fixed[0]?.config.loss).toBe('cross_entropy');
    for (const run of fixed) {
      expect(run.firstNonFinite).toBeNull();
      expect(run.stepsRun).toBe(60);
    }
    expect(report.verdict).toMatch(/^Reproduced\. As written: NaN\/Inf in 3\/3 seeds/);
    expect(report.tensorsLeaked).toBe(0);
  });

  it('makes an exactly constant column divided by its std NaN at step 0, confirmed on cpu, and the epsilon variant finite', async () => {
    const report = await runReport(constantColumnStd(), { file: 'prep.py', backend: 'wasm', steps: 40 });
    for (const run of runsOf(report, 'as-written')) {
      expect(run.firstNonFinite?.step).toBe(0);
      expect(run.firstNonFinite?.cpuConfirmed).toBe(true);
      expect(run.firstNonFinite?.cpuStep).toBe(0);
      expect(run.firstNonFinite?.op).toBe('RealDiv');
    }
    for (const run of runsOf(report, 'fixed')) {
      expect(run.config.epsilon).toBe(1e-8);
      expect(run.firstNonFinite).toBeNull();
      expect(run.loss.every((v) => v !== null && Number.isFinite(v))).toBe(true);
    }
    expect(report.tensorsLeaked).toBe(0);
  });

  it('reports that a clip placed before backward() returned 0 and how often the applied norm exceeded max_norm', async () => {
    const report = await runReport(clipBeforeBackward(), { file: 'regress.py', backend: 'wasm', steps: 40 });
    const clip = report.clipPlacement;
    expect(clip?.placement).toBe('before-backward');
    expect(clip?.returnedZeroShare).toBe(1);
    const written = runsOf(report, 'as-written');
    for (const run of written) expect(run.clipReturned?.every((v) => v === 0)).toBe(true);
    const applied = written.flatMap((r) => r.gradNormApplied).filter((v): v is number => v !== null);
    const measuredShare = applied.filter((v) => v > 1.0).length / applied.length;
    expect(clip?.appliedOverMaxShare).toBe(measuredShare);
    expect(report.verdict).toContain(`returned 0.0 in 100% of steps; the applied gradient norm exceeded max_norm=1 in ${Math.round(measuredShare * 100)}% of steps`);
    // The correctly placed clip (the fix) bounds every applied step.
    for (const run of runsOf(report, 'fixed')) {
      expect(run.firstNonFinite).toBeNull();
      for (const norm of run.gradNormApplied) expect(norm).toBeLessThanOrEqual(1.0 + 1e-5);
    }
  });

  it('says "not reproduced" for Adam lr 0.01 on a small LSTM and reports the margin the sweep found', async () => {
    const steps = 40;
    const report = await runReport(adamLstm(), { file: 'seq2seq.py', backend: 'wasm', steps });
    const written = runsOf(report, 'as-written');
    for (const run of written) {
      expect(run.firstNonFinite).toBeNull();
      expect(run.loss.every((v) => v !== null)).toBe(true);
      expect(run.nonFinite).toEqual({ loss: null, gradients: null, weights: null });
    }
    expect(report.verdict).toMatch(new RegExp(`^Not reproduced in ${steps} steps\\.`));
    expect(report.verdict).not.toMatch(/As written: NaN/);
    const row = report.margin.find((m) => m.variant === 'as-written');
    expect(row?.cells[0]).toMatchObject({ multiplier: 1, learningRate: 0.01, outcome: 'finite' });
    const failing = row?.cells.find((c) => c.outcome !== 'finite');
    expect(row?.failsFrom ?? null).toBe(failing?.multiplier ?? null);
    const marginSentence = row?.failsFrom == null ? 'as written finite up to x100' : `as written ${failing?.outcome === 'diverged' ? 'diverges' : 'goes NaN/Inf'} from x${row.failsFrom}`;
    expect(report.verdict).toContain(`Margin: ${marginSentence}`);
    expect(report.tensorsLeaked).toBe(0);
  }, 120_000);
});
