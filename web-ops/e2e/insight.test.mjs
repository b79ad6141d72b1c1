// Browser test of the console's forecast and analytics (库存预测 / 订单经营) against a running Routing API in Development
// with in-memory storage (run.sh starts one): the Stock tab's velocity, days of cover and suggested restock, the Forecast
// tab's transfer suggestions and their one-click transfer, the Analytics tab, and a distributor's own view of them.
//
//   ROUTING_URL=http://127.0.0.1:5199 OPS_TOKEN=… node --test web-ops/e2e/insight.test.mjs
//
// Everything it creates is its own, named after a tag of this run: a product INS-<tag>-A, three distributors
// d-ins-<tag>-1…3 covering a region of its own (no demo distributor covers it, so its orders go nowhere else), five
// customers there (four with d-ins-<tag>-1 as home, one in a region nobody covers), and a campaign gb-ins-<tag>; its
// customers' and the distributor's tokens come from the Development sign-in (GET /api/dev/tokens). So it runs beside
// console.test.mjs on the same API (which turns a review rule holding orders over 5 units on for a while: every order
// here is 5 units or fewer), and again on an API that saw a run. The analytics it compares are filtered by its campaign
// (and distributor), which nothing else orders from.
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
};

/** This run's names: unique per run, valid ids (letters, digits, '-'). */
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();
const digits = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-9);
const sku = `INS-${tag}-A`;
const campaignId = `gb-ins-${tag}`.toLowerCase();
const dist = (n) => `d-ins-${tag}-${n}`.toLowerCase();
const [home, spare, far] = [dist(1), dist(2), dist(3)];
const region = `97${digits}`;
const nowhere = `96${digits}`;
const location = { lat: 45.0, lon: 100.0 };

let browser;
let ops; // the ops page
let mine; // the distributor's page (home's)
const pageErrors = [];
const customers = []; // { id, token }
let farCustomer;
let distributorToken;
const placed = []; // order ids placed here

// ---------- REST helpers (node side) ----------

const { rest, restOk } = restClient(env.url);

const inventoryItem = async (distributorId) =>
  (await restOk('GET', `/api/distributors/${distributorId}/inventory`, env.ops)).find((i) => i.sku === sku);

/** A token from the Development sign-in (run.sh's API has it: Development, in-memory storage). */
async function devToken(params) {
  const r = await fetch(`${env.url}/api/dev/tokens?${new URLSearchParams(params)}`);
  assert.equal(r.status, 200, 'GET /api/dev/tokens answers: the API must run in Development with in-memory storage, as e2e/run.sh starts it');
  return (await r.json()).token;
}

/** Places `count` campaign orders of `quantity` (≤ 5: see the header) from the home customers, one after another. */
async function placeOrders(count, quantity, keyPrefix) {
  const orders = [];
  for (let i = 0; i < count; i++) {
    const c = customers[i % customers.length];
    const o = await restOk('POST', `/api/campaigns/${campaignId}/orders`, c.token, { quantity }, { 'Idempotency-Key': `${keyPrefix}-${i}` });
    orders.push(o);
    placed.push(o.orderId);
  }
  return orders;
}


/** A day in China time (the browser's here), as the analytics' query names its start: 2026-12-07T00:00:00+08:00. */
const chinaDayStart = (plusDays = 0) => `${new Date(Date.now() + 8 * 3_600_000 + plusDays * 86_400_000).toISOString().slice(0, 10)}T00:00:00+08:00`;

/** The velocity (units a day) decays continuously and the API rounds it to 2 decimals: two reads seconds apart agree
 *  within a few hundredths (and days of cover with it). */
const near = (a, b, relative = 0.002, absolute = 0.05) => Math.abs(a - b) <= Math.max(absolute, relative * Math.abs(b));

// ---------- browser helpers ----------

const byTestId = (id) => `[data-testid="${id}"]`;

async function shot(page, name) {
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
}

