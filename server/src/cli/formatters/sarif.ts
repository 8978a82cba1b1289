import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { docsUrl, renderRuleDoc } from '../../engine';
import type { Rule, Severity } from '../../engine/rule';
import type { Diagnostic, Location } from '../diagnostics';
import type { CheckReport, Formatter } from './report';

const SOURCE_ROOT = '%SRCROOT%';
const INFORMATION_URI = 'https://github.com/nanlint/nanlint';

/** SARIF 2.1.0 with one run, for GitHub code scanning and other SARIF viewers. */
export const sarifFormatter: Formatter = {
  description: 'SARIF 2.1.0 (one run; upload to GitHub code scanning)',
  format(report) {
    return `${JSON.stringify(buildSarifLog(report), null, 2)}\n`;
  },
};

export function buildSarifLog(report: CheckReport): Sarif.Log {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.meta.code, index]));
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'nanlint',
        version: report.version,
        semanticVersion: report.version,
        informationUri: INFORMATION_URI,
        rules: report.rules.map(describeRule),
      },
    },
    originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(report.cwd.endsWith('/') ? report.cwd : `${report.cwd}/`).href } },
    // Columns count Unicode code points, as in the text and JSON formats.
    columnKind: 'unicodeCodePoints',
    results: report.diagnostics.map((diagnostic) => toResult(diagnostic, ruleIndex.get(diagnostic.code))),
    invocations: [
      {
        executionSuccessful: !report.skipped.some((skipped) => skipped.kind === 'io' || skipped.kind === 'crash'),
        toolExecutionNotifications: report.skipped.map((skipped) => ({
          level: 'warning',
          message: { text: `${skipped.filename}: ${skipped.reason}` },
          locations: [{ physicalLocation: { artifactLocation: artifact(skipped.filename) } }],
          descriptor: { id: `skipped-${skipped.kind}` },
        })),
      },
    ],
  };
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}

function describeRule(rule: Rule): Sarif.ReportingDescriptor {
  const { meta } = rule;
  return {
    id: meta.code,
    name: meta.name,
    shortDescription: { text: meta.docs.summary },
    fullDescription: { text: meta.docs.whatItDoes },
    help: { text: `${meta.docs.whatItDoes}\n\n${meta.docs.whyNaN}`, markdown: renderRuleDoc(rule) },
    helpUri: docsUrl(meta.code),
    defaultConfiguration: { level: level(meta.severity) },
    properties: { tags: meta.frameworks, fix: meta.fix },
  };
}

function toResult(diagnostic: Diagnostic, index: number | undefined): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: diagnostic.code,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: level(diagnostic.severity),
    message: { text: diagnostic.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(diagnostic.filename), region: fileRegion(diagnostic) } }],
  };
  if (diagnostic.cell !== undefined) {
    // Rows inside a cell are not rows of the .ipynb file: the region above holds the file lines that
    // store the cell's source lines; the cell and the in-cell region are kept as properties. Fixes and
    // related locations are in cell coordinates, which a file-based viewer would misplace.
    result.properties = { cell: diagnostic.cell, cellRegion: region(diagnostic.location, diagnostic.end_location) };
    return result;
  }
  if (diagnostic.related.length > 0) {
    result.relatedLocations = diagnostic.related.map((related, id) => ({
      id,
      message: { text: related.message },
      physicalLocation: { artifactLocation: artifact(diagnostic.filename), region: region(related.location, related.end_location) },
    }));
  }
  if (diagnostic.fix && diagnostic.fix.applicability !== 'display-only') {
    result.fixes = [
      {
        description: { text: diagnostic.fix.message },
        artifactChanges: [
          {
            artifactLocation: artifact(diagnostic.filename),
            replacements: diagnostic.fix.edits.map((edit) => ({ deletedRegion: region(edit.location, edit.end_location), insertedContent: { text: edit.content } })),
          },
        ],
        properties: { applicability: diagnostic.fix.applicability },
      },
    ];
  }
  return result;
}

function fileRegion(diagnostic: Diagnostic): Sarif.Region {
  if (diagnostic.cell === undefined) return region(diagnostic.location, diagnostic.end_location);
  const rows = diagnostic.fileRows ?? { start: 1, end: 1 };
  return { startLine: rows.start, endLine: rows.end };
}

function artifact(filename: string): Sarif.ArtifactLocation {
  const uri = filename.split(/[\\/]/).map(encodeURIComponent).join('/');
  return filename.startsWith('/') ? { uri: pathToFileURL(filename).href } : { uri, uriBaseId: SOURCE_ROOT };
}

function region(start: Location, end: Location): Sarif.Region {
  return { startLine: start.row, startColumn: start.column, endLine: end.row, endColumn: end.column };
}

function level(severity: Severity): Sarif.ReportingConfiguration.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}
