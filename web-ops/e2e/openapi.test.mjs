// Lints the OpenAPI document the running API serves (ROUTING_URL/openapi/v1.json, the same as the committed
// api/openapi.json: tests/Routing.Tests/Api/OpenApiDocumentTests.cs) with Redocly's recommended rules as configured in
// web-ops/redocly.yaml: no error and no warning. Offline: the rules are built into @redocly/cli, the document has no
// remote $refs, and telemetry and update notices are off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const url = (process.env.ROUTING_URL || '').replace(/\/+$/, '');
const config = fileURLToPath(new URL('../redocly.yaml', import.meta.url));
const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

function lint(file) {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'lint', file, '--config', config, '--format', 'json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }));
  });
}

test('the served OpenAPI document passes Redocly\'s recommended rules with no error and no warning', async () => {
  assert.ok(url, 'ROUTING_URL is not set');
  const response = await fetch(`${url}/openapi/v1.json`);
  assert.equal(response.status, 200, `GET /openapi/v1.json answered ${response.status}`);
  const dir = mkdtempSync(join(tmpdir(), 'routing-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, await response.text());
    const { code, stdout, stderr } = await lint(file);
    let report;
    try { report = JSON.parse(stdout); } catch { assert.fail(`redocly lint exited ${code} without a report:\n${stderr}\n${stdout}`); }
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`);
    assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 }, `the OpenAPI document has problems:\n${problems.join('\n')}`);
    assert.equal(code, 0, `redocly lint exited ${code}:\n${stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
