// End-to-end test of the packaged extension in a real VS Code (code-server 4.139 in headless Chromium) and of
// the language server in a second client (headless Neovim). `npm run test:e2e` packages the VSIX first.
// What the editor must show is taken from `nanlint check` on the same files (one engine, several faces).
// Screenshots of each step go to test/e2e/screenshots/ (and $NANLINT_E2E_SCREENSHOTS when set); timings go
// to bench/results/e2e.json.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installExtension, setUpTools, startCodeServer } from './codeServer.mjs';
import { applyCliFix, cliFindings, cliFixAll } from './expectations.mjs';
import { checkNeovimClient } from './neovim.mjs';
import { waitFor } from './waitFor.mjs';
import { Workbench } from './workbench.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsix = join(root, 'dist', 'nanlint.vsix');
const screenshotDirs = [join(root, 'test/e2e/screenshots'), ...(process.env.NANLINT_E2E_SCREENSHOTS ? [process.env.NANLINT_E2E_SCREENSHOTS] : [])];
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORT = { width: 1600, height: 1000 };
const REPRODUCE_TIMEOUT_MS = 300_000;

/** Settings every profile gets: a quiet workbench, so screenshots show the editor and nothing else. */
const QUIET_WORKBENCH = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'editor.minimap.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
};

// ---------------------------------------------------------------------------------------------------------
// A minimal runner: named checks, each passes or fails with its error; the closing line counts them.

const results = [];
let current = null;

async function check(name, body) {
  const started = Date.now();
  process.stdout.write(`• ${name} ... `);
  try {
    await body();
    results.push({ name, ok: true, ms: Date.now() - started });
    process.stdout.write(`ok (${Date.now() - started} ms)\n`);
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - started, error: error.message });
    process.stdout.write(`FAILED (${Date.now() - started} ms)\n  ${String(error.stack ?? error).replace(/\n/g, '\n  ')}\n`);
    if (current) await current.screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Waits until the file on disk has `expected` as its text (saving is asynchronous); fails with a diff. */
async function fileBecomes(path, expected) {
  await waitFor(`${path} to be saved`, () => readFileSync(path, 'utf8') === expected, { timeout: 10_000 }).catch(() => {
    throw new Error(`${path} on disk is\n${readFileSync(path, 'utf8')}\n--- but the CLI gives ---\n${expected}`);
  });
}

const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// ---------------------------------------------------------------------------------------------------------
// The workspace: a copy of examples/, and what the CLI says about each file in it.

function pythonFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.py') && statSync(join(dir, f)).isFile())
    .sort();
}

function makeWorkspace(scratch, name) {
  const workspace = join(scratch, name);
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  return workspace;
}

/** The first notebook in examples/, or else the notebook test fixture copied into the workspace. */
function notebookIn(workspace) {
  const own = readdirSync(workspace, { recursive: true }).map(String).find((f) => f.endsWith('.ipynb'));
  if (own) return own;
  const fixture = 'lstm-across-cells.ipynb';
  cpSync(join(root, 'test/fixtures/notebooks', fixture), join(workspace, fixture));
  return fixture;
}

/** Picks the example files each step needs from what the CLI finds in them. */
function planFrom(workspace) {
  const findings = Object.fromEntries(pythonFiles(workspace).map((file) => [file, cliFindings(root, workspace, file)]));
  const files = Object.keys(findings);
  const withFindings = files.filter((f) => findings[f].length > 0);
  expect(withFindings.length > 0, `the CLI finds nothing in examples/: ${JSON.stringify(findings)}`);
  const highLearningRate = files.find((f) => findings[f].some((d) => d.code === 'NAN301' && d.fix));
  expect(highLearningRate, 'no example has a fixable NAN301 (high learning rate) finding');
  // Reproduction runs on a file no other step edits or reconfigures. A division without epsilon (NAN401) on
  // tabular data trains a small model in seconds; a recurrent one can take most of a minute on two cores.
  const reproduceFile =
    withFindings.find((f) => f !== highLearningRate && findings[f].some((d) => d.code === 'NAN401')) ?? null;
  const untouched = (f) => f !== highLearningRate && f !== reproduceFile;
  const fixable = (f) => findings[f].filter((d) => d.fix?.applicability === 'safe').length;
  const fixAllFile = withFindings.filter(untouched).sort((a, b) => fixable(b) - fixable(a))[0] ?? highLearningRate;
  const codes = (f) => new Set(findings[f].map((d) => d.code));
  const settingFile =
    withFindings.find((f) => untouched(f) && f !== fixAllFile && codes(f).size >= 2) ??
    withFindings.find((f) => untouched(f) && f !== fixAllFile) ??
    highLearningRate;
  return { findings, highLearningRate, fixAllFile, settingFile, reproduceFile };
}

