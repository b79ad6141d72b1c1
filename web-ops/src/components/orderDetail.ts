// An order and its routing explanation: every candidate's fate (excluded and why, or score and rank) and the decisions.
import { api, errorText, type FulfilmentStep } from '../api';
import { loadSession } from '../auth';
import { countdown, fmtDateTime, fmtInt, fmtMoney, h, label } from '../dom';
import type { CandidateReport, OrderView } from '../types';
import { holdsList, reasonAction } from './orderParts';

/** Renders an order; <paramref name="onChanged"/> gets the order again after a fulfilment step taken here. */
export function renderOrder(o: OrderView, onChanged?: (changed: OrderView) => void): HTMLElement {
  const allocatedTo = new Set(o.allocations.map((a) => a.distributorId));
  return h('div', { class: 'order-view', testid: 'order-view', 'data-order-id': o.orderId },
    h('div', { class: 'order-head' },
      h('h3', { class: 'mono' }, o.orderId),
      h('span', { class: `badge status-${o.status}`, testid: 'order-status' }, label(o.status)),
      o.preOrder ? h('span', { class: 'badge status-PreOrder', testid: 'order-preorder' }, 'taken as a pre-order 预下单') : null),
    h('dl', { class: 'facts compact' },
      h('div', null, h('dt', null, 'Customer 客户'), h('dd', null, o.customerId)),
      h('div', null, h('dt', null, 'Campaign 活动'), h('dd', null, o.campaignId ?? '— (regular order 普通订单)')),
      h('div', null, h('dt', null, 'Unit price 单价'), h('dd', null, fmtMoney(o.unitPrice))),
      h('div', null, h('dt', null, 'Placed 下单时间'), h('dd', null, fmtDateTime(o.placedAt))),
      h('div', null, h('dt', null, 'Updated 更新'), h('dd', null, fmtDateTime(o.updatedAt))),
      o.expiresAt ? h('div', { testid: 'order-expires', 'data-expires-at': o.expiresAt },
        h('dt', null, o.preOrder ? 'Confirm by 确认截止' : 'Auto-reject at 自动拒绝时间'),
        h('dd', null, fmtDateTime(o.expiresAt), ' ', o.status === 'OnHold' || o.status === 'PreOrder' ? countdown(o.expiresAt) : null)) : null,
    ),
    o.reason ? h('p', { class: 'reason' }, h('b', null, 'Reason 原因: '), o.reason) : null,
    o.cancelReason ? h('p', { class: 'reason', testid: 'order-cancel-reason', 'data-code': o.cancelReason }, h('b', null, 'Cancelled because 取消原因: '), label(o.cancelReason)) : null,
    o.holds.length ? [h('h4', null, 'Held for review because 待审核原因'), holdsList(o.holds, true)] : null,
    renderDecision(o, onChanged),
    o.payment ? renderPayment(o, o.payment, onChanged) : null,
    h('h4', null, 'Lines 订单行'),
    h('ul', { class: 'plain' }, o.lines.map((l) => h('li', null, `${l.sku || '(campaign SKU)'} × ${fmtInt(l.quantity)}${l.group ? ` · group ${l.group}` : ''}`))),
    h('h4', null, 'Allocations 分配结果'),
    o.allocations.length
      ? h('ul', { class: 'plain', testid: 'order-allocations' }, o.allocations.map((a) =>
        h('li', null, h('span', { class: 'chip' }, h('b', null, a.distributorId), ` ×${fmtInt(a.quantity)} ${a.sku}`))))
      : h('p', { class: 'muted' }, 'None 无'),
    o.shares.length ? renderShares(o, onChanged) : null,
    o.substitutions.length
      ? [h('h4', null, 'Substitutions 替代'), h('ul', { class: 'plain' }, o.substitutions.map((s) =>
        h('li', null, `${s.originalSku} → ${s.substituteSku} × ${fmtInt(s.quantity)}`)))]
      : null,
    o.suggestions.length
      ? [h('h4', null, 'Suggested substitutes 建议替代'), h('ul', { class: 'plain' }, o.suggestions.map((s) =>
        h('li', null, `#${s.rank} ${s.originalSku} → ${s.substituteSku} (${fmtInt(s.availableNearby)} available nearby 附近可用)`)))]
      : null,
    renderExplanation(o, allocatedTo),
  );
}

