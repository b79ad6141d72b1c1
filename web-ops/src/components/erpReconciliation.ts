// Reconciliation with SAP, SAP wins (对账): send a stock snapshot from a CSV file (distributorId,sku,onHand) with the
// time SAP counted (empty: now, when sent) and a tolerance, then follow it while the server reconciles it in the
// background; the list of snapshots (newest first) and one snapshot's differences: per distributor and SKU ours (the
// ledger's on hand at that time), SAP's, the difference posted, what was applied, and a shortfall (on hand went down to
// reserved only) with the orders whose reservations are at risk, each a link to the order (#orders/{id}).
import { api, ApiError } from '../api';
import { fmtDateTime, fmtInt, fromInputValue, h, isoWithOffset, KeyedRows, label, setText } from '../dom';
import { retryable } from '../idempotency';
import type { SnapshotDifference, SnapshotView, StockSnapshotRequest } from '../types';
import { freshIds, headOf, Poller, validId } from './erpParts';
import { Pager } from './orderParts';
import { intInput, problemText, StatusLine } from './stockParts';

const pageSize = 20;
const columns = ['distributorId', 'sku', 'onHand'] as const;
const signed = (n: number): string => (n > 0 ? `+${fmtInt(n)}` : fmtInt(n));
const shortfalls = (v: SnapshotView): number => v.differences.filter((d) => d.shortfall).length;

/** The rows of a snapshot CSV (header distributorId,sku,onHand in any order; quotes allowed), or why not. */
export function parseSnapshotCsv(text: string): StockSnapshotRequest['rows'] | string {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const cells = (line: string): string[] => {
    const out: string[] = [];
    let cell = '', quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { out.push(cell.trim()); cell = ''; } else cell += c;
    }
    out.push(cell.trim());
    return out;
  };
  const header = cells(lines[0] ?? '');
  const unknown = header.filter((name) => !(columns as readonly string[]).includes(name));
  if (unknown.length) return `Unknown column 未知列: ${unknown.join(', ')} — the header is ${columns.join(',')} 表头应为 ${columns.join(',')}`;
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length) return `Missing column 缺少列: ${missing.join(', ')} — the header is ${columns.join(',')}`;
  const at = Object.fromEntries(columns.map((c) => [c, header.indexOf(c)])) as Record<(typeof columns)[number], number>;
  const rows: StockSnapshotRequest['rows'] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const row = cells(lines[i]);
    if (row.length !== header.length) return `Row ${i} 第 ${i} 行: ${row.length} cells where the header names ${header.length}`;
    const onHand = row[at.onHand];
    if (!/^\d+$/.test(onHand)) return `Row ${i} 第 ${i} 行: onHand "${onHand}" is not a whole number ≥ 0 不是非负整数`;
    rows.push({ distributorId: row[at.distributorId], sku: row[at.sku], onHand: Number(onHand) });
  }
  if (rows.length === 0) return 'The file has no rows after its header. 文件没有数据行。';
  return rows;
}

/** The form: a CSV file, snapshot id, as of, tolerance. A retry of a send that may not have arrived keeps its time, so
 *  it is the same snapshot (the server answers the one it took, or refuses the id with other rows). */
class SnapshotForm {
  readonly el: HTMLElement;
  private readonly file: HTMLInputElement;
  private readonly snapshotId: HTMLInputElement;
  private readonly asOf: HTMLInputElement;
  private readonly tolerance: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly preview: HTMLElement;
  private readonly status = new StatusLine('snapshot-status');
  private pending: { snapshotId: string; asOf: string } | null = null;

