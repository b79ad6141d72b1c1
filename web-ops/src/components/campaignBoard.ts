// Campaign board: units sold vs cap, price tier, orders per second, time left, status. Live via campaignProgress.
import { api, errorText } from '../api';
import { fmtDateTime, fmtDuration, fmtInt, fmtMoney, h, label, schedule, setText, SnapshotSync } from '../dom';
import type { Campaign, CampaignProgressEvent, CampaignStatus, OrderAllocatedEvent, OrderRejectedEvent } from '../types';
import { OrderRates, RateChart } from './rateChart';

interface Card {
  campaign: Campaign;
  el: HTMLElement;
  status: HTMLElement;
  fill: HTMLElement;
  bar: HTMLElement;
  sold: HTMLElement;
  cap: HTMLElement;
  percent: HTMLElement;
  remaining: HTMLElement;
  price: HTMLElement;
  tier: HTMLElement;
  timeLeft: HTMLElement;
  timeLabel: HTMLElement;
  rate: HTMLElement;
  totals: HTMLElement;
  chart: RateChart;
}

export class CampaignBoard {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly message: HTMLElement;
  private readonly cards = new Map<string, Card>();
  private readonly rates = new OrderRates();
  private readonly sync = new SnapshotSync<CampaignProgressEvent>();
  private readonly timer: number;
  private readonly latestAt = new Map<string, number>();
  private fetchingUnknown = false;

  constructor() {
    this.message = h('p', { class: 'muted', testid: 'campaigns-message' }, 'Loading campaigns… 加载中');
    this.list = h('div', { class: 'campaign-list', testid: 'campaign-list' });
    this.el = h('section', { class: 'panel', testid: 'campaign-board', 'aria-labelledby': 'campaigns-h' },
      h('header', { class: 'panel-head' }, h('h2', { id: 'campaigns-h' }, 'Campaigns 团购活动')),
      this.message,
      this.list,
    );
    // Once a second: clocks and the orders-per-second charts (status comes from the server).
    this.timer = window.setInterval(() => this.tick(), 1000);
  }

  destroy(): void {
    window.clearInterval(this.timer);
    for (const c of this.cards.values()) c.chart.destroy();
  }

  /** Campaign ids known, for other views (e.g. policies in use). */
  campaigns(): Campaign[] {
    return [...this.cards.values()].map((c) => c.campaign);
  }

  async resync(): Promise<void> {
    try {
      await this.sync.run(() => api.campaigns(), (list) => this.applySnapshot(list), (events) => this.applyProgress(events));
    } catch (e) {
      setText(this.message, `Could not load campaigns: ${errorText(e)}`);
      this.message.hidden = false;
    }
  }

  onProgress(events: CampaignProgressEvent[]): void {
    this.sync.record(events);
    this.applyProgress(events);
  }

  onOrders(events: (OrderAllocatedEvent | OrderRejectedEvent)[], kind: 'allocated' | 'rejected'): void {
    this.rates.add(events, kind);
  }

  private applySnapshot(list: Campaign[]): void {
    const seen = new Set<string>();
    for (const c of list) {
      seen.add(c.id);
      const card = this.cards.get(c.id);
      if (card) card.campaign = c;
      else this.addCard(c);
    }
    for (const [id, card] of this.cards) {
      if (!seen.has(id)) {
        card.chart.destroy();
        card.el.remove();
        this.cards.delete(id);
      }
    }
    this.message.hidden = list.length > 0;
    if (list.length === 0) setText(this.message, 'No campaigns yet. 暂无团购活动。');
    schedule(this, () => this.render());
  }

  private applyProgress(events: CampaignProgressEvent[]): void {
    for (const e of events) {
      const card = this.cards.get(e.campaignId);
      if (!card) {
        // A campaign created after the last snapshot: fetch the list again (once).
        if (!this.fetchingUnknown) {
          this.fetchingUnknown = true;
          void this.resync().finally(() => { this.fetchingUnknown = false; });
        }
        continue;
      }
      const at = Date.parse(e.at);
      const prev = this.latestAt.get(e.campaignId) ?? 0;
      if (at < prev) continue; // an older report overtaken by a newer one
      this.latestAt.set(e.campaignId, at);
      card.campaign = { ...card.campaign, sold: e.sold, cap: e.cap, remaining: e.cap - e.sold, status: e.status, currentPrice: e.currentPrice,
        tiersReached: e.tiersReached, nextTier: e.nextTier };
    }
    schedule(this, () => this.render());
  }