/** Ops decide a held order here too (approve, or reject with a reason), and confirm or cancel a pre-order; a sales
 * manager confirms or cancels a pre-order of its customers (it decides no review). */
function renderDecision(o: OrderView, onChanged?: (changed: OrderView) => void): HTMLElement | null {
  const role = loadSession()?.role;
  if (!onChanged || !(role === 'ops' && o.status === 'OnHold') && !((role === 'ops' || role === 'sales') && o.status === 'PreOrder')) return null;
  const error = h('p', { class: 'error', testid: 'decision-error', hidden: true });
  const run = async (button: HTMLButtonElement, step: () => Promise<OrderView>) => {
    button.disabled = true;
    error.hidden = true;
    try {
      onChanged(await step());
    } catch (e) {
      error.hidden = false;
      error.textContent = errorText(e);
      button.disabled = false;
    }
  };
  const held = o.status === 'OnHold';
  const go: HTMLButtonElement = h('button', { type: 'button', class: 'primary small', testid: held ? 'order-approve' : 'order-confirm-preorder',
    onclick: () => void run(go, () => (held ? api.approve(o.orderId) : api.confirmPreOrder(o.orderId))) }, held ? 'Approve 通过' : 'Confirm 确认');
  const stop = held
    ? reasonAction({ caption: 'Reject 拒绝', confirm: 'Reject 确认拒绝', placeholder: 'Reason (the customer sees it) 拒绝原因', required: true, testid: 'order-reject',
      act: async (reason) => onChanged(await api.reject(o.orderId, reason)) })
    : reasonAction({ caption: 'Cancel 取消', confirm: 'Cancel pre-order 确认取消', placeholder: 'Reason (optional) 取消原因（可选）', required: false, testid: 'order-cancel-preorder',
      act: async (reason) => onChanged(await api.cancelPreOrder(o.orderId, reason || null)) });
  return h('div', { class: 'decision', testid: 'order-decision' }, h('h4', null, held ? 'Review 审核' : 'Pre-order 预下单'), go, ' ', stop, error);
}

/** What the order owes and how it was paid; ops record a payment or refund taken outside the payment integration
 * (a bank transfer) under its reference. The server checks the amount and the deadline. */
