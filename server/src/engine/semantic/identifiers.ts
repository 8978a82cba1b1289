/**
 * Python names are Unicode identifiers (PEP 3131): `α = 0.01` binds `α` as `alpha = 0.01` binds `alpha`.
 * Every pattern that reads names from the text is built from these pieces and carries the `u` flag, so
 * a name the file spells in Greek or Chinese is bound, followed and reused like an ASCII one.
 */

/** One name. */
export const NAME = String.raw`[\p{ID_Start}_]\p{ID_Continue}*`;
/** Lookbehind: not the tail of a longer name, not an attribute (`x` but not `ax` or `a.x`). */
export const NOT_AFTER_NAME_OR_DOT = String.raw`(?<![\p{ID_Continue}.])`;
/** Lookahead: the name ends here. */
export const NAME_END = String.raw`(?!\p{ID_Continue})`;

const WHOLE_NAME = new RegExp(`^${NAME}$`, 'u');

export function isName(text: string): boolean {
  return WHOLE_NAME.test(text);
}

/**
 * Where `name` is used as a plain name (not as an attribute, not inside a longer name). Only names are
 * accepted, so nothing needs escaping, and an empty pattern (which matches everywhere) cannot happen.
 */
export function nameUsePattern(name: string, flags = ''): RegExp {
  if (!isName(name)) throw new Error(`not a Python name: ${JSON.stringify(name)}`);
  return new RegExp(`${NOT_AFTER_NAME_OR_DOT}${name}${NAME_END}`, `u${flags}`);
}
