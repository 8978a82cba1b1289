// lint() and applyFixes() under random, mutated and near-valid input: nothing throws, every position is
// inside the document, time grows with size only, and fixes never add syntax errors.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { check, LONG, runs } from './budget';
import { fragmentText, mutatedSeed, randomBytesText, randomUtf16Text } from './inputs';
import { fixChecked, lintChecked } from './invariants';

const TIMEOUT = LONG ? 3_600_000 : 60_000;

describe('lint and fixes under fuzzed input', () => {
  it('survive random bytes decoded as UTF-8', () => {
    check('random bytes', fc.property(randomBytesText, (text) => void lintChecked(text)), runs(300, 35_000));
  }, TIMEOUT);

  it('survive random UTF-16 text with lone surrogates', () => {
    check('random UTF-16', fc.property(randomUtf16Text, (text) => void lintChecked(text)), runs(300, 35_000));
  }, TIMEOUT);

  it('keep every position inside the document and fix cleanly on near-valid training code', () => {
    check(
      'fragments',
      fc.property(fragmentText, fc.boolean(), (text, unsafe) => {
        lintChecked(text);
        fixChecked(text, unsafe);
      }),
      runs(300, 20_000),
    );
  }, TIMEOUT);

  it('keep every position inside the document and fix cleanly on mutated fixtures and examples', () => {
    check(
      'mutated seeds',
      fc.property(mutatedSeed(), fc.boolean(), (text, unsafe) => {
        lintChecked(text);
        fixChecked(text, unsafe);
      }),
      runs(100, 10_000),
    );
  }, TIMEOUT);
});
