// Order analytics (订单经营): for a period (today, the last 7 or 30 days, or dates chosen), a campaign and (ops) a
// distributor, the server's figures (GET /api/analytics/orders: its definitions are in OrderAnalytics.cs, none is
// computed here): orders by outcome, units ordered and allocated, the fill rates and the home-distributor rate; the fill
// rate's trend, from one request per bucket of the period (an hour for a single day, a day otherwise, a few days for a
// long custom period: at most 62 buckets, 4 requests at a time); the failure reasons in words; a heat map of orders by
// hour of the day (by weekday × hour where the buckets are days, so each day's hours are known); each distributor's
// orders, units and median minutes to confirm (sortable); and the server's CSV of the same figures. Hours are the
// browser's local time (the query's utcOffsetMinutes says so), like the period's days. Read again on demand, on a
// change of filters, and while shown when a live order event arrives (at most every 5 s: the figures and the current
// bucket). A distributor's view shows the same page; the server answers it with its own figures only.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import { analyticsQuery, api } from '../api';
import { causeLabel, dateInputValue, fmtDateTime, fmtInt, fromInputValue, h, isoWithOffset, setText } from '../dom';
import type { AnalyticsQuery, DistributorFigures, OrderAnalytics } from '../types';
import { exportCsv, StatusLine } from './stockParts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

type Preset = 'today' | '7d' | '30d' | 'custom';
const presets: [Preset, string][] = [['today', 'Today 今天'], ['7d', 'Last 7 days 近7天'], ['30d', 'Last 30 days 近30天'], ['custom', 'Dates… 自定义']];
/** At most this many buckets (requests) for the trend. */
const maxBuckets = 62;
const concurrency = 4;
const liveEveryMs = 5000;
const weekdays = ['Mon 一', 'Tue 二', 'Wed 三', 'Thu 四', 'Fri 五', 'Sat 六', 'Sun 日'];

/** One bucket of the trend: [from, to) in local time; `weekday` (0 = Monday) when it is one whole day. */
interface Bucket { from: Date; to: Date; label: string; weekday: number | null }
interface Period { from: Date; to: Date; buckets: Bucket[]; hourly: boolean }

const day = (d: Date, plus = 0): Date => new Date(d.getFullYear(), d.getMonth(), d.getDate() + plus);
const p2 = (n: number): string => String(n).padStart(2, '0');
const pct = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** The period a choice names, in local time, with its buckets (none in the future). */
export function periodOf(preset: Preset, fromValue: string, toValue: string, now = new Date()): Period | string {
  let from: Date, to: Date;
  if (preset === 'custom') {
    const a = fromInputValue(fromValue), b = fromInputValue(toValue);
    if (!a || !b) return 'Give both dates. 请填写起止日期。';
    if (a > b) return 'From must not be after to. 起始日期不能晚于截止日期。';
    from = day(a);
    to = day(b, 1);
  } else {
    to = day(now, 1);
    from = day(now, preset === 'today' ? 0 : preset === '7d' ? -6 : -29);
  }
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const buckets: Bucket[] = [];
  if (days <= 1) {
    for (let hour = 0; hour < 24; hour++) {
      const f = new Date(from.getFullYear(), from.getMonth(), from.getDate(), hour);
      if (f > now) break;
      buckets.push({ from: f, to: new Date(from.getFullYear(), from.getMonth(), from.getDate(), hour + 1), label: `${p2(hour)}:00`, weekday: null });
    }
    return { from, to, buckets, hourly: true };
  }
  const span = Math.ceil(days / maxBuckets);
  for (let i = 0; i < days; i += span) {
    const f = day(from, i);
    if (f > now) break;
    const t = day(from, Math.min(days, i + span));
    buckets.push({ from: f, to: t, label: `${p2(f.getMonth() + 1)}-${p2(f.getDate())}`, weekday: span === 1 ? (f.getDay() + 6) % 7 : null });
  }
  return { from, to, buckets, hourly: false };
}

