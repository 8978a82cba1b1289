/** The report page: CSP with nonce, no network resources, data embedded safely, both script modes. */
import { describe, expect, it } from 'vitest';
import type { ReproReport, RunReport } from '../../server/src/protocol/reproduce';
import { assembleReport, type PartialReport } from '../../server/src/reproduce/report';
import { renderReportHtml } from '../../server/src/reproduce/reportHtml';
import { constantColumnStd } from './trainingConfigs';

function run(variant: RunReport['variant'], seed: number, failedAt: number | null): RunReport {
  const loss = failedAt === null ? [1, 0.5, 0.25] : [1, null];
  return {
    label: variant === 'as-written' ? 'as written' : 'with fixes (NAN401)',
    variant,
    seed,
    config: { optimizer: 'SGD', learningRate: 0.01, loss: 'mse', outputActivation: 'linear', clip: { kind: null, maxValue: null, placement: 'none' }, zeroGrad: true, epsilon: null, dropMissing: false },
    loss,
    gradNorm: loss,
    gradNormApplied: loss,
    maxAbsActivation: loss,
    minProbability: null,
    saturatedShare: null,
    clipReturned: null,
    nonFinite: { loss: failedAt, gradients: failedAt, weights: null },
    firstNonFinite: failedAt === null ? null : { step: failedAt, tensor: 'loss', op: 'RealDiv', opBackend: 'cpu', cpuConfirmed: true, cpuStep: failedAt },
    divergedAt: null,
    stepsRun: loss.length,
    finalLoss: failedAt === null ? 0.25 : 1,
    wallMs: 5,
  };
}

function sampleReport(file = 'prep </script><b>.py'): ReproReport {
  const partial: PartialReport = {
    backend: 'wasm',
    steps: 3,
    marginSteps: 2,
    runs: [0, 1, 2].flatMap((seed) => [run('as-written', seed, 1), run('fixed', seed, null)]),
    margin: [
      { label: 'as written', variant: 'as-written', seed: 0, cells: [{ multiplier: 1, learningRate: 0.01, outcome: 'non-finite', step: 1, finalLoss: 1, maxGradNorm: 1 }], failsFrom: 1 },
      { label: 'with fixes (NAN401)', variant: 'fixed', seed: 0, cells: [{ multiplier: 1, learningRate: 0.01, outcome: 'finite', step: null, finalLoss: 0.25, maxGradNorm: 1 }], failsFrom: null },
    ],
    tensorsLeaked: 0,
    scenario: { id: 'tabular-constant-column', title: 'Tabular regression with a constant column', sample: 'MLP', data: 'rows', reductions: [] },
  };
  return assembleReport(constantColumnStd(), file, 0, [partial], 10);
}

describe('report HTML', () => {
  it('allows only nonce-tagged scripts and styles plus the webview source, and loads nothing from the network', () => {
    const html = renderReportHtml(sampleReport(), { nonce: 'abc123', cspSource: 'vscode-webview://x', scriptUri: 'vscode-webview://x/dist/media/report.js' });
    expect(html).toContain(`content="default-src 'none'; img-src data: vscode-webview://x; style-src 'nonce-abc123'; script-src 'nonce-abc123' vscode-webview://x;"`);
    expect(html).toContain('<script nonce="abc123" src="vscode-webview://x/dist/media/report.js"></script>');
    expect(html).toContain('<style nonce="abc123">');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('embeds the report as JSON that cannot close its script element', () => {
    const html = renderReportHtml(sampleReport(), { nonce: 'n' });
    const data = /<script type="application\/json" id="nanlint-report-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(data).toBeDefined();
    expect(data).not.toContain('</script>');
    expect((JSON.parse(data as string) as ReproReport).file).toBe('prep </script><b>.py');
  });

  it('inlines the chart script for a standalone file, escaping any closing script tag in it', () => {
    const html = renderReportHtml(sampleReport(), { nonce: 'n', scriptText: 'draw("</script>")' });
    expect(html).toContain('<script nonce="n">draw("<\\/script>")</script>');
  });

  it('shows the verdict, the margin per multiplier and each extracted value with its source line', () => {
    const report = sampleReport('prep.py');
    const html = renderReportHtml(report, { nonce: 'n' });
    expect(report.verdict).toMatch(/^Reproduced\. As written: NaN\/Inf in 3\/3 seeds, first at steps \[1, 1, 1\]/);
    expect(html).toContain('NaN/Inf at step 1</td>');
    expect(html).toContain('data-line="9">line 9</a>');
    expect(html).toContain('assumed default');
  });
});
