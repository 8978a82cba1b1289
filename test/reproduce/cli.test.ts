/** `nanlint reproduce` fails with one line naming the file, and exit code 2, when it cannot run. */
import { describe, expect, it } from 'vitest';
import { reproduceCommand } from '../../server/src/cli/reproduce';
import type { CliIo } from '../../server/src/cli/io';

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, cwd: __dirname, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
}

describe('nanlint reproduce', () => {
  it('reports an unreadable file on one line with exit code 2', async () => {
    const io = captureIo();
    const code = await reproduceCommand({ file: 'no-such-train.py' }, io);
    expect(code).toBe(2);
    expect(io.err).toEqual(['nanlint: no-such-train.py: cannot read file (ENOENT)\n']);
    expect(io.out).toEqual([]);
  });
});
