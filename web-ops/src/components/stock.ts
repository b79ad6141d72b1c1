// Distributor stock: available vs restock threshold per distributor and SKU; rows below threshold are highlighted. With
// the forecast (库存预测): how fast each SKU sells there (velocity per day, and a sparkline of the velocities seen since
// the page loaded), its days of cover (rows the server calls low cover highlighted) and the suggested restock.
// Loaded from REST, kept live by inventoryChanged events (stock, velocity, cover); only changed rows are touched, once per
// frame. Incoming (units dispatched here by transfers, not yet received) is not in those events: a transferChanged reads
// it again from REST. The suggested restock and whether cover is low (the server's rule, its lowCoverDays setting) come
// in the rows and the events, so the console derives neither.
import { api, errorText } from '../api';
import { fmtInt, h, schedule, setText, SnapshotSync, stockKey } from '../dom';
import type { Distributor, InventoryChangedEvent, InventoryItem, TransferChangedEvent } from '../types';
import { fmtCover, fmtVelocity, sparkline } from './forecastParts';

/** How many velocities a row's sparkline keeps (the newest). */
const sparkPoints = 30;

interface Item {
  distributorId: string;
  sku: string;
  onHand: number;
  reserved: number;
  threshold: number;
  available: number;
  belowThreshold: boolean;
  incoming: number;
  velocityPerDay: number;
  daysOfCover: number | null;
  suggestedRestock: number;
  /** The server's word: cover below its lowCoverDays. */
  lowCover: boolean;
}

interface Row {
  tr: HTMLTableRowElement;
  onHand: HTMLTableCellElement;
  reserved: HTMLTableCellElement;
  incoming: HTMLTableCellElement;
  available: HTMLTableCellElement;
  threshold: HTMLTableCellElement;
  fill: HTMLElement;
  velocity: HTMLTableCellElement;
  spark: HTMLTableCellElement;
  cover: HTMLTableCellElement;
  restock: HTMLTableCellElement;
}

export interface StockOptions {
  /** The distributor view: only this distributor. */
  distributorId?: string;
  onLowCount?: (low: number) => void;
  /** How many rows the server calls low cover. */
  onLowCoverCount?: (low: number) => void;
  onDistributors?: (list: Distributor[]) => void;
}

/** What the server says of a stock level (available, below threshold, velocity, cover, restock, low cover): the console
 *  derives no stock rule itself. An event does not say what is incoming: the last one read stays. */
const itemOf = (distributorId: string, s: InventoryItem | InventoryChangedEvent, known?: Item): Item => ({
  distributorId, sku: s.sku, onHand: s.onHand, reserved: s.reserved, threshold: s.threshold, available: s.available, belowThreshold: s.belowThreshold,
  incoming: 'incoming' in s ? s.incoming : known?.incoming ?? 0,
  velocityPerDay: s.velocityPerDay ?? 0,
  daysOfCover: s.daysOfCover ?? null,
  suggestedRestock: s.suggestedRestock ?? 0,
  lowCover: s.lowCover ?? false,
});

export class StockTable {
  readonly el: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly distributorSelect: HTMLSelectElement | null;
  private readonly items = new Map<string, Item>();
  private readonly rows = new Map<string, Row>();
  private readonly dirty = new Set<string>();
  private readonly names = new Map<string, string>();
  private readonly sync = new SnapshotSync<InventoryChangedEvent>();
  /** Distributors whose incoming to read again (a transfer of theirs moved), and whether a read is under way. */
  private readonly incomingDue = new Set<string>();
  private readingIncoming = false;
  /** Velocities seen per row (load and live events), oldest first, for its sparkline. */
  private readonly velocities = new Map<string, number[]>();
  private rebuild = true;
  private text = '';
  private lowOnly = false;
  private lowCoverOnly = false;
  private distributorFilter = '';

