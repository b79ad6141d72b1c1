// Pre-orders (预下单): take one for a customer (routed and reserved now, held until its deadline), and the list of them
// (awaiting confirmation, or all, newest first, a page at a time) to confirm or cancel. The server scopes both to the
// caller (ops: every customer; a sales manager: its own, another customer is answered 404) and decides. Ops' view feeds
// it the hub's `orderChanged` (refreshed live when a listed pre-order changes or a new one is taken); a sales manager's
// has no hub (the hubs refuse sales tokens), so the panel polls: every few seconds while shown, and after each action.
import { api, ApiError, errorText, fieldErrors } from '../api';
import { IdempotencyKeys } from '../idempotency';
import { countdown, fmtDateTime, h, label, setText, tickCountdowns } from '../dom';
import type { OrderChangedEvent, OrderView, PreOrderRequest } from '../types';
import { linesText, Pager, reasonAction } from './orderParts';

const pageSize = 50;
const holdUnits: [string, number, string][] = [['hours', 3600, 'hours 小时'], ['minutes', 60, 'minutes 分钟'], ['seconds', 1, 'seconds 秒']];

/** What differs between ops' Pre-orders page and a sales manager's. */
export interface PreOrdersOptions {
  /** A sales manager's page: only the customers it manages (the server answers any other 404, worded so here). */
  ownCustomersOnly?: boolean;
  /** Without a live hub: reload the list every this many ms while the page is shown (and at once when the tab is shown
   *  again). Left out, the view calls `onOrderChanged` from its hub. */
  pollMs?: number;
  /** After each load of the list: null when it loaded, else the error (a polling view shows it as its status). */
  onLoaded?: (error: unknown) => void;
}

class PreOrderForm {
  readonly el: HTMLElement;
  private readonly customer: HTMLInputElement;
  private readonly lines: HTMLElement;
  private readonly hold: HTMLInputElement;
  private readonly holdUnit: HTMLSelectElement;
  private readonly submit: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly skus: HTMLDataListElement;
  /** A retry of the same submit keeps its key; anything changed is a new pre-order. */
  private readonly keys = new IdempotencyKeys('preorder');

