// Transfers between distributors (调拨): ops request one (from, to, SKU, quantity; the units are held at the source at
// once), the source dispatches it (off its on hand, incoming at the destination), the destination receives it (fewer
// than dispatched: Discrepancy, and a TransferDiscrepancy alert), ops cancel it while Requested. The list (newest first,
// a page at a time, by status) offers each row the steps the caller may take; the server decides and scopes (a
// distributor sees the transfers it is a side of). Live from the hub's `transferChanged`.
import { api } from '../api';
import { fmtDateTime, fmtInt, h, KeyedRows, label, setText } from '../dom';
import { IdempotencyKeys } from '../idempotency';
import type { TransferChangedEvent, TransferRequest, TransferView } from '../types';
import { Pager } from './orderParts';
import { actionButton, intInput, problemText, rowError, showRowError, StatusLine, Suggestions } from './stockParts';

const pageSize = 50;
const statuses = ['Requested', 'InTransit', 'Received', 'Discrepancy', 'Cancelled'] as const;

export interface TransfersOptions {
  /** The distributor's view: its own transfers, and only the steps its side takes (dispatch from it, receive at it). */
  distributorId?: string;
}

/** Ops' request form; a retry of the same submit keeps its Idempotency-Key. */
class TransferForm {
  readonly el: HTMLElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly sku: HTMLInputElement;
  private readonly quantity: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly status = new StatusLine('transfer-status');
  private readonly keys = new IdempotencyKeys('transfer');

  constructor(suggestions: Suggestions, private readonly onRequested: (t: TransferView) => void) {
    const text = (testid: string, label: string, list: HTMLDataListElement, placeholder: string) =>
      h('input', { type: 'text', required: true, maxlength: 64, list: list.id, placeholder, testid, 'aria-label': label });
    this.from = text('transfer-from', 'From 调出经销商', suggestions.distributors, 'd-02');
    this.to = text('transfer-to', 'To 调入经销商', suggestions.distributors, 'd-01');
    this.sku = text('transfer-sku', 'SKU 商品', suggestions.skus, 'KCL-50');
    this.quantity = intInput('transfer-quantity', 'Quantity 数量', { required: true, min: 1, value: '1' });
    this.submit = h('button', { type: 'submit', class: 'primary', testid: 'transfer-submit' }, 'Request transfer 申请调拨');
    this.el = h('form', { class: 'stock-form', testid: 'transfer-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.send(); } },
      h('label', { class: 'field' }, h('span', null, 'From 调出'), this.from),
      h('label', { class: 'field' }, h('span', null, 'To 调入'), this.to),
      h('label', { class: 'field' }, h('span', null, 'SKU 商品'), this.sku),
      h('label', { class: 'field' }, h('span', null, 'Quantity 数量'), this.quantity),
      h('div', { class: 'form-actions' }, this.submit),
      this.status.el);
  }

  private async send(): Promise<void> {
    const body: TransferRequest = {
      fromDistributorId: this.from.value.trim(), toDistributorId: this.to.value.trim(), sku: this.sku.value.trim(), quantity: Number(this.quantity.value),
    };
    const { key, retry } = this.keys.take(body);
    this.submit.disabled = true;
    this.status.show('muted', retry ? 'Sending again (same request) 重试中…' : 'Sending… 提交中');
    try {
      const t = await api.requestTransfer(body, key);
      this.keys.settle();
      this.status.show('ok', 'Requested 已申请: ',
        h('span', { class: 'mono', testid: 'transfer-created', 'data-transfer-id': t.transferId }, t.transferId),
        ` · ${fmtInt(t.quantity)} × ${t.sku} ${t.fromDistributorId} → ${t.toDistributorId}, held at the source 已在调出方预留`);
      this.onRequested(t);
    } catch (e) {
      this.status.refused('Not requested 未申请', e, this.keys.settle(e));
    } finally {
      this.submit.disabled = false;
    }
  }
}

export class TransfersPanel {
  readonly el: HTMLElement;
  private readonly own: string | undefined;
  private readonly suggestions = new Suggestions();
  private readonly rows: KeyedRows<TransferView>;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly status: HTMLSelectElement;
  private readonly distributor: HTMLInputElement | null;
  private readonly pager: Pager;
  private loading = false;
  private again = false;

