// The stock statement (进销存明细表) of one distributor over a period (default: this month so far): per SKU on hand at
// its start, what came in and went out by kind, on hand at its end (opening + ins − outs = closing, the server's sums),
// with reserved and released beside. The CSV download asks the API for ?format=csv with the session's token (a plain
// link could not send it) and saves the answer from a Blob.
import { api } from '../api';
import { dateInputValue, fmtDateTime, fmtInt, fromInputValue, h, isoWithOffset, setText } from '../dom';
import type { LedgerSummaryRow } from '../types';
import { exportCsv, StatusLine } from './stockParts';

type Column = Exclude<keyof LedgerSummaryRow, 'sku' | 'ins' | 'outs'>;

/** The statement's columns, in the CSV's order. */
const columns: [Column, string][] = [
  ['opening', 'Opening 期初'],
  ['received', 'Received 入库'],
  ['shipped', 'Shipped 发货'],
  ['returned', 'Returned 退货'],
  ['transferredIn', 'Transferred in 调入'],
  ['transferredOut', 'Transferred out 调出'],
  ['adjusted', 'Adjusted 调整'],
  ['writtenOff', 'Written off 报损'],
  ['closing', 'Closing 期末'],
  ['reserved', 'Reserved 预留'],
  ['released', 'Released 释放'],
];

export interface StatementOptions {
  /** The distributor's own view; otherwise `setDistributor` chooses one (ops). */
  distributorId?: string;
}

export class StockStatement {
  readonly el: HTMLElement;
  private distributorId: string | null;
  private readonly title: HTMLElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly table: HTMLTableElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly period: HTMLElement;
  private readonly status = new StatusLine('statement-status');
  private readonly csv: HTMLButtonElement;
  private generation = 0;

  constructor(options: StatementOptions = {}) {
    this.distributorId = options.distributorId ?? null;
    const now = new Date();
    this.title = h('h2', null, this.heading());
    this.from = h('input', { type: 'date', required: true, testid: 'statement-from', 'aria-label': 'From 起始日期',
      value: dateInputValue(new Date(now.getFullYear(), now.getMonth(), 1)) });
    this.to = h('input', { type: 'date', required: true, testid: 'statement-to', 'aria-label': 'To 截止日期', value: dateInputValue(now) });
    this.csv = h('button', { type: 'button', class: 'ghost', testid: 'statement-csv', onclick: () => void this.download() }, 'CSV 导出');
    this.period = h('p', { class: 'muted small', testid: 'statement-period' });
    this.tbody = h('tbody');
    this.table = h('table', { class: 'stock-table statement-table', testid: 'statement-table' },
      h('thead', null, h('tr', null, h('th', null, 'SKU 商品'), columns.map(([, text]) => h('th', { class: 'num' }, text)))),
      this.tbody);
    this.el = h('section', { class: 'panel', testid: 'statement-panel' },
      h('header', { class: 'panel-head' }, this.title,
        h('form', { class: 'tools', testid: 'statement-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.load(); } },
          h('label', { class: 'small' }, 'From 从 ', this.from),
          h('label', { class: 'small' }, 'To 至 ', this.to),
          h('button', { type: 'submit', class: 'ghost', testid: 'statement-load' }, 'Show 查询'),
          this.csv)),
      this.period,
      this.status.el,
      h('div', { class: 'table-scroll' }, this.table));
  }

  private heading(): string {
    return this.distributorId ? `Stock statement 进销存明细表 · ${this.distributorId}` : 'Stock statement 进销存明细表';
  }

  /** Ops: the distributor to show. */
  setDistributor(id: string | null): void {
    if (id === this.distributorId) return;
    this.distributorId = id;
    setText(this.title, this.heading());
    void this.load();
  }

  /** The period the dates name: from the first day's start to the last day's end (or now, for today), local time. */
  private range(): { from: string; to: string } | string {
    const from = fromInputValue(this.from.value);
    const toDay = fromInputValue(this.to.value);
    if (!from || !toDay) return 'Give both dates. 请填写起止日期。';
    const end = new Date(toDay.getFullYear(), toDay.getMonth(), toDay.getDate() + 1);
    const to = end.getTime() > Date.now() ? new Date() : end;
    if (from > to) return 'From must not be after to. 起始日期不能晚于截止日期。';
    return { from: isoWithOffset(from), to: isoWithOffset(to) };
  }

  async load(): Promise<void> {
    const id = this.distributorId;
    const gen = ++this.generation;
    this.csv.disabled = !id;
    if (!id) {
      this.tbody.replaceChildren(h('tr', null, h('td', { colspan: columns.length + 1, class: 'muted' }, 'Choose a distributor. 请选择经销商。')));
      return;
    }
    const range = this.range();
    if (typeof range === 'string') { this.status.show('error', range); return; }
    this.status.show('muted', 'Loading… 加载中');
    try {
      const rows = await api.ledgerSummary(id, range.from, range.to);
      if (gen !== this.generation) return;
      this.status.clear();
      // What the table shows, so a reader can ask the API for the same statement.
      Object.assign(this.table.dataset, { distributor: id, from: range.from, to: range.to, state: 'loaded' });
      setText(this.period, `${id} · ${fmtDateTime(range.from)} → ${fmtDateTime(range.to)} · opening + received + returned + transferred in + adjusted − shipped − transferred out − written off = closing 期初 + 入 − 出 = 期末`);
      this.tbody.replaceChildren(...rows.map((r) => h('tr', { testid: 'statement-row', 'data-sku': r.sku },
        h('td', { class: 'mono' }, r.sku),
        columns.map(([c]) => h('td', { class: `num${c === 'closing' || c === 'opening' ? ' strong' : ''}`, 'data-col': c, 'data-units': r[c] }, fmtInt(r[c]))))));
      if (rows.length === 0) this.tbody.appendChild(h('tr', null, h('td', { colspan: columns.length + 1, class: 'muted' }, 'No stock in this period. 此期间无库存。')));
    } catch (e) {
      if (gen !== this.generation) return;
      this.table.dataset.state = 'error';
      this.status.problem('Could not load the statement 无法加载进销存', e);
    }
  }

  /** The same statement as CSV, saved as a file. */
  private async download(): Promise<void> {
    const id = this.distributorId;
    if (!id) return;
    const range = this.range();
    if (typeof range === 'string') { this.status.show('error', range); return; }
    await exportCsv(this.csv, this.status, `stock-statement-${id}-${this.from.value}-${this.to.value}.csv`,
      () => api.ledgerSummaryCsv(id, range.from, range.to));
  }
}