function renderPayment(o: OrderView, p: NonNullable<OrderView['payment']>, onChanged?: (changed: OrderView) => void): HTMLElement {
  const error = h('p', { class: 'error', testid: 'payment-error', hidden: true });
  const record = (kind: 'payment' | 'refund', caption: string) => {
    const reference = h('input', { type: 'text', required: true, maxlength: 200, pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]*', placeholder: 'Reference 凭证号', testid: `${kind}-reference`, 'aria-label': `${kind} reference` });
    const submit = h('button', { type: 'submit', testid: `${kind}-record` }, caption);
    return h('form', { class: 'inline-form', onsubmit: async (ev: Event) => {
      ev.preventDefault();
      submit.disabled = true;
      error.hidden = true;
      try {
        onChanged?.(kind === 'payment' ? await api.pay(o.orderId, reference.value.trim(), p.amount) : await api.refund(o.orderId, reference.value.trim()));
      } catch (e) {
        error.hidden = false;
        error.textContent = errorText(e);
        submit.disabled = false;
      }
    } }, reference, submit);
  };
  const ops = loadSession()?.role === 'ops';
  return h('div', { testid: 'order-payment', 'data-status': p.status },
    h('h4', null, 'Payment 付款'),
    h('dl', { class: 'facts compact' },
      h('div', null, h('dt', null, 'Status 状态'), h('dd', null, h('span', { class: `badge status-${p.status}` }, label(p.status)))),
      h('div', null, h('dt', null, 'Amount 金额'), h('dd', null, fmtMoney(p.amount))),
      h('div', null, h('dt', null, 'Due 截止'), h('dd', null, fmtDateTime(p.dueAt))),
      p.paymentId ? h('div', null, h('dt', null, 'Paid 已付'), h('dd', null, `${fmtDateTime(p.paidAt)} · ${p.paymentId}`)) : null,
      p.refundId ? h('div', null, h('dt', null, 'Refunded 已退款'), h('dd', null, `${fmtDateTime(p.refundedAt)} · ${p.refundId}`)) : null),
    ops && p.status === 'Pending' ? record('payment', 'Record payment 记录付款') : null,
    ops && p.status === 'RefundDue' ? record('refund', 'Record refund 记录退款') : null,
    error);
}

/** The next step of a share at this status, with its button label. */
const nextStep: Partial<Record<string, [FulfilmentStep, string]>> = {
  Allocated: ['confirm', 'Confirm 确认'],
  Confirmed: ['ship', 'Ship 发货'],
  Shipped: ['complete', 'Complete 完成'],
};

/** Each distributor's share moves on its own; the order's status is the least advanced one. Ops may move any share,
 * a distributor sees (and moves) only its own: the server decides, the buttons only offer the next step. */
function renderShares(o: OrderView, onChanged?: (changed: OrderView) => void): HTMLElement[] {
  const active = o.status === 'Allocated' || o.status === 'Confirmed' || o.status === 'Shipped';
  const role = loadSession()?.role;
  const mayFulfil = role === 'ops' || role === 'distributor'; // a sales manager fulfils nothing
  const error = h('p', { class: 'error', testid: 'share-error', hidden: true });
  const step = async (button: HTMLButtonElement, s: OrderView['shares'][number], next: FulfilmentStep) => {
    button.disabled = true;
    error.hidden = true;
    try {
      onChanged?.(await api.fulfil(o.orderId, next, s.distributorId));
    } catch (e) {
      error.hidden = false;
      error.textContent = errorText(e);
      button.disabled = false;
    }
  };
  return [
    h('h4', null, 'Fulfilment by distributor 各经销商履约'),
    h('ul', { class: 'plain', testid: 'order-shares' }, o.shares.map((s) => {
      const next = active && onChanged && mayFulfil ? nextStep[s.status] : undefined;
      const button = next ? h('button', { type: 'button', class: 'small', testid: 'share-step', 'data-step': next[0] }, next[1]) : null;
      button?.addEventListener('click', () => void step(button, s, next![0]));
      return h('li', { testid: 'order-share', 'data-distributor': s.distributorId, 'data-status': s.status },
        h('b', null, s.distributorId), ' ',
        h('span', { class: `badge status-${s.status}` }, label(s.status)), ' ',
        h('span', { class: 'muted small' }, fmtDateTime(s.updatedAt)), button ? ' ' : null, button);
    })),
    error,
  ];
}

function renderExplanation(o: OrderView, allocatedTo: Set<string>): HTMLElement {
  const x = o.explanation;
  if (!x) return h('p', { class: 'muted', testid: 'explanation-missing' }, 'No routing explanation (only ops see how the candidates ranked). 无路由说明（仅运营可见）。');
  const ranked = x.candidates.filter((c) => c.rank !== null && c.rank !== undefined).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const excluded = x.candidates.filter((c) => c.rank === null || c.rank === undefined)
    .sort((a, b) => a.distributorId.localeCompare(b.distributorId, 'en', { numeric: true }));
  const row = (c: CandidateReport) => h('tr', {
    testid: 'candidate-row',
    'data-distributor': c.distributorId,
    class: `${c.excluded ? 'excluded' : 'ranked'}${allocatedTo.has(c.distributorId) ? ' winner' : ''}`,
  },
  h('td', { class: 'num' }, c.rank ?? '—'),
  h('td', { class: 'nowrap' }, h('b', null, c.distributorId), c.home ? h('span', { class: 'badge home', title: 'home distributor 归属经销商' }, 'home 归属') : null,
    allocatedTo.has(c.distributorId) ? h('span', { class: 'badge status-Allocated' }, '✓') : null),
  h('td', { class: 'num' }, c.distanceKm.toFixed(1)),
  h('td', { class: 'num' }, c.score === null || c.score === undefined ? '—' : c.score.toFixed(3)),
  h('td', null, c.excluded ? h('span', null, h('span', { class: 'badge excluded' }, c.excluded), ' ', h('span', { class: 'muted small', title: c.detailZh ?? '' }, c.detail ?? '')) : (c.detail ?? '')),
  );
  return h('div', { class: 'explanation', testid: 'order-explanation' },
    h('h4', null, `Routing explanation 路由说明 · policy ${x.policyId} · ${x.split}`),
    h('ol', { class: 'decisions', testid: 'order-decisions' }, x.decisions.map((d) =>
      h('li', { 'data-code': d.code }, d.text, h('div', { class: 'muted small', lang: 'zh' }, d.textZh)))),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'candidates' },
        h('thead', null, h('tr', null,
          h('th', { class: 'num' }, 'Rank 排名'), h('th', null, 'Candidate 候选'), h('th', { class: 'num' }, 'km'),
          h('th', { class: 'num' }, 'Score 得分'), h('th', null, 'Excluded / detail 排除原因'))),
        h('tbody', null, ranked.map(row), excluded.map(row)))),
    h('p', { class: 'muted small' }, `${ranked.length} ranked 参与排名 · ${excluded.length} excluded 被排除`),
  );
}

