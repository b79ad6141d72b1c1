// The exception queue (异常订单, ops): orders awaiting a substitute, backordered or in manual review, oldest first, with
// their cause (a code from the routing, worded here) and the server's suggested actions, one click each. Refreshed when
// orders are rejected live (a new exception) and after every action.
import { api, errorText } from '../api';
import { causeLabel, fmtDateTime, fmtInt, h, label, setText } from '../dom';
import type { ExceptionOrder, SuggestedAction } from '../types';

export class ExceptionsPanel {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private loading = false;
  private again = false;

  constructor(private readonly onOpen: (orderId: string) => void) {
    this.summary = h('span', { class: 'muted small', testid: 'exceptions-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert', testid: 'exceptions-error' });
    this.body = h('tbody');
    this.el = h('section', { class: 'panel', testid: 'exceptions-panel' },
      h('header', { class: 'panel-head' },
        h('h2', null, 'Exceptions 异常订单'),
        h('div', { class: 'tools' }, this.summary, h('button', { type: 'button', class: 'ghost', onclick: () => void this.load() }, 'Refresh 刷新'))),
      this.error,
      h('div', { class: 'table-scroll' },
        h('table', { class: 'stock-table', testid: 'exceptions-table' },
          h('thead', null, h('tr', null,
            h('th', null, 'Order 订单'), h('th', null, 'Status 状态'), h('th', null, 'Cause 原因'), h('th', null, 'Lines 订单行'),
            h('th', null, 'Placed 下单时间'), h('th', null, 'Actions 操作'))),
          this.body)));
  }

  /** Loads the queue; a call while loading loads once more after. */
  async load(): Promise<void> {
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      const queue = await api.exceptions();
      this.error.hidden = true;
      this.body.replaceChildren(...queue.map((o) => this.row(o)));
      if (queue.length === 0) this.body.appendChild(h('tr', null, h('td', { colspan: 6, class: 'muted' }, 'No exceptions. 暂无异常订单。')));
      setText(this.summary, `${fmtInt(queue.length)} waiting 待处理`);
    } catch (e) {
      this.error.hidden = false;
      setText(this.error, `Could not load the exception queue: ${errorText(e)}`);
    } finally {
      this.loading = false;
      if (this.again) { this.again = false; void this.load(); }
    }
  }

  private row(o: ExceptionOrder): HTMLElement {
    const error = h('span', { class: 'error small', hidden: true });
    const act = async (button: HTMLButtonElement, action: SuggestedAction) => {
      button.disabled = true;
      error.hidden = true;
      try {
        if (action.action === 'cancel') await api.cancel(o.orderId, 'cancelled from the exception queue');
        else await api.reroute(o.orderId, action.action === 'acceptSubstitute' ? action.sku : null);
        await this.load();
      } catch (e) {
        error.hidden = false;
        setText(error, errorText(e));
        button.disabled = false;
      }
    };
    const caption = (a: SuggestedAction) =>
      a.action === 'acceptSubstitute' ? `Accept ${a.sku} 接受替代` : a.action === 'reroute' ? 'Route again 重新路由' : 'Cancel 取消';
    return h('tr', { testid: 'exception-row', 'data-order-id': o.orderId, 'data-cause': o.cause },
      h('td', null, h('button', { type: 'button', class: 'link mono', onclick: () => this.onOpen(o.orderId) }, o.orderId),
        h('div', { class: 'muted small' }, `${o.customerId}${o.campaignId ? ` · ${o.campaignId}` : ''}`)),
      h('td', null, h('span', { class: `badge status-${o.status}` }, label(o.status))),
      h('td', null, causeLabel(o.cause), o.reason ? h('div', { class: 'muted small' }, o.reason) : null),
      h('td', null, o.lines.map((l) => `${l.sku || '(campaign SKU)'} × ${fmtInt(l.quantity)}`).join(', ')),
      h('td', null, fmtDateTime(o.placedAt)),
      h('td', null, o.suggestedActions.map((a) => {
        const button: HTMLButtonElement = h('button', {
          type: 'button', class: a.action === 'cancel' ? 'ghost' : '', testid: 'exception-action', 'data-action': a.action, 'data-sku': a.sku ?? '',
          onclick: () => void act(button, a),
        }, caption(a));
        return button;
      }), error));
  }
}
