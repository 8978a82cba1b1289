/**
 * Renders a reproduction report as one HTML page: verdict, provenance, the curves (drawn by
 * dist/media/report.js with the bundled chart.js, never a CDN), the margin table and the extracted
 * configuration with links back to source lines. The same page serves the VS Code webview (script by
 * URI under a nonce-based CSP) and `nanlint reproduce --html` (script inlined).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MarginCell, ReproReport, RunReport } from '../protocol/reproduce';
import { MARGIN_MULTIPLIERS } from './report';
import { describeClip } from './verdict';

export interface ReportHtmlOptions {
  /** Nonce for the CSP and every script/style tag; one is generated when absent. */
  nonce?: string;
  /** The webview's `cspSource`, allowed for the script file. */
  cspSource?: string;
  /** URI of report.js (webview: `asWebviewUri`). */
  scriptUri?: string;
  /** The text of report.js, inlined when no URI is given (standalone HTML file). */
  scriptText?: string;
}

/** dist/media/report.js seen from the bundles in dist/ or from the sources. */
export function reportScriptPath(): string {
  const candidates = [path.join(__dirname, 'media', 'report.js'), path.join(__dirname, '..', '..', '..', 'dist', 'media', 'report.js')];
  return candidates.find((candidate) => existsSync(candidate)) ?? (candidates[0] as string);
}

export function readReportScript(): string {
  return readFileSync(reportScriptPath(), 'utf8');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function code(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function num(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(3)).toString();
}

function randomNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let nonce = '';
  for (let i = 0; i < 32; i++) nonce += alphabet.charAt(Math.floor(Math.random() * alphabet.length));
  return nonce;
}

function maxOf(values: (number | null)[]): number | null {
  let best: number | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}

function variantRows(report: ReproReport): string {
  const groups = new Map<string, RunReport[]>();
  for (const run of report.runs) groups.set(run.label, [...(groups.get(run.label) ?? []), run]);
  const rows = [...groups.entries()].map(([label, runs]) => {
    const failed = runs.filter((r) => r.firstNonFinite !== null);
    const first = failed[0]?.firstNonFinite ?? null;
    const kernels = [...new Set(failed.map((r) => r.firstNonFinite?.op).filter((k): k is string => k != null))];
    const confirmations = failed.map((r) => r.firstNonFinite?.cpuConfirmed).filter((c): c is boolean => c != null);
    const finals = runs.map((r) => r.finalLoss).filter((v): v is number => v !== null);
    const outcome =
      failed.length > 0
        ? `<span class="bad">NaN/Inf in ${failed.length}/${runs.length}</span>`
        : `<span class="good">finite in ${runs.length}/${runs.length}</span>`;
    return `<tr><th scope="row">${escapeHtml(label)}</th><td>${outcome}</td>
<td>${failed.length > 0 ? failed.map((r) => r.firstNonFinite?.step).join(', ') : '—'}</td>
<td>${first ? escapeHtml(first.tensor) : '—'}</td>
<td>${kernels.length > 0 ? kernels.map((k) => `<code>${escapeHtml(k)}</code>`).join(' / ') : '—'}</td>
<td>${confirmations.length > 0 ? `${confirmations.filter(Boolean).length}/${confirmations.length}` : '—'}</td>
<td>${finals.length > 0 ? finals.map(num).join(', ') : '—'}</td>
<td>${num(maxOf(runs.flatMap((r) => r.gradNorm)))}</td>
<td>${num(maxOf(runs.flatMap((r) => r.maxAbsActivation)))}</td></tr>`;
  });
  return `<table><thead><tr><th>variant</th><th>outcome (seeds)</th><th>first non-finite step</th><th>first non-finite tensor</th><th>first kernel</th><th>cpu-confirmed</th><th>final (last finite) loss</th><th>max grad norm</th><th>max |logit|</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function marginCellHtml(cell: MarginCell | undefined): string {
  if (cell === undefined) return '<td class="muted">not run</td>';
  if (cell.outcome === 'non-finite') return `<td class="bad">NaN/Inf at step ${cell.step}</td>`;
  if (cell.outcome === 'diverged') return `<td class="warn">diverged (loss ${num(cell.finalLoss)})</td>`;
  return `<td class="good">finite (loss ${num(cell.finalLoss)})</td>`;
}

function marginTable(report: ReproReport): string {
  const header = MARGIN_MULTIPLIERS.map((m) => `<th>x${m}</th>`).join('');
  const rows = report.margin.map((row) => {
    const cells = MARGIN_MULTIPLIERS.map((m) => marginCellHtml(row.cells.find((c) => c.multiplier === m))).join('');
    const base = row.cells[0]?.learningRate ?? null;
    return `<tr><th scope="row">${escapeHtml(row.label)} <span class="muted">(lr ${num(base)}, seed ${row.seed})</span></th>${cells}</tr>`;
  });
  return `<table><thead><tr><th>variant</th>${header}</tr></thead><tbody>${rows.join('\n')}</tbody></table>
<p class="muted">Each column multiplies the variant's learning rate. x1 is the main run (${report.steps} steps); the higher multipliers run ${report.marginSteps} steps and stop at the first that fails. "Diverged" means the loss ended, and stayed, above 10x its start.</p>`;
}