  constructor(private readonly onSent: (v: SnapshotView) => void) {
    this.file = h('input', { type: 'file', required: true, accept: '.csv,text/csv', testid: 'snapshot-file', 'aria-label': 'Snapshot CSV 快照文件',
      onchange: () => void this.check() });
    this.snapshotId = h('input', { type: 'text', required: true, maxlength: 64, testid: 'snapshot-id', 'aria-label': 'Snapshot id 快照编号', value: freshIds.next() });
    this.asOf = h('input', { type: 'datetime-local', step: 1, testid: 'snapshot-as-of', 'aria-label': 'As of 盘点时间' });
    this.tolerance = intInput('snapshot-tolerance', 'Tolerance 容差', { value: '0', required: true, min: 0 });
    this.submit = h('button', { type: 'submit', class: 'primary', testid: 'snapshot-submit' }, 'Reconcile 开始对账');
    this.preview = h('p', { class: 'muted small', testid: 'snapshot-preview' });
    this.el = h('form', { class: 'stock-form', testid: 'snapshot-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.send(); } },
      h('label', { class: 'field wide' }, h('span', null, 'SAP stock CSV 库存快照 (distributorId,sku,onHand)'), this.file, this.preview),
      h('label', { class: 'field' }, h('span', null, 'Snapshot id 快照编号'), this.snapshotId),
      h('label', { class: 'field' }, h('span', null, 'As of 盘点时间'), this.asOf, h('small', { class: 'muted' }, 'Empty: now, when sent 留空即发送时')),
      h('label', { class: 'field' }, h('span', null, 'Tolerance 容差'), this.tolerance, h('small', { class: 'muted' }, 'Units; beyond it an alert 超出则告警')),
      h('div', { class: 'form-actions' }, this.submit),
      this.status.el);
  }

  private async rows(): Promise<StockSnapshotRequest['rows'] | string> {
    const file = this.file.files?.[0];
    if (!file) return 'Choose a CSV file. 请选择 CSV 文件。';
    if (file.size > 32 * 1024 * 1024) return 'The file is larger than 32 MB. 文件超过 32 MB。';
    return parseSnapshotCsv((await headOf(file, file.size)).text);
  }

  /** A file chosen: its rows and distributors counted, or what is wrong with it. */
  private async check(): Promise<void> {
    const rows = await this.rows();
    this.preview.className = typeof rows === 'string' ? 'error small' : 'muted small';
    setText(this.preview, typeof rows === 'string' ? rows
      : `${fmtInt(rows.length)} rows 行 · ${fmtInt(new Set(rows.map((r) => r.distributorId)).size)} distributors 经销商 · ${fmtInt(rows.reduce((s, r) => s + r.onHand, 0))} units 件`);
  }

  private async send(): Promise<void> {
    const rows = await this.rows();
    if (typeof rows === 'string') { this.status.show('error', rows); return; }
    const snapshotId = this.snapshotId.value.trim();
    if (!validId(snapshotId)) { this.status.show('error', 'Snapshot id: letters, digits, ".", "_" or "-", at most 64. 快照编号格式不正确。'); return; }
    let asOf: string;
    if (this.asOf.value) {
      const at = fromInputValue(this.asOf.value);
      if (!at) { this.status.show('error', 'As of: not a date and time. 盘点时间无效。'); return; }
      asOf = isoWithOffset(at);
    } else {
      asOf = this.pending?.snapshotId === snapshotId ? this.pending.asOf : isoWithOffset(new Date());
    }
    const body: StockSnapshotRequest = { snapshotId, asOf, tolerance: Number(this.tolerance.value), rows };
    this.pending = { snapshotId, asOf };
    freshIds.use(snapshotId);
    this.submit.disabled = true;
    this.status.show('muted', 'Sending… 提交中');
    try {
      const v = await api.reconcile(body);
      this.pending = null;
      this.status.show('ok', `Accepted 已受理: ${v.snapshotId} · ${fmtInt(v.rows)} rows 行; its reconciliation below 对账结果见下方`);
      this.snapshotId.value = freshIds.next();
      this.onSent(v);
    } catch (e) {
      const again = retryable(e);
      if (!again) this.pending = null;
      this.status.refused('Not accepted 未受理', e, again);
    } finally {
      this.submit.disabled = false;
    }
  }
}

/** One snapshot: progress, counts, and its differences (shortfalls only, if asked). */
class SnapshotDetail {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly onlyShortfalls: HTMLInputElement;
  private view: SnapshotView | null = null;

