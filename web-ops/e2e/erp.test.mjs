// Browser test of the console's ERP / SAP page (ERP / SAP 对接): imports and reconciliation, against a running Routing
// API with its demo data (run.sh starts one).
//
//   ROUTING_URL=http://127.0.0.1:5199 OPS_TOKEN=… CUSTOMER_TOKENS=tok1,tok2,… node --test web-ops/e2e/erp.test.mjs
//
// Everything it creates is its own, named after a tag of this run (products ERP-<tag>-…, distributors d-erp-<tag>-…,
// batches and snapshots …-<tag>), so it runs beside console.test.mjs on the same API, and again on an API that saw a
// run. The one shared thing it uses is a customer (the 11th token, c-0011 with run.sh), for one regular order of its
// own product, which only its own distributor stocks.
//
// It never sleeps for a fixed time: each wait is for the condition it stands for, polled until a deadline. Uses the
// system Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through playwright-core. Screenshots go to e2e/artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { artifacts, launchBrowser, requireApi, requireChromium, restClient, until } from './support.mjs';


const env = {
  url: (process.env.ROUTING_URL || '').replace(/\/+$/, ''),
  ops: process.env.OPS_TOKEN || '',
  customers: (process.env.CUSTOMER_TOKENS || '').split(',').map((t) => t.trim()).filter(Boolean),
};

/** This run's names: unique per run, valid ids (letters, digits, '-'). */
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();
const sku = (n) => `ERP-${tag}-${n}`;

let browser;
let page;
const pageErrors = [];

// ---------- REST helpers (node side) ----------

const { rest, restOk } = restClient(env.url);

async function inventoryItem(distributorId, itemSku) {
  return (await restOk('GET', `/api/distributors/${distributorId}/inventory`, env.ops)).find((i) => i.sku === itemSku);
}

/** A distributor of this run covering exactly the customer's region, where the customer is: its orders can go there. */
const distributorFor = (id, customer) => ({
  id, name: `ERP e2e ${id}`, regions: [customer.region], location: customer.location, priority: 1, dailyCapacity: 1000,
});


// ---------- browser helpers ----------

const byTestId = (id) => `[data-testid="${id}"]`;
const text = async (locator) => (await locator.textContent())?.trim() ?? '';

async function shot(name) {
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
}

/** A file for a file input, made here. */
const file = (name, content, mimeType) => ({ name, mimeType, buffer: Buffer.from(content, 'utf8') });

/** Uploads a file from the import form (kind and batch id as given) and waits for the form's answer. */
async function importFile(kind, batchId, upload) {
  const form = page.locator(byTestId('import-form'));
  await form.locator(byTestId('import-kind')).selectOption(kind);
  await form.locator(byTestId('import-batch-id')).fill(batchId);
  await form.locator(byTestId('import-file')).setInputFiles(upload);
  const answers = Number(await form.getAttribute('data-answers') ?? 0);
  await form.locator(byTestId('import-submit')).click();
  // The form counts the submits it answered (done, or refused with the problem shown).
  await page.locator(`${byTestId('import-form')}[data-answers="${answers + 1}"]`).waitFor({ timeout: 15_000 });
}

/** The rejected rows the page lists: [{row, code, detail}]. */
async function rejectedRowsShown() {
  return page.locator(`${byTestId('import-detail')} ${byTestId('import-rejected-row')}`).evaluateAll((rows) => rows.map((r) => ({
    row: Number(r.dataset.row),
    code: r.dataset.code,
    detail: r.querySelector('[data-testid="rejected-detail"]').textContent,
  })));
}

/** The counts the import detail shows, as numbers. */
async function importCountsShown() {
  const detail = page.locator(byTestId('import-detail'));
  const value = async (id) => Number(await detail.locator(byTestId(id)).getAttribute('data-value'));
  return { total: await value('import-total'), applied: await value('import-applied'), unchanged: await value('import-unchanged'), rejectedCount: await value('import-rejected-count') };
}

