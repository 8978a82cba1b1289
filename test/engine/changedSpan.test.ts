import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, changedSpan } from '../../server/src/engine';

// Texts built from pieces that tempt a diff to cut in the wrong place: CRLF, astral characters, repeats.
const piece = fc.constantFrom('a', 'b', '\n', '\r\n', '\r', '😀', '𝛼', 'é', ' ');
const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

describe('changedSpan', () => {
  it('turns one text into the other with a single edit that splits no surrogate pair and no CRLF', () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const edit = changedSpan(before, after);
        expect(applyEdits(before, [edit])).toBe(after);
        for (const at of [edit.start, edit.end]) {
          const code = before.charCodeAt(at);
          expect(code >= 0xdc00 && code <= 0xdfff).toBe(false);
          expect(before[at] === '\n' && before[at - 1] === '\r').toBe(false);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('replaces only what differs', () => {
    expect(changedSpan('lr = 0.01\n', 'lr = 0.001\n')).toEqual({ start: 8, end: 8, content: '0' });
    expect(changedSpan('same', 'same')).toEqual({ start: 4, end: 4, content: '' });
    expect(changedSpan('x = 😀\n', 'x = 😃\n')).toEqual({ start: 4, end: 6, content: '😃' });
  });
});