  constructor() {
    this.onlyShortfalls = h('input', { type: 'checkbox', testid: 'shortfalls-only', onchange: () => { if (this.view) this.show(this.view); } });
    this.body = h('div');
    this.el = h('div', { class: 'erp-detail-box', hidden: true }, this.body);
  }

  get shown(): string | null {
    return this.view?.snapshotId ?? null;
  }

  show(v: SnapshotView): void {
    this.view = v;
    this.el.hidden = false;
    const only = this.onlyShortfalls.checked;
    const list = only ? v.differences.filter((d) => d.shortfall) : v.differences;
    const fact = (term: string, testid: string, value: string | number, cls = '') =>
      h('div', null, h('dt', null, term), h('dd', { class: cls, testid, 'data-value': typeof value === 'number' ? value : null }, typeof value === 'number' ? fmtInt(value) : value));
    const pct = v.rows ? Math.round((100 * v.processed) / v.rows) : 100;
    this.body.replaceChildren(h('div', { class: 'erp-detail', testid: 'snapshot-detail', 'data-snapshot-id': v.snapshotId, 'data-status': v.status },
      h('div', { class: 'order-head' },
        h('h3', null, 'Snapshot 快照 · ', h('span', { class: 'mono' }, v.snapshotId)),
        h('span', { class: `badge status-${v.status}`, testid: 'snapshot-detail-status' }, label(v.status))),
      h('div', { class: 'progress thin', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, testid: 'snapshot-progress' },
        h('div', { class: 'fill', style: `width:${pct}%` })),
      h('dl', { class: 'facts compact' },
        fact('As of 盘点时间', 'snapshot-as-of-value', fmtDateTime(v.asOf)),
        fact('Tolerance 容差', 'snapshot-tolerance-value', v.tolerance),
        fact('Rows 行数', 'snapshot-rows', v.rows),
        fact('Processed 已处理', 'snapshot-processed', v.processed),
        fact('Matched 一致', 'snapshot-matched', v.matched, 'ok'),
        fact('Differences 差异', 'snapshot-differences', v.differences.length, v.differences.length ? 'error' : ''),
        fact('Shortfalls 短缺', 'snapshot-shortfalls', shortfalls(v), shortfalls(v) ? 'error' : ''),
        fact('Completed 完成时间', 'snapshot-completed-at', fmtDateTime(v.completedAt))),
      h('div', { class: 'panel-head' },
        h('h4', null, 'Differences 差异 (SAP − ours 我方, posted to today\'s on hand 计入当前在库)'),
        h('label', { class: 'toggle' }, this.onlyShortfalls, ' Shortfalls only 仅看短缺')),
      h('div', { class: 'table-scroll' },
        h('table', { class: 'stock-table', testid: 'differences-table' },
          h('thead', null, h('tr', null,
            h('th', null, 'Distributor 经销商'), h('th', null, 'SKU 商品'), h('th', { class: 'num' }, 'Ours 我方'), h('th', { class: 'num' }, 'SAP'),
            h('th', { class: 'num' }, 'Difference 差异'), h('th', { class: 'num' }, 'Applied 已调整'), h('th', null, 'Shortfall 短缺'), h('th', null, 'Orders at risk 受影响订单'))),
          h('tbody', null, list.length ? list.map((d) => this.row(d, v.tolerance))
            : h('tr', null, h('td', { colspan: 8, class: 'muted' }, v.status === 'Running' ? 'Reconciling… 对账中'
              : only ? 'No shortfalls. 没有短缺。' : 'No differences: SAP and Routing agree. 无差异。')))))));
  }