  constructor(options: TransfersOptions = {}) {
    this.own = options.distributorId;
    const ops = this.own === undefined;
    const form = ops ? new TransferForm(this.suggestions, () => void this.load()) : null;
    this.summary = h('span', { class: 'muted small', testid: 'transfers-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert', testid: 'transfers-error' });
    this.pager = new Pager('transfers', pageSize, () => void this.load());
    const reload = () => { this.pager.page = 1; void this.load(); };
    this.status = h('select', { testid: 'transfers-filter', 'aria-label': 'Status 状态', onchange: reload },
      h('option', { value: '' }, 'All statuses 全部状态'), statuses.map((s) => h('option', { value: s }, label(s))));
    this.distributor = ops ? h('input', { type: 'search', maxlength: 64, placeholder: 'Distributor 经销商', list: this.suggestions.distributors.id,
      testid: 'transfers-distributor', 'aria-label': 'Distributor (either side) 经销商（调出或调入）', onchange: reload }) : null;
    const tbody = h('tbody');
    this.rows = new KeyedRows(tbody, (t) => t.transferId, (t) => `${t.status} ${t.updatedAt}`, (t) => this.row(t),
      () => h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'No transfers. 暂无调拨。')));
    this.el = h('div', { class: 'tab-stack' },
      form ? h('section', { class: 'panel', testid: 'transfer-new' },
        h('header', { class: 'panel-head' }, h('h2', null, 'New transfer 新建调拨')),
        h('p', { class: 'muted small' }, 'The units are held at the source at once; the source dispatches, the destination receives. 申请后即在调出方预留，由调出方发货、调入方收货。'),
        form.el) : null,
      h('section', { class: 'panel', testid: 'transfers-panel' },
        h('header', { class: 'panel-head' },
          h('h2', null, ops ? 'Transfers 调拨' : `Transfers 调拨 · ${this.own}`),
          h('div', { class: 'tools' }, this.summary, this.distributor, this.status,
            h('button', { type: 'button', class: 'ghost', testid: 'transfers-refresh', onclick: () => void this.load() }, 'Refresh 刷新'))),
        this.error,
        h('div', { class: 'table-scroll' },
          h('table', { class: 'stock-table', testid: 'transfers-table' },
            h('thead', null, h('tr', null,
              h('th', null, 'Transfer 调拨单'), h('th', null, 'From → to 调出 → 调入'), h('th', null, 'SKU 商品'), h('th', { class: 'num' }, 'Quantity 数量'),
              h('th', { class: 'num' }, 'Received 实收'), h('th', null, 'Status 状态'), h('th', null, 'Updated 更新时间'), h('th', null, 'Actions 操作'))),
            tbody)),
        this.pager.el),
      this.suggestions.distributors, this.suggestions.skus);
  }

  /** Loads this page of the list; a call while loading loads once more after. */
  async load(): Promise<void> {
    this.suggestions.load(this.own === undefined);
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      const filter = { status: this.status.value || undefined, distributorId: this.distributor?.value.trim() || undefined };
      let list = await api.transfers(filter, this.pager.page, pageSize);
      if (this.pager.clamp(list.total)) list = await api.transfers(filter, this.pager.page, pageSize);
      this.error.hidden = true;
      this.rows.set(list.items);
      this.pager.show(list.total, list.items.length);
      setText(this.summary, `${fmtInt(list.total)} transfers 调拨单`);
    } catch (e) {
      this.error.hidden = false;
      setText(this.error, `Could not load transfers 无法加载调拨: ${problemText(e)}`);
    } finally {
      this.loading = false;
      if (this.again) { this.again = false; void this.load(); }
    }
  }

  /** Live: a listed transfer moved on (its row at once), or a new one (the page again). */
  onTransferChanged(events: TransferChangedEvent[], shown: boolean): void {
    const mine = this.own ? events.filter((e) => e.transfer.fromDistributorId === this.own || e.transfer.toDistributorId === this.own) : events;
    if (mine.length === 0) return;
    for (const e of mine) this.rows.update(e.transfer);
    if (shown) void this.load();
  }

  /** The steps this caller may take on a transfer, as the server allows them. */
  private row(t: TransferView): HTMLElement {
    const ops = this.own === undefined;
    const error = rowError('transfer-error');
    const done = (next: TransferView) => { this.rows.update(next); void this.load(); };
    const actions: (HTMLElement | string)[] = [];
    if (t.status === 'Requested' && (ops || t.fromDistributorId === this.own)) {
      actions.push(actionButton({ caption: 'Dispatch 发货', testid: 'transfer-dispatch', error, primary: true, act: async () => done(await api.dispatchTransfer(t.transferId)) }));
    }
    if (t.status === 'InTransit' && (ops || t.toDistributorId === this.own)) actions.push(this.receiveAction(t, error, done));
    if (t.status === 'Requested' && ops) {
      actions.push(actionButton({ caption: 'Cancel 取消', testid: 'transfer-cancel', error, act: async () => done(await api.cancelTransfer(t.transferId)) }));
    }
    const side = (id: string) => h('span', { class: id === this.own ? 'mono own' : 'mono' }, id);
    return h('tr', { testid: 'transfer-row', 'data-transfer-id': t.transferId, 'data-status': t.status, class: t.status === 'Discrepancy' ? 'low' : '' },
      h('td', null, h('span', { class: 'mono' }, t.transferId), h('div', { class: 'muted small' }, `${fmtDateTime(t.requestedAt)} · ${t.requestedBy}`)),
      h('td', { class: 'nowrap' }, side(t.fromDistributorId), ' → ', side(t.toDistributorId),
        this.own ? h('div', { class: 'muted small' }, t.fromDistributorId === this.own ? 'outgoing 调出' : 'incoming 调入') : null),
      h('td', { class: 'mono' }, t.sku),
      h('td', { class: 'num', testid: 'transfer-quantity-cell' }, fmtInt(t.quantity)),
      h('td', { class: 'num', testid: 'transfer-received-cell' }, t.receivedQuantity === null ? '—' : fmtInt(t.receivedQuantity),
        t.status === 'Discrepancy' && t.receivedQuantity !== null
          ? h('div', { class: 'error small' }, `${fmtInt(t.quantity - t.receivedQuantity)} missing 短少`) : null),
      h('td', null, h('span', { class: `badge status-${t.status}`, testid: 'transfer-row-status' }, label(t.status))),
      h('td', { class: 'nowrap small' }, fmtDateTime(t.updatedAt)),
      h('td', { class: 'actions' }, actions.length ? actions : h('span', { class: 'muted small' }, '—'), error));
  }

  /** Receive: how many arrived (all dispatched, unless counted short). */
  private receiveAction(t: TransferView, error: HTMLElement, done: (t: TransferView) => void): HTMLElement {
    const quantity = intInput('transfer-received-quantity', 'Received quantity 实收数量', { value: String(t.quantity), max: t.quantity, required: true, class: 'qty' });
    const confirm = h('button', { type: 'submit', class: 'small primary', testid: 'transfer-receive-confirm' }, 'Receive 确认收货');
    const form: HTMLFormElement = h('form', { class: 'reason-form', hidden: true, onsubmit: async (ev: Event) => {
      ev.preventDefault();
      confirm.disabled = true;
      showRowError(error, null);
      try {
        done(await api.receiveTransfer(t.transferId, Number(quantity.value)));
      } catch (e) {
        showRowError(error, e);
        confirm.disabled = false;
      }
    } }, h('span', { class: 'small' }, 'Received 实收'), quantity, ` / ${fmtInt(t.quantity)} `, confirm,
    h('button', { type: 'button', class: 'ghost small', onclick: () => { form.hidden = true; open.hidden = false; } }, 'Back 返回'));
    const open = h('button', { type: 'button', class: 'small primary', testid: 'transfer-receive', onclick: () => {
      open.hidden = true;
      form.hidden = false;
      quantity.focus();
      quantity.select();
    } }, 'Receive 收货');
    return h('span', { class: 'reason-action' }, open, form);
  }
}