const rowsOf = (findings) => [...new Set(findings.map((d) => d.location.row))].sort((a, b) => a - b);
/** Every line a finding's squiggle may cover (a range can span lines). */
const coveredLines = (findings) =>
  new Set(findings.flatMap((d) => Array.from({ length: d.end_location.row - d.location.row + 1 }, (_, i) => d.location.row + i)));
const entriesOf = (findings) =>
  findings.map((d) => `${d.code}@${d.location.row}:${d.location.column}`).sort();

// ---------------------------------------------------------------------------------------------------------
// Steps a person takes in VS Code.

/**
 * Scrolls to each line in `present` and waits for its squiggle, and to each line in `absent` and waits for
 * its squiggle to go; every squiggle seen on the way must be on a line in `allowed`.
 */
async function seeSquiggles(wb, { present = [], absent = [], allowed }) {
  const strays = new Set();
  for (const [line, wanted] of [...present.map((l) => [l, 'present']), ...absent.map((l) => [l, 'absent'])]) {
    await wb.goTo(line);
    await wb.waitForSquiggles(wanted === 'present' ? { present: [line] } : { absent: [line] });
    if (allowed) for (const seen of await wb.squiggleLines()) if (!allowed.has(seen)) strays.add(seen);
  }
  expect(strays.size === 0, `squiggles on lines no finding covers: [${[...strays]}]`);
}

async function openAndSeeSquiggles(wb, file, findings) {
  await wb.openFile(file);
  await seeSquiggles(wb, { present: rowsOf(findings), allowed: coveredLines(findings) });
}

async function problemsMatch(wb, file, findings) {
  const shown = await wb.problems(file.split('/').pop());
  const entries = shown.map((p) => `${p.code}@${p.line}:${p.column}`).sort();
  expect(
    sameJson(entries, entriesOf(findings)),
    `Problems panel for ${file} shows ${JSON.stringify(entries)}; the CLI reports ${JSON.stringify(entriesOf(findings))}`,
  );
  expect(shown.every((p) => p.source === 'nanlint'), `entries not from nanlint: ${JSON.stringify(shown)}`);
  for (const finding of findings) {
    const entry = shown.find((p) => p.code === finding.code && p.line === finding.location.row);
    expect(entry.message === finding.message, `Problems shows "${entry.message}", the CLI says "${finding.message}"`);
  }
  return shown;
}

