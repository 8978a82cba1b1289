import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `condition` until it returns a truthy value and returns that value; fails after `timeout` ms with
 * `what` and the last error in the message. Used for conditions outside the page (processes, files);
 * conditions on the page use Playwright's own waiting.
 */
export async function waitFor(what, condition, { timeout = 30_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await delay(interval);
  }
}
