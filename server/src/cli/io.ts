/** Everything the CLI touches outside the file system, so tests can run `main()` in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /**
   * The bundled script that can run as a check worker and as the language server's engine child
   * (dist/cli.js). Absent when running from sources (tests): files are then checked in this process,
   * without a time budget.
   */
  workerScript?: string;
  /** Logical cores, one check worker each for the workspace scan. */
  cores?: number;
}

export function processIo(workerScript: string | undefined, cores: number): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    workerScript,
    cores,
  };
}
