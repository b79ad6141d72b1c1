// Allocation feed: the latest orderAllocated (and orderRejected) events, newest first, capped. Rows are added in
// batches once per animation frame, however many events arrive.
import { fmtInt, fmtTime, h, label, schedule, setText } from '../dom';
import type { OrderAllocatedEvent, OrderRejectedEvent } from '../types';

export const feedCap = 200;

type Entry = { kind: 'allocated'; e: OrderAllocatedEvent } | { kind: 'rejected'; e: OrderRejectedEvent } | { kind: 'gap'; text: string };

export interface FeedOptions {
  title: string;
  testid: string;
  onOpen?: (orderId: string) => void;
  /** Only events with part of the order at this distributor (the distributor view). */
  distributorId?: string;
  showRejectedToggle?: boolean;
}

export class Feed {
  readonly el: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly counts: HTMLElement;
  private readonly empty: HTMLElement;
  private pending: Entry[] = [];
  private paused = false;
  private allocated = 0;
  private rejected = 0;
  private units = 0;

  constructor(private readonly options: FeedOptions) {
    this.tbody = h('tbody');
    this.counts = h('span', { class: 'muted small', testid: `${options.testid}-counts` });
    this.empty = h('p', { class: 'muted empty' }, 'Waiting for orders… 等待订单');
    const table = h('table', { class: 'feed-table' },
      h('thead', null, h('tr', null,
        h('th', null, 'Time 时间'), h('th', null, 'Order 订单'), h('th', { class: 'col-campaign' }, 'Campaign 活动'), h('th', null, 'Allocation 分配'))),
      this.tbody);
    const pause = h('label', { class: 'toggle' },
      h('input', { type: 'checkbox', testid: `${options.testid}-pause`, onchange: (ev: Event) => this.setPaused((ev.target as HTMLInputElement).checked) }),
      ' Pause 暂停');
    const showRejected = options.showRejectedToggle
      ? h('label', { class: 'toggle' },
        h('input', { type: 'checkbox', checked: true, testid: `${options.testid}-show-rejected`,
          onchange: (ev: Event) => table.classList.toggle('hide-rejected', !(ev.target as HTMLInputElement).checked) }),
        ' Not allocated 未分配')
      : null;
    this.el = h('section', { class: 'panel', testid: options.testid },
      h('header', { class: 'panel-head' }, h('h2', null, options.title), h('div', { class: 'tools' }, showRejected, pause)),
      this.counts,
      h('div', { class: 'table-scroll feed-scroll' }, table),
      this.empty,
    );
    if (options.onOpen) {
      const open = (target: EventTarget | null) => {
        const row = (target as HTMLElement | null)?.closest<HTMLElement>('tr[data-order-id]');
        if (row?.dataset.orderId) options.onOpen!(row.dataset.orderId);
      };
      this.tbody.addEventListener('click', (ev) => open(ev.target));
      this.tbody.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(ev.target); } });
    }
    this.renderCounts();
  }

  onAllocated(events: OrderAllocatedEvent[]): void {
    const own = this.options.distributorId;
    for (const e of events) {
      if (own && !e.allocations.some((a) => a.distributorId === own)) continue;
      this.allocated++;
      for (const a of e.allocations) if (!own || a.distributorId === own) this.units += a.quantity;
      this.pending.push({ kind: 'allocated', e });
    }
    this.queue();
  }

  onRejected(events: OrderRejectedEvent[]): void {
    for (const e of events) {
      this.rejected++;
      this.pending.push({ kind: 'rejected', e });
    }
    this.queue();
  }

  /** Marks where the live stream was interrupted (events during the gap are not replayed: there is no feed snapshot). */
  markGap(text: string): void {
    this.pending.push({ kind: 'gap', text });
    this.queue();
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.queue();
  }

  private queue(): void {
    if (this.pending.length > feedCap * 2) this.pending = this.pending.slice(-feedCap);
    schedule(this, () => this.render());
  }

  private render(): void {
    this.renderCounts();
    if (this.paused || this.pending.length === 0) return;
    const batch = this.pending.length > feedCap ? this.pending.slice(-feedCap) : this.pending;
    this.pending = [];
    if (batch.length >= feedCap) this.tbody.textContent = '';
    const fragment = document.createDocumentFragment();
    for (let i = batch.length - 1; i >= 0; i--) fragment.appendChild(this.row(batch[i]));
    this.tbody.insertBefore(fragment, this.tbody.firstChild);
    while (this.tbody.rows.length > feedCap) this.tbody.lastElementChild!.remove();
    this.empty.hidden = this.tbody.rows.length > 0;
  }

  private renderCounts(): void {
    const own = this.options.distributorId;
    setText(this.counts, own
      ? `${fmtInt(this.allocated)} orders · ${fmtInt(this.units)} units allocated to ${own} this session 本次会话`
      : `${fmtInt(this.allocated)} allocated 已分配 · ${fmtInt(this.rejected)} not allocated 未分配 this session · newest ${feedCap} shown${this.paused ? ' · paused 已暂停' : ''}`);
  }

  private row(entry: Entry): HTMLTableRowElement {
    if (entry.kind === 'gap') {
      return h('tr', { class: 'gap', testid: 'feed-gap' }, h('td', { colspan: 4 }, entry.text));
    }
    const e = entry.e;
    const clickable = this.options.onOpen ? 0 : null;
    if (entry.kind === 'allocated') {
      const own = this.options.distributorId;
      const parts = own ? entry.e.allocations.filter((a) => a.distributorId === own) : entry.e.allocations;
      return h('tr', { class: 'allocated', testid: 'feed-row', 'data-order-id': e.orderId, 'data-status': 'Allocated', tabindex: clickable },
        h('td', { class: 'nowrap' }, fmtTime(e.at)),
        h('td', { class: 'mono ellipsis', title: e.orderId }, e.orderId),
        h('td', { class: 'nowrap col-campaign' }, e.campaignId ?? '—'),
        h('td', null, parts.map((a) =>
          h('span', { class: 'chip', title: `${a.quantity} × ${a.sku} → ${a.distributorId}` }, h('b', null, a.distributorId), ` ×${fmtInt(a.quantity)} ${a.sku}`))),
      );
    }
    const r = entry.e;
    return h('tr', { class: 'rejected', testid: 'feed-row', 'data-order-id': r.orderId, 'data-status': r.status, tabindex: clickable },
      h('td', { class: 'nowrap' }, fmtTime(r.at)),
      h('td', { class: 'mono ellipsis', title: r.orderId }, r.orderId),
      h('td', { class: 'nowrap col-campaign' }, r.campaignId ?? '—'),
      h('td', null, h('span', { class: `badge status-${r.status}` }, label(r.status)), ' ', h('span', { class: 'muted small' }, r.reason)),
    );
  }
}
