import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import type { Region } from '../semantic/outline';
import { CLIP_FUNCTIONS, TF_CLIP_FUNCTIONS } from './api';
import type { CallFact } from './calls';
import { optimizerOf, type OptimizerFact } from './optimizers';

export type StepCallKind = 'backward' | 'step' | 'zero_grad' | 'clip' | 'unscale';

export interface StepCall {
  kind: StepCallKind;
  call: CallFact;
}

/**
 * A PyTorch training step: a `backward()` and the `optimizer.step()` it feeds, met in the same loop
 * body or function (or through an LBFGS-style closure), with the calls around them in source order.
 */
export interface TrainingStep {
  /** The loop or function both calls live in (for a closure: the step's). */
  region: Region;
  backward: CallFact;
  step: CallFact;
  /** The optimizer expression: `optimizer` in `optimizer.step()` or `scaler.step(optimizer)`. */
  optimizerExpression: SyntaxNode | null;
  optimizer: OptimizerFact | undefined;
  /** `scaler` in `scaler.step(optimizer)`; the backward is then `scaler.scale(loss).backward()`. */
  scaler: SyntaxNode | null;
  /** The closure function when `backward()` happens inside `def closure()` passed to `step(closure)`. */
  closure: Region | null;
  /** Every backward/step/zero_grad/clip/unscale call of the region (and closure), in source order. */
  calls: StepCall[];
}

/** `tape.gradient(...)` followed by `optimizer.apply_gradients(...)` in one function. */
export interface TapeStep {
  gradient: CallFact;
  apply: CallFact;
  /** `tf.clip_by_*` calls between the two. */
  clips: CallFact[];
  optimizer: OptimizerFact | undefined;
}

export interface StepFacts {
  stepCalls: StepCall[];
  trainingSteps: TrainingStep[];
  tapeSteps: TapeStep[];
}

const NOT_A_BACKWARD = new Set(['torch.distributed.autograd.backward']);

function classify(model: SemanticModel, optimizers: OptimizerFact[], call: CallFact): StepCallKind | null {
  const method = call.method;
  switch (method) {
    case 'backward':
    case 'manual_backward':
      return call.qualifiedName && NOT_A_BACKWARD.has(call.qualifiedName) ? null : 'backward';
    case 'zero_grad':
      return 'zero_grad';
    case 'unscale_':
      return 'unscale';
    case 'step':
      return isOptimizerStep(model, optimizers, call) ? 'step' : null;
    case 'clip_grad_norm_':
    case 'clip_grad_value_':
    case 'clip_grad_norm':
      if (call.qualifiedName !== null) return CLIP_FUNCTIONS.has(call.qualifiedName) ? 'clip' : null;
      // Accelerate's and Fabric's `accelerator.clip_grad_norm_(...)` count; a local function of that name does not.
      return call.receiver !== null ? 'clip' : null;
    default:
      return null;
  }
}

/** `optimizer.step()` or `scaler.step(optimizer)`; never `scheduler.step()`. */
function isOptimizerStep(model: SemanticModel, optimizers: OptimizerFact[], call: CallFact): boolean {
  const receiver = call.receiver;
  if (!receiver) return false;
  if (optimizerOf(model, optimizers, receiver)) return true;
  const origin = model.origin(receiver);
  const originName = origin.type === 'call' ? model.qualifiedName(origin.childForFieldName('function')!) : null;
  if (originName?.startsWith('torch.optim.lr_scheduler') || originName?.includes('scheduler')) return false;
  if (isGradScaler(model, receiver)) return true;
  // An optimizer passed in as a parameter: judged by its name.
  const name = receiver.type === 'attribute' ? receiver.childForFieldName('attribute')?.text ?? '' : receiver.text;
  return /opt/i.test(name) && !/sched/i.test(name);
}

function isGradScaler(model: SemanticModel, expression: SyntaxNode): boolean {
  const origin = model.origin(expression);
  if (origin.type === 'call') {
    const name = model.qualifiedName(origin.childForFieldName('function')!) ?? '';
    if (/GradScaler$/.test(name)) return true;
  }
  return /scaler/i.test(expression.text);
}

