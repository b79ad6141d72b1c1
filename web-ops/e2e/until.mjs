// The browser tests' one wait: polls a condition, never sleeps for a fixed time. (Not a test file: node --test runs
// *.test.mjs only.)
import assert from 'node:assert/strict';

/** Polls `check` (truthy, or not throwing) until it holds or `timeout` ms pass; then fails with `message` (a string, or
 *  a function asked then) and the last reason. The node side's page.waitForFunction, for what the page cannot see. */
export async function until(check, { timeout = 5000, interval = 25, message = 'the condition did not hold' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    let reason;
    try {
      if (await check()) return;
    } catch (e) {
      reason = e;
    }
    if (Date.now() >= deadline) {
      assert.fail(`${typeof message === 'function' ? message() : message} within ${timeout} ms${reason ? `: ${reason.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
