// Returns and exchanges (退换货): ops ask for one against a shipped or completed order (lines SKU × quantity, a reason,
// an exchange or not), the order's distributor (or ops) receives it: per line, resellable units back on hand and damaged
// ones written off; an exchange then routes a replacement order, shown with the return. The list (newest first, a page
// at a time) filters by order, distributor (ops) and status; the server scopes it (a distributor: those coming back to
// it). Returns have no live event: the list reloads when shown and after each action.
import { api } from '../api';
import { fmtDateTime, fmtInt, h, KeyedRows, label, setText } from '../dom';
import { IdempotencyKeys } from '../idempotency';
import type { ReceivedLine, ReturnRequest, ReturnView } from '../types';
import { Pager } from './orderParts';
import { intInput, problemText, rowError, showRowError, StatusLine, Suggestions } from './stockParts';

const pageSize = 50;

export interface ReturnsOptions {
  /** The distributor's view: those coming back to it, no request form. */
  distributorId?: string;
  /** Opens an order (the returned one, or its replacement). */
  onOpen: (orderId: string) => void;
}

/** Ops' request form: `POST /api/orders/{id}/returns`; a retry of the same submit keeps its Idempotency-Key. */
class ReturnForm {
  readonly el: HTMLElement;
  private readonly order: HTMLInputElement;
  private readonly lines: HTMLElement;
  private readonly reason: HTMLInputElement;
  private readonly exchange: HTMLInputElement;
  private readonly distributor: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly status = new StatusLine('return-status');
  private readonly keys = new IdempotencyKeys('return');

  constructor(private readonly suggestions: Suggestions, private readonly onRequested: (r: ReturnView) => void) {
    this.order = h('input', { type: 'text', required: true, maxlength: 64, placeholder: 'o-…', testid: 'return-order', 'aria-label': 'Order 订单号' });
    this.lines = h('div', { class: 'form-lines' });
    this.reason = h('input', { type: 'text', required: true, maxlength: 500, placeholder: 'Torn bags 包装破损', testid: 'return-reason', 'aria-label': 'Reason 原因' });
    this.exchange = h('input', { type: 'checkbox', testid: 'return-exchange' });
    this.distributor = h('input', { type: 'text', maxlength: 64, placeholder: 'only if shipped by several 多家发货时填写', list: suggestions.distributors.id,
      testid: 'return-distributor', 'aria-label': 'Distributor 经销商' });
    this.submit = h('button', { type: 'submit', class: 'primary', testid: 'return-submit' }, 'Request return 申请退货');
    this.addLine();
    this.el = h('form', { class: 'stock-form', testid: 'return-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.send(); } },
      h('label', { class: 'field' }, h('span', null, 'Order 订单号'), this.order,
        h('button', { type: 'button', class: 'ghost small', testid: 'return-load-order', onclick: () => void this.fillFromOrder() }, 'Use its lines 读取订单行')),
      h('div', { class: 'field wide' }, h('span', null, 'Lines 退货行 (SKU × quantity 数量)'), this.lines,
        h('button', { type: 'button', class: 'ghost small', testid: 'return-add-line', onclick: () => this.addLine() }, '+ Line 添加行')),
      h('label', { class: 'field' }, h('span', null, 'Reason 原因'), this.reason),
      h('div', { class: 'field' }, h('span', null, 'Exchange 换货'),
        h('label', { class: 'toggle' }, this.exchange, ' Route a replacement once received 收货后补发')),
      h('label', { class: 'field' }, h('span', null, 'Distributor 经销商'), this.distributor),
      h('div', { class: 'form-actions' }, this.submit),
      this.status.el);
  }

  private addLine(sku = '', quantity = 1): void {
    const skuInput = h('input', { type: 'text', required: true, maxlength: 64, list: this.suggestions.skus.id, placeholder: 'NPK-15-50', value: sku, testid: 'return-sku', 'aria-label': 'SKU' });
    const line: HTMLElement = h('div', { class: 'row', testid: 'return-line' }, skuInput, ' × ',
      intInput('return-quantity', 'Quantity 数量', { required: true, min: 1, value: String(quantity) }),
      h('button', { type: 'button', class: 'ghost small', 'aria-label': 'Remove line 删除行', onclick: () => { if (this.lines.childElementCount > 1) line.remove(); } }, '✕'));
    this.lines.appendChild(line);
  }

  /** The order's lines as the return's (edit down what does not come back). */
  private async fillFromOrder(): Promise<void> {
    const id = this.order.value.trim();
    if (!id) return;
    try {
      const o = await api.order(id);
      this.lines.replaceChildren();
      for (const l of o.lines) this.addLine(l.sku, l.quantity);
      if (o.lines.length === 0) this.addLine();
      this.status.show('muted', `${o.orderId}: ${label(o.status)}`);
    } catch (e) {
      this.status.problem(`Order ${id} 订单`, e);
    }
  }

  private async send(): Promise<void> {
    const orderId = this.order.value.trim();
    const body: ReturnRequest = {
      lines: [...this.lines.querySelectorAll<HTMLElement>('[data-testid="return-line"]')].map((l) => ({
        sku: l.querySelector<HTMLInputElement>('[data-testid="return-sku"]')!.value.trim(),
        quantity: Number(l.querySelector<HTMLInputElement>('[data-testid="return-quantity"]')!.value),
      })),
      reason: this.reason.value.trim(),
      exchange: this.exchange.checked,
      distributorId: this.distributor.value.trim() || null,
    };
    const { key, retry } = this.keys.take({ orderId, body });
    this.submit.disabled = true;
    this.status.show('muted', retry ? 'Sending again (same request) 重试中…' : 'Sending… 提交中');
    try {
      const r = await api.requestReturn(orderId, body, key);
      this.keys.settle();
      this.status.show('ok', 'Return requested 已申请退货: ',
        h('span', { class: 'mono', testid: 'return-created', 'data-return-id': r.returnId }, r.returnId),
        ` · back to 退回 ${r.distributorId}${r.exchange ? ' · exchange 换货' : ''}`);
      this.onRequested(r);
    } catch (e) {
      this.status.refused('Not requested 未申请', e, this.keys.settle(e));
    } finally {
      this.submit.disabled = false;
    }
  }
}

export class ReturnsPanel {
  readonly el: HTMLElement;
  private readonly own: string | undefined;
  private readonly suggestions = new Suggestions();
  private readonly rows: KeyedRows<ReturnView>;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly orderFilter: HTMLInputElement;
  private readonly distributorFilter: HTMLInputElement | null;
  private readonly statusFilter: HTMLSelectElement;
  private readonly pager: Pager;
  private loading = false;
  private again = false;

