// The stock forecast (库存预测, ops): every distributor and SKU with how fast it sells, its days of cover (the server's
// lowCover highlighted) and the suggested restock, shortest cover first as the server sorts it, and for each row the
// transfers the server suggests from neighbours with stock to spare, each one click from a transfer request
// (POST /api/transfers). After a failure that may not have reached the server, the suggestion offers a retry of that
// same request (same body, same Idempotency-Key), so a transfer is never requested twice by a retry; the answer (the
// transfer, or the refusal with its code) shows under the suggestion. Read again on demand and, while shown, when stock
// or transfers change (at most every 2 s).
import { api, ApiError } from '../api';
import { fmtInt, h, KeyedRows, setText } from '../dom';
import { IdempotencyKeys } from '../idempotency';
import type { ForecastRow, SuggestedTransfer, TransferRequest, TransferView } from '../types';
import { fmtCover, fmtVelocity } from './forecastParts';
import { problemText, Suggestions } from './stockParts';

/** Rows shown at most (the rest: filter by SKU or distributor). */
const shownCap = 300;
const liveEveryMs = 2000;

/** A suggestion's request under way, or its failure: refused, or one a retry of the same request may mend (its body is
 *  kept, so the retry sends it unchanged with the same key even when the suggestion has moved since: the first may
 *  have been done, and holding its units changes the forecast). */
type Pending = { error: unknown; retry: TransferRequest | null } | { sending: true };

const rowKey = (distributorId: string, sku: string): string => `${distributorId}\u0000${sku}`;
const suggestionKey = (to: string, sku: string, from: string): string => `${to}\u0000${sku}\u0000${from}`;

export class ForecastPanel {
  readonly el: HTMLElement;
  private readonly suggestions = new Suggestions();
  private readonly rows: KeyedRows<ForecastRow>;
  private readonly table: HTMLTableElement;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly sku: HTMLInputElement;
  private readonly distributor: HTMLInputElement;
  private readonly lowOnly: HTMLInputElement;
  /** Per suggestion (destination, SKU, source): its keys, and its request under way or refused. */
  private readonly keys = new Map<string, IdempotencyKeys>();
  private readonly pending = new Map<string, Pending>();
  /** Per row: the transfers requested from this page (the forecast counts them only once dispatched, as incoming). */
  private readonly requested = new Map<string, TransferView[]>();
  private loading = false;
  private again = false;
  private liveTimer: number | undefined;
  private shown = false;