  private row(d: SnapshotDifference, tolerance: number): HTMLElement {
    const units = (testid: string, n: number, text: string, cls = '') => h('td', { class: `num ${cls}`, testid, 'data-units': n }, text);
    return h('tr', { testid: 'difference-row', 'data-distributor': d.distributorId, 'data-sku': d.sku, 'data-shortfall': String(d.shortfall),
      class: d.shortfall ? 'needs-review' : Math.abs(d.difference) > tolerance ? 'beyond' : '' },
    h('td', { class: 'mono' }, d.distributorId),
    h('td', { class: 'mono' }, d.sku),
    units('difference-ours', d.ours, fmtInt(d.ours)),
    units('difference-sap', d.sap, fmtInt(d.sap)),
    units('difference-difference', d.difference, signed(d.difference), d.difference < 0 ? 'error' : ''),
    units('difference-applied', d.applied, signed(d.applied)),
    h('td', { testid: 'difference-shortfall' }, d.shortfall
      ? h('span', { class: 'badge kind-ReconciliationShortfall' }, `Shortfall 短缺: ${signed(d.difference - d.applied)} not applied, down to reserved 仅减至预留`)
      // Only a distributor Routing does not know has a difference with nothing applied and no shortfall.
      : d.applied === 0 && d.difference !== 0 ? h('span', { class: 'badge', testid: 'difference-unknown' }, 'Not applied: unknown distributor 未知经销商，未调整')
        : h('span', { class: 'muted small' }, '—')),
    h('td', { testid: 'difference-orders' }, d.ordersAtRisk.length
      ? d.ordersAtRisk.map((id) => h('a', { href: `#orders/${encodeURIComponent(id)}`, class: 'mono order-link', testid: 'order-at-risk', 'data-order-id': id }, id))
      : h('span', { class: 'muted small' }, '—')));
  }
}

export class ReconciliationPanel {
  readonly el: HTMLElement;
  private readonly detail = new SnapshotDetail();
  private readonly detailError: HTMLElement;
  private readonly rows: KeyedRows<SnapshotView>;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly status: HTMLSelectElement;
  private readonly pager: Pager;
  private readonly poller = new Poller();
  private loading = false;
  private again = false;

