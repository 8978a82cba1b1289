/** The reproduce command takes the object form of the protocol and the positional form of the VS Code command. */
import { describe, expect, it } from 'vitest';
import { parseReproduceArgs } from '../../server/src/lsp/reproduce';

describe('nanlint.reproduce arguments', () => {
  it('accepts [{ uri, line }] and [uri, line] with a 0-based line', () => {
    expect(parseReproduceArgs([{ uri: 'file:///a.py', line: 0 }])).toEqual({ uri: 'file:///a.py', line: 0 });
    expect(parseReproduceArgs(['file:///a.py', 12])).toEqual({ uri: 'file:///a.py', line: 12 });
    expect(parseReproduceArgs(['file:///a.py'])).toEqual({ uri: 'file:///a.py' });
  });

  it('rejects a missing uri or a negative line', () => {
    expect(parseReproduceArgs([])).toBeNull();
    expect(parseReproduceArgs([{ uri: 'file:///a.py', line: -1 }])).toBeNull();
  });
});
