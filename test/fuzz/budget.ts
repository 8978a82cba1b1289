// One suite, two sizes: the quick run inside `npm test` (< 60 s on two cores) and the long run of
// `npm run fuzz` (vitest.fuzz.config.mts sets NANLINT_FUZZ=long), which adds up to ≥ 100,000 inputs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';

export const LONG = process.env.NANLINT_FUZZ === 'long';

/** Number of generated inputs for one property in the current mode. */
export function runs(quick: number, long: number): number {
  return LONG ? long : quick;
}

function seed(): number {
  const fixed = process.env.NANLINT_FUZZ_SEED;
  return fixed !== undefined ? Number(fixed) : Math.floor(Math.random() * 2 ** 31);
}

function report<Ts>(name: string, s: number, details: fc.RunDetails<Ts>): void {
  if (!details.failed) return;
  if (details.counterexample) {
    const dir = join(tmpdir(), 'nanlint-fuzz');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name.replace(/\W+/g, '-')}-${s}.json`);
    writeFileSync(file, JSON.stringify(details.counterexample, null, 2));
    console.log(`[fuzz] ${name}: counterexample written to ${file}`);
  }
  throw new Error(fc.defaultReportMessage(details), { cause: details.errorInstance });
}

/**
 * Runs a property with its seed printed first (so a crash that never reaches fast-check's report still
 * leaves it in the log). A counterexample is also written to a file, ready to become a regression fixture
 * under test/fuzz/regressions/.
 */
export function check<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<Ts>, numRuns: number): void {
  const s = seed();
  console.log(`[fuzz] ${name}: ${numRuns} runs, seed ${s} (replay: NANLINT_FUZZ_SEED=${s})`);
  report(name, s, fc.check(property, parameters(numRuns, s)));
}

export async function checkAsync<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IAsyncProperty<Ts>, numRuns: number): Promise<void> {
  const s = seed();
  console.log(`[fuzz] ${name}: ${numRuns} runs, seed ${s} (replay: NANLINT_FUZZ_SEED=${s})`);
  report(name, s, await fc.check(property, parameters(numRuns, s)));
}

// The quick run must stay short on a busy two-core machine: a property that runs out of time stops with
// the inputs it has checked (a failure found by then is still reported). The long run always finishes.
const QUICK_TIME_LIMIT_MS = 20_000;

function parameters<Ts>(numRuns: number, s: number): fc.Parameters<Ts> {
  return LONG ? { numRuns, seed: s } : { numRuns, seed: s, interruptAfterTimeLimit: QUICK_TIME_LIMIT_MS, markInterruptAsFailure: false };
}
