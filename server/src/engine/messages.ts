/** Formatting shared by rule messages: values appear as a Python user would write them. */

export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value).replace('e+', 'e');
}

/** A short form of an expression for a message: the first line, at most 40 characters. */
export function snippet(source: string): string {
  const firstLine = source.split('\n', 1)[0] ?? '';
  return firstLine.length > 40 ? `${firstLine.slice(0, 37)}...` : firstLine;
}
