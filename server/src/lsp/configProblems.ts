/**
 * Problems in pyproject.toml `[tool.nanlint]` appear as diagnostics on the offending line of that file,
 * whether or not it is open (pushed: the client only pulls for Python documents); a fixed file is cleared.
 */
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import { EDITOR_SETTINGS, type ConfigProblem } from '../engine/config';
import { SOURCE } from './diagnostics';
import type { DocumentConfig } from './settings';

export class ConfigProblemPublisher {
  private readonly published = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  publish(config: DocumentConfig): void {
    const byFile = new Map<string, ConfigProblem[]>();
    if (config.configFile) byFile.set(config.configFile, []);
    for (const problem of config.problems) {
      // Editor-settings problems have no file to point at; they are logged instead.
      if (problem.file === EDITOR_SETTINGS) continue;
      byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
    }
    for (const [file, problems] of byFile) {
      const uri = pathToFileURL(file).href;
      const diagnostics: Diagnostic[] = problems.map((problem) => ({
        range: problem.range,
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        message: problem.message,
      }));
      const serialized = JSON.stringify(diagnostics);
      const previous = this.published.get(uri);
      if (previous === serialized || (previous === undefined && diagnostics.length === 0)) continue;
      this.published.set(uri, serialized);
      void this.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
    }
  }
}