async function phoneShot(name) {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the ERP page scrolls sideways on a phone by ${overflow}px`);
  await shot(name);
  await page.setViewportSize({ width: 1366, height: 900 });
}

// ---------- setup ----------

before(async () => {
  requireChromium();
  const missing = [];
  if (!env.url) missing.push('ROUTING_URL');
  if (!env.ops) missing.push('OPS_TOKEN');
  if (env.customers.length < 11) missing.push('CUSTOMER_TOKENS (11 or more, as run.sh gives: c-0001…c-0012)');
  if (missing.length) throw new Error(`Missing environment: ${missing.join(', ')} (see web-ops/README.md, "Browser test"; e2e/run.sh sets them).`);
  await requireApi(env.url);

  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await page.goto(`${env.url}/`);
  await page.locator(byTestId('token-input')).fill(env.ops);
  await page.locator(byTestId('signin-submit')).click();
  await page.locator(`${byTestId('connection-status')}[data-state="connected"]`).waitFor({ timeout: 15_000 });
});

after(async () => {
  await browser?.close();
});

// ---------- the flow ----------

test('ops import products (a JSON array), a distributor (a JSON envelope) and stock levels (CSV) on the ERP page: the counts and the rejected rows with their codes, as the API has them', { timeout: 120_000 }, async () => {
  const customer = await restOk('GET', '/api/customers/c-0011', env.ops);
  const distributor = `d-erp-${tag}-a`.toLowerCase();
  await page.goto(`${env.url}/#erp`);
  await page.locator(`${byTestId('tab-erp')}.active`).waitFor({ timeout: 5000 });
  await page.locator(byTestId('import-form')).waitFor({ timeout: 5000 });
  assert.match(await page.locator(byTestId('import-batch-id')).inputValue(), /^sap-\d{8}-\d{6}(-\d+)?$/, 'the batch id is prefilled with a fresh one');

  // The CSV template of a kind: its header row and an example.
  await page.locator(byTestId('import-kind')).selectOption('stock');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.locator(byTestId('import-template')).click()]);
  assert.equal(download.suggestedFilename(), 'sap-import-stock-template.csv');
  const template = (await readFile(await download.path(), 'utf8')).trim().split('\n');
  assert.equal(template[0], 'distributorId,sku,onHand,threshold');
  assert.equal(template.length, 2, 'the header and one example row');

  // Products as a bare JSON array of rows: the page wraps it into { batchId, kind, rows }. One row breaks a rule.
  const productsBatch = `erp-products-${tag}`;
  await importFile('products', productsBatch, file('products.json', JSON.stringify([
    { sku: sku('A'), name: 'ERP e2e seed A', unit: 'bag' },
    { sku: sku('B'), name: 'ERP e2e seed B', unit: 'bag', substitutes: [sku('A')] },
    { sku: 'not a sku', name: 'bad' },
  ]), 'application/json'));
  await page.locator(`${byTestId('import-detail')}[data-import-id="${productsBatch}"][data-status="Completed"]`).waitFor({ timeout: 10_000 });
  const products = await restOk('GET', `/api/erp/imports/${productsBatch}`, env.ops);
  assert.equal(products.kind, 'products');
  assert.deepEqual([products.total, products.applied, products.rejectedCount], [3, 2, 1]);
  assert.deepEqual(await importCountsShown(), { total: 3, applied: 2, unchanged: 0, rejectedCount: 1 });
  assert.deepEqual(await rejectedRowsShown(), products.rejected);
  assert.equal((await restOk('GET', `/api/products/${sku('B')}`, env.ops)).name, 'ERP e2e seed B');

  // A distributor as a JSON envelope: its own batch id wins, and the form shows it.
  const distributorsBatch = `erp-distributors-${tag}`;
  await importFile('stock', 'ignored-by-the-envelope', file('distributors.json',
    JSON.stringify({ batchId: distributorsBatch, kind: 'distributors', rows: [distributorFor(distributor, customer)] }), 'application/json'));
  await page.locator(`${byTestId('import-detail')}[data-import-id="${distributorsBatch}"][data-status="Completed"]`).waitFor({ timeout: 10_000 });
  assert.deepEqual(await importCountsShown(), { total: 1, applied: 1, unchanged: 0, rejectedCount: 0 });
  assert.equal(await page.locator(byTestId('import-kind')).inputValue(), 'distributors', 'the form shows the kind the file named');
  assert.equal((await restOk('GET', `/api/distributors/${distributor}`, env.ops)).name, `ERP e2e ${distributor}`);

  // Stock levels as CSV: three good rows (one sets what is there already), three bad ones.
  const stockBatch = `erp-stock-${tag}`;
  const csv = ['distributorId,sku,onHand,threshold',
    `${distributor},${sku('A')},10,2`,
    `${distributor},${sku('B')},20,2`,
    `d-erp-${tag}-nowhere`.toLowerCase() + `,${sku('A')},5,1`, // unknownDistributor
    `${distributor},${sku('B')},-3,1`, // a negative on hand: validationFailed
    `${distributor},ERP-${tag}-NONE,4,1`, // unknownProduct
    `${distributor},${sku('A')},10,2`, // the same again: unchanged
  ].join('\n') + '\n';
  await importFile('stock', stockBatch, file('stock.csv', csv, 'text/csv'));
  const detail = page.locator(`${byTestId('import-detail')}[data-import-id="${stockBatch}"]`);
  await detail.and(page.locator('[data-status="Completed"]')).waitFor({ timeout: 10_000 });
  const stock = await restOk('GET', `/api/erp/imports/${stockBatch}`, env.ops);
  assert.equal(stock.format, 'csv');
  assert.deepEqual(stock.rejected.map((r) => [r.row, r.code]), [[3, 'unknownDistributor'], [4, 'validationFailed'], [5, 'unknownProduct']]);
  assert.deepEqual(await importCountsShown(), { total: stock.total, applied: stock.applied, unchanged: stock.unchanged, rejectedCount: stock.rejectedCount });
  assert.deepEqual([stock.total, stock.applied, stock.unchanged, stock.rejectedCount], [6, 2, 1, 3]);
  assert.deepEqual(await rejectedRowsShown(), stock.rejected, 'the rejected rows, their codes and details, as the API lists them');
  // The live progress line ends at the same counts.
  const progress = page.locator(byTestId('import-progress'));
  assert.deepEqual(await progress.evaluate((el) => ({ ...el.dataset })),
    { testid: 'import-progress', status: 'Completed', total: '6', applied: '2', unchanged: '1', rejected: '3' });
  assert.equal(await page.locator(`${byTestId('import-code-count')}[data-code="unknownDistributor"]`).getAttribute('data-count'), '1');
  assert.equal((await inventoryItem(distributor, sku('A'))).onHand, 10);
  assert.equal((await inventoryItem(distributor, sku('B'))).onHand, 20);
  assert.equal(new URL(page.url()).hash, `#erp/imports/${stockBatch}`, 'the address names the import shown');
  await shot('erp-import');

  // The list: newest first, with the counts; a row opens its import.
  const listed = page.locator(`${byTestId('import-row')}[data-import-id="${stockBatch}"]`);
  await listed.waitFor({ timeout: 5000 });
  assert.equal(await listed.getAttribute('data-status'), 'Completed');
  assert.equal(await listed.locator(byTestId('import-row-rejected')).getAttribute('data-value'), '3');
  const order = await page.locator(byTestId('import-row')).evaluateAll((rows) => rows.map((r) => r.dataset.importId));
  assert.ok(order.indexOf(stockBatch) < order.indexOf(productsBatch), `newest first: ${order.join(', ')}`);
  await page.locator(`${byTestId('import-row')}[data-import-id="${productsBatch}"] ${byTestId('import-open')}`).click();
  await page.locator(`${byTestId('import-detail')}[data-import-id="${productsBatch}"]`).waitFor({ timeout: 5000 });
  assert.equal(new URL(page.url()).hash, `#erp/imports/${productsBatch}`);
  assert.deepEqual(await rejectedRowsShown(), products.rejected);
  await phoneShot('erp-imports-phone');

  // The same batch id again is the same import: the page says so and sends nothing.
  await importFile('stock', stockBatch, file('stock.csv', csv, 'text/csv'));
  assert.equal(await page.locator(byTestId('import-status')).getAttribute('data-code'), 'batchCompleted');
  assert.match(await text(page.locator(byTestId('import-status'))), /imported already/);
  assert.equal((await restOk('GET', `/api/erp/imports/${stockBatch}`, env.ops)).total, 6, 'nothing more was read');
});