/** The headline figures, each with its path in the answer (read back by tests as data-figure). */
const figures: [string, string, (a: OrderAnalytics) => number | null, 'int' | 'rate'][] = [
  ['orders.placed', 'Orders placed 下单数', (a) => a.orders.placed, 'int'],
  ['orders.allocated', 'Allocated 已分配', (a) => a.orders.allocated, 'int'],
  ['orders.rejected', 'Rejected 已拒绝', (a) => a.orders.rejected, 'int'],
  ['orders.cancelled', 'Cancelled 已取消', (a) => a.orders.cancelled, 'int'],
  ['orders.onHold', 'On hold 待审核', (a) => a.orders.onHold, 'int'],
  ['orders.exception', 'Exceptions 异常', (a) => a.orders.exception, 'int'],
  ['orders.preOrder', 'Pre-orders 预下单', (a) => a.orders.preOrder, 'int'],
  ['units.ordered', 'Units ordered 订购件数', (a) => a.units.ordered, 'int'],
  ['units.allocated', 'Units allocated 分配件数', (a) => a.units.allocated, 'int'],
  ['fillRate', 'Fill rate 件数满足率', (a) => a.fillRate, 'rate'],
  ['orderFillRate', 'Order fill rate 整单满足率', (a) => a.orderFillRate, 'rate'],
  ['homeDistributorRate', 'Home-distributor rate 归属经销商承接率', (a) => a.homeDistributorRate, 'rate'],
];
const figureHelp: Record<string, string> = {
  fillRate: 'units allocated ÷ units ordered 分配件数 ÷ 订购件数',
  orderFillRate: 'orders allocated all they asked ÷ orders placed 完整分配的订单 ÷ 下单数',
  homeDistributorRate: 'orders allocated wholly at the customer\'s home distributor ÷ orders allocated to customers with one 由归属经销商整单承接的订单占比',
};

type SortKey = 'distributorId' | 'orders' | 'units' | 'confirmMedianMinutes';
const sortColumns: [SortKey, string][] = [
  ['distributorId', 'Distributor 经销商'], ['orders', 'Orders 订单'], ['units', 'Units 件数'], ['confirmMedianMinutes', 'Median minutes to confirm 确认用时中位数（分钟）'],
];

export interface AnalyticsOptions {
  /** The distributor's own view: no distributor filter (the server answers with its own figures). */
  distributorId?: string;
}

export class AnalyticsPanel {
  readonly el: HTMLElement;
  private readonly own: string | undefined;
  private readonly preset: HTMLSelectElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly dates: HTMLElement;
  private readonly campaign: HTMLSelectElement;
  private readonly distributor: HTMLSelectElement | null;
  private readonly csv: HTMLButtonElement;
  private readonly status = new StatusLine('analytics-status');
  private readonly result: HTMLElement;
  private readonly periodText: HTMLElement;
  private readonly figuresEl: HTMLElement;
  private readonly trendBox: HTMLElement;
  private readonly failuresBox: HTMLElement;
  private readonly failuresList: HTMLElement;
  private readonly heat: HTMLElement;
  private readonly heatNote: HTMLElement;
  private readonly distributorHead: HTMLElement;
  private readonly distributorBody: HTMLTableSectionElement;
  private trendChart: Chart | null = null;
  private failuresChart: Chart | null = null;
  private generation = 0;
  private abort: AbortController | null = null;
  private shown = false;
  private stale = false;
  private liveTimer: number | undefined;
  private lastLoad = 0;
  /** What is shown: the query, the period, the headline and each bucket's answer. */
  private current: { query: AnalyticsQuery; period: Period; headline: OrderAnalytics; buckets: (OrderAnalytics | null)[] } | null = null;
  private sort: { key: SortKey; desc: boolean } = { key: 'orders', desc: true };

