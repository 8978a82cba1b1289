// Generated hostile files (issue 7): huge, deeply nested, one enormous line, NUL bytes, invalid UTF-8.
// The quick run scales the realistic training code down to 0.1 MB and fixes only the smaller files;
// `npm run fuzz` uses the full 10 MB and fixes everything.
import { describe, it } from 'vitest';
import { LONG } from './budget';
import { pathologicalFiles } from './inputs';
import { fixChecked, lintChecked } from './invariants';

const SCALE = LONG ? 1 : 0.01;

// Fixing re-lints per pass; the quick run fixes only the files below this size and lints the rest.
const QUICK_FIX_LIMIT = 200_000;

describe('pathological files', () => {
  for (const { name, text } of pathologicalFiles(SCALE)) {
    it(`lints and fixes ${name} within the time bound`, () => {
      const source = text();
      lintChecked(source);
      if (LONG || source.length <= QUICK_FIX_LIMIT) fixChecked(source, true);
    }, LONG ? 600_000 : 60_000);
  }
});