const CONFIG_LABELS: [keyof ReproReport['extracted'] & string, string][] = [
  ['framework', 'framework'],
  ['model', 'model'],
  ['hidden', 'hidden size'],
  ['sequenceLength', 'sequence length'],
  ['batchSize', 'batch size'],
  ['inputFeatures', 'input features'],
  ['outputUnits', 'output units'],
  ['outputActivation', 'output activation'],
  ['loss', 'loss'],
  ['optimizer', 'optimizer'],
  ['learningRate', 'learning rate'],
  ['clipPlacement', 'clipping'],
  ['zeroGrad', 'zero_grad'],
  ['divisionWithoutEpsilon', 'division without epsilon'],
  ['missingValuesUnchecked', 'missing values unchecked'],
];

/** Where a summary field's value came from: the summary's clip fields share the `clip` source. */
function sourceKey(field: string): string {
  return field === 'clipPlacement' ? 'clip' : field;
}

function configTable(report: ReproReport): string {
  const e = report.extracted;
  const fileUri = `file://${encodeURI(path.resolve(report.file))}`;
  const rows = CONFIG_LABELS.map(([field, label]) => {
    let value: string;
    if (field === 'clipPlacement') {
      value =
        e.clipPlacement === 'none'
          ? 'none'
          : `${e.clipNorm !== null ? `norm ${e.clipNorm}` : `value ${e.clipValue}`}, ${e.clipPlacement}`;
    } else {
      value = String(e[field]);
    }
    const line = e.sources[sourceKey(field)];
    const source =
      line !== undefined
        ? `<a href="${escapeHtml(`${fileUri}#L${line}`)}" data-line="${line}">line ${line}</a>`
        : e.assumed.includes(sourceKey(field))
          ? '<span class="muted">assumed default</span>'
          : '<span class="muted">—</span>';
    return `<tr><th scope="row">${escapeHtml(label)}</th><td><code>${escapeHtml(value)}</code></td><td>${source}</td></tr>`;
  });
  return `<table class="config"><thead><tr><th>setting</th><th>value</th><th>source</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>
<p class="muted">Diagnostics whose fixes make the fixed variant: ${e.findings.length > 0 ? e.findings.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ') : 'none'}.</p>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: 13px; color: var(--vscode-editor-foreground, #1e1e1e);
  background: var(--vscode-editor-background, #ffffff); margin: 0 auto; padding: 16px 24px; max-width: 1100px; }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 14px; margin: 22px 0 6px; border-bottom: 1px solid rgba(128,128,128,.35); padding-bottom: 3px; }
.verdict { font-size: 14px; line-height: 1.45; padding: 10px 12px; border-left: 4px solid #888; background: rgba(128,128,128,.08); }
.verdict.reproduced { border-color: #d62728; }
.verdict.not-reproduced { border-color: #2ca02c; }
table { border-collapse: collapse; margin: 4px 0; }
th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; border-bottom: 1px solid rgba(128,128,128,.2); }
thead th { font-weight: 600; }
tbody th { font-weight: normal; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.chart { position: relative; height: 340px; }
.muted { opacity: .7; }
.bad { color: #c62828; font-weight: 600; } .good { color: #2e7d32; } .warn { color: #b26a00; font-weight: 600; }
code { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: 12px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dt { opacity: .7; } dd { margin: 0; }
a { color: var(--vscode-textLink-foreground, #0b62c4); }
`;

export function renderReportHtml(report: ReproReport, options: ReportHtmlOptions = {}): string {
  const nonce = options.nonce ?? randomNonce();
  const reproduced = report.runs.some((r) => r.variant === 'as-written' && r.firstNonFinite !== null);
  const status = reproduced ? 'reproduced' : 'not-reproduced';
  const scriptSources = [`'nonce-${nonce}'`, options.cspSource].filter(Boolean).join(' ');
  const csp = `default-src 'none'; img-src data:${options.cspSource ? ` ${options.cspSource}` : ''}; style-src 'nonce-${nonce}'; script-src ${scriptSources};`;
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  const script = options.scriptUri
    ? `<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>`
    : options.scriptText !== undefined
      ? `<script nonce="${nonce}">${options.scriptText.replace(/<\/script/gi, '<\\/script')}</script>`
      : '';
  const scenario = report.scenario;
  const clipSentence = report.clipPlacement === null ? null : describeClip(report.clipPlacement);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nanlint reproduction: ${escapeHtml(path.basename(report.file))}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<h1>Reproduction on a sample model: <code>${escapeHtml(report.file)}</code></h1>
<p class="verdict ${status}">${code(report.verdict)}</p>
<h2>Sample and provenance</h2>
<dl>
<dt>scenario</dt><dd>${escapeHtml(scenario.title)}</dd>
<dt>sample model</dt><dd>${escapeHtml(scenario.sample)}</dd>
<dt>data</dt><dd>${escapeHtml(scenario.data)}</dd>
<dt>runs</dt><dd>seeds ${report.seeds.join(', ')} · ${report.steps} steps · backend <code>${report.backend}</code> · ${(report.wallMs / 1000).toFixed(1)} s</dd>
${scenario.reductions.length > 0 ? `<dt>reduced</dt><dd>${escapeHtml(scenario.reductions.join(', '))}</dd>` : ''}
${scenario.notEmulated.length > 0 ? `<dt>not emulated</dt><dd>fixes of ${escapeHtml(scenario.notEmulated.join(', '))} have no counterpart in the sample</dd>` : ''}
</dl>
<h2>Curves</h2>
<div class="charts"><div class="chart"><canvas id="loss-chart" role="img" aria-label="loss per step"></canvas></div>
<div class="chart"><canvas id="grad-chart" role="img" aria-label="gradient norm per step"></canvas></div></div>
<p class="muted">A red × marks each run's first NaN/Inf, drawn at its last finite value. Gaps are values of exactly 0, which a log scale cannot show.</p>
<h2>Variants</h2>
${variantRows(report)}
${clipSentence !== null ? `<h2>Clip placement</h2><p>${code(clipSentence[0]?.toUpperCase() + clipSentence.slice(1))}.</p>` : ''}
<h2>Learning-rate margin</h2>
${marginTable(report)}
<h2>Extracted configuration</h2>
${configTable(report)}
<script type="application/json" id="nanlint-report-data">${data}</script>
${script}
</body>
</html>
`;
}
