/**
 * The verdict sentence, computed only from measurements: it says "not reproduced" when nothing went
 * non-finite, and names steps, kernels, margins and clip behaviour exactly as measured.
 */
import type { ClipPlacementSummary, MarginRow, RunReport } from '../protocol/reproduce';

function formatNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(3)).toString();
}

function maxOf(values: (number | null)[]): number | null {
  let best: number | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}

function range(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? formatNumber(lo) : `${formatNumber(lo)}–${formatNumber(hi)}`;
}

function describeVariant(label: string, runs: RunReport[], steps: number): string {
  const failed = runs.filter((r) => r.firstNonFinite !== null);
  const n = runs.length;
  if (failed.length > 0) {
    const stepsList = failed.map((r) => r.firstNonFinite?.step ?? 0);
    const first = failed[0]?.firstNonFinite;
    const kernels = [...new Set(failed.map((r) => r.firstNonFinite?.op).filter((k): k is string => k != null))];
    const confirmed = failed.filter((r) => r.firstNonFinite?.cpuConfirmed === true).length;
    const checked = failed.filter((r) => r.firstNonFinite?.cpuConfirmed !== null).length;
    const details = [
      first ? `first non-finite tensor: ${first.tensor}` : null,
      kernels.length > 0 ? `first kernel ${kernels.map((k) => `\`${k}\``).join(' / ')}` : null,
      checked > 0 ? `confirmed on cpu in ${confirmed}/${checked}` : null,
    ].filter((d): d is string => d !== null);
    return `${label}: NaN/Inf in ${failed.length}/${n} seeds, first at step${failed.length > 1 ? 's' : ''} [${stepsList.join(', ')}] (${details.join('; ')})`;
  }
  const finals = runs.map((r) => r.finalLoss).filter((v): v is number => v !== null);
  const maxGrad = maxOf(runs.flatMap((r) => r.gradNorm));
  const diverged = runs.filter((r) => r.divergedAt !== null);
  const base = `${label}: finite in all ${n} seeds for ${steps} steps, final loss ${finals.length > 0 ? range(finals) : 'n/a'}, max gradient norm ${maxGrad === null ? 'n/a' : formatNumber(maxGrad)}`;
  if (diverged.length === 0) return base;
  return `${base}; the loss rose above 10x its start in ${diverged.length}/${n} seeds (from step${diverged.length > 1 ? 's' : ''} [${diverged.map((r) => r.divergedAt).join(', ')}])`;
}

function describeMargin(row: MarginRow): string {
  const largest = row.cells[row.cells.length - 1];
  if (row.failsFrom === null) return `${row.label} finite up to x${largest?.multiplier ?? 1} (lr ${formatNumber(largest?.learningRate ?? 0)})`;
  const cell = row.cells.find((c) => c.multiplier === row.failsFrom);
  const how = cell?.outcome === 'diverged' ? 'diverges' : 'goes NaN/Inf';
  return `${row.label} ${how} from x${row.failsFrom} (lr ${formatNumber(cell?.learningRate ?? 0)})`;
}

export function describeClip(summary: ClipPlacementSummary): string | null {
  if (summary.placement === 'after-backward' || summary.placement === 'none') return null;
  const pct = (share: number) => `${Math.round(share * 100)}%`;
  const over =
    summary.appliedOverMaxShare === null || summary.maxNorm === null
      ? ''
      : `; the applied gradient norm exceeded max_norm=${formatNumber(summary.maxNorm)} in ${pct(summary.appliedOverMaxShare)} of steps${summary.maxOverRatio !== null && summary.maxOverRatio > 1 ? ` (up to ${formatNumber(summary.maxOverRatio)}x)` : ''}`;
  const what =
    summary.placement === 'before-backward'
      ? `the clip placed before backward() returned 0.0 in ${pct(summary.returnedZeroShare)} of steps`
      : 'the clip placed after optimizer.step() only touched gradients the update had already used';
  return `${what}${over}`;
}

export function composeVerdict(
  runs: RunReport[],
  margin: MarginRow[],
  clip: ClipPlacementSummary | null,
  steps: number,
  notEmulated: readonly string[] = [],
): string {
  const written = runs.filter((r) => r.variant === 'as-written');
  const fixed = runs.filter((r) => r.variant === 'fixed');
  const reproduced = written.some((r) => r.firstNonFinite !== null);
  const parts = [describeVariant(written[0]?.label ?? 'as written', written, steps)];
  if (fixed.length > 0) parts.push(describeVariant(fixed[0]?.label ?? 'with fixes', fixed, steps));
  const clipSentence = clip === null ? null : describeClip(clip);
  if (clipSentence !== null) parts.push(clipSentence);
  if (margin.length > 0) parts.push(`margin: ${margin.map(describeMargin).join('; ')}`);
  if (notEmulated.length > 0) parts.push(`not emulated by the sample: ${notEmulated.join(', ')}`);
  const head = reproduced ? 'Reproduced' : `Not reproduced in ${steps} steps`;
  const sentences = parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1));
  return `${head}. ${sentences.join('. ')}.`;
}