  constructor() {
    const form = new SnapshotForm((v) => {
      this.follow(v);
      void this.load();
      history.replaceState(null, '', `#erp/snapshots/${encodeURIComponent(v.snapshotId)}`);
    });
    this.detailError = h('p', { class: 'error small', hidden: true, role: 'alert', testid: 'snapshot-detail-error' });
    this.summary = h('span', { class: 'muted small', testid: 'snapshots-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert', testid: 'snapshots-error' });
    this.pager = new Pager('snapshots', pageSize, () => void this.load());
    this.status = h('select', { testid: 'snapshots-filter', 'aria-label': 'Status 状态', onchange: () => { this.pager.page = 1; void this.load(); } },
      h('option', { value: '' }, 'All statuses 全部状态'), ['Running', 'Completed'].map((s) => h('option', { value: s }, label(s))));
    const tbody = h('tbody');
    this.rows = new KeyedRows(tbody, (v) => v.snapshotId, (v) => `${v.status} ${v.processed} ${v.differences.length}`, (v) => this.row(v),
      () => h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'No snapshots yet. 暂无对账快照。')));
    this.el = h('div', { class: 'tab-stack', testid: 'erp-snapshots' },
      h('section', { class: 'panel', testid: 'snapshot-new' },
        h('header', { class: 'panel-head' }, h('h2', null, 'Reconcile a SAP stock snapshot 库存对账')),
        h('p', { class: 'muted small' },
          'SAP wins: each difference from the ledger\'s on hand at "as of" is posted to today\'s on hand; never below what is reserved (a shortfall names the orders at risk). ',
          '以 SAP 为准：按盘点时间的账面在库比对，差异计入当前在库；不低于已预留数量，短缺时列出受影响订单。'),
        form.el,
        this.detailError,
        this.detail.el),
      h('section', { class: 'panel', testid: 'snapshots-panel' },
        h('header', { class: 'panel-head' },
          h('h2', null, 'Snapshots 对账记录'),
          h('div', { class: 'tools' }, this.summary, this.status,
            h('button', { type: 'button', class: 'ghost', testid: 'snapshots-refresh', onclick: () => void this.load() }, 'Refresh 刷新'))),
        this.error,
        h('div', { class: 'table-scroll' },
          h('table', { class: 'stock-table', testid: 'snapshots-table' },
            h('thead', null, h('tr', null,
              h('th', null, 'Snapshot 快照'), h('th', null, 'Status 状态'), h('th', null, 'As of 盘点时间'), h('th', { class: 'num' }, 'Rows 行数'),
              h('th', { class: 'num' }, 'Matched 一致'), h('th', { class: 'num' }, 'Differences 差异'), h('th', { class: 'num' }, 'Shortfalls 短缺'),
              h('th', null, 'Received 接收时间'))),
            tbody)),
        this.pager.el));
  }

  /** Shown: the list, and the snapshot the address names (#erp/snapshots/{id}), followed while it runs. */
  async open(id: string | null): Promise<void> {
    void this.load();
    if (!id || id === this.detail.shown) return;
    try {
      this.follow(await api.snapshot(id));
      this.detailError.hidden = true;
    } catch (e) {
      this.detailError.hidden = false;
      setText(this.detailError, `Snapshot ${id}: ${problemText(e)}`);
    }
  }

  /** Shows a snapshot, asked again every half second until it is reconciled. */
  private follow(v: SnapshotView): void {
    this.poller.stop();
    this.show(v);
    if (v.status !== 'Running') return;
    const id = v.snapshotId;
    this.poller.start(async () => {
      let next: SnapshotView;
      try {
        next = await api.snapshot(id);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return true;
        throw e;
      }
      if (this.detail.shown !== id) return false;
      this.show(next);
      if (next.status !== 'Running') void this.load();
      return next.status === 'Running';
    });
  }

  private show(v: SnapshotView): void {
    this.detail.show(v);
    for (const tr of this.rows.tbody.querySelectorAll<HTMLElement>('tr[data-snapshot-id]')) tr.classList.toggle('selected', tr.dataset.snapshotId === v.snapshotId);
  }

  async load(): Promise<void> {
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      const status = this.status.value || null;
      let list = await api.snapshots(status, this.pager.page, pageSize);
      if (this.pager.clamp(list.total)) list = await api.snapshots(status, this.pager.page, pageSize);
      this.error.hidden = true;
      this.rows.set(list.items);
      this.pager.show(list.total, list.items.length);
      setText(this.summary, `${fmtInt(list.total)} snapshots 次对账`);
    } catch (e) {
      this.error.hidden = false;
      setText(this.error, `Could not load snapshots 无法加载对账记录: ${problemText(e)}`);
    } finally {
      this.loading = false;
      if (this.again) { this.again = false; void this.load(); }
    }
  }

  private row(v: SnapshotView): HTMLElement {
    const href = `#erp/snapshots/${encodeURIComponent(v.snapshotId)}`;
    const short = shortfalls(v);
    return h('tr', { testid: 'snapshot-row', 'data-snapshot-id': v.snapshotId, 'data-status': v.status,
      class: `clickable${short ? ' needs-review' : ''}${v.snapshotId === this.detail.shown ? ' selected' : ''}`,
      onclick: (ev: MouseEvent) => { if (!(ev.target as HTMLElement).closest('a')) location.hash = href; } },
    h('td', null, h('a', { href, class: 'mono', testid: 'snapshot-open' }, v.snapshotId)),
    h('td', null, h('span', { class: `badge status-${v.status}` }, label(v.status)),
      v.status === 'Running' ? h('div', { class: 'muted small' }, `${fmtInt(v.processed)} / ${fmtInt(v.rows)}`) : null),
    h('td', { class: 'nowrap small' }, fmtDateTime(v.asOf)),
    h('td', { class: 'num', testid: 'snapshot-row-rows', 'data-value': v.rows }, fmtInt(v.rows)),
    h('td', { class: 'num', testid: 'snapshot-row-matched', 'data-value': v.matched }, fmtInt(v.matched)),
    h('td', { class: 'num', testid: 'snapshot-row-differences', 'data-value': v.differences.length }, fmtInt(v.differences.length)),
    h('td', { class: `num${short ? ' error' : ''}`, testid: 'snapshot-row-shortfalls', 'data-value': short }, fmtInt(short)),
    h('td', { class: 'nowrap small' }, fmtDateTime(v.receivedAt)));
  }

  destroy(): void {
    this.poller.stop();
  }
}