  constructor(private readonly onCreated: (o: OrderView) => void, private readonly onOpen: (orderId: string) => void,
    private readonly ownCustomersOnly: boolean) {
    this.skus = h('datalist', { id: 'preorder-skus' });
    this.customer = h('input', { type: 'text', required: true, maxlength: 64, placeholder: 'c-0001', testid: 'preorder-customer', 'aria-label': 'Customer id 客户编号' });
    this.lines = h('div', { class: 'preorder-lines' });
    this.hold = h('input', { type: 'number', step: 'any', value: '24', required: true, testid: 'preorder-hold', 'aria-label': 'Hold for 保留时长' });
    this.holdUnit = h('select', { testid: 'preorder-hold-unit', 'aria-label': 'Unit 单位' }, holdUnits.map(([v, , t]) => h('option', { value: v }, t)));
    this.submit = h('button', { type: 'submit', class: 'primary', testid: 'preorder-submit' }, 'Take pre-order 创建预下单');
    this.status = h('p', { class: 'muted small', testid: 'preorder-status', role: 'status' });
    this.addLine();
    this.el = h('form', { class: 'preorder-form', testid: 'preorder-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.send(); } },
      h('label', { class: 'field' }, h('span', null, ownCustomersOnly ? 'Customer 客户编号 (one of yours 您管理的客户)' : 'Customer 客户编号'), this.customer),
      h('div', { class: 'field' }, h('span', null, 'Lines 订单行 (SKU × quantity 数量)'), this.lines,
        h('button', { type: 'button', class: 'ghost small', testid: 'preorder-add-line', onclick: () => this.addLine() }, '+ Line 添加行')),
      h('div', { class: 'field' }, h('span', null, 'Hold for 保留时长 (until confirmed 待确认)'), h('div', { class: 'row' }, this.hold, this.holdUnit)),
      h('div', { class: 'form-actions' }, this.submit),
      this.status,
      this.skus);
  }

  /** SKU suggestions; the form works without them. */
  async loadProducts(): Promise<void> {
    try {
      const products = await api.products();
      this.skus.replaceChildren(...products.map((p) => h('option', { value: p.sku }, p.name)));
    } catch {
      /* typed by hand then */
    }
  }

  private addLine(): void {
    const sku = h('input', { type: 'text', required: true, maxlength: 64, list: 'preorder-skus', placeholder: 'UREA-50', testid: 'preorder-sku', 'aria-label': 'SKU' });
    const quantity = h('input', { type: 'number', required: true, step: 'any', value: '1', testid: 'preorder-quantity', 'aria-label': 'Quantity 数量' });
    const line: HTMLElement = h('div', { class: 'row', testid: 'preorder-line' }, sku, ' × ', quantity,
      h('button', { type: 'button', class: 'ghost small', 'aria-label': 'Remove line 删除行', onclick: () => { if (this.lines.childElementCount > 1) line.remove(); } }, '✕'));
    this.lines.appendChild(line);
  }

  private body(): PreOrderRequest {
    const unit = holdUnits.find(([v]) => v === this.holdUnit.value)?.[1] ?? 1;
    return {
      customerId: this.customer.value.trim(),
      lines: [...this.lines.querySelectorAll<HTMLElement>('[data-testid="preorder-line"]')].map((l) => ({
        sku: l.querySelector<HTMLInputElement>('[data-testid="preorder-sku"]')!.value.trim(),
        quantity: Number(l.querySelector<HTMLInputElement>('[data-testid="preorder-quantity"]')!.value),
      })),
      holdSeconds: Math.round(Number(this.hold.value) * unit),
    };
  }

  private async send(): Promise<void> {
    const body = this.body();
    const { key, retry } = this.keys.take(body);
    this.submit.disabled = true;
    this.show('muted', retry ? 'Sending again (same request) 重试中…' : 'Sending… 提交中');
    try {
      const o = await api.createPreOrder(body, key);
      this.keys.settle();
      const link = h('button', { type: 'button', class: 'link mono', testid: 'preorder-created', 'data-order-id': o.orderId, onclick: () => this.onOpen(o.orderId) }, o.orderId);
      this.status.replaceChildren(...(o.status === 'PreOrder'
        ? ['Pre-order taken 预下单已创建: ', link, ` · confirm by 确认截止 ${fmtDateTime(o.expiresAt)}`]
        : ['Not reserved 未能预留: ', link, ` ${label(o.status)}${o.reason ? ` — ${o.reason}` : ''}`]));
      this.status.className = `${o.status === 'PreOrder' ? 'ok' : 'error'} small`;
      delete this.status.dataset.code;
      this.onCreated(o);
    } catch (e) {
      const again = this.keys.settle(e);
      if (e instanceof ApiError && e.status === 404) {
        // The customer does not exist, or (a sales manager) is not one of its own: the server answers both alike.
        this.show('error', this.ownCustomersOnly
          ? `Customer ${body.customerId} not found, or not one of your customers: nothing was taken. 客户不存在或不归您管理，未创建预下单。`
          : `Customer ${body.customerId} not found: nothing was taken. 客户不存在，未创建预下单。`, 'customerNotFound');
        return;
      }
      const fields = [...fieldErrors(e)].map(([f, m]) => `${f}: ${m}`).join(' · ');
      this.show('error', `Not taken 未创建: ${fields || errorText(e)}${again ? ' — submit again to retry the same request 可再次提交重试' : ''}`,
        e instanceof ApiError ? e.code : undefined);
    } finally {
      this.submit.disabled = false;
    }
  }

  private show(kind: string, text: string, code?: string): void {
    this.status.className = `${kind} small`;
    if (code) this.status.dataset.code = code;
    else delete this.status.dataset.code;
    setText(this.status, text);
  }
}

export class PreOrdersPanel {
  readonly el: HTMLElement;
  private readonly form: PreOrderForm;
  private readonly body: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly filter: HTMLSelectElement;
  private readonly pager: Pager;
  private readonly stopTicking: () => void;
  private readonly listed = new Set<string>();
  private loading = false;
  private again = false;
  private productsLoaded = false;
  /** What the table shows: a load that finds the same leaves the rows (and a cancel reason being typed) as they are. */
  private shown = '';
  private pollTimer: number | undefined;
  private destroyed = false;
  private readonly onVisible = () => { if (!document.hidden && this.options.pollMs) void this.load(); };

  constructor(private readonly onOpen: (orderId: string) => void, private readonly options: PreOrdersOptions = {}) {
    const own = options.ownCustomersOnly ?? false;
    this.form = new PreOrderForm(() => void this.load(), onOpen, own);
    this.summary = h('span', { class: 'muted small', testid: 'preorders-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert', testid: 'preorders-error' });
    this.body = h('tbody');
    this.pager = new Pager('preorders', pageSize, () => void this.load());
    this.filter = h('select', { testid: 'preorders-filter', 'aria-label': 'Show 显示', onchange: () => { this.pager.page = 1; void this.load(); } },
      h('option', { value: 'PreOrder' }, 'Awaiting confirmation 待确认'),
      h('option', { value: '' }, 'All pre-orders 全部'));
    this.el = h('div', { class: 'tab-stack' },
      h('section', { class: 'panel', testid: 'preorder-new' },
        h('header', { class: 'panel-head' }, h('h2', null, 'New pre-order 新建预下单')),
        h('p', { class: 'muted small' }, 'Routed and reserved now; held until confirmed or its time is up. 立即路由并预留库存，确认前保留至截止时间。',
          own ? ' For the customers you manage. 仅限您管理的客户。' : null),
        this.form.el),
      h('section', { class: 'panel', testid: 'preorders-panel' },
        h('header', { class: 'panel-head' },
          h('h2', null, 'Pre-orders 预下单'),
          h('div', { class: 'tools' }, this.summary, this.filter,
            h('button', { type: 'button', class: 'ghost', onclick: () => void this.load() }, 'Refresh 刷新'))),
        this.error,
        h('div', { class: 'table-scroll' },
          h('table', { class: 'stock-table', testid: 'preorders-table' },
            h('thead', null, h('tr', null,
              h('th', null, 'Order 订单'), h('th', null, 'Lines 订单行'), h('th', null, 'Status 状态'), h('th', null, 'Confirm by 确认截止'),
              h('th', null, 'Placed 下单时间'), h('th', null, 'Actions 操作'))),
            this.body)),
        this.pager.el));
    this.stopTicking = tickCountdowns(this.el);
    if (options.pollMs) document.addEventListener('visibilitychange', this.onVisible);
  }

