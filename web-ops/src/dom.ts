// A tiny DOM toolkit: element builder, frame-coalesced rendering, formatting.

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((ev: never) => void);

/** h('div', { class: 'x', testid: 'y', onclick: fn }, ...children). `testid` becomes data-testid; functions become listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, AttrValue> | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === 'function') {
        el.addEventListener(key.replace(/^on/, ''), value as EventListener);
      } else if (key === 'testid') {
        el.setAttribute('data-testid', String(value));
      } else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'hidden') {
        (el as unknown as Record<string, unknown>)[key] = value;
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children) {
    if (Array.isArray(c)) append(el, c);
    else if (c === null || c === undefined || c === false) continue;
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** Sets text only when it changed (cheap under a flood of updates). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

// ---- rendering coalesced into one animation frame ----

const pending = new Map<unknown, () => void>();
let scheduled = false;

/** Runs `render` once in the next animation frame; later calls with the same key in the same frame replace it. */
export function schedule(key: unknown, render: () => void): void {
  pending.set(key, render);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(flush);
  }
}

function flush(): void {
  scheduled = false;
  const renders = [...pending.values()];
  pending.clear();
  for (const r of renders) {
    try { r(); } catch (e) { console.error('render failed', e); }
  }
}

// ---- formatting ----

const intFormat = new Intl.NumberFormat('en-US');
export const fmtInt = (n: number): string => intFormat.format(n);
export const fmtMoney = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : `¥${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const fmtTime = (iso: string | number | Date): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString('en-GB', { hour12: false });
};
export const fmtDateTime = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toLocaleDateString('en-CA')} ${d.toLocaleTimeString('en-GB', { hour12: false })}`;
};