/** A screenshot at phone width, after checking the page does not scroll sideways there. */
async function phoneShot(page, name) {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${name}: the page scrolls sideways on a phone by ${overflow}px`);
  await shot(page, name);
  await page.setViewportSize({ width: 1366, height: 900 });
}

async function signIn(page, token) {
  await page.goto(`${env.url}/`);
  await page.locator(byTestId('token-input')).fill(token);
  await page.locator(byTestId('signin-submit')).click();
  await page.locator(`${byTestId('connection-status')}[data-state="connected"]`).waitFor({ timeout: 15_000 });
}

/** A stock row's forecast cells as the page holds them (the server's values, in data attributes). */
const stockRowShown = (page, distributorId) => page.locator(byTestId(`stock-row-${distributorId}-${sku}`)).evaluate((tr) => ({
  available: Number(tr.querySelector('td.avail').dataset.value),
  velocity: Number(tr.querySelector('[data-testid="stock-velocity"]').dataset.value),
  cover: tr.querySelector('[data-testid="stock-cover"]').dataset.value,
  restock: Number(tr.querySelector('[data-testid="stock-restock"]').dataset.units),
  lowCover: tr.dataset.lowCover === 'true',
  sparkPoints: (tr.querySelector('[data-testid="stock-spark"]').dataset.points || '').split(',').filter(Boolean).map(Number),
  sparkDrawn: tr.querySelector('[data-testid="stock-spark"] svg polyline') !== null,
}));

/** Waits until a stock row shows what the inventory API says of it now (available, velocity, cover, restock, and the
 *  forecast's low cover), and returns the API's item. */
async function stockRowAgrees(page, distributorId, label) {
  let item, shown, low;
  await until(async () => {
    item = await inventoryItem(distributorId);
    low = (await restOk('GET', `/api/forecast?sku=${sku}&distributorId=${distributorId}`, env.ops))[0].lowCover;
    shown = await stockRowShown(page, distributorId);
    return shown.available === item.available && near(shown.velocity, item.velocityPerDay)
      && (item.daysOfCover === null ? shown.cover === '' : near(Number(shown.cover), item.daysOfCover, 0.002, 0.02))
      && Math.abs(shown.restock - item.suggestedRestock) <= 2 && shown.lowCover === low;
  }, { timeout: 10_000, interval: 200, message: () => `${label}: the ${distributorId} ${sku} row ${JSON.stringify(shown)} does not show the API's ${JSON.stringify(item)} (low cover ${low})` });
  return { item, shown };
}

/** The analytics page's query and figures, read at once (a live refresh may redraw them). */
const analyticsShown = (page) => page.locator(`${byTestId('analytics-result')}[data-state="loaded"]`).evaluate((el) => ({
  query: el.dataset.query,
  figures: Object.fromEntries([...el.querySelectorAll('[data-testid="analytics-figure"]')].map((f) => [f.dataset.figure, f.dataset.value === '' ? null : Number(f.dataset.value)])),
  distributors: [...el.querySelectorAll('[data-testid="analytics-distributor-row"]')].map((r) => ({
    distributorId: r.dataset.distributor,
    ...Object.fromEntries([...r.querySelectorAll('[data-col]')].map((c) => [c.dataset.col, c.dataset.value === '' ? null : Number(c.dataset.value)])),
  })),
  failures: [...el.querySelectorAll('[data-testid="failure-reason"]')].map((li) => ({ code: li.dataset.code, count: Number(li.dataset.count) })),
  heat: [...el.querySelectorAll('[data-testid="heat-cell"]')].map((c) => ({ day: c.dataset.day, hour: Number(c.dataset.hour), orders: Number(c.dataset.orders) })),
  buckets: JSON.parse(el.querySelector('[data-testid="analytics-trend"]').dataset.buckets || '[]'),
  sort: el.querySelector('[data-testid="analytics-distributors"]').dataset.sort,
}));

/** The headline figures of an analytics answer, by the paths the page names them. */
const figuresOf = (a) => ({
  'orders.placed': a.orders.placed, 'orders.allocated': a.orders.allocated, 'orders.rejected': a.orders.rejected, 'orders.cancelled': a.orders.cancelled,
  'orders.onHold': a.orders.onHold, 'orders.exception': a.orders.exception, 'orders.preOrder': a.orders.preOrder,
  'units.ordered': a.units.ordered, 'units.allocated': a.units.allocated,
  fillRate: a.fillRate, orderFillRate: a.orderFillRate, homeDistributorRate: a.homeDistributorRate,
});

/** Waits for the analytics page to show the figures for `want` (query parameters it must carry), then checks the page
 *  against the API's answer to the very query the page made; returns both. */
