// Wall time and peak memory of a full reproduction report (3 seeds x 2 variants + learning-rate sweep)
// per scenario, through the real worker processes on wasm. Targets (reproduce.md): < 20 s for recurrent
// scenarios, < 5 s for MLP ones, on 2 cores.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import type { ReproReport, TrainingConfig } from '../server/src/protocol/reproduce';
import { runReproduction } from '../server/src/reproduce/runReproduction';
import { scenarioFor } from '../server/src/reproduce/scenarios';
import {
  adamLstm,
  clipBeforeBackward,
  constantColumnStd,
  handwrittenLogSoftmax,
  missingValues,
  sgdLstm,
  sigmoidHandwrittenBce,
} from '../test/reproduce/trainingConfigs';
import { headline, mib, table } from './stats';

const WORKER = path.join(__dirname, '..', 'reproWorker.js');
const SEQUENCE_TARGET_S = 20;
/** USER_HZ on Linux. */
const CLOCK_TICKS = 100;
const MLP_TARGET_S = 5;

const CASES: { name: string; config: TrainingConfig }[] = [
  { name: 'LSTM, Adam lr 0.01 (not reproduced)', config: adamLstm() },
  { name: 'LSTM, SGD lr 1.0', config: sgdLstm() },
  { name: 'attention, Adam lr 0.01', config: { ...adamLstm(), model: { value: 'attention', line: 7, assumed: false } } },
  { name: 'MLP, hand-written log(softmax), Adam lr 1.0', config: handwrittenLogSoftmax(1.0) },
  { name: 'MLP, sigmoid + hand-written BCE, Adam lr 0.1', config: sigmoidHandwrittenBce() },
  { name: 'tabular, constant column / std', config: constantColumnStd() },
  { name: 'tabular, NaN cells', config: missingValues() },
  { name: 'unnormalised regression, clip before backward', config: clipBeforeBackward() },
];

/** CPU seconds (user + system) a live process has used, from /proc; 0 once it has exited. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Peak resident set (VmHWM) of a live process, from /proc; 0 once it has exited. */
function peakRss(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Measurement {
  report: ReproReport;
  seconds: number;
  /** The busiest worker's CPU time: the wall time to expect when each worker has a core to itself. */
  cpuPerWorker: number;
  peakPerWorker: number;
  peakTotal: number;
}

async function measure(config: TrainingConfig): Promise<Measurement> {
  const pids: number[] = [];
  const peaks = new Map<number, number>();
  const cpu = new Map<number, number>();
  const poll = setInterval(() => {
    for (const pid of pids) {
      peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peakRss(pid)));
      cpu.set(pid, Math.max(cpu.get(pid) ?? 0, cpuSeconds(pid)));
    }
  }, 50);
  const started = performance.now();
  try {
    const report = await runReproduction(config, { file: 'bench.py', backend: 'wasm', timeoutMs: 600_000, workerPath: WORKER, onWorkerStart: (pid) => pids.push(pid) });
    const values = [...peaks.values()];
    return {
      report,
      seconds: (performance.now() - started) / 1000,
      cpuPerWorker: Math.max(0, ...cpu.values()),
      peakPerWorker: Math.max(0, ...values),
      peakTotal: values.reduce((a, b) => a + b, 0),
    };
  } finally {
    clearInterval(poll);
  }
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  const rows: string[][] = [];
  const lines: string[] = [];
  for (const { name, config } of CASES) {
    const { report, seconds, cpuPerWorker, peakPerWorker, peakTotal } = await measure(config);
    const sequence = ['recurrent-regression', 'attention-regression'].includes(scenarioFor(config).id);
    const mlp = scenarioFor(config).id === 'mlp-classifier';
    const target = sequence ? SEQUENCE_TARGET_S : mlp ? MLP_TARGET_S : null;
    const outcome = report.verdict.startsWith('Reproduced') ? 'reproduced' : 'not reproduced';
    rows.push([
      name,
      report.scenario.id,
      String(report.steps),
      outcome,
      `${seconds.toFixed(1)} s`,
      `${cpuPerWorker.toFixed(1)} s`,
      target === null ? '—' : `< ${target} s`,
      mib(peakPerWorker),
      mib(peakTotal),
    ]);
    if (target !== null) {
      lines.push(headline(`reproduce ${name}: ${seconds.toFixed(1)} s wall, ${cpuPerWorker.toFixed(1)} s CPU per worker (target < ${target} s)`, seconds < target));
    }
  }

  const [load] = loadavg();
  console.log('## Reproduction runner (wasm, worker processes)\n');
  console.log(`Load average when the run began: ${loadAtStart.toFixed(1)}; when it ended: ${(load ?? 0).toFixed(1)}. CPU time is the busiest worker's, the wall time to expect on an idle machine with a core per worker.\n`);
  console.log(table(['case', 'scenario', 'steps', 'outcome', 'full report (wall)', 'CPU / worker', 'target', 'peak RSS / worker (MiB)', 'peak RSS, all workers (MiB)'], rows));
  console.log('');
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