async function trustedSession({ tools, scratch, extensionsDir, measurements }) {
  const workspace = makeWorkspace(scratch, 'trusted-workspace');
  const plan = planFrom(workspace);
  const nan301 = plan.findings[plan.highLearningRate].find((d) => d.code === 'NAN301' && d.fix);
  const fixAllExpected = cliFixAll(root, workspace, plan.fixAllFile);
  // Without a NAN401 example, the reproduction runs on an untouched copy of the NAN301 one (the quick fix
  // changes the original's learning rate).
  const reproduceFile = plan.reproduceFile ?? join(dirname(plan.highLearningRate), `reproduce-${plan.highLearningRate.split('/').pop()}`);
  if (!plan.reproduceFile) cpSync(join(workspace, plan.highLearningRate), join(workspace, reproduceFile));
  const notebook = notebookIn(workspace);
  console.log(
    `  plan: quick fix in ${plan.highLearningRate}, fix-all in ${plan.fixAllFile}, setting on ${plan.settingFile}, ` +
      `notebook ${notebook}, reproduce ${reproduceFile}`,
  );

  const server = await startCodeServer({
    tools,
    profileDir: join(scratch, 'trusted-profile'),
    extensionsDir,
    workspace,
    settings: { ...QUIET_WORKBENCH, 'security.workspace.trust.enabled': false },
  });
  const browser = await chromium.launch({ executablePath: tools.CHROMIUM, args: CHROMIUM_FLAGS });
  const wb = new Workbench(await browser.newPage({ viewport: VIEWPORT }), { screenshotDirs, prefix: 'trusted' });
  current = wb;
  let firstDiagnosticsAt = 0;
  try {
    await check('the workbench opens the examples folder with nanlint installed', async () => {
      await wb.load(server.url);
      await wb.screenshot('workbench');
    });

    await check(`opening ${plan.highLearningRate} activates nanlint and diagnostics arrive`, async () => {
      const pickedAt = await wb.openFile(plan.highLearningRate);
      await wb.waitForAnyProblem();
      firstDiagnosticsAt = Date.now();
      measurements.openToFirstDiagnosticsMs = firstDiagnosticsAt - pickedAt;
    });

    await check(`${plan.highLearningRate} has a squiggle on every line the CLI reports, and nowhere else`, async () => {
      await openAndSeeSquiggles(wb, plan.highLearningRate, plan.findings[plan.highLearningRate]);
      await wb.goTo(nan301.location.row);
      await wb.screenshot('squiggles');
    });

    await check('the Problems panel lists each finding with its code, line and message', async () => {
      await problemsMatch(wb, plan.highLearningRate, plan.findings[plan.highLearningRate]);
      await wb.screenshot('problems');
    });

    await check('hovering the NAN301 squiggle shows the rule and the message', async () => {
      const text = await wb.hoverSquiggle(nan301.location.row, 'NAN301');
      const flat = (words) => words.replace(/\s+/g, ' ');
      expect(flat(text).includes(flat(nan301.message)), `hover text does not contain the message "${nan301.message}":\n${text}`);
      await wb.screenshot('hover');
    });

    await check('Ctrl+. applies the NAN301 quick fix: the file changes and the diagnostic goes', async () => {
      const before = readFileSync(join(workspace, plan.highLearningRate), 'utf8');
      const offered = await wb.quickFix(nan301.location.row, nan301.fix.message);
      measurements.quickFixesOffered = offered;
      await wb.goTo(nan301.location.row);
      await wb.waitForSquiggles({ absent: [nan301.location.row] });
      await wb.save();
      await fileBecomes(join(workspace, plan.highLearningRate), applyCliFix(before, nan301.fix));
      await wb.screenshot('quick-fix-applied');
    });

    await check(`"nanlint: Fix All" fixes ${plan.fixAllFile} like \`nanlint check --fix\``, async () => {
      await openAndSeeSquiggles(wb, plan.fixAllFile, plan.findings[plan.fixAllFile]);
      await wb.screenshot('before-fix-all');
      await wb.runCommand('nanlint: Fix All');
      const remaining = rowsOf(fixAllExpected.remaining);
      const fixed = rowsOf(plan.findings[plan.fixAllFile]).filter((r) => !coveredLines(fixAllExpected.remaining).has(r));
      await seeSquiggles(wb, { absent: fixed, present: remaining, allowed: coveredLines(fixAllExpected.remaining) });
      await wb.save();
      await fileBecomes(join(workspace, plan.fixAllFile), fixAllExpected.text);
      await wb.screenshot('fix-all-applied');
    });

    await check(`the notebook ${notebook} has squiggles in the cells and on the lines the CLI reports`, async () => {
      const findings = cliFindings(root, workspace, notebook);
      expect(findings.length > 0, `the CLI finds nothing in ${notebook}`);
      const expected = {};
      for (const finding of findings) {
        const lines = (expected[finding.cell] ??= []);
        for (let row = finding.location.row; row <= finding.end_location.row; row++) if (!lines.includes(row)) lines.push(row);
      }
      await wb.hidePanel();
      await wb.openNotebook(notebook);
      await wb.waitForNotebookSquiggles(expected);
      await wb.screenshot('notebook');
    });

    await check('adding a code to nanlint.ignore in the Settings editor refreshes the diagnostics', async () => {
      const findings = plan.findings[plan.settingFile];
      await openAndSeeSquiggles(wb, plan.settingFile, findings);
      const ignored = findings[0].code;
      const gone = rowsOf(findings.filter((d) => d.code === ignored));
      const kept = rowsOf(findings.filter((d) => d.code !== ignored)).filter((r) => !gone.includes(r));
      await wb.addToListSetting({ query: 'nanlint.ignore', category: 'Nanlint: ', label: 'Ignore', value: ignored });
      await seeSquiggles(wb, { absent: gone, present: kept, allowed: coveredLines(findings.filter((d) => d.code !== ignored)) });
      const shown = await wb.problems(plan.settingFile.split('/').pop(), { listed: kept.length > 0 });
      expect(!shown.some((p) => p.code === ignored), `${ignored} is still in the Problems panel after ignoring it`);
      await wb.screenshot(`setting-ignores-${ignored}`);
    });

    await check('"nanlint: Reproduce on Sample Model" shows the report with its chart', async () => {
      await wb.hidePanel();
      await wb.openFile(reproduceFile);
      const started = Date.now();
      await wb.runCommand('nanlint: Reproduce on Sample Model');
      const progress = wb.page.locator('.notification-toast', { hasText: /reproducing/i }).first();
      const reportTab = wb.page.locator('.tab', { hasText: 'Reproduction:' }).first();
      await progress.or(reportTab).or(wb.page.locator('.monaco-dialog-box')).first().waitFor();
      await wb.screenshot('reproduce-running');
      const report = await wb.webview('Reproduction:', 'canvas', REPRODUCE_TIMEOUT_MS);
      measurements.reproduceToReportMs = Date.now() - started;
      const text = await report.locator('body').innerText();
      const verdict = /(Not reproduced|Reproduced)[^\n]*/.exec(text);
      expect(verdict, `the report has no verdict:\n${text}`);
      measurements.reproduceFile = reproduceFile;
      measurements.reportVerdict = verdict[0];
      // Rest the mouse on the empty part of the explorer, so no tab tooltip covers the report.
      await wb.page.locator('.explorer-folders-view').hover({ position: { x: 100, y: 500 } });
      await wb.screenshot('report');
    });

    await check('"nanlint: Show Output" shows the server log', async () => {
      await wb.runCommand('nanlint: Show Output');
      const started = wb.page.locator('.part.panel .view-line', { hasText: /\[info\]\snanlint\s\S+\sstarted/ }).first();
      await started.waitFor();
      const line = (await started.innerText()).replace(/\u00a0/g, ' ');
      // "2026-11-27 08:10:23.202 [info] nanlint 0.1.0 started": a local time stamp, on this same machine.
      const stamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
      expect(stamp, `no time stamp in "${line}"`);
      const startedAt = new Date(`${stamp[1]}T${stamp[2]}`).getTime();
      if (firstDiagnosticsAt) measurements.serverStartedToFirstDiagnosticsMs = firstDiagnosticsAt - startedAt;
      measurements.serverStartedLine = line;
      await wb.screenshot('output');
    });

    await check('Developer: Show Running Extensions reports the activation time', async () => {
      const activation = await wb.activationTime('nanlint');
      measurements.activationMs = activation.ms;
      measurements.activationText = activation.text;
      await wb.screenshot('running-extensions');
    });
  } finally {
    current = null;
    await browser.close();
    await server.stop();
  }
}