  constructor(private readonly options: StockOptions = {}) {
    const own = options.distributorId;
    this.tbody = h('tbody');
    this.summary = h('span', { class: 'muted small', testid: 'stock-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert' });
    this.distributorSelect = own ? null : h('select', { testid: 'stock-distributor-filter', 'aria-label': 'Distributor',
      onchange: (ev: Event) => { this.distributorFilter = (ev.target as HTMLSelectElement).value; this.refilter(); } },
    h('option', { value: '' }, 'All distributors 全部经销商'));
    const search = h('input', { type: 'search', placeholder: own ? 'SKU' : 'Distributor or SKU 经销商/商品', testid: 'stock-search',
      'aria-label': 'Filter', oninput: (ev: Event) => { this.text = (ev.target as HTMLInputElement).value.trim().toLowerCase(); this.refilter(); } });
    const lowOnly = h('label', { class: 'toggle' },
      h('input', { type: 'checkbox', testid: 'stock-low-only', onchange: (ev: Event) => { this.lowOnly = (ev.target as HTMLInputElement).checked; this.refilter(); } }),
      ' Below threshold only 仅低于补货线');
    const lowCoverOnly = h('label', { class: 'toggle' },
      h('input', { type: 'checkbox', testid: 'stock-low-cover-only', onchange: (ev: Event) => { this.lowCoverOnly = (ev.target as HTMLInputElement).checked; this.refilter(); } }),
      ' Low cover only 仅可售天数不足');
    this.el = h('section', { class: 'panel', testid: 'stock-panel' },
      h('header', { class: 'panel-head' },
        h('h2', null, own ? `Stock 库存 · ${own}` : 'Distributor stock 经销商库存'),
        h('div', { class: 'tools' }, this.distributorSelect, search, lowOnly, lowCoverOnly)),
      this.summary,
      this.error,
      h('div', { class: 'table-scroll' },
        h('table', { class: 'stock-table' },
          h('thead', null, h('tr', null,
            own ? null : h('th', null, 'Distributor 经销商'),
            h('th', null, 'SKU 商品'),
            h('th', { class: 'num' }, 'On hand 在库'),
            h('th', { class: 'num' }, 'Reserved 预留'),
            h('th', { class: 'num', title: 'dispatched here by transfers, not yet received 调拨已发出、尚未收货' }, 'Incoming 在途'),
            h('th', { class: 'num' }, 'Available 可用'),
            h('th', { class: 'num' }, 'Threshold 补货线'),
            h('th', { class: 'meter-col' }, 'Level 水位'),
            h('th', { class: 'num', title: 'units a day its orders take, recent sales weighted most 近期日均销量' }, 'Velocity/day 日销量'),
            h('th', { class: 'spark-col', title: 'velocity per day as seen since this page loaded 本页加载以来的日销量变化' }, 'Trend 趋势'),
            h('th', { class: 'num', title: '(available + incoming) ÷ velocity; ∞ when nothing sells （可用 + 在途）÷ 日销量，无销量时为 ∞' }, 'Days of cover 可售天数'),
            h('th', { class: 'num', title: 'units to reach the target days of cover 达到目标可售天数所需补货量' }, 'Suggested restock 建议补货'))),
          this.tbody)),
    );
  }

  distributorName(id: string): string | undefined {
    return this.names.get(id);
  }

  /** A distributor's SKUs as last shown, by SKU, with on hand (empty until the stock has loaded). */
  stocked(distributorId: string): { sku: string; onHand: number }[] {
    return [...this.items.values()].filter((i) => i.distributorId === distributorId)
      .sort((a, b) => a.sku.localeCompare(b.sku)).map((i) => ({ sku: i.sku, onHand: i.onHand }));
  }

  /** Live: a transfer moved; what is incoming at either side is read again (on hand comes with inventoryChanged). */
  onTransfers(events: TransferChangedEvent[]): void {
    const own = this.options.distributorId;
    for (const { transfer: t } of events) {
      for (const id of [t.fromDistributorId, t.toDistributorId]) if (!own || id === own) this.incomingDue.add(id);
    }
    void this.readIncoming();
  }

  /** One read at a time; a transfer that moves during a read gets another after it, so the last read is after the last move. */
  private async readIncoming(): Promise<void> {
    if (this.readingIncoming) return;
    this.readingIncoming = true;
    try {
      while (this.incomingDue.size > 0) {
        const ids = [...this.incomingDue];
        this.incomingDue.clear();
        const read = await Promise.all(ids.map((id) => api.inventory(id).then((items) => ({ id, items }), () => null)));
        for (const r of read) {
          if (!r) continue;
          for (const i of r.items) {
            const key = stockKey(r.id, i.sku);
            const known = this.items.get(key);
            if (!known) {
              this.items.set(key, itemOf(r.id, i));
              this.seeVelocity(key, i.velocityPerDay);
              this.rebuild = true;
            } else if (known.incoming !== i.incoming) {
              known.incoming = i.incoming;
              this.dirty.add(key);
            }
          }
        }
        schedule(this, () => this.render());
      }
    } finally {
      this.readingIncoming = false;
    }
  }