async function analyticsAgree(page, token, want, label) {
  let shown, api;
  await until(async () => {
    shown = await analyticsShown(page);
    const q = new URLSearchParams(shown.query);
    if (!Object.entries(want).every(([k, v]) => (q.get(k) ?? '') === v)) return false;
    api = await restOk('GET', `/api/analytics/orders?${shown.query}`, token);
    // A live refresh may have landed between the two reads: read the page once more to compare.
    const again = await analyticsShown(page);
    return again.query === shown.query && JSON.stringify(again.figures) === JSON.stringify(figuresOf(api)) && (shown = again);
  }, { timeout: 15_000, interval: 200, message: () => `${label}: the page ${JSON.stringify(shown?.figures)} (${shown?.query}) does not show the API's ${JSON.stringify(api && figuresOf(api))}` });
  assert.deepEqual(shown.figures, figuresOf(api), `${label}: the headline figures`);
  const byId = (list) => [...list].sort((a, b) => a.distributorId.localeCompare(b.distributorId));
  assert.deepEqual(byId(shown.distributors), byId(api.byDistributor), `${label}: the distributor table`);
  assert.deepEqual(shown.failures, api.failureReasons, `${label}: the failure reasons, most frequent first`);
  return { shown, api };
}

// ---------- setup ----------

before(async () => {
  requireChromium();
  const missing = [];
  if (!env.url) missing.push('ROUTING_URL');
  if (!env.ops) missing.push('OPS_TOKEN');
  if (missing.length) throw new Error(`Missing environment: ${missing.join(', ')} (see web-ops/README.md, "Browser test"; e2e/run.sh sets them).`);
  await requireApi(env.url);

  // The world of this run: one product, three distributors (the home one short of stock, one near with plenty, one
  // farther with a little), customers at home there and one where nobody delivers, and a campaign open now.
  await restOk('POST', '/api/products', env.ops, { sku, name: `Insight e2e seed ${tag}` });
  for (const [id, lat, onHand] of [[home, 45.0, 200], [spare, 45.05, 5000], [far, 45.5, 50]]) {
    await restOk('POST', '/api/distributors', env.ops, { id, name: `Insight e2e ${id}`, regions: [region], location: { lat, lon: 100.0 }, priority: 1, dailyCapacity: 100_000 });
    await restOk('PUT', `/api/distributors/${id}/inventory/${sku}`, env.ops, { onHand, threshold: 10 });
  }
  for (let i = 1; i <= 4; i++) {
    const id = `ins-${tag}-c${i}`.toLowerCase();
    await restOk('POST', '/api/customers', env.ops, { id, name: `Insight grower ${i}`, region, location, homeDistributorId: home });
    customers.push({ id, token: await devToken({ role: 'customer', customerId: id }) });
  }
  const farId = `ins-${tag}-far`.toLowerCase();
  await restOk('POST', '/api/customers', env.ops, { id: farId, name: 'Insight grower far away', region: nowhere, location: { lat: 20, lon: 120 } });
  farCustomer = { id: farId, token: await devToken({ role: 'customer', customerId: farId }) };
  distributorToken = await devToken({ role: 'distributor', distributorId: home });
  const now = Date.now();
  await restOk('POST', '/api/campaigns', env.ops, {
    id: campaignId, sku, price: 10, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(),
    cap: 100_000, perCustomerLimit: 10_000, minUnits: 0, name: `Insight e2e ${tag}`,
  });

  browser = await launchBrowser();
  // China time, as the console's users see it (the analytics' hours and days are the browser's).
  const context = () => browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
  ops = await (await context()).newPage();
  mine = await (await context()).newPage();
  for (const page of [ops, mine]) page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(ops, env.ops);
  await signIn(mine, distributorToken);
});

after(async () => {
  await browser?.close();
});

// ---------- the flow ----------