async function restrictedSession({ tools, scratch, extensionsDir, measurements }) {
  const workspace = makeWorkspace(scratch, 'restricted-workspace');
  const plan = planFrom(workspace);
  const file = plan.highLearningRate;
  const original = readFileSync(join(workspace, file), 'utf8');
  const server = await startCodeServer({
    tools,
    profileDir: join(scratch, 'restricted-profile'),
    extensionsDir,
    workspace,
    settings: QUIET_WORKBENCH,
  });
  const browser = await chromium.launch({ executablePath: tools.CHROMIUM, args: CHROMIUM_FLAGS });
  const wb = new Workbench(await browser.newPage({ viewport: VIEWPORT }), { screenshotDirs, prefix: 'restricted' });
  current = wb;
  try {
    await check('an untrusted folder opens in Restricted Mode', async () => {
      await wb.load(server.url);
      await wb.page.locator('.statusbar', { hasText: 'Restricted Mode' }).waitFor();
      await wb.screenshot('restricted-mode');
    });

    await check('in Restricted Mode nanlint still squiggles and lists every finding', async () => {
      const pickedAt = await wb.openFile(file);
      await wb.waitForAnyProblem();
      measurements.restrictedOpenToFirstDiagnosticsMs = Date.now() - pickedAt;
      await openAndSeeSquiggles(wb, file, plan.findings[file]);
      await problemsMatch(wb, file, plan.findings[file]);
      await wb.screenshot('restricted-diagnostics');
    });

    await check('in Restricted Mode the hover works and nothing is written', async () => {
      const nan301 = plan.findings[file].find((d) => d.code === 'NAN301');
      await wb.hoverSquiggle(nan301.location.row, 'NAN301');
      await wb.screenshot('restricted-hover');
      expect(readFileSync(join(workspace, file), 'utf8') === original, `${file} changed in Restricted Mode`);
    });
  } finally {
    current = null;
    await browser.close();
    await server.stop();
  }
}