test('the ERP page shows an import\'s progress while its upload runs, from GET /api/erp/imports/{id}', { timeout: 60_000 }, async () => {
  const customer = await restOk('GET', '/api/customers/c-0011', env.ops);
  const distributor = `d-erp-${tag}-p`.toLowerCase();
  for (const [kind, rows] of [['products', [{ sku: sku('P'), name: 'ERP e2e progress' }]], ['distributors', [distributorFor(distributor, customer)]]]) {
    assert.equal((await restOk('POST', '/api/erp/imports', env.ops, { batchId: `erp-setup-progress-${kind}-${tag}`, kind, rows })).applied, 1);
  }
  // 2,500 stock levels, each a new on hand: the server applies them in chunks of 1,000.
  const rows = Array.from({ length: 2500 }, (_, i) => `${distributor},${sku('P')},${i + 1},1`);
  const csv = `distributorId,sku,onHand,threshold\n${rows.join('\n')}\n`;
  const batch = `erp-progress-${tag}`;

  // The upload goes through the test on its way, which holds back what follows row 1,500 until the page has shown the
  // first chunk applied: the progress is read while the request is still running, whatever the machine's speed.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route((url) => url.pathname === '/api/erp/imports', async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.fallback();
    const body = request.postDataBuffer();
    assert.ok(body, 'the upload\'s body reached the route');
    let cut = 0;
    for (let lines = 0; lines < 1501; lines++) cut = body.indexOf(10, cut) + 1; // the header and 1,500 rows
    const stream = new ReadableStream({
      async start(controller) {
        controller.enqueue(body.subarray(0, cut));
        await released;
        controller.enqueue(body.subarray(cut));
        controller.close();
      },
    });
    const headers = request.headers();
    const response = await fetch(request.url(), {
      method: 'POST', body: stream, duplex: 'half',
      headers: { authorization: headers.authorization, 'content-type': headers['content-type'], accept: 'application/json' },
    });
    await route.fulfill({ status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body: await response.text() });
  });
  try {
    await page.goto(`${env.url}/#erp/imports`);
    const form = page.locator(byTestId('import-form'));
    await form.waitFor({ timeout: 5000 });
    await form.locator(byTestId('import-kind')).selectOption('stock');
    await form.locator(byTestId('import-batch-id')).fill(batch);
    await form.locator(byTestId('import-file')).setInputFiles(file('levels.csv', csv, 'text/csv'));
    await form.locator(byTestId('import-submit')).click();

    const progress = page.locator(byTestId('import-progress'));
    await page.waitForFunction(() => {
      const d = document.querySelector('[data-testid="import-progress"]')?.dataset;
      return d?.status === 'Running' && Number(d.applied) >= 1000;
    }, null, { timeout: 10_000 });
    const running = await restOk('GET', `/api/erp/imports/${batch}`, env.ops);
    assert.equal(running.status, 'Running');
    const shown = await progress.evaluate((el) => ({ ...el.dataset }));
    assert.equal(shown.total, String(running.total), 'the page shows what the API says while the upload runs');
    assert.equal(shown.applied, String(running.applied));
    assert.match(await text(page.locator(byTestId('import-progress-text'))), /^Running 进行中 · 1,000 applied .* \(about 2,500 in the file/);
    await shot('erp-import-progress');

    release();
    await page.locator(`${byTestId('import-detail')}[data-import-id="${batch}"][data-status="Completed"]`).waitFor({ timeout: 15_000 });
    assert.deepEqual(await importCountsShown(), { total: 2500, applied: 2500, unchanged: 0, rejectedCount: 0 });
    assert.equal((await inventoryItem(distributor, sku('P'))).onHand, 2500, 'the last row won');
  } finally {
    release();
    await page.unrouteAll({ behavior: 'wait' });
  }
});