  constructor(private readonly options: ReturnsOptions) {
    this.own = options.distributorId;
    const ops = this.own === undefined;
    const form = ops ? new ReturnForm(this.suggestions, (r) => {
      this.orderFilter.value = r.orderId; // the new return in view
      this.pager.page = 1;
      void this.load();
    }) : null;
    this.summary = h('span', { class: 'muted small', testid: 'returns-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert', testid: 'returns-error' });
    this.pager = new Pager('returns', pageSize, () => void this.load());
    const reload = () => { this.pager.page = 1; void this.load(); };
    this.orderFilter = h('input', { type: 'search', maxlength: 64, placeholder: 'Order 订单号', testid: 'returns-order-filter', 'aria-label': 'Order 订单号', onchange: reload });
    this.distributorFilter = ops ? h('input', { type: 'search', maxlength: 64, placeholder: 'Distributor 经销商', list: this.suggestions.distributors.id,
      testid: 'returns-distributor-filter', 'aria-label': 'Distributor 经销商', onchange: reload }) : null;
    this.statusFilter = h('select', { testid: 'returns-status-filter', 'aria-label': 'Status 状态', onchange: reload },
      h('option', { value: '' }, 'All statuses 全部状态'), ['Requested', 'Received'].map((s) => h('option', { value: s }, label(s))));
    const tbody = h('tbody');
    this.rows = new KeyedRows(tbody, (r) => r.returnId, (r) => `${r.status} ${r.updatedAt}`, (r) => this.row(r),
      () => h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'No returns. 暂无退换货。')));
    this.el = h('div', { class: 'tab-stack' },
      form ? h('section', { class: 'panel', testid: 'return-new' },
        h('header', { class: 'panel-head' }, h('h2', null, 'New return 新建退换货')),
        h('p', { class: 'muted small' }, 'Against a shipped or completed order, up to what was shipped less what came back already. 仅限已发货或已完成的订单，不超过已发货减已退数量。'),
        form.el) : null,
      h('section', { class: 'panel', testid: 'returns-panel' },
        h('header', { class: 'panel-head' },
          h('h2', null, ops ? 'Returns 退换货' : `Returns 退换货 · ${this.own}`),
          h('div', { class: 'tools' }, this.summary, this.orderFilter, this.distributorFilter, this.statusFilter,
            h('button', { type: 'button', class: 'ghost', testid: 'returns-refresh', onclick: () => void this.load() }, 'Refresh 刷新'))),
        this.error,
        h('div', { class: 'table-scroll' },
          h('table', { class: 'stock-table', testid: 'returns-table' },
            h('thead', null, h('tr', null,
              h('th', null, 'Return 退货单'), h('th', null, 'Order 订单'), h('th', null, 'Lines 退货行'), h('th', null, 'Reason 原因'),
              h('th', null, 'Status 状态'), h('th', null, 'Received 收货'), h('th', null, 'Requested 申请时间'), h('th', null, 'Actions 操作'))),
            tbody)),
        this.pager.el),
      this.suggestions.distributors, this.suggestions.skus);
  }

  async load(): Promise<void> {
    this.suggestions.load(this.own === undefined);
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      const filter = {
        orderId: this.orderFilter.value.trim() || undefined,
        distributorId: this.distributorFilter?.value.trim() || undefined,
        status: this.statusFilter.value || undefined,
      };
      let list = await api.returns(filter, this.pager.page, pageSize);
      if (this.pager.clamp(list.total)) list = await api.returns(filter, this.pager.page, pageSize);
      this.error.hidden = true;
      this.rows.set(list.items);
      this.pager.show(list.total, list.items.length);
      setText(this.summary, `${fmtInt(list.total)} returns 退货单`);
    } catch (e) {
      this.error.hidden = false;
      setText(this.error, `Could not load returns 无法加载退换货: ${problemText(e)}`);
    } finally {
      this.loading = false;
      if (this.again) { this.again = false; void this.load(); }
    }
  }

  private orderLink(id: string, testid: string): HTMLElement {
    return h('button', { type: 'button', class: 'link mono', testid, 'data-order-id': id, onclick: () => this.options.onOpen(id) }, id);
  }

  private row(r: ReturnView): HTMLElement {
    const error = rowError('return-error');
    const receivable = r.status === 'Requested' && (this.own === undefined || r.distributorId === this.own);
    return h('tr', { testid: 'return-row', 'data-return-id': r.returnId, 'data-status': r.status },
      h('td', null, h('span', { class: 'mono' }, r.returnId),
        h('div', { class: 'muted small' }, `${r.customerId} → ${r.distributorId}`)),
      h('td', null, this.orderLink(r.orderId, 'return-row-order')),
      h('td', null, r.lines.map((l) => h('div', { class: 'nowrap' }, h('span', { class: 'mono' }, l.sku), ` × ${fmtInt(l.quantity)}`))),
      h('td', null, r.reason, r.exchange ? h('div', null, h('span', { class: 'badge status-PreOrder', testid: 'return-exchange-badge' }, 'Exchange 换货')) : null),
      h('td', null, h('span', { class: `badge status-${r.status}`, testid: 'return-row-status' }, label(r.status))),
      h('td', { testid: 'return-received' },
        r.received ? r.received.map((l) => {
          // The server accepts a receipt of fewer than asked back and records nothing of the rest: say so here.
          const missing = (r.lines.find((x) => x.sku === l.sku)?.quantity ?? 0) - l.resellable - l.damaged;
          return h('div', { class: 'nowrap small', 'data-sku': l.sku },
            h('span', { class: 'mono' }, l.sku), ` resellable 可售 ${fmtInt(l.resellable)} · damaged 损坏 ${fmtInt(l.damaged)}`,
            missing > 0 ? h('span', { class: 'error', testid: 'return-missing' }, ` · ${fmtInt(missing)} not received 未收到`) : null);
        }) : null,
        r.receivedAt ? h('div', { class: 'muted small' }, fmtDateTime(r.receivedAt)) : null,
        r.replacementOrderId ? h('div', { class: 'small' }, 'Replacement 补发订单 ', this.orderLink(r.replacementOrderId, 'return-replacement')) : null,
        !r.received ? h('span', { class: 'muted small' }, '—') : null),
      h('td', { class: 'nowrap small' }, fmtDateTime(r.requestedAt)),
      h('td', { class: 'actions' }, receivable ? this.receiveAction(r, error) : h('span', { class: 'muted small' }, '—'), error));
  }

  /** Receive: per line, how many are resellable (back on hand) and how many damaged (written off). */
  private receiveAction(r: ReturnView, error: HTMLElement): HTMLElement {
    const inputs = r.lines.map((l) => ({
      sku: l.sku,
      resellable: intInput('return-resellable', `${l.sku} resellable 可售`, { value: String(l.quantity), max: l.quantity, required: true, class: 'qty' }),
      damaged: intInput('return-damaged', `${l.sku} damaged 损坏`, { value: '0', max: l.quantity, required: true, class: 'qty' }),
    }));
    const confirm = h('button', { type: 'submit', class: 'small primary', testid: 'return-receive-confirm' }, 'Receive 确认收货');
    const form: HTMLFormElement = h('form', { class: 'receive-form', hidden: true, onsubmit: async (ev: Event) => {
      ev.preventDefault();
      confirm.disabled = true;
      showRowError(error, null);
      try {
        const lines: ReceivedLine[] = inputs.map((i) => ({ sku: i.sku, resellable: Number(i.resellable.value), damaged: Number(i.damaged.value) }));
        this.rows.update(await api.receiveReturn(r.returnId, lines));
        void this.load();
      } catch (e) {
        showRowError(error, e);
        confirm.disabled = false;
      }
    } },
    inputs.map((i) => h('div', { class: 'row', testid: 'return-receive-line', 'data-sku': i.sku },
      h('span', { class: 'mono' }, i.sku), h('label', { class: 'small' }, ' resellable 可售 ', i.resellable), h('label', { class: 'small' }, ' damaged 损坏 ', i.damaged))),
    h('div', { class: 'row' }, confirm,
      h('button', { type: 'button', class: 'ghost small', onclick: () => { form.hidden = true; open.hidden = false; } }, 'Back 返回')));
    const open = h('button', { type: 'button', class: 'small primary', testid: 'return-receive', onclick: () => {
      open.hidden = true;
      form.hidden = false;
      inputs[0]?.resellable.focus();
    } }, 'Receive 收货');
    return h('span', { class: 'reason-action' }, open, form);
  }
}