  constructor() {
    this.summary = h('span', { class: 'muted small', testid: 'forecast-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert', testid: 'forecast-error' });
    const reload = () => void this.load();
    this.sku = h('input', { type: 'search', maxlength: 64, placeholder: 'SKU 商品', list: this.suggestions.skus.id, testid: 'forecast-sku',
      'aria-label': 'SKU 商品', onchange: reload });
    this.distributor = h('input', { type: 'search', maxlength: 64, placeholder: 'Distributor 经销商', list: this.suggestions.distributors.id,
      testid: 'forecast-distributor', 'aria-label': 'Distributor 经销商', onchange: reload });
    this.lowOnly = h('input', { type: 'checkbox', testid: 'forecast-low-only', onchange: reload });
    const tbody = h('tbody');
    this.rows = new KeyedRows(tbody, (r) => rowKey(r.distributorId, r.sku), (r) => this.version(r), (r) => this.row(r),
      () => h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'No forecast rows. 暂无预测。')));
    this.table = h('table', { class: 'stock-table forecast-table', testid: 'forecast-table' },
      h('thead', null, h('tr', null,
        h('th', null, 'Distributor 经销商'), h('th', null, 'SKU 商品'),
        h('th', { class: 'num' }, 'Available 可用'), h('th', { class: 'num' }, 'Incoming 在途'),
        h('th', { class: 'num' }, 'Velocity/day 日销量'), h('th', { class: 'num' }, 'Days of cover 可售天数'),
        h('th', { class: 'num' }, 'Suggested restock 建议补货'), h('th', null, 'Suggested transfers 建议调拨'))),
      tbody);
    this.el = h('section', { class: 'panel', testid: 'forecast-panel' },
      h('header', { class: 'panel-head' },
        h('h2', null, 'Forecast 库存预测'),
        h('div', { class: 'tools' }, this.summary, this.sku, this.distributor,
          h('label', { class: 'toggle' }, this.lowOnly, ' Low cover only 仅可售天数不足'),
          h('button', { type: 'button', class: 'ghost', testid: 'forecast-refresh', onclick: reload }, 'Refresh 刷新'))),
      h('p', { class: 'muted small' },
        'Shortest cover first. A suggested transfer comes from the nearest distributors that keep their own target cover; one click requests it (held at the source at once). ' +
        '可售天数最短的排在前面；建议调拨来自距离最近且自身仍能保持目标可售天数的经销商，一键申请调拨（立即在调出方预留）。'),
      this.error,
      h('div', { class: 'table-scroll' }, this.table),
      this.suggestions.distributors, this.suggestions.skus);
  }

  /** Whether the page is shown: live changes read it again only then. */
  setShown(shown: boolean): void {
    this.shown = shown;
  }

  destroy(): void {
    window.clearTimeout(this.liveTimer);
  }

  /** Live: stock or a transfer moved; read again soon if shown. */
  onChanged(): void {
    if (!this.shown || this.liveTimer !== undefined) return;
    this.liveTimer = window.setTimeout(() => { this.liveTimer = undefined; void this.load(); }, liveEveryMs);
  }

  /** Reads the forecast for the filters; a call while loading loads once more after. */
  async load(): Promise<void> {
    this.suggestions.load(true);
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      const filter = { sku: this.sku.value.trim() || undefined, distributorId: this.distributor.value.trim() || undefined };
      const all = await api.forecast(filter);
      const rows = this.lowOnly.checked ? all.filter((r) => r.lowCover) : all;
      this.error.hidden = true;
      this.rows.set(rows.slice(0, shownCap));
      const low = all.filter((r) => r.lowCover).length;
      setText(this.summary, `${fmtInt(all.length)} rows · ${fmtInt(low)} low cover 可售天数不足${rows.length > shownCap ? ` · first ${shownCap} shown 仅显示前 ${shownCap} 行` : ''}`);
      Object.assign(this.table.dataset, { state: 'loaded', sku: filter.sku ?? '', distributor: filter.distributorId ?? '' });
    } catch (e) {
      this.error.hidden = false;
      this.table.dataset.state = 'error';
      setText(this.error, `Could not load the forecast 无法加载库存预测: ${problemText(e)}`);
    } finally {
      this.loading = false;
      if (this.again) { this.again = false; void this.load(); }
    }
  }

  /** A row is drawn again when its figures, its requested transfers or one of its suggestions' requests change. */
  private version(r: ForecastRow): string {
    const pending = this.offered(r).map((s) => {
      const p = this.pending.get(suggestionKey(r.distributorId, r.sku, s.fromDistributorId));
      return !p ? '' : 'error' in p ? `e:${problemText(p.error)}` : 'sending';
    });
    return JSON.stringify([r, pending, (this.requested.get(rowKey(r.distributorId, r.sku)) ?? []).map((t) => t.transferId)]);
  }

  private row(r: ForecastRow): HTMLElement {
    return h('tr', { testid: 'forecast-row', 'data-distributor': r.distributorId, 'data-sku': r.sku, 'data-low-cover': String(r.lowCover),
      class: r.lowCover ? 'low-cover' : '' },
    h('td', { class: 'mono nowrap' }, r.distributorId),
    h('td', { class: 'mono' }, r.sku),
    h('td', { class: 'num', testid: 'forecast-available', 'data-units': r.available }, fmtInt(r.available)),
    h('td', { class: 'num', testid: 'forecast-incoming', 'data-units': r.incoming }, r.incoming ? fmtInt(r.incoming) : '—'),
    h('td', { class: 'num', testid: 'forecast-velocity', 'data-value': r.velocityPerDay }, fmtVelocity(r.velocityPerDay)),
    h('td', { class: 'num cover', testid: 'forecast-cover', 'data-value': r.daysOfCover === null ? '' : r.daysOfCover }, fmtCover(r.daysOfCover)),
    h('td', { class: 'num', testid: 'forecast-restock', 'data-units': r.suggestedRestock }, r.suggestedRestock ? fmtInt(r.suggestedRestock) : '—'),
    h('td', { class: 'suggestions' },
      this.offered(r).length
        ? h('ul', { class: 'plain' }, this.offered(r).map((s) => this.suggestion(r, s)))
        : h('span', { class: 'muted small' }, r.suggestedRestock ? 'no neighbour with stock to spare 附近无富余库存' : '—'),
      (this.requested.get(rowKey(r.distributorId, r.sku)) ?? []).map((t) =>
        h('div', { class: 'ok small', testid: 'forecast-transfer-created', 'data-transfer-id': t.transferId, 'data-from': t.fromDistributorId },
          'Requested 已申请 ', h('a', { href: '#transfers', class: 'mono' }, t.transferId),
          ` · ${fmtInt(t.quantity)} × ${t.sku} ${t.fromDistributorId} → ${t.toDistributorId}; counted as incoming once dispatched 发货后计入在途`))));
  }

  /** The server's suggestions, and any request of this row that failed in a way a retry may mend whose source is no longer
   *  suggested (its retry stays offered). */
  private offered(r: ForecastRow): SuggestedTransfer[] {
    const retries: SuggestedTransfer[] = [];
    for (const [key, p] of this.pending) {
      if (!key.startsWith(`${rowKey(r.distributorId, r.sku)}\u0000`) || !('error' in p) || !p.retry) continue;
      const from = p.retry.fromDistributorId;
      if (!r.suggestedTransfers.some((s) => s.fromDistributorId === from)) retries.push({ fromDistributorId: from, quantity: p.retry.quantity, distanceKm: Number.NaN });
    }
    return [...r.suggestedTransfers, ...retries];
  }

  private suggestion(r: ForecastRow, s: SuggestedTransfer): HTMLElement {
    const key = suggestionKey(r.distributorId, r.sku, s.fromDistributorId);
    const pending = this.pending.get(key);
    // A transfer from this source was requested here already: another is a second one, and says so.
    const again = (this.requested.get(rowKey(r.distributorId, r.sku)) ?? []).some((t) => t.fromDistributorId === s.fromDistributorId);
    const retry = pending && 'error' in pending ? pending.retry : null;
    const button = h('button', { type: 'button', class: again ? 'small' : 'small primary', testid: 'forecast-create-transfer',
      disabled: !!pending && 'sending' in pending, 'data-retry': retry ? String(retry.quantity) : null,
      onclick: () => void this.request(r, retry ?? { fromDistributorId: s.fromDistributorId, toDistributorId: r.distributorId, sku: r.sku, quantity: s.quantity }) },
    retry ? `Retry ${fmtInt(retry.quantity)} 重试` : again ? 'Create another 再次创建' : 'Create transfer 创建调拨');
    const answer = pending && 'error' in pending
      ? h('div', { class: 'error small', role: 'alert', testid: 'forecast-transfer-error',
        'data-code': pending.error instanceof ApiError && pending.error.code ? pending.error.code : null },
      `Not requested 未申请: ${problemText(pending.error)}${retry ? ` — retry the same request (${fmtInt(retry.quantity)}) 可重试同一请求` : ''}`)
      : null;
    return h('li', { class: 'suggestion', testid: 'forecast-suggestion', 'data-from': s.fromDistributorId, 'data-quantity': s.quantity },
      h('span', { class: 'small' }, h('b', { class: 'mono' }, s.fromDistributorId), ` → ${fmtInt(s.quantity)}${Number.isNaN(s.distanceKm) ? '' : ` · ${s.distanceKm.toLocaleString('en-US', { maximumFractionDigits: 1 })} km`} `),
      button, answer);
  }

  /** Requests a transfer: the same key when the same request is sent again after a failure a retry may mend. */
  private async request(r: ForecastRow, body: TransferRequest): Promise<void> {
    const key = suggestionKey(r.distributorId, r.sku, body.fromDistributorId);
    let keys = this.keys.get(key);
    if (!keys) this.keys.set(key, (keys = new IdempotencyKeys('transfer')));
    const { key: idempotencyKey } = keys.take(body);
    this.pending.set(key, { sending: true });
    this.rows.update(r);
    try {
      const transfer = await api.requestTransfer(body, idempotencyKey);
      keys.settle();
      this.pending.delete(key);
      const list = this.requested.get(rowKey(r.distributorId, r.sku)) ?? [];
      if (!list.some((t) => t.transferId === transfer.transferId)) list.push(transfer);
      this.requested.set(rowKey(r.distributorId, r.sku), list);
    } catch (e) {
      this.pending.set(key, { error: e, retry: keys.settle(e) ? body : null });
    }
    this.rows.update(r);
    void this.load();
  }
}