test('the Stock tab shows velocity, days of cover and suggested restock as the inventory API has them, live as orders come; the distributor sees its LowCover alert and only its own stock', { timeout: 120_000 }, async () => {
  await ops.goto(`${env.url}/#stock`);
  await ops.locator(byTestId('stock-search')).fill(tag.toLowerCase());
  for (const id of [home, spare, far]) await ops.locator(byTestId(`stock-row-${id}-${sku}`)).waitFor({ timeout: 10_000 });
  const before = await stockRowShown(ops, home);
  assert.equal(before.velocity, 0, 'nothing sold yet');
  assert.equal(before.cover, '', 'no cover while nothing sells');
  assert.equal(await ops.locator(`${byTestId(`stock-row-${home}-${sku}`)} ${byTestId('stock-cover')}`).textContent(), '∞');
  await mine.locator(byTestId(`stock-row-${home}-${sku}`)).waitFor({ timeout: 10_000 });
  assert.equal(await mine.locator(`${byTestId('alert-row')}[data-kind="LowCover"]`).count(), 0, 'no LowCover alert yet');

  // 100 units in a few seconds at the home distributor: about 277 a day, 100 left: a third of a day of cover.
  const orders = await placeOrders(20, 5, `ins-${tag}-stock`);
  assert.ok(orders.every((o) => o.status === 'Allocated' && o.allocations.every((a) => a.distributorId === home)),
    `every order allocated at home: ${orders.map((o) => `${o.status} ${o.allocations.map((a) => a.distributorId)}`).join(', ')}`);

  const { item, shown } = await stockRowAgrees(ops, home, 'ops');
  assert.ok(item.velocityPerDay > 200, `the API's velocity ${item.velocityPerDay}`);
  assert.ok(item.daysOfCover < 3 && shown.lowCover, 'below 3 days of cover: the row is marked low cover');
  assert.ok(await ops.locator(`${byTestId(`stock-row-${home}-${sku}`)}.low-cover`).count() === 1, 'and highlighted');
  assert.ok(shown.sparkPoints.length >= 2 && shown.sparkDrawn, `the sparkline keeps the velocities seen: ${shown.sparkPoints}`);
  assert.equal(shown.sparkPoints[0], 0, 'from the first load (nothing sold)');
  for (let i = 1; i < shown.sparkPoints.length; i++) assert.ok(shown.sparkPoints[i] > shown.sparkPoints[i - 1], 'rising with each order');
  // The others sold nothing.
  await stockRowAgrees(ops, spare, 'ops');
  assert.equal((await stockRowShown(ops, spare)).cover, '');
  assert.equal(await ops.locator(byTestId('low-cover-count')).isVisible(), true, 'the Forecast tab counts the low-cover rows');
  await shot(ops, 'insight-stock');
  await phoneShot(ops, 'insight-stock-phone');

  // The distributor: its LowCover alert arrives live (the page was open before the orders), its own row agrees.
  const alert = mine.locator(`${byTestId('alert-row')}[data-kind="LowCover"][data-sku="${sku}"]`);
  await alert.waitFor({ timeout: 10_000 });
  assert.equal(await alert.getAttribute('data-distributor'), home);
  assert.match(await alert.locator('.badge').textContent(), /Low cover 可售天数不足/);
  const alertId = Number(await alert.getAttribute('data-alert-id'));
  const alerts = await restOk('GET', `/api/alerts?openOnly=true&distributorId=${home}`, distributorToken);
  assert.ok(alerts.some((a) => a.id === alertId && a.kind === 'LowCover' && a.sku === sku), 'the API has the same open LowCover alert');
  await stockRowAgrees(mine, home, 'distributor');
  assert.equal(await mine.locator(byTestId('low-cover-count')).textContent(), '1', 'its summary counts it');
  const rows = await mine.locator('[data-testid^="stock-row-"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.distributor));
  assert.ok(rows.length > 0 && rows.every((d) => d === home), `only its own stock: ${[...new Set(rows)]}`);
  assert.equal(await mine.locator(`[data-distributor="${spare}"]`).count(), 0, 'nothing of another distributor');
  await shot(mine, 'insight-distributor-stock');
  await phoneShot(mine, 'insight-distributor-stock-phone');
});

test('the Forecast tab lists low cover first with the server\'s suggested transfer; one click requests it (a refusal shows its code, a lost answer is retried with the same key) and the API lists it', { timeout: 120_000 }, async () => {
  await ops.goto(`${env.url}/#forecast`);
  await ops.locator(byTestId('forecast-sku')).fill(sku);
  await ops.locator(byTestId('forecast-sku')).dispatchEvent('change');
  const table = ops.locator(`${byTestId('forecast-table')}[data-state="loaded"][data-sku="${sku}"]`);
  await table.waitFor({ timeout: 10_000 });
  const rowsShown = () => table.locator(byTestId('forecast-row')).evaluateAll((trs) => trs.map((tr) => ({
    distributorId: tr.dataset.distributor, lowCover: tr.dataset.lowCover === 'true',
    velocity: Number(tr.querySelector('[data-testid="forecast-velocity"]').dataset.value),
    restock: Number(tr.querySelector('[data-testid="forecast-restock"]').dataset.units),
    suggestions: [...tr.querySelectorAll('[data-testid="forecast-suggestion"]')].map((s) => ({ from: s.dataset.from, quantity: Number(s.dataset.quantity) })),
  })));
  let api, shown;
  await until(async () => {
    api = await restOk('GET', `/api/forecast?sku=${sku}`, env.ops);
    shown = await rowsShown();
    return shown.length === api.length && shown.every((r, i) => r.distributorId === api[i].distributorId && r.lowCover === api[i].lowCover
      && near(r.velocity, api[i].velocityPerDay) && Math.abs(r.restock - api[i].suggestedRestock) <= 2
      && r.suggestions.length === api[i].suggestedTransfers.length);
  }, { timeout: 10_000, interval: 200, message: () => `the forecast rows ${JSON.stringify(shown)} are not the API's ${JSON.stringify(api)}` });
  assert.equal(shown[0].distributorId, home, 'shortest cover first');
  assert.ok(shown[0].lowCover);
  assert.equal(api[0].suggestedTransfers[0].fromDistributorId, spare, 'the nearest distributor with stock to spare');
  assert.equal(shown[0].suggestions[0].from, spare);
  await shot(ops, 'insight-forecast');
  await phoneShot(ops, 'insight-forecast-phone');

  const homeRow = table.locator(`${byTestId('forecast-row')}[data-distributor="${home}"]`);
  const suggestion = homeRow.locator(`${byTestId('forecast-suggestion')}[data-from="${spare}"]`);
  const transfersOf = async () => (await restOk('GET', `/api/transfers?distributorId=${home}&pageSize=500`, env.ops)).filter((t) => t.sku === sku);
  assert.equal((await transfersOf()).length, 0);

  // Refused: the source no longer has the units (its stock cut while the request is on its way).
  const isCreate = (url) => new URL(url).pathname === '/api/transfers';
  await ops.route(isCreate, async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const spareStock = await inventoryItem(spare);
    await restOk('PUT', `/api/distributors/${spare}/inventory/${sku}`, env.ops, { onHand: spareStock.reserved + 10, threshold: 10 });
    await route.continue();
  });
  await suggestion.locator(byTestId('forecast-create-transfer')).click();
  const refused = homeRow.locator(`${byTestId('forecast-transfer-error')}[data-code="insufficientStock"]`);
  await refused.waitFor({ timeout: 5000 });
  await ops.unroute(isCreate);
  assert.match(await refused.textContent(), /409 .*\(insufficientStock\)/);
  assert.equal((await transfersOf()).length, 0, 'nothing was requested');

  // Stock back: the live forecast suggests the transfer again.
  await restOk('PUT', `/api/distributors/${spare}/inventory/${sku}`, env.ops, { onHand: 5000, threshold: 10 });
  let want;
  await until(async () => {
    want = (await restOk('GET', `/api/forecast?sku=${sku}&distributorId=${home}`, env.ops))[0].suggestedTransfers.find((t) => t.fromDistributorId === spare);
    return want && Number(await suggestion.getAttribute('data-quantity', { timeout: 500 })) === want.quantity;
  }, { timeout: 10_000, interval: 200, message: () => `the page does not suggest the API's transfer ${JSON.stringify(want)} again` });

  // The first answer is lost on the way back: the retry sends the same request with the same Idempotency-Key.
  const keys = [];
  let taken;
  await ops.route(isCreate, async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    keys.push({ key: route.request().headers()['idempotency-key'], body: route.request().postDataJSON() });
    if (keys.length > 1) return route.continue();
    taken = await (await route.fetch()).json();
    await route.abort('failed');
  });
  await suggestion.locator(byTestId('forecast-create-transfer')).click();
  const retry = homeRow.locator(`${byTestId('forecast-create-transfer')}[data-retry]`);
  await retry.waitFor({ timeout: 5000 });
  assert.match(await homeRow.locator(byTestId('forecast-transfer-error')).textContent(), /retry/);
  await retry.click();
  const created = homeRow.locator(byTestId('forecast-transfer-created'));
  await created.waitFor({ timeout: 5000 });
  await ops.unroute(isCreate);
  assert.equal(keys.length, 2);
  assert.ok(keys[0].key, 'the request carries an Idempotency-Key');
  assert.equal(keys[1].key, keys[0].key, 'the retry reuses the key');
  assert.deepEqual(keys[1].body, keys[0].body, 'and sends the same request');
  assert.deepEqual(keys[0].body, { fromDistributorId: spare, toDistributorId: home, sku, quantity: want.quantity });
  const id = await created.getAttribute('data-transfer-id');
  assert.equal(id, taken.transferId, 'the retry answered the transfer the first request made');
  const transfer = await restOk('GET', `/api/transfers/${id}`, env.ops);
  assert.deepEqual([transfer.status, transfer.fromDistributorId, transfer.toDistributorId, transfer.sku, transfer.quantity],
    ['Requested', spare, home, sku, want.quantity]);
  const listed = await transfersOf();
  assert.deepEqual(listed.map((t) => t.transferId), [id], 'the API lists it, once');
  await shot(ops, 'insight-forecast-transfer');
});

