/**
 * Fix-all on a notebook: the engine lints the joined cells (notebook.ts), and every fix must land inside
 * the cells. The rounds of fixer.ts run on the joined text; this subject maps each fix into the cells and
 * refuses the ones that cannot be mapped.
 */
import type { LintConfig } from './config';
import { applyEdits, fixSubject, type FixableViolation, type FixOptions, type FixSubject, type SubjectFixResult } from './fixer';
import { buildVirtualNotebook, type CellEdit, type NotebookCellInput, type VirtualNotebook } from './notebook';

export class NotebookFixSubject implements FixSubject<NotebookFixSubject> {
  readonly notebook: VirtualNotebook;

  constructor(readonly cells: readonly NotebookCellInput[]) {
    this.notebook = buildVirtualNotebook(cells);
  }

  get text(): string {
    return this.notebook.text;
  }

  accepts(violation: FixableViolation): boolean {
    return this.cellEdits(violation) !== undefined;
  }

  withFixes(violations: readonly FixableViolation[]): NotebookFixSubject {
    const edits = violations.flatMap((violation) => this.cellEdits(violation) ?? []);
    return new NotebookFixSubject(
      this.cells.map((cell, cellIndex) => {
        const own = edits.filter((edit) => edit.cellIndex === cellIndex);
        return own.length === 0 ? cell : { ...cell, source: applyEdits(cell.source, own) };
      }),
    );
  }

  /**
   * The fix's edits, each in its cell's offsets; undefined when an edit crosses cells, lies outside every
   * cell, or replaces masked IPython syntax (text the linter never saw).
   */
  cellEdits(violation: FixableViolation): CellEdit[] | undefined {
    const mapped: CellEdit[] = [];
    for (const edit of violation.fix.edits) {
      const inCell = this.notebook.editToCell(edit, violation.start);
      const cell = inCell && this.cells[inCell.cellIndex];
      if (!inCell || !cell || cell.source.slice(inCell.start, inCell.end) !== this.text.slice(edit.start, edit.end)) return undefined;
      mapped.push(inCell);
    }
    return mapped;
  }
}

/** The notebook's cells with its fixes applied to convergence (fixer.ts), each edit inside one cell. */
export function applyNotebookFixes(cells: readonly NotebookCellInput[], path: string, config?: Partial<LintConfig>, options: FixOptions = {}): SubjectFixResult<NotebookFixSubject> {
  return fixSubject(new NotebookFixSubject(cells), path, config, options);
}