  private addCard(c: Campaign): void {
    const id = c.id;
    const canvas = h('canvas', { testid: `campaign-chart-${id}`, 'aria-label': 'Orders per second over the last minute' });
    const fill = h('div', { class: 'fill' });
    const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0 }, fill);
    const card: Card = {
      campaign: c,
      el: h('article', { class: 'card campaign', testid: `campaign-${id}`, 'data-campaign-id': id }),
      status: h('span', { class: 'badge', testid: `campaign-status-${id}` }),
      fill,
      bar,
      sold: h('strong', { class: 'big', testid: `campaign-sold-${id}` }),
      cap: h('span', { testid: `campaign-cap-${id}` }),
      percent: h('span', { class: 'muted' }),
      remaining: h('span', { testid: `campaign-remaining-${id}` }),
      price: h('span', { class: 'big', testid: `campaign-price-${id}` }),
      tier: h('small', { class: 'muted', testid: `campaign-tier-${id}` }),
      timeLeft: h('span', { class: 'big', testid: `campaign-timeleft-${id}` }),
      timeLabel: h('span'),
      rate: h('span', { class: 'big', testid: `campaign-rate-${id}` }, '0'),
      totals: h('small', { class: 'muted' }),
      chart: undefined as unknown as RateChart,
    };
    const minMarker = c.cap > 0 && c.minUnits > 0 && c.minUnits < c.cap
      ? h('div', { class: 'min-marker', style: `left:${(100 * c.minUnits) / c.cap}%`, title: `Group forms at ${fmtInt(c.minUnits)} units 成团线` })
      : null;
    if (minMarker) bar.appendChild(minMarker);
    card.el.append(
      h('header', { class: 'card-head' },
        h('div', null, h('h3', null, c.name), h('div', { class: 'muted small' }, `${c.id} · SKU ${c.sku} · policy 策略 ${c.policy}`)),
        card.status),
      h('div', { class: 'campaign-body' },
        h('div', null,
          bar,
          h('div', { class: 'sold-line' },
            h('span', null, card.sold, ' / ', card.cap, ' sold 已售 '), card.percent,
            h('span', { class: 'muted' }, ' · remaining 剩余 ', card.remaining)),
          h('dl', { class: 'facts' },
            h('div', null, h('dt', null, 'Price 当前价'), h('dd', null, card.price, h('br'), card.tier)),
            h('div', null, h('dt', null, card.timeLabel), h('dd', null, card.timeLeft, h('br'),
              h('small', { class: 'muted' }, `${fmtDateTime(c.startsAt)} → ${fmtDateTime(c.endsAt)}`))),
            h('div', null, h('dt', null, 'Orders/s 每秒订单'), h('dd', null, card.rate, h('br'), card.totals)))),
        h('div', { class: 'chart-box' }, canvas)),
    );
    this.list.appendChild(card.el);
    card.chart = new RateChart(canvas);
    this.cards.set(c.id, card);
  }

  private render(): void {
    const now = this.rates.serverNow();
    for (const card of this.cards.values()) {
      const c = card.campaign;
      const pct = c.cap > 0 ? Math.min(100, (100 * c.sold) / c.cap) : 0;
      card.fill.style.width = `${pct}%`;
      card.bar.setAttribute('aria-valuenow', String(c.sold));
      card.bar.setAttribute('aria-valuemax', String(c.cap));
      card.fill.classList.toggle('done', c.sold >= c.cap);
      setText(card.sold, fmtInt(c.sold));
      card.sold.dataset.value = String(c.sold);
      setText(card.cap, fmtInt(c.cap));
      card.cap.dataset.value = String(c.cap);
      setText(card.percent, `(${pct.toFixed(pct < 10 ? 1 : 0)}%)`);
      setText(card.remaining, fmtInt(Math.max(0, c.cap - c.sold)));
      setText(card.price, fmtMoney(c.currentPrice));
      card.price.dataset.value = String(c.currentPrice);
      setText(card.tier, this.tierText(c));
      this.renderClock(card, now);
    }
  }

  /** The server's price standing (tiers reached, the next tier): the console only words it. */
  private tierText(c: Campaign): string {
    const next = c.nextTier;
    const tierPart = c.tiers.length === 0 ? 'single price 单一价格' : `tier 档位 ${c.tiersReached + 1}/${c.tiers.length + 1}`;
    const nextPart = next ? ` · next 下一档 ${fmtMoney(next.price)} at ${fmtInt(next.minUnits)} (${fmtInt(next.minUnits - c.sold)} to go)` : '';
    return tierPart + nextPart;
  }

  private renderClock(card: Card, now: number): void {
    const c = card.campaign;
    const status: CampaignStatus = c.status; // the server's: it announces opening and closing as they happen
    setText(card.status, label(status));
    card.status.className = `badge status-${status}`;
    card.status.dataset.status = status;
    const starts = Date.parse(c.startsAt), ends = Date.parse(c.endsAt);
    if (now < starts) {
      setText(card.timeLabel, 'Starts in 距开始');
      setText(card.timeLeft, fmtDuration(starts - now));
    } else if (now < ends) {
      setText(card.timeLabel, 'Time left 剩余时间');
      setText(card.timeLeft, fmtDuration(ends - now));
    } else {
      setText(card.timeLabel, 'Ended 已结束');
      setText(card.timeLeft, '0s');
    }
  }

  private tick(): void {
    this.rates.prune();
    const now = this.rates.serverNow();
    for (const card of this.cards.values()) {
      const series = this.rates.series(card.campaign.id);
      const last = series.allocated.length - 1;
      setText(card.rate, fmtInt(series.allocated[last] + series.rejected[last]));
      const totals = this.rates.totalsOf(card.campaign.id);
      setText(card.totals, `seen 本次: ${fmtInt(totals.allocated)} allocated · ${fmtInt(totals.rejected)} not`);
      card.chart.update(series);
      this.renderClock(card, now);
    }
  }
}
