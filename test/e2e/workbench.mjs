// Drives the VS Code workbench in the page the way a person does: keyboard shortcuts, the command palette,
// the mouse over a squiggle. Every wait is on something the page shows, never on a fixed delay.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './waitFor.mjs';

const LONG = 60_000;
const ACTIVE_EDITOR = '.editor-group-container.active .editor-instance .monaco-editor';

/** A pattern that matches exactly `text` (Playwright's `hasText` with a string matches substrings). */
function exactly(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/**
 * Runs in the page: maps each squiggle decoration to the line number drawn at the same height, or, in an
 * editor without line numbers (a notebook cell, never scrolled inside, so it renders from line 1), to the
 * position of its line among the rendered lines.
 */
function squiggledLines(editor) {
  const row = (element) => element.closest('[style*="top:"]');
  const lineAt = new Map(
    [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => [row(n)?.style.top, Number(n.textContent)]),
  );
  const lineOf = (decoration) => {
    const overlay = row(decoration);
    if (!overlay) return undefined;
    if (lineAt.size > 0) return lineAt.get(overlay.style.top);
    return [...overlay.parentElement.children].indexOf(overlay) + 1;
  };
  const lines = [...editor.querySelectorAll('.view-overlays .cdr')]
    .filter((d) => /\bsquiggly-(error|warning|info)\b/.test(d.className))
    .map(lineOf)
    .filter((line) => line !== undefined);
  return [...new Set(lines)].sort((a, b) => a - b);
}

export class Workbench {
  /**
   * @param {import('playwright-core').Page} page
   * @param {{ screenshotDirs: string[], prefix: string }} options
   */
  constructor(page, { screenshotDirs, prefix }) {
    this.page = page;
    this.screenshotDirs = screenshotDirs;
    this.prefix = prefix;
    this.shots = 0;
    for (const dir of screenshotDirs) mkdirSync(dir, { recursive: true });
  }

  async load(url) {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench .explorer-folders-view .monaco-list-row').first().waitFor({ timeout: LONG });
  }

  /** Saves a screenshot of the whole window into every screenshot folder; returns its file name. */
  async screenshot(name) {
    this.shots += 1;
    const file = `${this.prefix}-${String(this.shots).padStart(2, '0')}-${name}.png`;
    const [first, ...others] = this.screenshotDirs;
    await this.page.screenshot({ path: join(first, file) });
    for (const dir of others) copyFileSync(join(first, file), join(dir, file));
    return file;
  }

  async closeOverlays() {
    const overlays = '.quick-input-widget:visible, .action-widget:visible, .monaco-hover:visible, .monaco-dialog-box:visible';
    for (let i = 0; i < 3 && (await this.page.locator(overlays).count()); i++) {
      await this.page.keyboard.press('Escape');
    }
  }

  async quickInput(text) {
    await this.closeOverlays();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
    return this.page.locator('.quick-input-widget .monaco-list-row');
  }

  /** Runs a command from the command palette by its full title, e.g. "nanlint: Fix All". */
  async runCommand(title) {
    const rows = await this.quickInput(`>${title}`);
    const row = rows.filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first();
    await row.waitFor({ timeout: LONG });
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Opens a notebook through Quick Open and waits until its cells show. */
  async openNotebook(relativePath) {
    const name = relativePath.split('/').pop();
    const rows = await this.quickInput(relativePath);
    const row = rows.filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) }).first();
    await row.waitFor({ timeout: LONG });
    await row.click();
    await this.page.locator('.tab.active', { hasText: name }).waitFor();
    await this.page.locator('.notebookOverlay .cell-list-container .code-cell-row .view-line').first().waitFor({ timeout: LONG });
  }

  /** Opens a workspace file through Quick Open and waits until its editor shows text; returns when it was picked. */
  async openFile(relativePath) {
    const name = relativePath.split('/').pop();
    const rows = await this.quickInput(relativePath);
    const row = rows.filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) }).first();
    await row.waitFor({ timeout: LONG });
    const pickedAt = Date.now();
    await row.click();
    await this.page.locator('.tab.active', { hasText: name }).waitFor();
    await this.editor().locator('.view-lines .view-line').first().waitFor();
    return pickedAt;
  }

  /** Waits until the status bar counts some problem (its label is "No Problems" until diagnostics arrive). */
  async waitForAnyProblem() {
    await this.page.locator('[id="status.problems"]:not([aria-label="No Problems"])').waitFor({ timeout: LONG });
  }

  editor() {
    return this.page.locator(ACTIVE_EDITOR).first();
  }

  /** The text of the active editor's visible lines (VS Code renders spaces as no-break spaces). */
  async visibleText() {
    const text = await this.editor().locator('.view-lines').innerText();
    return text.replace(/\u00a0/g, ' ');
  }

  /** Goes to a 1-based line and column with the "Go to Line/Column" quick input. */
  async goTo(line, column = 1) {
    await this.quickInput(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.locator('.statusbar', { hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /** The 1-based line numbers that carry a squiggle in the visible part of the active editor. */
  async squiggleLines() {
    return this.editor().evaluate(squiggledLines);
  }

  /**
   * Waits until every line in `present` carries a squiggle and no line in `absent` does (`absent: 'others'`
   * means no line outside `present`); returns the squiggled lines.
   */
  async waitForSquiggles({ present = [], absent = [] }, timeout = LONG) {
    // A string expression runs through the debugger protocol, outside the workbench's content security policy.
    const expression = `(() => {
      const editor = document.querySelector(${JSON.stringify(ACTIVE_EDITOR)});
      if (!editor) return false;
      const lines = (${squiggledLines})(editor);
      const present = ${JSON.stringify(present)};
      const absent = ${JSON.stringify(absent)};
      const unwanted = absent === 'others' ? lines.filter((l) => !present.includes(l)) : lines.filter((l) => absent.includes(l));
      return present.every((l) => lines.includes(l)) && unwanted.length === 0;
    })()`;
    try {
      await this.page.waitForFunction(expression, undefined, { timeout, polling: 'raf' });
    } catch (error) {
      const lines = await this.squiggleLines().catch(() => '?');
      throw new Error(
        `squiggles never matched (wanted on [${present}], none on [${absent}]); squiggled lines: [${lines}]: ${error.message}`,
      );
    }
    return this.squiggleLines();
  }

  /**
   * Waits until the open notebook's code cells carry squiggles on exactly the given lines:
   * `expected` maps a 1-based cell index (markdown cells counted, as the CLI's "cell") to 1-based lines.
   */
  async waitForNotebookSquiggles(expected, timeout = LONG) {
    const read = `(() => {
      const cells = [...document.querySelectorAll('.notebookOverlay .cell-list-container .monaco-list-row')];
      const found = {};
      for (const cell of cells) {
        const editor = cell.querySelector('.monaco-editor');
        if (!editor) continue;
        const lines = (${squiggledLines})(editor);
        if (lines.length) found[Number(cell.dataset.index) + 1] = lines;
      }
      return JSON.stringify(found);
    })()`;
    const wanted = JSON.stringify(
      Object.fromEntries(Object.entries(expected).map(([cell, lines]) => [cell, [...lines].sort((a, b) => a - b)])),
    );
    try {
      await this.page.waitForFunction(`${read} === ${JSON.stringify(wanted)}`, undefined, { timeout, polling: 'raf' });
    } catch (error) {
      throw new Error(`notebook squiggles ${await this.page.evaluate(read)} never became ${wanted}: ${error.message}`);
    }
  }

  async hidePanel() {
    if (await this.page.locator('.part.panel').isVisible()) {
      await this.runCommand('View: Toggle Panel Visibility');
      await this.page.locator('.part.panel').waitFor({ state: 'hidden' });
    }
  }

  /** Opens the Problems panel and reads the entries listed under `fileName` (waiting for it when `listed`). */
  async problems(fileName, { listed = true } = {}) {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.runCommand('Problems: Focus on Problems View');
      await panel.waitFor();
    }
    if (listed) await panel.locator('.monaco-list-row', { hasText: fileName }).first().waitFor();
    const rows = await panel.locator('.monaco-list-row').evaluateAll((elements) =>
      elements
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((row) => {
          const text = (selector) => row.querySelector(selector)?.textContent?.trim() ?? '';
          const file = /problems? in file (.+?) of folder/.exec(row.getAttribute('aria-label') ?? '')?.[1];
          if (file) return { file };
          if (!row.querySelector('.marker-message')) return null;
          const position = /Ln (\d+), Col (\d+)/.exec(text('.marker-line')) ?? [];
          return {
            message: text('.marker-message'),
            source: text('.marker-source'),
            code: text('.marker-code'),
            line: Number(position[1]),
            column: Number(position[2]),
          };
        }),
    );
    let file = '';
    const entries = [];
    for (const row of rows) {
      if (row?.file) file = row.file;
      else if (row && file === fileName) entries.push(row);
    }
    return entries;
  }

  /** Moves the mouse over the squiggle on `line` and returns the text of the hover that opens. */
  async hoverSquiggle(line, expectedText) {
    await this.goTo(line);
    const box = await this.squiggleBox(line);
    await this.page.mouse.move(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expectedText }).first();
    await hover.waitFor({ timeout: LONG });
    await hover.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((a) => a.finished)));
    return hover.innerText();
  }

  async squiggleBox(line) {
    const index = await this.editor().evaluate((editor, wanted) => {
      const top = (element) => element.closest('[style*="top:"]')?.style.top;
      const lineTop = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find(
        (n) => Number(n.textContent) === wanted,
      );
      const squiggles = [...editor.querySelectorAll('.view-overlays .cdr')].filter((d) => /\bsquiggly-/.test(d.className));
      return squiggles.findIndex((d) => top(d) === top(lineTop));
    }, line);
    if (index < 0) throw new Error(`no squiggle on line ${line}`);
    const squiggles = this.editor().locator('.view-overlays .cdr[class*="squiggly-"]');
    return squiggles.nth(index).boundingBox();
  }

  /**
   * Puts the cursor on the squiggle on `line`, presses Ctrl+. and picks the quick fix whose title matches;
   * returns the titles the menu offered.
   */
  async quickFix(line, titlePattern) {
    await this.closeOverlays();
    await this.goTo(line);
    const box = await this.squiggleBox(line);
    await this.page.mouse.click(box.x + Math.min(2, box.width / 2), box.y + box.height / 2);
    // Ctrl+. pressed while the light bulb's own request is still running gets cancelled by it.
    await this.editor().locator('.lightBulbWidget').waitFor();
    await this.page.keyboard.press('Control+.');
    const actions = this.page.locator('.action-widget .monaco-list-row.action');
    await actions.first().waitFor({ timeout: LONG });
    const titles = await actions.allInnerTexts();
    const chosen = actions.filter({ hasText: titlePattern }).first();
    await chosen.waitFor({ timeout: 5_000 }).catch(() => {
      throw new Error(`no quick fix matching ${titlePattern} on line ${line}; offered: ${JSON.stringify(titles)}`);
    });
    await this.screenshot('quick-fix-menu');
    await chosen.click();
    await this.page.locator('.action-widget').first().waitFor({ state: 'hidden' });
    return titles;
  }

  async save() {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  }

  /**
   * Adds `value` to a list setting in the Settings editor (search, "Add Item", type, Enter), as a person
   * does; `category` and `label` are what the editor shows, e.g. "Nanlint: " and "Ignore".
   */
  async addToListSetting({ query, category, label, value }) {
    await this.runCommand('Preferences: Open Settings (UI)');
    const settings = this.page.locator('.settings-editor');
    await settings.waitFor();
    await this.page.keyboard.type(query);
    const item = settings
      .locator('.setting-item-contents')
      .filter({ has: this.page.locator('.setting-item-category', { hasText: category }) })
      .filter({ has: this.page.locator('.setting-item-label', { hasText: exactly(label) }) })
      .first();
    await item.waitFor({ timeout: LONG });
    await item.getByRole('button', { name: 'Add Item' }).click();
    const input = item.locator('.setting-list-edit-row input').first();
    await input.waitFor();
    await input.fill(value);
    await this.page.keyboard.press('Enter');
    await item.locator('.setting-list-row', { hasText: value }).waitFor();
    await this.screenshot('setting-changed');
    await this.page.getByRole('button', { name: /Close Modal Editor/ }).click();
    await settings.waitFor({ state: 'hidden' });
  }

  /**
   * The innermost frame of the webview panel with the given title, once it shows `selector`; fails with the
   * dialog's text when an error dialog opens instead.
   */
  async webview(title, selector, timeout = LONG) {
    const tab = this.page.locator('.tab', { hasText: title }).first();
    const dialog = this.page.locator('.monaco-dialog-box').first();
    await tab.or(dialog).waitFor({ timeout });
    if (await dialog.isVisible()) {
      const message = await dialog.innerText();
      await this.screenshot('error-dialog');
      await this.page.keyboard.press('Escape');
      throw new Error(`an error dialog opened instead of "${title}": ${message.replace(/\s+/g, ' ')}`);
    }
    // Other webviews may exist (a notebook renders its outputs in one): take the one that shows `selector`.
    const frames = this.page.locator('iframe.webview');
    return waitFor(
      `a webview showing ${selector}`,
      async () => {
        for (let i = 0; i < (await frames.count()); i++) {
          const content = this.page.frameLocator(`iframe.webview >> nth=${i}`).frameLocator('iframe#active-frame');
          if ((await content.locator(selector).count()) > 0) return content;
        }
        return null;
      },
      { timeout, interval: 200 },
    );
  }

  /** Reads "Activation: N ms" for an extension from Developer: Show Running Extensions. */
  async activationTime(displayName) {
    await this.runCommand('Developer: Show Running Extensions');
    const viewport = this.page.viewportSize();
    // The list is virtualised; a tall window shows every running extension at once.
    await this.page.setViewportSize({ width: viewport.width, height: 3000 });
    try {
      const row = this.page.locator('.runtime-extensions-editor .monaco-list-row', {
        has: this.page.locator('.name', { hasText: exactly(displayName) }),
      });
      const time = row.locator('.activation-time');
      await time.waitFor({ timeout: LONG });
      const text = await time.innerText();
      const ms = /(\d+)\s*ms/.exec(text);
      if (!ms) throw new Error(`unexpected activation text: ${text}`);
      return { text, ms: Number(ms[1]) };
    } finally {
      await this.page.setViewportSize(viewport);
    }
  }
}
