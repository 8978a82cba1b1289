import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { isExcluded } from '../engine/config';
import type { CliConfigs } from './configs';
import type { SkippedFile } from './diagnostics';
import { ioReason } from './fileCheck';

export interface DiscoveredFile {
  /** Absolute, for reading. */
  path: string;
  /** As the user would write it: the command-line argument joined with the path below it. */
  filename: string;
}

/** Folders that never hold the user's own training code and can be huge. */
const NEVER_READ = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.ipynb_checkpoints', 'site-packages']);
const CHECKED_EXTENSIONS = ['.py', '.ipynb'];

/**
 * The .py and .ipynb files under the given paths, sorted. A path named explicitly is checked whatever
 * its extension; `exclude` globs apply to named and found paths alike (pre-commit names every file).
 */
export function discoverFiles(paths: readonly string[], cwd: string, configs: CliConfigs): { files: DiscoveredFile[]; errors: SkippedFile[] } {
  const files = new Map<string, DiscoveredFile>();
  const errors: SkippedFile[] = [];
  const excluded = (absolute: string): boolean => {
    const { exclude, root } = configs.forFile(absolute);
    return isExcluded(absolute, exclude, root);
  };
  const walk = (absolute: string, display: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(absolute, { withFileTypes: true });
    } catch (error) {
      errors.push({ filename: display, kind: 'io', reason: `cannot read folder: ${ioReason(error)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childPath = join(absolute, entry.name);
      const childDisplay = display === '.' ? entry.name : join(display, entry.name);
      // Symbolic links to folders are not followed: they can loop, or lead out of the project.
      if (entry.isDirectory()) {
        if (NEVER_READ.has(entry.name) || existsSync(join(childPath, 'pyvenv.cfg')) || excluded(childPath)) continue;
        walk(childPath, childDisplay);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && CHECKED_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
        if (entry.isSymbolicLink() && !isFileTarget(childPath)) continue;
        if (!excluded(childPath)) files.set(childPath, { path: childPath, filename: childDisplay });
      }
    }
  };
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch (error) {
      errors.push({ filename: given, kind: 'io', reason: ioReason(error) });
      continue;
    }
    if (excluded(absolute)) continue;
    if (isDirectory) walk(absolute, given);
    else files.set(absolute, { path: absolute, filename: given });
  }
  return { files: [...files.values()].sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0)), errors };
}

function isFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