  constructor(options: AnalyticsOptions = {}) {
    this.own = options.distributorId;
    const now = new Date();
    const reload = () => void this.load();
    this.preset = h('select', { testid: 'analytics-period', 'aria-label': 'Period 期间', onchange: () => { this.dates.hidden = this.preset.value !== 'custom'; reload(); } },
      presets.map(([v, text]) => h('option', { value: v }, text)));
    this.preset.value = '7d';
    this.from = h('input', { type: 'date', testid: 'analytics-from', 'aria-label': 'From 起始日期', value: dateInputValue(day(now, -6)), onchange: reload });
    this.to = h('input', { type: 'date', testid: 'analytics-to', 'aria-label': 'To 截止日期', value: dateInputValue(now), onchange: reload });
    this.dates = h('span', { class: 'tools', hidden: true }, h('label', { class: 'small' }, 'From 从 ', this.from), h('label', { class: 'small' }, 'To 至 ', this.to));
    this.campaign = h('select', { testid: 'analytics-campaign', 'aria-label': 'Campaign 活动', onchange: reload }, h('option', { value: '' }, 'All orders 全部订单'));
    this.distributor = this.own ? null : h('select', { testid: 'analytics-distributor', 'aria-label': 'Distributor 经销商', onchange: reload },
      h('option', { value: '' }, 'All distributors 全部经销商'));
    this.csv = h('button', { type: 'button', class: 'ghost', testid: 'analytics-csv', onclick: () => void this.download() }, 'CSV 导出');
    this.periodText = h('p', { class: 'muted small', testid: 'analytics-period-text' });
    this.figuresEl = h('dl', { class: 'facts analytics-figures', testid: 'analytics-figures' });
    this.trendBox = h('div', { class: 'analytics-chart', testid: 'analytics-trend' }, h('canvas', { 'aria-label': 'Fill rate trend 满足率趋势', role: 'img' }));
    this.failuresBox = h('div', { class: 'analytics-chart', testid: 'analytics-failures-chart' }, h('canvas', { 'aria-label': 'Failure reasons 失败原因', role: 'img' }));
    this.failuresList = h('ul', { class: 'plain small failure-list', testid: 'analytics-failures' });
    this.heat = h('div', { class: 'heatmap', testid: 'analytics-heatmap', role: 'table', 'aria-label': 'Orders by hour of day 各小时订单数' });
    this.heatNote = h('p', { class: 'muted small' });
    this.distributorHead = h('tr');
    this.distributorBody = h('tbody');
    this.result = h('div', { class: 'analytics-result', testid: 'analytics-result', 'data-state': 'loading' },
      this.periodText,
      this.figuresEl,
      h('div', { class: 'analytics-grid' },
        h('section', { class: 'analytics-card' }, h('h3', null, 'Fill rate trend 满足率趋势'), this.trendBox),
        h('section', { class: 'analytics-card' }, h('h3', null, 'Failure reasons 失败原因'), this.failuresBox, this.failuresList),
        h('section', { class: 'analytics-card span-all' }, h('h3', null, 'Orders by hour of day 各时段订单'), this.heatNote, this.heat),
        h('section', { class: 'analytics-card span-all' }, h('h3', null, this.own ? 'My figures 我的指标' : 'Distributors 经销商'),
          h('div', { class: 'table-scroll' },
            h('table', { class: 'stock-table', testid: 'analytics-distributors' }, h('thead', null, this.distributorHead), this.distributorBody)))));
    this.el = h('section', { class: 'panel', testid: 'analytics-panel' },
      h('header', { class: 'panel-head' },
        h('h2', null, this.own ? `Analytics 订单经营 · ${this.own}` : 'Analytics 订单经营'),
        h('form', { class: 'tools', testid: 'analytics-form', onsubmit: (ev: Event) => { ev.preventDefault(); reload(); } },
          h('label', { class: 'small' }, 'Period 期间 ', this.preset), this.dates,
          h('label', { class: 'small' }, 'Campaign 活动 ', this.campaign),
          this.distributor ? h('label', { class: 'small' }, 'Distributor 经销商 ', this.distributor) : null,
          h('button', { type: 'submit', class: 'ghost', testid: 'analytics-refresh' }, 'Refresh 刷新'),
          this.csv)),
      this.status.el,
      this.result);
    this.renderSortHead();
  }