export function collectSteps(model: SemanticModel, calls: CallFact[], optimizers: OptimizerFact[]): StepFacts {
  const stepCalls: StepCall[] = [];
  const byRegion = new Map<Region, StepCall[]>();
  for (const call of calls) {
    const kind = classify(model, optimizers, call);
    if (!kind) continue;
    const stepCall = { kind, call };
    stepCalls.push(stepCall);
    const list = byRegion.get(call.region);
    if (list) list.push(stepCall);
    else byRegion.set(call.region, [stepCall]);
  }

  const trainingSteps: TrainingStep[] = [];
  for (const [region, regionCalls] of byRegion) {
    for (const stepCall of regionCalls) {
      if (stepCall.kind !== 'step') continue;
      const step = stepCall.call;
      const scaler = step.receiver && isGradScaler(model, step.receiver) && step.positional[0] ? step.receiver : null;
      const optimizerExpression = scaler ? (step.positional[0] ?? null) : step.receiver;
      const optimizer = optimizerExpression ? optimizerOf(model, optimizers, optimizerExpression) : undefined;
      const backward = lastBefore(regionCalls, 'backward', step.start);
      if (backward) {
        trainingSteps.push({ region, backward, step, optimizerExpression, optimizer, scaler, closure: null, calls: regionCalls });
        continue;
      }
      const closure = closureOf(model, step);
      const closureCalls = closure ? byRegion.get(closure) : undefined;
      const closureBackward = closureCalls?.find((call) => call.kind === 'backward');
      if (closure && closureCalls && closureBackward) {
        trainingSteps.push({
          region,
          backward: closureBackward.call,
          step,
          optimizerExpression,
          optimizer,
          scaler,
          closure,
          calls: [...closureCalls, ...regionCalls].sort((a, b) => a.call.start - b.call.start),
        });
      }
    }
  }
  trainingSteps.sort((a, b) => a.step.start - b.step.start);
  return { stepCalls, trainingSteps, tapeSteps: collectTapeSteps(model, calls, optimizers) };
}

/**
 * Whether a line inserted before the statement starting at `statementStart` runs after the step's backward.
 * Not when an unclosed bracket or a tuple (`(loss.backward(), optimizer.step())`) makes one statement hold
 * the backward and the later call: a fix's line there would run before the backward.
 */
export function insertsAfterBackward(step: TrainingStep, statementStart: number): boolean {
  return statementStart > step.backward.start;
}

/**
 * The step's calls of `kind` after its backward and before `end` (by default its `optimizer.step()`):
 * `clip_grad_norm_` or `scaler.unscale_` where they take effect on this step's gradients.
 */
export function callsAfterBackward(step: TrainingStep, kind: StepCallKind, end: number = step.step.start): CallFact[] {
  return step.calls.filter((other) => other.kind === kind && other.call.start > step.backward.start && other.call.start < end).map((other) => other.call);
}

function lastBefore(calls: StepCall[], kind: StepCallKind, offset: number): CallFact | undefined {
  let found: CallFact | undefined;
  for (const stepCall of calls) if (stepCall.kind === kind && stepCall.call.start < offset) found = stepCall.call;
  return found;
}

/** `optimizer.step(closure)` where `closure` is a local function. */
function closureOf(model: SemanticModel, step: CallFact): Region | null {
  const argument = step.positional[0] ?? step.keyword('closure');
  if (argument?.type !== 'identifier') return null;
  const binding = model.lookup(argument.text, argument.startIndex);
  return binding?.kind === 'def' && binding.region ? binding.region : null;
}

function collectTapeSteps(model: SemanticModel, calls: CallFact[], optimizers: OptimizerFact[]): TapeStep[] {
  const steps: TapeStep[] = [];
  const gradients = calls.filter((call) => call.method === 'gradient' && call.receiver !== null && model.qualifiedName(call.receiver) === null);
  if (gradients.length === 0) return steps;
  for (const apply of calls) {
    if (apply.method !== 'apply_gradients' || !apply.receiver) continue;
    const scope = model.functionOf(apply.region);
    let gradient: CallFact | undefined;
    for (const candidate of gradients) {
      if (candidate.start < apply.start && model.functionOf(candidate.region) === scope) gradient = candidate;
    }
    if (!gradient) continue;
    const from = gradient.start;
    const clips = calls.filter(
      (call) => call.start > from && call.start < apply.start && call.qualifiedName !== null && TF_CLIP_FUNCTIONS.has(call.qualifiedName),
    );
    steps.push({ gradient, apply, clips, optimizer: optimizerOf(model, optimizers, apply.receiver) });
  }
  return steps;
}