/** A modal with an order, loaded by id. */
export class OrderDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly body: HTMLElement;
  private current = 0;

  /** `onChanged`: after an order was changed here (a view without live updates reloads what it lists). */
  constructor(private readonly onChanged?: (changed: OrderView) => void) {
    this.body = h('div', { class: 'dialog-body' });
    this.dialog = h('dialog', { class: 'order-dialog', testid: 'order-detail' },
      h('div', { class: 'dialog-head' },
        h('h2', null, 'Order 订单详情'),
        h('button', { type: 'button', class: 'ghost', testid: 'order-detail-close', 'aria-label': 'Close', onclick: () => this.dialog.close() }, '✕')),
      this.body);
    this.dialog.addEventListener('click', (ev) => { if (ev.target === this.dialog) this.dialog.close(); });
    document.body.appendChild(this.dialog);
  }

  async open(orderId: string): Promise<void> {
    const token = ++this.current;
    this.body.replaceChildren(h('p', { class: 'muted' }, `Loading ${orderId}… 加载中`));
    if (!this.dialog.open) this.dialog.showModal();
    try {
      const order = await api.order(orderId);
      if (token === this.current) this.show(order);
    } catch (e) {
      if (token === this.current) this.body.replaceChildren(h('p', { class: 'error', testid: 'order-error' }, errorText(e)));
    }
  }

  private show(order: OrderView): void {
    this.body.replaceChildren(renderOrder(order, (changed) => { this.show(changed); this.onChanged?.(changed); }));
  }

  destroy(): void {
    this.dialog.remove();
  }
}

/** Order lookup by id. */
export class OrderLookup {
  readonly el: HTMLElement;
  private readonly result: HTMLElement;
  private readonly input: HTMLInputElement;

  constructor() {
    this.input = h('input', { type: 'search', placeholder: 'Order id 订单号 (o-…)', testid: 'order-lookup-input', required: true, 'aria-label': 'Order id' });
    this.result = h('div', { testid: 'order-lookup-result' });
    const form = h('form', { class: 'inline-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.lookup(this.input.value.trim()); } },
      this.input, h('button', { type: 'submit', testid: 'order-lookup-submit' }, 'Look up 查询'));
    this.el = h('section', { class: 'panel', testid: 'order-lookup' },
      h('header', { class: 'panel-head' }, h('h2', null, 'Order lookup 订单查询')),
      form,
      this.result);
  }

  async lookup(id: string): Promise<void> {
    if (!id) return;
    this.input.value = id;
    this.result.replaceChildren(h('p', { class: 'muted' }, 'Loading… 加载中'));
    try {
      this.show(await api.order(id));
    } catch (e) {
      this.result.replaceChildren(h('p', { class: 'error', testid: 'order-error' }, errorText(e)));
    }
  }

  private show(order: OrderView): void {
    this.result.replaceChildren(renderOrder(order, (changed) => this.show(changed)));
  }
}