  destroy(): void {
    this.destroyed = true;
    this.stopTicking();
    window.clearTimeout(this.pollTimer);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  /** Polling: the next load comes `pollMs` after the last one ended (whatever asked for it), skipped while the page or
   *  the browser tab is hidden (showing the tab again loads at once). */
  private schedulePoll(): void {
    window.clearTimeout(this.pollTimer);
    if (!this.options.pollMs || this.destroyed) return;
    this.pollTimer = window.setTimeout(() => {
      if (document.hidden || !this.el.isConnected || this.el.closest('[hidden]')) this.schedulePoll();
      else void this.load();
    }, this.options.pollMs);
  }

  /** Loads this page of the list; a call while loading loads once more after. */
  async load(): Promise<void> {
    if (!this.productsLoaded) { this.productsLoaded = true; void this.form.loadProducts(); }
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      const status = this.filter.value || null;
      let list = await api.preOrders(status, this.pager.page, pageSize);
      if (this.pager.clamp(list.total)) list = await api.preOrders(status, this.pager.page, pageSize);
      this.error.hidden = true;
      const shown = JSON.stringify([status, list.page, list.total, list.items.map((o) => [o.orderId, o.status, o.updatedAt, o.expiresAt])]);
      if (shown !== this.shown) {
        this.shown = shown;
        this.listed.clear();
        for (const o of list.items) this.listed.add(o.orderId);
        this.body.replaceChildren(...list.items.map((o) => this.row(o)));
        if (list.items.length === 0) this.body.appendChild(h('tr', null, h('td', { colspan: 6, class: 'muted' }, 'No pre-orders. 暂无预下单。')));
      }
      this.pager.show(list.total, list.items.length);
      setText(this.summary, status ? `${list.total} awaiting confirmation 待确认` : `${list.total} pre-orders 预下单`);
      this.options.onLoaded?.(null);
    } catch (e) {
      this.error.hidden = false;
      setText(this.error, `Could not load pre-orders: ${errorText(e)}`);
      this.options.onLoaded?.(e);
    } finally {
      this.loading = false;
      if (this.again) { this.again = false; void this.load(); }
      else this.schedulePoll();
    }
  }

  /** Live: a new pre-order, or a change to one listed. */
  onOrderChanged(events: OrderChangedEvent[]): void {
    if (events.some((e) => e.status === 'PreOrder' || this.listed.has(e.orderId))) void this.load();
  }

  private row(o: OrderView): HTMLElement {
    const error = h('span', { class: 'error small', hidden: true, role: 'alert' });
    const waiting = o.status === 'PreOrder';
    const confirm: HTMLButtonElement | null = waiting ? h('button', { type: 'button', class: 'small', testid: 'preorder-confirm', onclick: async () => {
      confirm!.disabled = true;
      error.hidden = true;
      try {
        await api.confirmPreOrder(o.orderId);
        await this.load();
      } catch (e) {
        error.hidden = false;
        setText(error, errorText(e));
        confirm!.disabled = false;
      }
    } }, 'Confirm 确认') : null;
    const cancel = waiting ? reasonAction({
      caption: 'Cancel 取消', confirm: 'Cancel pre-order 确认取消', placeholder: 'Reason (optional) 取消原因（可选）', required: false, testid: 'preorder-cancel',
      act: async (reason) => { await api.cancelPreOrder(o.orderId, reason || null); await this.load(); },
    }) : null;
    return h('tr', { testid: 'preorder-row', 'data-order-id': o.orderId, 'data-status': o.status },
      h('td', null, h('button', { type: 'button', class: 'link mono', onclick: () => this.onOpen(o.orderId) }, o.orderId),
        h('div', { class: 'muted small', testid: 'preorder-row-customer' }, o.customerId)),
      h('td', null, linesText(o)),
      h('td', null, h('span', { class: `badge status-${o.status}`, testid: 'preorder-row-status' }, label(o.status)),
        o.cancelReason ? h('div', { class: 'muted small' }, label(o.cancelReason)) : null),
      h('td', { class: 'nowrap', testid: 'preorder-expires', 'data-expires-at': o.expiresAt ?? '' },
        fmtDateTime(o.expiresAt), waiting && o.expiresAt ? [h('br'), countdown(o.expiresAt)] : null),
      h('td', { class: 'nowrap' }, fmtDateTime(o.placedAt)),
      h('td', { class: 'actions' }, confirm, confirm ? ' ' : null, cancel, error));
  }
}
