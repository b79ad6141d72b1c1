// Alerts panel: the alert log (REST snapshot) kept live by alertRaised and alertCleared events; acknowledge with one
// click. The server decides when an alert's condition is over (restocked) and says so: the panel derives no rule.
import { api, errorText } from '../api';
import { fmtDateTime, fmtInt, h, label, schedule, setText, SnapshotSync } from '../dom';
import type { Alert, AlertClearedEvent, AlertRaisedEvent } from '../types';

const shownCap = 200;

export interface AlertsOptions {
  /** The distributor view: only this distributor's alerts (the server scopes them too). */
  distributorId?: string;
  /** New alerts arrived (not the first load). */
  onNew?: (alerts: Alert[]) => void;
  /** Open alerts count changed. */
  onCount?: (open: number) => void;
}

const isOpen = (a: Alert): boolean => a.open; // the server's word: not cleared, not acknowledged

export class AlertsPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly alerts = new Map<number, Alert>();
  private readonly seen = new Set<number>();
  private readonly sync = new SnapshotSync<Alert>();
  private openOnly = true;
  private loaded = false;
  private readonly fresh = new Set<number>();
  private readonly refreshTimer: number;

  constructor(private readonly options: AlertsOptions = {}) {
    this.list = h('ul', { class: 'alert-list', testid: 'alert-list' });
    this.summary = h('span', { class: 'muted small', testid: 'alerts-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert' });
    this.el = h('section', { class: 'panel alerts-panel', testid: 'alerts-panel', 'aria-live': 'polite' },
      h('header', { class: 'panel-head' },
        h('h2', null, 'Alerts 告警'),
        h('div', { class: 'tools' },
          h('label', { class: 'toggle' },
            h('input', { type: 'checkbox', checked: true, testid: 'alerts-open-only', onchange: (ev: Event) => {
              this.openOnly = (ev.target as HTMLInputElement).checked;
              void this.resync();
            } }),
            ' Open only 仅未处理'))),
      this.summary,
      this.error,
      this.list,
    );
    // Clearing and repeats are not pushed live; a light periodic refresh keeps them right.
    this.refreshTimer = window.setInterval(() => { if (this.loaded) void this.resync(); }, 30_000);
  }

  destroy(): void {
    window.clearInterval(this.refreshTimer);
  }

  async resync(): Promise<void> {
    try {
      await this.sync.run(
        () => api.alerts(this.openOnly),
        (snapshot) => {
          this.alerts.clear();
          const fresh: Alert[] = [];
          for (const a of this.visible(snapshot)) {
            this.alerts.set(a.id, a);
            if (!this.seen.has(a.id)) {
              this.seen.add(a.id);
              if (this.loaded && isOpen(a)) fresh.push(a);
            }
          }
          this.loaded = true;
          if (fresh.length) this.announce(fresh);
        },
        (replayed) => this.upsert(replayed, false),
      );
      this.error.hidden = true;
    } catch (e) {
      setText(this.error, `Could not load alerts: ${errorText(e)}`);
      this.error.hidden = false;
    }
    schedule(this, () => this.render());
  }

  onAlerts(events: AlertRaisedEvent[]): void {
    const alerts = this.visible(events.map((e) => e.alert).filter(Boolean));
    this.sync.record(alerts);
    this.upsert(alerts, true);
  }

  /** The server clears an alert when its condition is over (restocked): the console applies it as it is told. */
  onCleared(events: AlertClearedEvent[]): void {
    const alerts = this.visible(events.map((e) => e.alert).filter(Boolean));
    if (alerts.length === 0) return;
    this.sync.record(alerts);
    this.upsert(alerts, false);
  }

  private visible(alerts: Alert[]): Alert[] {
    const own = this.options.distributorId;
    return own ? alerts.filter((a) => a.distributorId === own) : alerts;
  }

  private upsert(alerts: Alert[], live: boolean): void {
    const fresh: Alert[] = [];
    for (const a of alerts) {
      this.alerts.set(a.id, a);
      if (!this.seen.has(a.id)) {
        this.seen.add(a.id);
        if ((live || this.loaded) && isOpen(a)) fresh.push(a);
      }
    }
    if (fresh.length) this.announce(fresh);
    schedule(this, () => this.render());
  }

  private announce(fresh: Alert[]): void {
    for (const a of fresh) this.fresh.add(a.id);
    this.options.onNew?.(fresh);
  }

  private async acknowledge(id: number, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    setText(button, 'Acknowledging… 处理中');
    try {
      const a = await api.acknowledge(id);
      this.alerts.set(a.id, a);
      this.error.hidden = true;
    } catch (e) {
      setText(this.error, `Could not acknowledge alert ${id}: ${errorText(e)}`);
      this.error.hidden = false;
      button.disabled = false;
      setText(button, 'Acknowledge 确认');
    }
    schedule(this, () => this.render());
  }

  private render(): void {
    const all = [...this.alerts.values()].sort((a, b) => b.id - a.id);
    const openCount = all.filter(isOpen).length;
    this.options.onCount?.(openCount);
    const shown = (this.openOnly ? all.filter(isOpen) : all).slice(0, shownCap);
    setText(this.summary, `${fmtInt(openCount)} open 未处理${this.openOnly ? '' : ` · ${fmtInt(all.length)} listed`}`);
    const fragment = document.createDocumentFragment();
    for (const a of shown) fragment.appendChild(this.row(a));
    if (shown.length === 0) fragment.appendChild(h('li', { class: 'muted empty' }, this.openOnly ? 'No open alerts. 暂无未处理告警。' : 'No alerts. 暂无告警。'));
    this.list.replaceChildren(fragment);
    this.fresh.clear();
  }

  private row(a: Alert): HTMLLIElement {
    const state = a.acknowledgedAt ? 'acknowledged' : a.clearedAt ? 'cleared' : 'open';
    const ack = a.acknowledgedAt
      ? h('span', { class: 'muted small' }, `✓ ${a.acknowledgedBy ?? ''} ${fmtDateTime(a.acknowledgedAt)}`)
      : h('button', { type: 'button', class: 'small', testid: `alert-ack-${a.id}` }, 'Acknowledge 确认');
    if (ack instanceof HTMLButtonElement) ack.addEventListener('click', () => void this.acknowledge(a.id, ack));
    return h('li', {
      class: `alert kind-${a.kind} ${state}${this.fresh.has(a.id) ? ' fresh' : ''}`,
      testid: 'alert-row',
      'data-alert-id': a.id,
      'data-kind': a.kind,
      'data-state': state,
      'data-distributor': a.distributorId ?? '',
      'data-sku': a.sku ?? '',
    },
    h('div', { class: 'alert-main' },
      h('span', { class: `badge kind-${a.kind}` }, label(a.kind)),
      h('span', { class: 'alert-message' }, a.message)),
    h('div', { class: 'alert-meta muted small' },
      `#${a.id} · ${fmtDateTime(a.raisedAt)}`,
      a.distributorId ? ` · ${a.distributorId}` : '',
      a.sku ? ` · ${a.sku}` : '',
      a.orderId ? ` · order ${a.orderId}` : '',
      a.occurrences > 1 ? ` · ×${fmtInt(a.occurrences)}` : '',
      state === 'cleared' ? ' · cleared 已恢复' : ''),
    h('div', { class: 'alert-actions' }, ack),
    );
  }
}