/** 3d 04h · 2h 05m · 12m 30s · 45s */
export function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const p2 = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${p2(hh)}h ${p2(mm)}m`;
  if (hh > 0) return `${hh}h ${p2(mm)}m ${p2(ss)}s`;
  if (mm > 0) return `${mm}m ${p2(ss)}s`;
  return `${ss}s`;
}

/** Time to or since a moment, for deadlines: "in 4m 10s 后" / "2m 05s ago 前"; '' without one. */
export function fmtRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return '';
  return at >= now ? `in ${fmtDuration(at - now)} 后` : `${fmtDuration(now - at)} ago 前`;
}

/** Keeps every `[data-countdown]` element under `root` (its attribute an ISO time) showing the time to it, once a
 *  second while `root` is shown. Returns the stop function. */
export function tickCountdowns(root: HTMLElement): () => void {
  const tick = () => {
    if (!root.isConnected || root.closest('[hidden]')) return;
    const now = Date.now();
    for (const el of root.querySelectorAll<HTMLElement>('[data-countdown]')) {
      setText(el, fmtRelative(el.dataset.countdown, now));
      el.classList.toggle('overdue', new Date(el.dataset.countdown ?? '').getTime() < now);
    }
  };
  const timer = window.setInterval(tick, 1000);
  return () => window.clearInterval(timer);
}

/** A span counting down to `iso` (kept by tickCountdowns). */
export const countdown = (iso: string | null | undefined): HTMLElement | null =>
  iso ? h('span', { class: 'countdown muted small', 'data-countdown': iso }, fmtRelative(iso)) : null;

/** A local time as an ISO 8601 string with the browser's UTC offset (2026-05-01T08:30:00+08:00, milliseconds where
 *  there are any: a period ending now must not leave out the last fraction of a second), for the server. */
export function isoWithOffset(d: Date): string {
  const p2 = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const ms = d.getMilliseconds() ? `.${String(d.getMilliseconds()).padStart(3, '0')}` : '';
  return `${dateInputValue(d)}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}${ms}${off >= 0 ? '+' : '-'}${p2(off / 60)}:${p2(off % 60)}`;
}

/** A local date as a date input's value: 2026-05-01. */
export const dateInputValue = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** A local time as a datetime-local input's value, to the second: 2026-05-01T08:30:05. */
export const dateTimeInputValue = (d: Date): string =>
  `${dateInputValue(d)}T${[d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')}`;

/** A date or datetime-local input's value as the local time it names (a date: its midnight); null when empty or bad. */
export function fromInputValue(value: string): Date | null {
  if (!value) return null;
  const d = new Date(value.length === 10 ? `${value}T00:00:00` : value); // no offset: local time
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Saves text as a file the browser downloads (a CSV export, a template). */
export function saveText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A fresh id for something sent to SAP's side of the API, by the local time: `sap-20261202-060512`. */
export function timeId(prefix: string, d = new Date()): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${d.getFullYear()}${p2(d.getMonth() + 1)}${p2(d.getDate())}-${p2(d.getHours())}${p2(d.getMinutes())}${p2(d.getSeconds())}`;
}

/** A table body with one row per item, in order. A row whose item is unchanged (the same `version`) is kept as it is,
 *  so a reload or a live update of other rows leaves what is being typed in it alone. */
export class KeyedRows<T> {
  private readonly rows = new Map<string, { version: string; tr: HTMLElement }>();

  constructor(
    readonly tbody: HTMLTableSectionElement,
    private readonly key: (item: T) => string,
    private readonly version: (item: T) => string,
    private readonly render: (item: T) => HTMLElement,
    private readonly empty: () => HTMLElement,
  ) {}

  has(key: string): boolean {
    return this.rows.has(key);
  }

  set(items: T[]): void {
    const next = new Map<string, { version: string; tr: HTMLElement }>();
    for (const item of items) {
      const key = this.key(item), version = this.version(item);
      const old = this.rows.get(key);
      next.set(key, old && old.version === version ? old : { version, tr: this.render(item) });
    }
    this.rows.clear();
    for (const [k, v] of next) this.rows.set(k, v);
    const trs = [...next.values()].map((r) => r.tr);
    if (trs.length === 0) { this.tbody.replaceChildren(this.empty()); return; }
    // Only move what moved: a row taken out and put back would lose the focus of its input.
    trs.forEach((tr, i) => {
      const at = this.tbody.children[i];
      if (at !== tr) this.tbody.insertBefore(tr, at ?? null);
    });
    while (this.tbody.children.length > trs.length) this.tbody.lastElementChild!.remove();
  }

  /** One item changed (an action's answer): its row is rendered again where it is. */
  update(item: T): void {
    const key = this.key(item);
    const old = this.rows.get(key);
    if (!old) return;
    const tr = this.render(item);
    old.tr.replaceWith(tr);
    this.rows.set(key, { version: this.version(item), tr });
  }
}

/** Stable key of a distributor's SKU. */
export const stockKey = (distributorId: string, sku: string): string => `${distributorId}\u0000${sku}`;

/** Records the events that arrive while a REST snapshot loads, to replay them on top of it (nothing shown is stale). */
export class SnapshotSync<E> {
  private buffer: E[] | null = null;
  private generation = 0;

  /** Call for every live event. */
  record(events: E[]): void {
    if (this.buffer) for (const e of events) this.buffer.push(e);
  }

  /** Loads a snapshot, applies it, then replays events that arrived meanwhile. A newer run supersedes an older one. */
  async run<S>(load: () => Promise<S>, apply: (snapshot: S) => void, replay: (events: E[]) => void): Promise<void> {
    const gen = ++this.generation;
    const buffer: E[] = [];
    this.buffer = buffer;
    try {
      const snapshot = await load();
      if (gen !== this.generation) return;
      apply(snapshot);
      replay(buffer);
    } finally {
      if (gen === this.generation) this.buffer = null;
    }
  }
}

export const statusLabels: Record<string, string> = {
  Scheduled: 'Scheduled 未开始',
  Open: 'Open 进行中',
  SoldOut: 'Sold out 已售罄',
  Formed: 'Formed 已成团',
  NotFormed: 'Not formed 未成团',
  Placed: 'Placed 已下单',
  Allocated: 'Allocated 已分配',
  Confirmed: 'Confirmed 已确认',
  Shipped: 'Shipped 已发货',
  Completed: 'Completed 已完成',
  Rejected: 'Rejected 已拒绝',
  Cancelled: 'Cancelled 已取消',
  Exception: 'Manual review 人工审核',
  AwaitingSubstitution: 'Awaiting substitution 待替代',
  Backordered: 'Backordered 缺货待补',
  OnHold: 'On hold 待审核',
  PreOrder: 'Pre-order 预下单',
  LowStock: 'Low stock 库存偏低',
  OutOfStock: 'Out of stock 缺货',
  SubstitutionSuggested: 'Substitution 替代建议',
  AllocationFailed: 'Allocation failed 分配失败',
  ReconciliationDifference: 'Reconciliation 对账差异',
  TransferDiscrepancy: 'Transfer discrepancy 调拨差异',
  StocktakeShortfall: 'Stocktake shortfall 盘点短缺',
  ReconciliationShortfall: 'Reconciliation shortfall 对账短缺',
  // SAP imports and stock snapshots
  Running: 'Running 进行中',
  Failed: 'Failed 中断',
  // transfers (调拨) and returns (退换货)
  Requested: 'Requested 已申请',
  InTransit: 'In transit 在途',
  Received: 'Received 已收货',
  Discrepancy: 'Discrepancy 数量差异',
  // payments
  Pending: 'Awaiting payment 待付款',
  Paid: 'Paid 已付款',
  RefundDue: 'Refund due 待退款',
  Refunded: 'Refunded 已退款',
  Expired: 'Payment expired 付款超时',
  Void: 'Void 已作废',
  // why an order was cancelled
  byCustomer: 'by the customer 客户取消',
  byOps: 'by operations 运营取消',
  bySalesManager: 'by the sales manager 销售经理取消',
  campaignNotFormed: 'the group did not form 未成团',
  paymentExpired: 'not paid in time 超时未付款',
  rejectedInReview: 'rejected in review 审核未通过',
  preorderExpired: 'pre-order not confirmed in time 预下单超时未确认',
  // why an order is on hold for review
  maxUnits: 'Too many units 超出数量上限',
  maxAmount: 'Amount too high 超出金额上限',
  firstOrder: 'Large first order 首单超量',
};
export const label = (s: string): string => statusLabels[s] ?? s;
