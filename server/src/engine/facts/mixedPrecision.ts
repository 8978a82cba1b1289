import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import type { CallFact } from './calls';
import type { StepCall } from './trainingSteps';

export type AutocastPrecision = 'float16' | 'bfloat16' | 'other';

/** A `torch.autocast(...)` / `torch.cuda.amp.autocast()` region and what it computes in. */
export interface AutocastFact {
  call: CallFact;
  /** The canonical API: `torch.autocast`, `torch.cuda.amp.autocast`, ... */
  api: string;
  /** The precision inside the region; null when it cannot be resolved (a device or dtype from a variable). */
  precision: AutocastPrecision | null;
  /** The `dtype` argument as written, when given. */
  dtypeArgument: SyntaxNode | null;
  /** False only when `enabled=` resolves to `False`. */
  enabled: boolean;
  /** The `backward()` of the training step the region belongs to: one in the same function, or any for a `forward`. */
  backward: CallFact | null;
}

export interface MixedPrecisionFacts {
  autocasts: AutocastFact[];
  /** `GradScaler(...)` constructions, `scaler.scale(loss)` and apex `amp.scale_loss(...)` calls. */
  lossScaling: CallFact[];
}

// Where the device type and dtype sit positionally, and the dtype when none is given.
const AUTOCAST_APIS: Record<string, { devicePosition: number | null; dtypePosition: number; enabledPosition: number; defaultPrecision: AutocastPrecision | null }> = {
  'torch.autocast': { devicePosition: 0, dtypePosition: 1, enabledPosition: 2, defaultPrecision: null },
  'torch.amp.autocast': { devicePosition: 0, dtypePosition: 1, enabledPosition: 2, defaultPrecision: null },
  'torch.amp.autocast_mode.autocast': { devicePosition: 0, dtypePosition: 1, enabledPosition: 2, defaultPrecision: null },
  'torch.cuda.amp.autocast': { devicePosition: null, dtypePosition: 1, enabledPosition: 0, defaultPrecision: 'float16' },
  'torch.cuda.amp.autocast_mode.autocast': { devicePosition: null, dtypePosition: 1, enabledPosition: 0, defaultPrecision: 'float16' },
  'torch.cpu.amp.autocast': { devicePosition: null, dtypePosition: 1, enabledPosition: 0, defaultPrecision: 'bfloat16' },
};

// `torch.autocast(device_type)` without a dtype uses the device's default lower precision.
const DEVICE_DEFAULT_PRECISION: Record<string, AutocastPrecision> = { cuda: 'float16', mps: 'float16', cpu: 'bfloat16', xpu: 'bfloat16', hpu: 'bfloat16' };

const DTYPES: Record<string, AutocastPrecision> = {
  'torch.float16': 'float16',
  'torch.half': 'float16',
  'torch.bfloat16': 'bfloat16',
  'torch.float32': 'other',
  'torch.float': 'other',
  'torch.float64': 'other',
  'torch.double': 'other',
};

export function collectMixedPrecision(model: SemanticModel, calls: CallFact[], stepCalls: StepCall[]): MixedPrecisionFacts {
  const autocasts: AutocastFact[] = [];
  const lossScaling: CallFact[] = [];
  // Loss scaling only matters next to an autocast.
  if (!model.text.includes('autocast')) return { autocasts, lossScaling };
  const backwards = stepCalls.filter((stepCall) => stepCall.kind === 'backward').map((stepCall) => stepCall.call);
  for (const call of calls) {
    const name = call.qualifiedName;
    if (name && /GradScaler$/.test(name)) lossScaling.push(call);
    else if ((call.method === 'scale' && call.node.parent?.type === 'attribute' && call.node.parent.parent?.type === 'call') || call.method === 'scale_loss') {
      // `scaler.scale(loss).backward()`, apex `amp.scale_loss(loss, optimizer)`.
      lossScaling.push(call);
    }
    const api = name ? AUTOCAST_APIS[name] : undefined;
    if (!name || !api) continue;
    const argument = (keyword: string, position: number | null): SyntaxNode | null => call.keyword(keyword) ?? (position === null ? null : call.positional[position] ?? null);
    const dtypeArgument = argument('dtype', api.dtypePosition);
    const enabledArgument = argument('enabled', api.enabledPosition);
    const enabled = enabledArgument ? model.constantValue(enabledArgument)?.value !== false : true;
    let precision: AutocastPrecision | null;
    if (dtypeArgument) {
      const dtype = model.qualifiedName(model.origin(dtypeArgument));
      precision = dtype ? (DTYPES[dtype] ?? null) : null;
    } else if (api.devicePosition === null) {
      precision = api.defaultPrecision;
    } else {
      const device = argument('device_type', api.devicePosition);
      const value = device ? model.constantValue(device)?.value : undefined;
      precision = typeof value === 'string' ? (DEVICE_DEFAULT_PRECISION[value.split(':')[0]!] ?? null) : null;
    }
    autocasts.push({ call, api: name, precision, dtypeArgument, enabled, backward: backwardFor(model, call, backwards) });
  }
  return { autocasts, lossScaling };
}

/**
 * The training step an autocast belongs to: a `backward()` in the same function (for a decorator, the
 * decorated function), or, for an autocast in (or on) a model's `forward`, the file's first one.
 */
function backwardFor(model: SemanticModel, autocast: CallFact, backwards: CallFact[]): CallFact | null {
  const decorated = autocast.statement.type === 'decorator' ? autocast.node.parent?.parent?.childForFieldName('definition') : null;
  const body = decorated?.type === 'function_definition' ? decorated.childForFieldName('body') : null;
  const scope = model.functionOf(body ? model.regionAt(body.startIndex) : autocast.region);
  const sameFunction = backwards.find((backward) => model.functionOf(backward.region) === scope);
  if (sameFunction) return sameFunction;
  return scope.kind === 'function' && scope.name === 'forward' && scope.parent?.kind === 'class' ? (backwards[0] ?? null) : null;
}
