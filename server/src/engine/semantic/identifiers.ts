/**
 * Python names are Unicode identifiers (PEP 3131): `α = 0.01` binds `α` as `alpha = 0.01` binds `alpha`.
 * Every pattern that reads names from the text is built from these pieces and carries the `u` flag, so
 * a name the file spells in Greek or Chinese is bound, followed and reused like an ASCII one.
 */

/** One name. */
export const NAME = String.raw`[\p{ID_Start}_]\p{ID_Continue}*`;
/** Lookbehind: not the tail of a longer name (`x` but not `ax`). */
export const NOT_AFTER_NAME = String.raw`(?<!\p{ID_Continue})`;
/** Lookbehind: not the tail of a longer name, not an attribute (`x` but not `ax` or `a.x`). */
export const NOT_AFTER_NAME_OR_DOT = String.raw`(?<![\p{ID_Continue}.])`;
/** Lookahead: the name ends here. */
export const NAME_END = String.raw`(?!\p{ID_Continue})`;

const WHOLE_NAME = new RegExp(`^${NAME}$`, 'u');

export function isName(text: string): boolean {
  return WHOLE_NAME.test(text);
}

/** Where `name` is used as a plain name (not as an attribute, not inside a longer name). */
export function nameUsePattern(name: string, flags = ''): RegExp {
  return namePattern(NOT_AFTER_NAME_OR_DOT, name, flags);
}

/** Where `name` occurs whole, as a plain name or as an attribute (`x.name`). */
export function wholeNamePattern(name: string, flags = ''): RegExp {
  return namePattern(NOT_AFTER_NAME, name, flags);
}

/**
 * Only names are accepted, so nothing needs escaping, and an empty pattern (which matches at every
 * position, so that a loop over its matches never ends) cannot happen.
 */
function namePattern(before: string, name: string, flags: string): RegExp {
  if (!isName(name)) throw new Error(`not a Python name: ${JSON.stringify(name)}`);
  return new RegExp(`${before}${name}${NAME_END}`, `u${flags}`);
}