async function neovimSession({ tools, scratch, measurements }) {
  const workspace = makeWorkspace(scratch, 'neovim-workspace');
  const plan = planFrom(workspace);
  await check('Neovim receives the diagnostics and applies the NAN301 code action', async () => {
    const outcome = await checkNeovimClient({ root, nvim: tools.NVIM, workspace, file: plan.highLearningRate, code: 'NAN301' });
    measurements.neovim = outcome;
    console.log(`  neovim: ${JSON.stringify(outcome)}`);
  });
}

// ---------------------------------------------------------------------------------------------------------

/** The number of files in a zip archive, from its end-of-central-directory record. */
function zipEntryCount(path) {
  const archive = readFileSync(path);
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  return archive.readUInt16LE(end + 10);
}

async function main() {
  const started = Date.now();
  expect(existsSync(vsix), `${vsix} is missing: run \`npm run package\` first (npm run test:e2e does)`);
  const tools = setUpTools(root);
  for (const dir of screenshotDirs) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const scratch = mkdtempSync(join(tmpdir(), 'nanlint-e2e-'));
  const extensionsDir = join(scratch, 'extensions');
  const measurements = { vsixBytes: statSync(vsix).size, vsixFiles: zipEntryCount(vsix) };
  try {
    await check('code-server installs the packaged VSIX', async () => {
      installExtension(tools, vsix, extensionsDir);
      const installed = readdirSync(extensionsDir).filter((d) => d.startsWith('nanlint.nanlint-'));
      expect(installed.length === 1, `installed extensions: ${readdirSync(extensionsDir)}`);
    });
    await trustedSession({ tools, scratch, extensionsDir, measurements });
    await restrictedSession({ tools, scratch, extensionsDir, measurements });
    await neovimSession({ tools, scratch, measurements });
  } finally {
    if (!process.env.NANLINT_E2E_KEEP) rmSync(scratch, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const benchFile = join(root, 'bench/results/e2e.json');
  mkdirSync(dirname(benchFile), { recursive: true });
  writeFileSync(
    benchFile,
    `${JSON.stringify({ date: new Date().toISOString(), wallMs: Date.now() - started, passed, failed, measurements, checks: results }, null, 2)}\n`,
  );
  console.log(`\nmeasurements: ${JSON.stringify(measurements)}`);
  console.log(`screenshots: ${screenshotDirs.join(', ')}; timings: ${benchFile}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
