// What the editor should show, taken from the command line: the CLI and the language server run the same
// engine, so the squiggles, Problems entries and fixes in VS Code and Neovim must agree with `nanlint check`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `nanlint check --format json` on one file, run from `cwd` so that the same configuration applies. */
export function cliFindings(root, cwd, file) {
  const output = execFileSync(
    process.execPath,
    [join(root, 'bin/nanlint.js'), 'check', '--format', 'json', '--exit-zero', file],
    { cwd, encoding: 'utf8' },
  );
  return JSON.parse(output);
}

/**
 * The text `nanlint check --fix` leaves in a copy of the file (safe fixes, to convergence), and what is left.
 * The copy sits next to the file so that the same configuration applies; call this before the editor opens
 * the folder.
 */
export function cliFixAll(root, cwd, file) {
  const copy = join(dirname(file), `fix-all-copy-${basename(file)}`);
  copyFileSync(join(cwd, file), join(cwd, copy));
  try {
    execFileSync(process.execPath, [join(root, 'bin/nanlint.js'), 'check', '--fix', '--exit-zero', copy], {
      cwd,
      encoding: 'utf8',
    });
    return { text: readFileSync(join(cwd, copy), 'utf8'), remaining: cliFindings(root, cwd, copy) };
  } finally {
    rmSync(join(cwd, copy), { force: true });
  }
}

/** Offset of a 1-based row and code-point column (the CLI's JSON positions) in `text`. */
function offsetOf(text, { row, column }) {
  let offset = 0;
  for (let r = 1; r < row; r++) {
    const newline = text.indexOf('\n', offset);
    if (newline < 0) throw new Error(`row ${row} is past the end of the text`);
    offset = newline + 1;
  }
  for (let c = 1; c < column; c++) offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
  return offset;
}

/** Applies one finding's fix, as printed by `--format json`, to `text`. */
export function applyCliFix(text, fix) {
  const edits = fix.edits
    .map((edit) => ({ start: offsetOf(text, edit.location), end: offsetOf(text, edit.end_location), content: edit.content }))
    .sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.content + result.slice(edit.end);
  return result;
}