  async resync(): Promise<void> {
    try {
      await this.sync.run(() => this.load(), (snapshot) => this.applySnapshot(snapshot), (events) => this.apply(events));
      this.error.hidden = true;
    } catch (e) {
      setText(this.error, `Could not load stock: ${errorText(e)}`);
      this.error.hidden = false;
    }
  }

  onInventory(events: InventoryChangedEvent[]): void {
    const own = this.options.distributorId;
    const mine = own ? events.filter((e) => e.distributor === own) : events;
    if (mine.length === 0) return;
    this.sync.record(mine);
    this.apply(mine);
  }

  destroy(): void {
    // Nothing to stop: every change comes from REST reads and live events.
  }

  /** Keeps a velocity for the row's sparkline (a repeat of the last one adds nothing). */
  private seeVelocity(key: string, v: number): void {
    let seen = this.velocities.get(key);
    if (!seen) this.velocities.set(key, (seen = []));
    if (seen.length > 0 && seen[seen.length - 1] === v) return;
    seen.push(v);
    if (seen.length > sparkPoints) seen.splice(0, seen.length - sparkPoints);
  }

  private async load(): Promise<{ distributors: Distributor[]; inventories: { id: string; items: InventoryItem[] }[] }> {
    const own = this.options.distributorId;
    const distributors = own ? [await api.distributor(own)] : await api.distributors();
    distributors.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    // A few at a time: the browser has only so many connections per host.
    const inventories: { id: string; items: InventoryItem[] }[] = [];
    const queue = distributors.map((d) => d.id);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) inventories.push({ id, items: await api.inventory(id) });
    };
    await Promise.all(Array.from({ length: Math.min(6, queue.length) }, worker));
    return { distributors, inventories };
  }

  private applySnapshot(snapshot: { distributors: Distributor[]; inventories: { id: string; items: InventoryItem[] }[] }): void {
    const before = new Map(this.items);
    this.items.clear();
    this.names.clear();
    for (const d of snapshot.distributors) this.names.set(d.id, d.name);
    for (const { id, items } of snapshot.inventories) {
      for (const i of items) {
        const key = stockKey(id, i.sku);
        this.items.set(key, itemOf(id, i, before.get(key)));
        this.seeVelocity(key, i.velocityPerDay);
      }
    }
    if (this.distributorSelect) {
      const current = this.distributorSelect.value;
      this.distributorSelect.replaceChildren(
        h('option', { value: '' }, 'All distributors 全部经销商'),
        ...snapshot.distributors.map((d) => h('option', { value: d.id }, `${d.id} · ${d.name}`)));
      this.distributorSelect.value = snapshot.distributors.some((d) => d.id === current) ? current : '';
    }
    this.options.onDistributors?.(snapshot.distributors);
    this.rebuild = true;
    schedule(this, () => this.render());
  }

  private apply(events: InventoryChangedEvent[]): void {
    for (const e of events) {
      const key = stockKey(e.distributor, e.sku);
      const known = this.items.get(key);
      if (!known) this.rebuild = true;
      else this.dirty.add(key);
      this.items.set(key, itemOf(e.distributor, e, known));
      this.seeVelocity(key, e.velocityPerDay ?? 0);
    }
    schedule(this, () => this.render());
  }

  private refilter(): void {
    for (const [key, row] of this.rows) row.tr.hidden = !this.matches(this.items.get(key)!);
    this.renderSummary();
  }

  private matches(i: Item): boolean {
    if (this.lowOnly && !i.belowThreshold) return false;
    if (this.lowCoverOnly && !i.lowCover) return false;
    if (this.distributorFilter && i.distributorId !== this.distributorFilter) return false;
    if (this.text) {
      const hay = `${i.distributorId} ${this.names.get(i.distributorId) ?? ''} ${i.sku}`.toLowerCase();
      if (!hay.includes(this.text)) return false;
    }
    return true;
  }

  private render(): void {
    if (this.rebuild) {
      this.rebuild = false;
      this.dirty.clear();
      this.rows.clear();
      const sorted = [...this.items.entries()].sort(([, a], [, b]) =>
        a.distributorId.localeCompare(b.distributorId, 'en', { numeric: true }) || a.sku.localeCompare(b.sku));
      const fragment = document.createDocumentFragment();
      for (const [key, item] of sorted) {
        const row = this.createRow(item);
        this.rows.set(key, row);
        this.update(row, item);
        fragment.appendChild(row.tr);
      }
      this.tbody.replaceChildren(fragment);
      if (sorted.length === 0) this.tbody.appendChild(h('tr', null, h('td', { colspan: 12, class: 'muted' }, 'No stock yet. 暂无库存。')));
    } else {
      for (const key of this.dirty) {
        const row = this.rows.get(key);
        const item = this.items.get(key);
        if (row && item) this.update(row, item);
      }
      this.dirty.clear();
    }
    this.renderSummary();
  }

  private renderSummary(): void {
    let low = 0, lowCover = 0, shown = 0;
    for (const [key, item] of this.items) {
      if (item.belowThreshold) low++;
      if (item.lowCover) lowCover++;
      if (this.rows.get(key)?.tr.hidden === false) shown++;
    }
    this.options.onLowCount?.(low);
    this.options.onLowCoverCount?.(lowCover);
    setText(this.summary, `${fmtInt(this.items.size)} SKU rows · ${fmtInt(low)} below threshold 低于补货线 · ${fmtInt(lowCover)} low cover 可售天数不足 · ${fmtInt(shown)} shown`);
  }

  private createRow(i: Item): Row {
    const own = this.options.distributorId;
    const num = () => h('td', { class: 'num' });
    const fill = h('div', { class: 'fill' });
    const row: Row = {
      tr: h('tr', { testid: `stock-row-${i.distributorId}-${i.sku}`, 'data-distributor': i.distributorId, 'data-sku': i.sku }),
      onHand: h('td', { class: 'num', testid: 'stock-on-hand' }), reserved: num(), incoming: h('td', { class: 'num', testid: 'stock-incoming' }),
      available: h('td', { class: 'num avail' }), threshold: num(), fill,
      velocity: h('td', { class: 'num', testid: 'stock-velocity' }), spark: h('td', { class: 'spark-col', testid: 'stock-spark' }),
      cover: h('td', { class: 'num cover', testid: 'stock-cover' }), restock: h('td', { class: 'num', testid: 'stock-restock' }),
    };
    row.tr.append(
      own ? '' : h('td', { class: 'nowrap' }, h('b', null, i.distributorId), ' ', h('span', { class: 'muted small dist-name' }, this.names.get(i.distributorId) ?? '')),
      h('td', { class: 'mono' }, i.sku),
      row.onHand, row.reserved, row.incoming, row.available, row.threshold,
      h('td', { class: 'meter-col' }, h('div', { class: 'meter', title: 'available vs threshold (the mark)' }, fill, h('div', { class: 'mark' }))),
      row.velocity, row.spark, row.cover, row.restock,
    );
    return row;
  }

  private update(row: Row, i: Item): void {
    const avail = i.available;
    const low = i.belowThreshold;
    setText(row.onHand, fmtInt(i.onHand));
    setText(row.reserved, fmtInt(i.reserved));
    setText(row.incoming, i.incoming ? fmtInt(i.incoming) : '—');
    // Read back by tests and tools; not data-value, which is the available cell's.
    row.onHand.dataset.units = String(i.onHand);
    row.incoming.dataset.units = String(i.incoming);
    setText(row.available, fmtInt(avail));
    setText(row.threshold, fmtInt(i.threshold));
    row.available.dataset.value = String(avail);
    row.tr.dataset.low = String(low);
    row.tr.classList.toggle('low', low);
    row.tr.classList.toggle('out', avail <= 0);
    // The mark (threshold) sits at half the bar.
    const scale = i.threshold > 0 ? i.threshold * 2 : Math.max(avail, 1);
    row.fill.style.width = `${Math.max(0, Math.min(100, (100 * avail) / scale))}%`;
    // The forecast: the values as the server gave them (data-value), shown rounded.
    setText(row.velocity, fmtVelocity(i.velocityPerDay));
    row.velocity.dataset.value = String(i.velocityPerDay);
    setText(row.cover, fmtCover(i.daysOfCover));
    row.cover.dataset.value = i.daysOfCover === null ? '' : String(i.daysOfCover);
    setText(row.restock, i.suggestedRestock ? fmtInt(i.suggestedRestock) : '—');
    row.restock.dataset.units = String(i.suggestedRestock);
    row.tr.dataset.lowCover = String(i.lowCover);
    row.tr.classList.toggle('low-cover', i.lowCover);
    const seen = this.velocities.get(stockKey(i.distributorId, i.sku)) ?? [];
    if (row.spark.dataset.points !== seen.join(',')) {
      row.spark.dataset.points = seen.join(',');
      row.spark.replaceChildren(sparkline(seen, `velocity per day, last ${seen.length} seen 最近日销量`));
    }
    row.tr.hidden = !this.matches(i);
  }
}