  /** Whether the page is shown: live order events read it again only then (and once when it is shown again). */
  setShown(shown: boolean): void {
    this.shown = shown;
    if (shown && this.stale) { this.stale = false; this.onOrders(); }
  }

  destroy(): void {
    window.clearTimeout(this.liveTimer);
    this.abort?.abort();
    this.trendChart?.destroy();
    this.failuresChart?.destroy();
  }

  /** Live: an order was placed or changed. The figures and the current bucket are read again, at most every 5 s. */
  onOrders(): void {
    if (!this.shown) { this.stale = true; return; }
    if (this.liveTimer !== undefined || !this.current) return;
    const wait = Math.max(0, this.lastLoad + liveEveryMs - Date.now());
    this.liveTimer = window.setTimeout(() => { this.liveTimer = undefined; void this.refreshLive(); }, wait);
  }

  private query(period: Period): AnalyticsQuery {
    return {
      from: isoWithOffset(period.from), to: isoWithOffset(period.to),
      campaignId: this.campaign.value || undefined,
      distributorId: this.distributor?.value || undefined,
      utcOffsetMinutes: -period.from.getTimezoneOffset(),
    };
  }

  /** The campaigns (and, for ops, the distributors) to choose from, read again with every load (new ones appear). */
  private async loadLists(): Promise<void> {
    const [campaigns, distributors] = await Promise.all([
      api.campaigns().catch(() => null),
      this.distributor ? api.distributors().catch(() => null) : Promise.resolve(null),
    ]);
    // A list that could not be read keeps the options it had (and the choice made).
    const keep = (select: HTMLSelectElement, options: HTMLOptionElement[] | undefined) => {
      if (!options) return;
      const value = select.value;
      select.replaceChildren(select.options[0], ...options);
      select.value = value;
    };
    keep(this.campaign, campaigns?.map((c) => h('option', { value: c.id }, c.name && c.name !== c.id ? `${c.id} · ${c.name}` : c.id)));
    if (this.distributor) {
      keep(this.distributor, distributors?.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))
        .map((d) => h('option', { value: d.id }, `${d.id} · ${d.name}`)));
    }
  }

  /** Reads everything for the filters: the figures, then each bucket of the trend. */
  async load(): Promise<void> {
    await this.loadLists();
    const period = periodOf(this.preset.value as Preset, this.from.value, this.to.value);
    if (typeof period === 'string') { this.status.show('error', period); return; }
    const gen = ++this.generation;
    window.clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const query = this.query(period);
    this.lastLoad = Date.now();
    this.result.dataset.state = 'loading';
    this.status.show('muted', 'Loading… 加载中');
    try {
      const headline = await api.orderAnalytics(query, abort.signal);
      if (gen !== this.generation) return;
      this.current = { query, period, headline, buckets: period.buckets.map(() => null) };
      this.renderHeadline();
      const buckets = await this.readBuckets(period.buckets.map((_, i) => i), query, abort.signal);
      if (gen !== this.generation) return;
      this.current.buckets = buckets;
      this.renderBuckets();
      this.status.clear();
      this.result.dataset.state = 'loaded';
    } catch (e) {
      if (gen !== this.generation || (e as Error).name === 'AbortError') return;
      this.result.dataset.state = 'error';
      this.status.problem('Could not load the analytics 无法加载经营数据', e);
    }
  }

  /** The answers for the buckets named, a few requests at a time. */
  private async readBuckets(indexes: number[], query: AnalyticsQuery, signal: AbortSignal): Promise<(OrderAnalytics | null)[]> {
    const period = this.current!.period;
    const out = [...this.current!.buckets];
    const queue = [...indexes];
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const b = period.buckets[i];
        out[i] = await api.orderAnalytics({ ...query, from: isoWithOffset(b.from), to: isoWithOffset(b.to) }, signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return out;
  }

  /** Live: the same filters again; the figures and the bucket holding now (or everything, once the buckets moved on). */
  private async refreshLive(): Promise<void> {
    const shown = this.current;
    if (!shown || !this.shown) return;
    const period = periodOf(this.preset.value as Preset, this.from.value, this.to.value);
    if (typeof period === 'string') return;
    const now = Date.now();
    if (shown.period.to.getTime() <= now - liveEveryMs) return; // a period over: live orders are not in it
    const same = period.from.getTime() === shown.period.from.getTime() && period.buckets.length === shown.period.buckets.length;
    if (!same) { void this.load(); return; }
    const gen = this.generation;
    const abort = this.abort ?? new AbortController();
    this.lastLoad = Date.now();
    try {
      const last = shown.period.buckets.length - 1;
      const [headline, buckets] = await Promise.all([
        api.orderAnalytics(shown.query, abort.signal),
        last >= 0 ? this.readBuckets([last], shown.query, abort.signal) : Promise.resolve(shown.buckets),
      ]);
      if (gen !== this.generation) return;
      shown.headline = headline;
      shown.buckets = buckets;
      this.renderHeadline();
      this.renderBuckets();
    } catch {
      // The next event or a refresh asks again.
    }
  }

  private renderHeadline(): void {
    const { query, period, headline: a } = this.current!;
    this.result.dataset.query = analyticsQuery(query).replace(/^\?/, '');
    const offset = query.utcOffsetMinutes;
    const zone = `UTC${offset >= 0 ? '+' : '-'}${p2(Math.floor(Math.abs(offset) / 60))}:${p2(Math.abs(offset) % 60)}`;
    setText(this.periodText, `${fmtDateTime(period.from.toISOString())} → ${fmtDateTime(period.to.toISOString())} (${zone})` +
      `${query.campaignId ? ` · campaign 活动 ${query.campaignId}` : ''}${this.own ? ` · ${this.own}` : query.distributorId ? ` · distributor 经销商 ${query.distributorId}` : ''}`);
    this.figuresEl.replaceChildren(...figures.map(([path, text, read, kind]) => {
      const v = read(a);
      return h('div', { class: 'figure', testid: 'analytics-figure', 'data-figure': path, 'data-value': v === null ? '' : String(v), title: figureHelp[path] ?? null },
        h('dt', null, text), h('dd', { class: 'big' }, kind === 'rate' ? pct(v) : fmtInt(v ?? 0)));
    }));
    this.renderFailures(a);
    this.renderDistributors(a.byDistributor);
    if (period.hourly || !period.buckets.every((b) => b.weekday !== null)) this.renderHeat(a);
  }

  private renderFailures(a: OrderAnalytics): void {
    const reasons = a.failureReasons;
    this.failuresList.replaceChildren(...reasons.map((r) =>
      h('li', { testid: 'failure-reason', 'data-code': r.code, 'data-count': r.count }, h('b', null, fmtInt(r.count)), ' · ', causeLabel(r.code), h('span', { class: 'muted' }, ` (${r.code})`))));
    if (reasons.length === 0) this.failuresList.appendChild(h('li', { class: 'muted' }, 'No failed orders in this period. 此期间无失败订单。'));
    this.failuresBox.hidden = reasons.length === 0;
    // Two lines per label, English over Chinese, so a phone's narrow chart keeps both readable.
    const labels = reasons.map((r) => { const text = causeLabel(r.code); const at = text.search(/[\u3400-\u9fff]/); return at > 0 ? [text.slice(0, at).trim(), text.slice(at)] : text; });
    const data = reasons.map((r) => r.count);
    this.failuresBox.style.height = `${Math.max(110, 40 + reasons.length * 44)}px`;
    if (!this.failuresChart) {
      this.failuresChart = new Chart(this.failuresBox.querySelector('canvas')!, {
        type: 'bar',
        data: { labels, datasets: [{ label: 'Orders 订单', data, backgroundColor: '#d9534f', borderWidth: 0, maxBarThickness: 26 }] },
        options: {
          indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0, font: { size: 10 } } }, y: { ticks: { font: { size: 10 } } } },
        },
      });
    } else {
      this.failuresChart.data.labels = labels;
      this.failuresChart.data.datasets[0].data = data;
      this.failuresChart.update('none');
    }
  }

  private renderBuckets(): void {
    const { period, buckets } = this.current!;
    const rates = buckets.map((b) => (b?.fillRate === null || b === null ? null : Math.round(b.fillRate * 1000) / 10));
    const placed = buckets.map((b) => b?.orders.placed ?? 0);
    this.trendBox.dataset.buckets = JSON.stringify(period.buckets.map((b, i) => ({
      from: isoWithOffset(b.from), to: isoWithOffset(b.to), fillRate: buckets[i]?.fillRate ?? null, placed: buckets[i]?.orders.placed ?? null,
    })));
    const labels = period.buckets.map((b) => b.label);
    if (!this.trendChart) {
      this.trendChart = new Chart(this.trendBox.querySelector('canvas')!, {
        type: 'bar',
        data: {
          labels,
          datasets: [
            { type: 'line', label: 'Fill rate % 满足率', data: rates, borderColor: '#2f8f4e', backgroundColor: '#2f8f4e', yAxisID: 'rate', spanGaps: false, pointRadius: 2, order: 0 },
            { type: 'bar', label: 'Orders placed 下单数', data: placed, backgroundColor: '#c9d8cc', borderWidth: 0, yAxisID: 'orders', order: 1 },
          ],
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: 'index', intersect: false },
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, font: { size: 11 } } } },
          scales: {
            x: { grid: { display: false }, ticks: { maxTicksLimit: 8, font: { size: 10 } } },
            rate: { position: 'left', min: 0, max: 100, ticks: { callback: (v) => `${v}%`, maxTicksLimit: 5, font: { size: 10 } } },
            orders: { position: 'right', beginAtZero: true, grid: { display: false }, ticks: { precision: 0, maxTicksLimit: 5, font: { size: 10 } } },
          },
        },
      });
    } else {
      this.trendChart.data.labels = labels;
      this.trendChart.data.datasets[0].data = rates;
      this.trendChart.data.datasets[1].data = placed;
      this.trendChart.update('none');
    }
    if (!period.hourly && period.buckets.every((b) => b.weekday !== null)) this.renderWeekHeat();
  }

  /** One row of 24 hours from the figures (a single day, or buckets longer than a day). */
  private renderHeat(a: OrderAnalytics): void {
    setText(this.heatNote, 'Orders placed per hour of the day over the period. 期间内每小时下单数。');
    const row = Array.from({ length: 24 }, (_, hour) => a.byHour.find((x) => x.hour === hour)?.orders ?? 0);
    this.drawHeat([{ label: 'All 全部', day: 'all', counts: row }]);
  }

  /** Weekday × hour from the day buckets' hours (each day's own answer). */
  private renderWeekHeat(): void {
    const { period, buckets } = this.current!;
    setText(this.heatNote, 'Orders placed per weekday and hour, over the period\'s days. 按星期和小时统计的下单数。');
    const grid = weekdays.map(() => new Array<number>(24).fill(0));
    period.buckets.forEach((b, i) => {
      const answer = buckets[i];
      if (!answer || b.weekday === null) return;
      for (const x of answer.byHour) grid[b.weekday][x.hour] += x.orders;
    });
    this.drawHeat(weekdays.map((label, d) => ({ label, day: String(d), counts: grid[d] })));
  }

  private drawHeat(rows: { label: string; day: string; counts: number[] }[]): void {
    const max = Math.max(1, ...rows.flatMap((r) => r.counts));
    const cells: HTMLElement[] = [h('span', { class: 'heat-label' }, '')];
    for (let hour = 0; hour < 24; hour++) cells.push(h('span', { class: 'heat-hour' }, hour % 3 === 0 ? String(hour) : ''));
    for (const r of rows) {
      cells.push(h('span', { class: 'heat-label' }, r.label));
      r.counts.forEach((n, hour) => {
        const level = n === 0 ? 0 : Math.max(0.12, n / max);
        cells.push(h('span', {
          class: 'heat-cell', testid: 'heat-cell', 'data-day': r.day, 'data-hour': hour, 'data-orders': n,
          style: `--heat:${level.toFixed(3)}`, title: `${r.label} ${p2(hour)}:00–${p2(hour + 1)}:00 · ${fmtInt(n)} orders 订单`, role: 'cell',
        }));
      });
    }
    this.heat.replaceChildren(...cells);
  }

  private renderSortHead(): void {
    this.distributorHead.replaceChildren(...sortColumns.map(([key, text]) => {
      const active = this.sort.key === key;
      return h('th', { class: key === 'distributorId' ? '' : 'num', 'aria-sort': active ? (this.sort.desc ? 'descending' : 'ascending') : 'none' },
        h('button', { type: 'button', class: 'link sort', testid: `analytics-sort-${key}`, onclick: () => {
          this.sort = { key, desc: this.sort.key === key ? !this.sort.desc : key !== 'distributorId' };
          this.renderSortHead();
          if (this.current) this.renderDistributors(this.current.headline.byDistributor);
        } }, text, active ? (this.sort.desc ? ' ▼' : ' ▲') : ''));
    }));
  }

  private renderDistributors(list: DistributorFigures[]): void {
    const { key, desc } = this.sort;
    const value = (d: DistributorFigures): number | string => d[key] ?? (desc ? -Infinity : Infinity);
    const sorted = [...list].sort((a, b) => {
      const x = value(a), y = value(b);
      const c = typeof x === 'string' ? x.localeCompare(String(y), 'en', { numeric: true }) : (x as number) - (y as number);
      return (desc ? -c : c) || a.distributorId.localeCompare(b.distributorId, 'en', { numeric: true });
    });
    this.distributorBody.replaceChildren(...sorted.map((d) => h('tr', { testid: 'analytics-distributor-row', 'data-distributor': d.distributorId },
      h('td', { class: 'mono' }, d.distributorId),
      h('td', { class: 'num', 'data-col': 'orders', 'data-value': d.orders }, fmtInt(d.orders)),
      h('td', { class: 'num', 'data-col': 'units', 'data-value': d.units }, fmtInt(d.units)),
      h('td', { class: 'num', 'data-col': 'confirmMedianMinutes', 'data-value': d.confirmMedianMinutes === null ? '' : d.confirmMedianMinutes },
        d.confirmMedianMinutes === null ? '—' : d.confirmMedianMinutes.toLocaleString('en-US', { maximumFractionDigits: 1 })))));
    this.distributorBody.parentElement!.dataset.sort = `${key}:${desc ? 'desc' : 'asc'}`;
    if (sorted.length === 0) {
      this.distributorBody.appendChild(h('tr', null, h('td', { colspan: 4, class: 'muted' }, 'No allocations in this period. 此期间无分配。')));
    }
  }

  /** The server's CSV of the figures shown, saved as a file. */
  private async download(): Promise<void> {
    const query = this.current?.query;
    if (!query) return;
    const name = `order-analytics-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}${query.campaignId ? `-${query.campaignId}` : ''}${query.distributorId ? `-${query.distributorId}` : ''}.csv`;
    await exportCsv(this.csv, this.status, name, () => api.orderAnalyticsCsv(query));
  }
}

