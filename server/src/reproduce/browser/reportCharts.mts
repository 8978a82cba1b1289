/**
 * Browser script of the reproduction report (bundled to dist/media/report.js, loaded by the webview
 * and inlined by `nanlint reproduce --html`): draws loss and gradient-norm curves per variant on log
 * scales with the first non-finite step marked, and turns source-line links into editor navigation
 * when running inside VS Code.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { ReproReport, RunReport } from '../../protocol/reproduce.js';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip);

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

const WRITTEN_COLOURS = ['#d62728', '#ff7f0e', '#8c564b'];
const FIXED_COLOURS = ['#1f77b4', '#2ca02c', '#17becf'];

function colour(run: RunReport, index: number): string {
  const palette = run.variant === 'as-written' ? WRITTEN_COLOURS : FIXED_COLOURS;
  return palette[index % palette.length] as string;
}

type Point = { x: number; y: number | null };

/** Log axes cannot show 0 or negative values: those points become gaps. */
function points(values: (number | null)[]): Point[] {
  return values.map((v, step) => ({ x: step, y: v !== null && v > 0 ? v : null }));
}

function lastPositive(values: (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v != null && v > 0) return v;
  }
  return null;
}

function nanMarkers(runs: RunReport[], series: (run: RunReport) => (number | null)[]): ChartDataset<'scatter', Point[]> {
  const data: Point[] = [];
  for (const run of runs) {
    const failure = run.firstNonFinite;
    if (failure === null) continue;
    data.push({ x: failure.step, y: lastPositive(series(run)) ?? 1 });
  }
  return {
    type: 'scatter',
    label: 'first NaN/Inf',
    data,
    pointStyle: 'crossRot',
    // A failure at step 0 sits on the axis: draw the whole cross, not the half inside the chart area.
    clip: false,
    pointRadius: 9,
    pointBorderWidth: 3,
    borderColor: '#e00000',
    backgroundColor: '#e00000',
  };
}

/** Labels only the powers of ten of a log axis, compactly: 0.001, 1, 1000, 1e-8, 1e+12. */
function powerOfTenLabel(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const exponent = Math.round(Math.log10(v));
  if (Math.abs(Math.log10(v) - exponent) > 1e-9) return '';
  return exponent >= -3 && exponent <= 3 ? String(10 ** exponent >= 1 ? 10 ** exponent : Number((10 ** exponent).toFixed(-exponent))) : `1e${exponent > 0 ? '+' : ''}${exponent}`;
}

function drawChart(canvas: HTMLCanvasElement, report: ReproReport, title: string, axis: string, series: (run: RunReport) => (number | null)[], dashed?: (run: RunReport) => (number | null)[] | null): void {
  const seedIndex = new Map(report.seeds.map((seed, i) => [seed, i]));
  const datasets: ChartDataset<'line' | 'scatter', Point[]>[] = [];
  for (const run of report.runs) {
    const c = colour(run, seedIndex.get(run.seed) ?? 0);
    datasets.push({
      type: 'line',
      label: `${run.label} · seed ${run.seed}`,
      data: points(series(run)),
      borderColor: c,
      backgroundColor: c,
      borderWidth: 1.5,
      pointRadius: 0,
      spanGaps: false,
    });
    const extra = dashed?.(run);
    if (extra) {
      datasets.push({
        type: 'line',
        label: `${run.label} · seed ${run.seed} (applied)`,
        data: points(extra),
        borderColor: c,
        borderDash: [5, 4],
        borderWidth: 1,
        pointRadius: 0,
      });
    }
  }
  const markers = nanMarkers(report.runs, series);
  if (markers.data.length > 0) datasets.push(markers);
  new Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' }, min: 0, max: Math.max(1, report.steps - 1) },
        y: { type: 'logarithmic', title: { display: true, text: axis }, ticks: { callback: powerOfTenLabel, autoSkip: true, maxTicksLimit: 12 } },
      },
      plugins: {
        title: { display: true, text: title },
        // The dashed "applied" twins share their run's colour; the title explains them.
        legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 11 }, filter: (item) => !item.text.endsWith('(applied)') } },
      },
    },
  });
}

function main(): void {
  const data = document.getElementById('nanlint-report-data');
  if (data === null) return;
  const report = JSON.parse(data.textContent ?? '{}') as ReproReport;
  const loss = document.getElementById('loss-chart');
  if (loss instanceof HTMLCanvasElement) drawChart(loss, report, 'Loss per step', 'loss (log scale)', (r) => r.loss);
  const grad = document.getElementById('grad-chart');
  if (grad instanceof HTMLCanvasElement) {
    drawChart(grad, report, 'Global gradient norm per step (dashed: as applied, after clipping)', 'gradient norm (log scale)', (r) => r.gradNorm, (r) =>
      r.config.clip.kind === null ? null : r.gradNormApplied,
    );
  }
  const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
  if (vscode !== null) {
    for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('a[data-line]'))) {
      link.addEventListener('click', (event) => {
        event.preventDefault();
        vscode.postMessage({ type: 'reveal', line: Number(link.dataset.line) });
      });
    }
  }
}

main();
