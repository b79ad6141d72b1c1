// Orders per second per campaign, from orderAllocated / orderRejected events bucketed by their server time.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif';

export const windowSeconds = 60;

/** Counts of orders per campaign per server second, and the client's estimate of the server clock. */
export class OrderRates {
  private readonly buckets = new Map<string, Map<number, { allocated: number; rejected: number }>>();
  private skewMs = Number.NaN; // client clock − server event time (includes delivery latency)
  private readonly totals = new Map<string, { allocated: number; rejected: number }>();

  add(events: { at: string; campaignId: string | null }[], kind: 'allocated' | 'rejected'): void {
    let last = Number.NaN;
    for (const e of events) {
      const t = Date.parse(e.at);
      if (Number.isNaN(t)) continue;
      last = t;
      if (!e.campaignId) continue;
      let perCampaign = this.buckets.get(e.campaignId);
      if (!perCampaign) this.buckets.set(e.campaignId, (perCampaign = new Map()));
      const sec = Math.floor(t / 1000);
      let b = perCampaign.get(sec);
      if (!b) perCampaign.set(sec, (b = { allocated: 0, rejected: 0 }));
      b[kind]++;
      let total = this.totals.get(e.campaignId);
      if (!total) this.totals.set(e.campaignId, (total = { allocated: 0, rejected: 0 }));
      total[kind]++;
    }
    if (!Number.isNaN(last)) {
      const skew = Date.now() - last;
      // Smooth, but follow a big jump at once (first event, or the server clock moved).
      this.skewMs = Number.isNaN(this.skewMs) || Math.abs(skew - this.skewMs) > 5000 ? skew : this.skewMs * 0.8 + skew * 0.2;
    }
  }

  /** The server's clock as best known here. */
  serverNow(): number {
    return Date.now() - (Number.isNaN(this.skewMs) ? 0 : Math.max(0, this.skewMs - 150));
  }

  /** The last `windowSeconds` complete seconds, oldest first. */
  series(campaignId: string): { allocated: number[]; rejected: number[] } {
    const end = Math.floor(this.serverNow() / 1000) - 1;
    const perCampaign = this.buckets.get(campaignId);
    const allocated: number[] = [];
    const rejected: number[] = [];
    for (let s = end - windowSeconds + 1; s <= end; s++) {
      const b = perCampaign?.get(s);
      allocated.push(b?.allocated ?? 0);
      rejected.push(b?.rejected ?? 0);
    }
    return { allocated, rejected };
  }

  totalsOf(campaignId: string): { allocated: number; rejected: number } {
    return this.totals.get(campaignId) ?? { allocated: 0, rejected: 0 };
  }

  prune(): void {
    const oldest = Math.floor(this.serverNow() / 1000) - windowSeconds * 2;
    for (const perCampaign of this.buckets.values()) for (const s of perCampaign.keys()) if (s < oldest) perCampaign.delete(s);
  }
}

const labels = Array.from({ length: windowSeconds }, (_, i) => `${i - windowSeconds + 1}s`);

export class RateChart {
  private readonly chart: Chart<'bar', number[], string>;
  private lastKey = '';

  constructor(canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'Allocated 已分配', data: new Array<number>(windowSeconds).fill(0), backgroundColor: '#2f8f4e', borderWidth: 0, stack: 's' },
          { label: 'Not allocated 未分配', data: new Array<number>(windowSeconds).fill(0), backgroundColor: '#d9534f', borderWidth: 0, stack: 's' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, font: { size: 11 } } },
          tooltip: { callbacks: { title: (items) => `${items[0]?.label ?? ''} orders/s 每秒订单` } },
        },
        scales: {
          x: { stacked: true, grid: { display: false }, ticks: { maxTicksLimit: 7, font: { size: 10 } } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0, maxTicksLimit: 5, font: { size: 10 } } },
        },
      },
    });
  }

  update(series: { allocated: number[]; rejected: number[] }): void {
    const key = `${series.allocated.join(',')}|${series.rejected.join(',')}`;
    if (key === this.lastKey) return; // idle campaigns cost nothing
    this.lastKey = key;
    this.chart.data.datasets[0].data = series.allocated;
    this.chart.data.datasets[1].data = series.rejected;
    this.chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }
}
