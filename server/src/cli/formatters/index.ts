import { githubFormatter } from './github';
import { jsonFormatter } from './json';
import type { Formatter } from './report';
import { sarifFormatter } from './sarif';
import { textFormatter } from './text';

/** The single registry of output formats: `--format` accepts exactly these names. */
export const FORMATTERS = {
  text: textFormatter,
  json: jsonFormatter,
  sarif: sarifFormatter,
  github: githubFormatter,
} as const satisfies Record<string, Formatter>;

export type FormatName = keyof typeof FORMATTERS;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATTERS, name);
}
