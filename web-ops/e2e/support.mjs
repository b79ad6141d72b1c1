// What the browser tests share (not a test file: node --test runs *.test.mjs only): the one wait, and REST calls from
// the node side.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser), and where screenshots and downloads of failed tests go. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** Fails loudly, with the fix, when Debian's Chromium is not installed. */
export function requireChromium() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}. Fix: as root, run \`apt-get update && apt-get install -y chromium\` ` +
      '(or set CHROMIUM_PATH). Do not download a browser (no `npx playwright install`).');
  }
}

/** Fails unless the API at `url` answers its health check. */
export async function requireApi(url) {
  const health = await fetch(`${url}/health`).catch((e) => ({ ok: false, status: e.message }));
  assert.ok(health.ok, `${url}/health is not ready (${health.status}): is the API running?`);
}

/** Headless Chromium with the flags this machine needs (the artifacts folder made ready). */
export function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

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

/** REST calls to the API at `url` with a bearer token: `rest` answers `{ status, json }` (json: the parsed body, or its
 *  text when not JSON), `restOk` the body of a 2xx and fails the test otherwise. */
export function restClient(url) {
  async function rest(method, path, token, body, headers = {}) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
    return { status: response.status, json };
  }

  async function restOk(method, path, token, body, headers) {
    const r = await rest(method, path, token, body, headers);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} → ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }

  return { rest, restOk };
}
