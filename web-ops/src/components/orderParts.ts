// Small pieces several order views share: lines as text, units and amount, the holds of an order on review, a pager,
// and an inline reason form (reject, cancel) that asks before it acts.
import { errorText } from '../api';
import { fmtDateTime, fmtInt, fmtMoney, h, label, setText } from '../dom';
import type { Hold, OrderView } from '../types';

type Lines = Pick<OrderView, 'lines'>;

export const linesText = (o: Lines): string =>
  o.lines.map((l) => `${l.sku || '(campaign SKU)'} × ${fmtInt(l.quantity)}${l.group ? ` · ${l.group}` : ''}`).join(', ');

export const totalUnits = (o: Lines): number => o.lines.reduce((sum, l) => sum + l.quantity, 0);

/** What the order comes to, where it has a price (a campaign's); '—' otherwise. */
export const amountText = (o: Pick<OrderView, 'lines' | 'unitPrice' | 'payment'>): string =>
  o.payment ? fmtMoney(o.payment.amount) : o.unitPrice === null ? '—' : fmtMoney(o.unitPrice * totalUnits(o));

/** Each hold: its kind, worded, and the server's reason. */
export function holdsList(holds: Hold[], withTime = false): HTMLElement {
  return h('ul', { class: 'plain holds', testid: 'order-holds' }, holds.map((x) =>
    h('li', { testid: 'hold', 'data-kind': x.kind },
      h('span', { class: 'badge status-OnHold' }, label(x.kind)), ' ',
      h('span', { class: 'small', testid: 'hold-reason' }, x.reason),
      withTime ? h('span', { class: 'muted small' }, ` · ${fmtDateTime(x.raisedAt)}`) : null)));
}

/** Previous / next page of a paged list, with where it is. */
export class Pager {
  readonly el: HTMLElement;
  page = 1;
  private readonly text: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;

  constructor(testid: string, readonly pageSize: number, onChange: () => void) {
    this.text = h('span', { class: 'muted small', testid: `${testid}-page` });
    this.prev = h('button', { type: 'button', class: 'ghost small', testid: `${testid}-prev`, onclick: () => { this.page--; onChange(); } }, '‹ Previous 上一页');
    this.next = h('button', { type: 'button', class: 'ghost small', testid: `${testid}-next`, onclick: () => { this.page++; onChange(); } }, 'Next 下一页 ›');
    this.el = h('div', { class: 'pager', testid: `${testid}-pager` }, this.prev, this.text, this.next);
  }

  /** The page the list should show once it knows the total: the last one where the current one is past the end. */
  clamp(total: number): boolean {
    const last = Math.max(1, Math.ceil(total / this.pageSize));
    if (this.page <= last) return false;
    this.page = last;
    return true;
  }

  show(total: number, shown: number): void {
    const pages = Math.max(1, Math.ceil(total / this.pageSize));
    const first = total === 0 ? 0 : (this.page - 1) * this.pageSize + 1;
    setText(this.text, `${fmtInt(first)}–${fmtInt(first === 0 ? 0 : first + shown - 1)} of ${fmtInt(total)} · page ${this.page}/${pages} 第${this.page}页`);
    this.prev.disabled = this.page <= 1;
    this.next.disabled = this.page >= pages;
    this.el.hidden = pages <= 1;
  }
}

/** A button that opens a small form asking for a reason, then runs `act` with it; errors show beside it. */
export function reasonAction(o: {
  caption: string; confirm: string; placeholder: string; required: boolean; testid: string;
  act: (reason: string) => Promise<unknown>;
}): HTMLElement {
  const error = h('span', { class: 'error small', hidden: true, role: 'alert', testid: `${o.testid}-error` });
  const reason = h('input', {
    type: 'text', maxlength: 500, placeholder: o.placeholder, required: o.required, testid: `${o.testid}-reason`, 'aria-label': o.placeholder,
  });
  const submit = h('button', { type: 'submit', class: 'small', testid: `${o.testid}-confirm` }, o.confirm);
  const form = h('form', { class: 'reason-form', hidden: true, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      await o.act(reason.value.trim());
    } catch (e) {
      error.hidden = false;
      setText(error, errorText(e));
      submit.disabled = false;
    }
  } },
  reason, submit,
  h('button', { type: 'button', class: 'ghost small', onclick: () => { form.hidden = true; open.hidden = false; } }, 'Back 返回'));
  const open = h('button', { type: 'button', class: 'ghost small', testid: o.testid, onclick: () => {
    open.hidden = true;
    form.hidden = false;
    reason.focus();
  } }, o.caption);
  return h('span', { class: 'reason-action' }, open, form, error);
}
