import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import type { Region } from '../semantic/outline';
import type { CallFact } from './calls';
import type { StepCall, TrainingStep } from './trainingSteps';

/** Something that clears accumulated gradients: `optimizer.zero_grad()`, `p.grad = None`, `p.grad.zero_()`. */
export interface GradientReset {
  node: SyntaxNode;
  start: number;
}

/** Every gradient reset in the file, in document order; `zero_grad` calls come from the step calls. */
export function collectGradientResets(model: SemanticModel, calls: CallFact[], stepCalls: StepCall[]): GradientReset[] {
  const resets: GradientReset[] = stepCalls.filter((stepCall) => stepCall.kind === 'zero_grad').map(({ call }) => ({ node: call.node, start: call.start }));
  const { text } = model;
  if (!text.includes('.grad')) return resets;
  for (const call of calls) {
    if (call.method === 'zero_' && call.receiver && /\.grad(?:\.data)?$/.test(call.receiver.text)) resets.push({ node: call.node, start: call.start });
  }
  const seen = new Set<number>();
  for (const match of text.matchAll(/\.grad\s*=(?!=)/g)) {
    const statement = model.statementAt(match.index);
    if (!statement || seen.has(statement.start)) continue;
    seen.add(statement.start);
    const assignment = statement.node.firstNamedChild;
    if (assignment?.type !== 'assignment') continue;
    const target = assignment.childForFieldName('left');
    const value = assignment.childForFieldName('right');
    if (target?.type === 'attribute' && target.childForFieldName('attribute')?.text === 'grad' && value?.type === 'none') {
      resets.push({ node: assignment, start: assignment.startIndex });
    }
  }
  return resets.sort((a, b) => a.start - b.start);
}

/**
 * Whether gradients are cleared between the iterations of a training step: a reset anywhere in the
 * step's loop (inside an `if` for gradient accumulation, in a nested `for p in params` loop, in the
 * closure). A step written as a function is reset when the function, or the loop around one of its
 * call sites, resets; a function the file never calls is given the benefit of any reset in the file.
 * A step outside any loop or function runs once, so there is nothing to accumulate.
 */
export function stepResetsGradients(model: SemanticModel, resets: GradientReset[], calls: CallFact[], step: TrainingStep): boolean {
  const helperCalls = resettingHelperCalls(model, resets, calls);
  const within = (region: Region): boolean =>
    resets.some((reset) => reset.start >= region.start && reset.start < region.end) || helperCalls.some((start) => start >= region.start && start < region.end);
  if (step.closure && within(step.closure)) return true;
  const region = step.region;
  if (region.kind === 'loop') return within(region);
  if (region.kind !== 'function') return true;
  if (within(region)) return true;
  const callSites = calls.filter((call) => callsFunction(model, call, region));
  if (callSites.length === 0) return resets.length > 0;
  return callSites.some((call) => within(loopOrFunctionAround(model, call.region)));
}

const helperCallsByResets = new WeakMap<GradientReset[], number[]>();

/** Where local helpers that reset gradients (`def reset_gradients(): ...`) are called: a reset there too. */
function resettingHelperCalls(model: SemanticModel, resets: GradientReset[], calls: CallFact[]): number[] {
  let found = helperCallsByResets.get(resets);
  if (!found) {
    // The function each reset is in (only directly, as `def reset(): opt.zero_grad()` has it).
    const resetting = new Set(resets.map((reset) => model.functionOf(model.regionAt(reset.start))).filter((region) => region.kind === 'function'));
    const names = new Set([...resetting].map((region) => region.name));
    found = resetting.size === 0 ? [] : calls.filter((call) => {
      if (!names.has(call.method) || call.callee?.type !== 'identifier') return false;
      const helper = model.lookup(call.callee.text, call.start);
      return helper?.kind === 'def' && helper.region !== undefined && resetting.has(helper.region);
    }).map((call) => call.start);
    helperCallsByResets.set(resets, found);
  }
  return found;
}

/** `train_step(...)` or `self.train_step(...)` naming the function region `target`. */
function callsFunction(model: SemanticModel, call: CallFact, target: Region): boolean {
  if (call.method !== target.name || call.start >= target.start && call.start < target.end) return false;
  const callee = call.callee;
  if (callee?.type === 'identifier') return model.lookup(callee.text, callee.startIndex)?.region === target;
  return callee?.type === 'attribute' && call.receiver?.text === 'self' && target.parent?.kind === 'class';
}

function loopOrFunctionAround(model: SemanticModel, region: Region): Region {
  return region.kind === 'loop' ? region : model.functionOf(region);
}
