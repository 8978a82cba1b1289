/**
 * Puts measurements together into the report and computes its verdict. Free of TensorFlow.js, so the
 * parent process (LSP server, CLI) can assemble what its workers measured without loading it.
 */
import type {
  BackendName,
  ClipPlacementSummary,
  ExtractedSummary,
  MarginRow,
  ReproReport,
  RunReport,
  ScenarioDescription,
  TrainingConfig,
  VariantConfig,
  VariantKind,
} from '../protocol/reproduce';
import { asWritten, fixedLabel, withFixes } from './variants';
import { composeVerdict } from './verdict';

export const SEED_COUNT = 3;
export const MARGIN_MULTIPLIERS = [1, 3, 10, 30, 100];
export const AS_WRITTEN_LABEL = 'as written';

/**
 * The sweep's higher multipliers train for half the steps: a rate that blows up does so early, and the
 * halved horizon keeps a full report within its time budget. x1 is the full-length main run.
 */
export function marginSteps(steps: number): number {
  return Math.max(1, Math.ceil(steps / 2));
}

/** What one process measures: some of the variants, each over all seeds plus its margin sweep. */
export interface PartialReport {
  backend: BackendName;
  steps: number;
  marginSteps: number;
  runs: RunReport[];
  margin: MarginRow[];
  tensorsLeaked: number;
  scenario: Omit<ScenarioDescription, 'notEmulated'>;
}

export interface VariantPlan {
  kind: VariantKind;
  label: string;
  config: VariantConfig;
}

export function planVariants(config: TrainingConfig): { variants: VariantPlan[]; notEmulated: string[] } {
  const fixed = withFixes(config);
  return {
    variants: [
      { kind: 'as-written', label: AS_WRITTEN_LABEL, config: asWritten(config) },
      { kind: 'fixed', label: fixedLabel(fixed.applied), config: fixed.config },
    ],
    notEmulated: fixed.notEmulated,
  };
}

export function seedsFrom(base: number): number[] {
  return Array.from({ length: SEED_COUNT }, (_, i) => base + i);
}

export function summariseConfig(config: TrainingConfig): ExtractedSummary {
  const sources: Record<string, number> = {};
  const assumed: string[] = [];
  const fields = {
    model: config.model,
    hidden: config.hidden,
    sequenceLength: config.sequenceLength,
    batchSize: config.batchSize,
    inputFeatures: config.inputFeatures,
    outputUnits: config.outputUnits,
    outputActivation: config.outputActivation,
    loss: config.loss,
    optimizer: config.optimizer,
    learningRate: config.learningRate,
    clip: config.clip,
    zeroGrad: config.zeroGrad,
    divisionWithoutEpsilon: config.divisionWithoutEpsilon,
    missingValuesUnchecked: config.missingValuesUnchecked,
  };
  for (const [name, sourced] of Object.entries(fields)) {
    if (sourced.line !== null) sources[name] = sourced.line;
    if (sourced.assumed) assumed.push(name);
  }
  const clip = config.clip.value;
  return {
    framework: config.framework,
    model: config.model.value,
    hidden: config.hidden.value,
    sequenceLength: config.sequenceLength.value,
    batchSize: config.batchSize.value,
    inputFeatures: config.inputFeatures.value,
    outputUnits: config.outputUnits.value,
    outputActivation: config.outputActivation.value,
    loss: config.loss.value,
    optimizer: config.optimizer.value,
    learningRate: config.learningRate.value,
    clipNorm: clip.kind === 'norm' ? clip.maxValue : null,
    clipValue: clip.kind === 'value' ? clip.maxValue : null,
    clipPlacement: clip.kind === null ? 'none' : clip.placement,
    zeroGrad: config.zeroGrad.value,
    divisionWithoutEpsilon: config.divisionWithoutEpsilon.value,
    missingValuesUnchecked: config.missingValuesUnchecked.value,
    findings: [...config.findings],
    sources,
    assumed,
  };
}

function summariseClip(written: RunReport[], variant: VariantConfig): ClipPlacementSummary | null {
  if (variant.clip.kind === null) return null;
  const returned = written.flatMap((r) => r.clipReturned ?? []);
  const applied = written.flatMap((r) => r.gradNormApplied);
  const maxNorm = variant.clip.kind === 'norm' ? variant.clip.maxValue : null;
  const measuredApplied = applied.filter((v): v is number => v !== null);
  const over = maxNorm === null ? null : measuredApplied.filter((v) => v > maxNorm).length;
  return {
    placement: variant.clip.placement,
    maxNorm,
    returnedZeroShare: returned.length === 0 ? 0 : returned.filter((v) => v === 0).length / returned.length,
    appliedOverMaxShare: over === null || measuredApplied.length === 0 ? null : over / measuredApplied.length,
    maxOverRatio: maxNorm === null || measuredApplied.length === 0 ? null : Math.max(...measuredApplied) / maxNorm,
  };
}

export const VARIANT_ORDER: VariantKind[] = ['as-written', 'fixed'];

/** Puts the measurements of one or more processes together and computes the verdict from them. */
export function assembleReport(config: TrainingConfig, file: string, seed: number, partials: PartialReport[], wallMs: number): ReproReport {
  const first = partials[0];
  if (first === undefined) throw new Error('no measurements to report');
  const backends = new Set(partials.map((p) => p.backend));
  if (backends.size > 1) throw new Error(`variants ran on different backends (${[...backends].join(', ')})`);
  const order = (kind: VariantKind) => VARIANT_ORDER.indexOf(kind);
  const runs = partials.flatMap((p) => p.runs).sort((a, b) => order(a.variant) - order(b.variant) || a.seed - b.seed);
  const margin = partials.flatMap((p) => p.margin).sort((a, b) => order(a.variant) - order(b.variant));
  const plan = planVariants(config);
  const written = runs.filter((r) => r.variant === 'as-written');
  const clipPlacement = summariseClip(written, (plan.variants[0] as VariantPlan).config);
  return {
    file,
    backend: first.backend,
    seed,
    seeds: seedsFrom(seed),
    steps: first.steps,
    marginSteps: first.marginSteps,
    scenario: { ...first.scenario, notEmulated: plan.notEmulated },
    extracted: summariseConfig(config),
    runs,
    margin,
    clipPlacement,
    verdict: composeVerdict(runs, margin, clipPlacement, first.steps, plan.notEmulated),
    tensorsLeaked: partials.reduce((sum, p) => sum + p.tensorsLeaked, 0),
    wallMs,
  };
}