test('the Analytics tab shows the API\'s figures for its filters: headline, trend, failure reasons, heat map, distributor table (sortable), live; its CSV is the server\'s', { timeout: 180_000 }, async () => {
  // A failure (nobody delivers to that customer), and one share confirmed so a median minutes to confirm exists.
  const rejected = await restOk('POST', `/api/campaigns/${campaignId}/orders`, farCustomer.token, { quantity: 3 }, { 'Idempotency-Key': `ins-${tag}-far` });
  assert.equal(rejected.status, 'Rejected', `the far customer's order: ${JSON.stringify(rejected)}`);
  await restOk('POST', `/api/orders/${placed[0]}/confirm?distributorId=${home}`, env.ops);

  await ops.goto(`${env.url}/#analytics`);
  const result = ops.locator(`${byTestId('analytics-result')}[data-state="loaded"]`);
  await result.waitFor({ timeout: 15_000 });
  assert.equal(await ops.locator(byTestId('analytics-period')).inputValue(), '7d', 'the last 7 days by default');
  await ops.locator(byTestId('analytics-campaign')).selectOption(campaignId);

  // The last 7 days, this campaign: one request per day for the trend and the weekday × hour grid.
  const week = await analyticsAgree(ops, env.ops, { campaignId, utcOffsetMinutes: '480', from: chinaDayStart(-6), to: chinaDayStart(1) }, '7 days');
  assert.equal(week.api.orders.placed, 21);
  assert.equal(week.api.orders.rejected, 1);
  assert.deepEqual(week.api.failureReasons.map((r) => r.code), ['noEligibleDistributor']);
  assert.match(await ops.locator(byTestId('failure-reason')).first().textContent(), /No eligible distributor 无符合条件的经销商/);
  assert.equal(week.shown.buckets.length, 7, 'a bucket per day');
  const q = new URLSearchParams(week.shown.query);
  for (const b of week.shown.buckets.slice(-2)) {
    const day = await restOk('GET', `/api/analytics/orders?${new URLSearchParams({ ...Object.fromEntries(q), from: b.from, to: b.to })}`, env.ops);
    assert.equal(b.fillRate, day.fillRate, `the trend's fill rate on ${b.from}`);
    assert.equal(b.placed, day.orders.placed, `the trend's orders on ${b.from}`);
  }
  const byHour = Array.from({ length: 24 }, (_, hour) => week.shown.heat.filter((c) => c.hour === hour).reduce((s, c) => s + c.orders, 0));
  assert.equal(new Set(week.shown.heat.map((c) => c.day)).size, 7, 'a row per weekday');
  assert.deepEqual(byHour, week.api.byHour.map((x) => x.orders), 'the weekday × hour grid adds up to the period\'s orders by hour');
  const median = week.shown.distributors.find((d) => d.distributorId === home).confirmMedianMinutes;
  assert.ok(median !== null && median >= 0, 'the confirmed share has its minutes to confirm');
  await shot(ops, 'insight-analytics');
  await phoneShot(ops, 'insight-analytics-phone');

  // Today, by hour: the heat map is the period's hours.
  await ops.locator(byTestId('analytics-period')).selectOption('today');
  const today = await analyticsAgree(ops, env.ops, { campaignId, from: chinaDayStart(0), to: chinaDayStart(1) }, 'today');
  assert.deepEqual(today.shown.heat.map((c) => c.orders), today.api.byHour.map((x) => x.orders), 'one row: orders by hour');
  assert.ok(today.shown.buckets.length >= 1 && today.shown.buckets.length <= 24, 'a bucket per hour so far');
  const hour = today.shown.buckets.at(-1);
  const thisHour = await restOk('GET', `/api/analytics/orders?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(today.shown.query)), from: hour.from, to: hour.to })}`, env.ops);
  assert.equal(hour.fillRate, thisHour.fillRate);

  // Custom dates, and a distributor.
  await ops.locator(byTestId('analytics-period')).selectOption('custom');
  await ops.locator(byTestId('analytics-distributor')).selectOption(home);
  await analyticsAgree(ops, env.ops, { campaignId, distributorId: home }, 'custom dates, one distributor');
  await ops.locator(byTestId('analytics-distributor')).selectOption('');
  await ops.locator(byTestId('analytics-period')).selectOption('7d');
  await analyticsAgree(ops, env.ops, { campaignId, distributorId: '', from: chinaDayStart(-6) }, 'back to 7 days');

  // Sortable: by units, then back.
  await ops.locator(byTestId('analytics-sort-units')).click();
  assert.equal((await analyticsShown(ops)).sort, 'units:desc');
  await ops.locator(byTestId('analytics-sort-units')).click();
  assert.equal((await analyticsShown(ops)).sort, 'units:asc');
  await ops.locator(byTestId('analytics-sort-distributorId')).click();
  assert.equal((await analyticsShown(ops)).sort, 'distributorId:asc');

  // Live: an order placed now shows in the figures without a reload (at most every 5 s).
  const placedBefore = (await analyticsShown(ops)).figures['orders.placed'];
  await placeOrders(1, 2, `ins-${tag}-live`);
  await until(async () => (await analyticsShown(ops)).figures['orders.placed'] === placedBefore + 1,
    { timeout: 15_000, interval: 200, message: 'the new order did not reach the figures live' });
  await analyticsAgree(ops, env.ops, { campaignId }, 'after a live order');

  // CSV: the server's, for the same query.
  const shown = await analyticsShown(ops);
  const [download] = await Promise.all([ops.waitForEvent('download', { timeout: 10_000 }), ops.locator(byTestId('analytics-csv')).click()]);
  assert.match(download.suggestedFilename(), new RegExp(`^order-analytics-.*-${campaignId}\\.csv$`));
  const csv = await readFile(await download.path(), 'utf8');
  assert.equal(csv.split('\n')[0], 'figure,key,value');
  const apiCsv = await fetch(`${env.url}/api/analytics/orders?${shown.query}&format=csv`, { headers: { Authorization: `Bearer ${env.ops}` } });
  assert.equal(csv, await apiCsv.text(), 'the file is the API\'s CSV of the same figures');
  assert.match(csv, new RegExp(`^distributorOrders,${home},\\d+$`, 'm'));
  await ops.locator(`${byTestId('analytics-status')}.ok`).waitFor({ timeout: 5000 });
});