test('the ERP page shows the server\'s refusal of an import clearly: a CSV with an unknown column is 400 unknownColumn, and nothing is recorded', { timeout: 60_000 }, async () => {
  await page.goto(`${env.url}/#erp/imports`);
  await page.locator(byTestId('import-form')).waitFor({ timeout: 5000 });
  const batch = `erp-bad-${tag}`;
  await importFile('customers', batch, file('customers.csv', `id,name,colour\nc-erp-${tag},X,red\n`, 'text/csv'));
  const status = page.locator(byTestId('import-status'));
  assert.equal(await status.getAttribute('data-code'), 'unknownColumn');
  assert.match(await text(status), /^Not imported 未导入: 400 'colour' is not a field of this kind of row \(unknownColumn\)/);
  assert.equal((await rest('GET', `/api/erp/imports/${batch}`, env.ops)).status, 404, 'a body refused at its header records nothing');
  await shot('erp-import-refused');
});

test('ops send a SAP stock snapshot from a CSV file on the ERP page and see its differences as the API reconciled them: a shortfall below reserved names the order at risk', { timeout: 120_000 }, async () => {
  // Set-up through the API: this run's products, a distributor where the customer is, stock there.
  const customerToken = env.customers[10];
  const customer = await restOk('GET', '/api/customers/c-0011', env.ops);
  const distributor = `d-erp-${tag}-r`.toLowerCase();
  const unknown = `d-erp-${tag}-unknown`.toLowerCase();
  const [r1, r2, r3] = [sku('R1'), sku('R2'), sku('R3')];
  for (const [kind, rows] of [
    ['products', [r1, r2, r3].map((s) => ({ sku: s, name: `ERP e2e ${s}` }))],
    ['distributors', [distributorFor(distributor, customer)]],
    ['stock', [[r1, 10], [r2, 50], [r3, 30]].map(([s, onHand]) => ({ distributorId: distributor, sku: s, onHand, threshold: 1 }))],
  ]) {
    const done = await restOk('POST', '/api/erp/imports', env.ops, { batchId: `erp-setup-${kind}-${tag}`, kind, rows });
    assert.equal(done.applied, rows.length, `${kind}: ${JSON.stringify(done.rejected)}`);
  }
  // An order reserves 4 of R1 there (only that distributor stocks it). Routing reads stock from a directory that hears
  // of a change a moment after it is made, so an order placed at once may find none: placed again until allocated (a
  // rejected order holds nothing).
  let placed;
  let attempt = 0;
  await until(async () => {
    const r = await rest('POST', '/api/orders', customerToken, { lines: [{ sku: r1, quantity: 4 }] }, { 'Idempotency-Key': `e2e-erp-${tag}-${attempt++}` });
    if (r.status === 429) return false; // the customer's rate limit (other tests place orders too): again after a while
    assert.equal(r.status, 201, `placing an order: ${JSON.stringify(r.json)}`);
    placed = r.json;
    return placed.status === 'Allocated';
  }, { timeout: 10_000, interval: 100, message: () => `the order was not allocated: ${JSON.stringify(placed)}` });
  assert.deepEqual(placed.allocations.map((a) => a.distributorId), [distributor]);
  assert.equal((await inventoryItem(distributor, r1)).reserved, 4);

  await page.goto(`${env.url}/#erp/snapshots`);
  const form = page.locator(byTestId('snapshot-form'));
  await form.waitFor({ timeout: 5000 });
  await page.locator(`${byTestId('erp-nav-snapshots')}.active`).waitFor({ timeout: 1000 });

  // SAP counts: R1 1 (below the 4 reserved: a shortfall), R2 47 (3 less, beyond the tolerance of 2), R3 as we have it,
  // and a distributor Routing does not know.
  const csv = ['distributorId,sku,onHand', `${distributor},${r1},1`, `${distributor},${r2},47`, `${distributor},${r3},30`, `${unknown},${r1},5`].join('\r\n');
  await form.locator(byTestId('snapshot-file')).setInputFiles(file('sap-stock.csv', csv, 'text/csv'));
  await until(async () => /^4 rows/.test(await text(form.locator(byTestId('snapshot-preview')))), { message: 'the file\'s rows were not counted' });

  // asOf in the future: the server's refusal, with its code.
  const tomorrow = new Date(Date.now() + 86_400_000);
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  await form.locator(byTestId('snapshot-as-of')).fill(local(tomorrow));
  const snapshotId = `erp-snap-${tag}`;
  await form.locator(byTestId('snapshot-id')).fill(snapshotId);
  await form.locator(byTestId('snapshot-submit')).click();
  const status = page.locator(byTestId('snapshot-status'));
  await page.locator(`${byTestId('snapshot-status')}[data-code="asOfInFuture"]`).waitFor({ timeout: 5000 });
  assert.match(await text(status), /422 asOf is when SAP counted: not in the future/);
  assert.equal((await rest('GET', `/api/erp/stock-snapshots/${snapshotId}`, env.ops)).status, 404);

  // As of now (the field left empty), tolerance 2.
  await form.locator(byTestId('snapshot-as-of')).fill('');
  await form.locator(byTestId('snapshot-tolerance')).fill('2');
  await form.locator(byTestId('snapshot-submit')).click();
  const detail = page.locator(`${byTestId('snapshot-detail')}[data-snapshot-id="${snapshotId}"]`);
  await detail.and(page.locator('[data-status="Completed"]')).waitFor({ timeout: 15_000 });
  assert.equal(new URL(page.url()).hash, `#erp/snapshots/${snapshotId}`);

  const api = await restOk('GET', `/api/erp/stock-snapshots/${snapshotId}`, env.ops);
  assert.deepEqual([api.status, api.rows, api.processed, api.matched, api.tolerance], ['Completed', 4, 4, 1, 2]);
  const shortfall = api.differences.find((d) => d.sku === r1 && d.distributorId === distributor);
  assert.deepEqual(shortfall, { distributorId: distributor, sku: r1, ours: 10, sap: 1, difference: -9, applied: -6, shortfall: true, ordersAtRisk: [placed.orderId] });

  // The table is the API's differences, row for row.
  const shown = await detail.locator(byTestId('difference-row')).evaluateAll((rows) => rows.map((r) => {
    const units = (id) => Number(r.querySelector(`[data-testid="${id}"]`).dataset.units);
    return {
      distributorId: r.dataset.distributor, sku: r.dataset.sku, ours: units('difference-ours'), sap: units('difference-sap'),
      difference: units('difference-difference'), applied: units('difference-applied'), shortfall: r.dataset.shortfall === 'true',
      ordersAtRisk: [...r.querySelectorAll('[data-testid="order-at-risk"]')].map((a) => a.dataset.orderId),
    };
  }));
  assert.deepEqual(shown, api.differences);
  assert.equal(shown.length, 3);
  for (const [id, value] of [['snapshot-rows', 4], ['snapshot-matched', 1], ['snapshot-differences', 3], ['snapshot-shortfalls', 1]]) {
    assert.equal(await detail.locator(byTestId(id)).getAttribute('data-value'), String(value), id);
  }
  const risky = detail.locator(`${byTestId('difference-row')}[data-shortfall="true"]`);
  assert.match(await risky.getAttribute('class'), /needs-review/, 'the shortfall stands out');
  assert.equal(await risky.locator(byTestId('order-at-risk')).getAttribute('href'), `#orders/${placed.orderId}`);
  // SAP won, down to reserved only.
  assert.deepEqual([(await inventoryItem(distributor, r1)).onHand, (await inventoryItem(distributor, r2)).onHand], [4, 47]);
  await shot('erp-reconciliation');

  // Shortfalls only.
  await detail.locator(byTestId('shortfalls-only')).check();
  await until(async () => (await page.locator(`${byTestId('snapshot-detail')} ${byTestId('difference-row')}`).count()) === 1, { message: 'the filter left more than the shortfall' });
  assert.equal(await page.locator(`${byTestId('snapshot-detail')} ${byTestId('difference-row')}`).getAttribute('data-sku'), r1);

  // The list, with its counts.
  const listed = page.locator(`${byTestId('snapshot-row')}[data-snapshot-id="${snapshotId}"]`);
  await listed.and(page.locator('[data-status="Completed"]')).waitFor({ timeout: 5000 });
  for (const [id, value] of [['snapshot-row-rows', 4], ['snapshot-row-matched', 1], ['snapshot-row-differences', 3], ['snapshot-row-shortfalls', 1]]) {
    assert.equal(await listed.locator(byTestId(id)).getAttribute('data-value'), String(value), id);
  }
  await phoneShot('erp-reconciliation-phone');

  // The order at risk opens in the order lookup.
  await page.locator(`${byTestId('snapshot-detail')} ${byTestId('order-at-risk')}`).click();
  await page.locator(`${byTestId('tab-orders')}.active`).waitFor({ timeout: 5000 });
  await page.locator(byTestId('order-lookup-result')).getByText(placed.orderId).first().waitFor({ timeout: 5000 });

  // Back to the snapshot by its address.
  await page.goto(`${env.url}/#erp/snapshots/${snapshotId}`);
  await page.locator(`${byTestId('snapshot-detail')}[data-snapshot-id="${snapshotId}"]`).waitFor({ timeout: 5000 });

  await restOk('POST', `/api/orders/${placed.orderId}/cancel`, env.ops, { reason: 'ERP e2e: done' });
});

test('the ERP page raised no script errors', () => {
  assert.deepEqual(pageErrors, []);
});
