// "Simulate flash sale": POST /api/simulations/flash-sale {} (202), then poll its progress until it stops.
import { api, ApiError, errorText } from '../api';
import { fmtInt, h, setText } from '../dom';
import type { FlashSaleStatus } from '../types';

export class SimulationControl {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly bar: HTMLElement;
  private timer: number | undefined;
  private destroyed = false;

  constructor() {
    this.button = h('button', { type: 'button', class: 'primary', testid: 'simulate-button', onclick: () => void this.start() }, 'Simulate flash sale 模拟抢购');
    this.bar = h('div', { class: 'fill' });
    this.status = h('span', { class: 'small', testid: 'simulation-status', role: 'status' });
    this.el = h('div', { class: 'simulation', testid: 'simulation' },
      this.button,
      h('div', { class: 'sim-progress' }, h('div', { class: 'progress thin' }, this.bar), this.status));
  }

  destroy(): void {
    this.destroyed = true;
    window.clearTimeout(this.timer);
  }

  /** Shows the last run, if any. */
  async load(): Promise<void> {
    try {
      this.show(await api.flashSale());
    } catch {
      setText(this.status, 'Drives bursts of demo orders against the live campaign. 用演示客户模拟抢购。');
    }
  }

  private async start(): Promise<void> {
    this.button.disabled = true;
    setText(this.status, 'Starting… 启动中');
    try {
      this.show(await api.startFlashSale());
    } catch (e) {
      if (e instanceof ApiError && e.code === 'simulationRunning') {
        setText(this.status, 'A simulation is already running. 模拟正在进行。');
        this.poll();
        return;
      }
      setText(this.status, `Could not start: ${errorText(e)}`);
      this.button.disabled = false;
    }
  }

  private show(s: FlashSaleStatus): void {
    const done = s.placed + s.failed; // placed counts refused orders too
    const pct = s.orders > 0 ? Math.min(100, (100 * done) / s.orders) : 0;
    this.bar.style.width = `${pct}%`;
    this.el.dataset.running = String(s.running);
    setText(this.status,
      `${s.running ? 'Running 进行中' : 'Finished 已结束'} · ${s.campaignId} · ${fmtInt(done)}/${fmtInt(s.orders)} in ≤${s.seconds}s · ` +
      `allocated 已分配 ${fmtInt(s.allocated)} · not allocated 未分配 ${fmtInt(s.notAllocated)} · refused 拒绝 ${fmtInt(s.refused)}` +
      (s.failed ? ` · failed 失败 ${fmtInt(s.failed)}` : ''));
    this.button.disabled = s.running;
    if (s.running) this.poll();
  }

  private poll(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(async () => {
      if (this.destroyed) return;
      try {
        this.show(await api.flashSale());
      } catch (e) {
        setText(this.status, `Progress unavailable: ${errorText(e)}`);
        this.button.disabled = false;
      }
    }, 500);
  }
}