test('a distributor\'s Analytics tab shows its own figures only, as the server scopes them', { timeout: 120_000 }, async () => {
  await mine.goto(`${env.url}/#analytics`);
  await mine.locator(`${byTestId('analytics-result')}[data-state="loaded"]`).waitFor({ timeout: 15_000 });
  assert.equal(await mine.locator(byTestId('analytics-distributor')).count(), 0, 'no distributor filter: the server answers with its own');
  await mine.locator(byTestId('analytics-campaign')).selectOption(campaignId);
  const own = await analyticsAgree(mine, distributorToken, { campaignId }, 'distributor');
  assert.deepEqual(own.shown.distributors.map((d) => d.distributorId), [home], 'its own row only');
  // The same figures ops get for this distributor.
  const asOps = await restOk('GET', `/api/analytics/orders?${own.shown.query}&distributorId=${home}`, env.ops);
  assert.deepEqual(own.shown.figures, figuresOf(asOps), 'the figures ops see for it');
  assert.equal(own.api.orders.rejected, 0, 'not the order nobody could take');
  // Asking for another distributor changes nothing: the server answers with its own.
  const other = await restOk('GET', `/api/analytics/orders?${own.shown.query}&distributorId=${spare}`, distributorToken);
  assert.equal(other.distributorId, home);
  // Its forecast is its own, without transfer suggestions.
  const forecast = await restOk('GET', '/api/forecast', distributorToken);
  assert.ok(forecast.every((r) => r.distributorId === home && r.suggestedTransfers.length === 0));
  await shot(mine, 'insight-distributor-analytics');
  await phoneShot(mine, 'insight-distributor-analytics-phone');
});

test('the insight pages raised no script errors', () => {
  assert.deepEqual(pageErrors, []);
});
