// Order review (订单审核, ops): the review rules, and the queue of orders held by them (oldest first, a page at a time)
// with each hold worded, to approve or reject one by one or approve many at once. The server checks the rules and the
// decisions; the console words its codes and shows its errors. Refreshed when an order is held or a listed order
// changes (live), and after every decision.
import { api, errorText, fieldErrors } from '../api';
import { countdown, fmtDateTime, fmtDuration, fmtInt, h, label, setText, tickCountdowns } from '../dom';
import type { BulkApproveResult, OrderChangedEvent, OrderView, ReviewRules } from '../types';
import { amountText, holdsList, Pager, reasonAction, totalUnits } from './orderParts';

const rules: { name: keyof ReviewRules; text: string; hint: string }[] = [
  { name: 'maxUnits', text: 'Max units per order 单笔最大数量', hint: 'more units than this is held 超出即待审核' },
  { name: 'maxAmount', text: 'Max amount per order 单笔最大金额 (¥)', hint: 'priced orders over this are held 超出金额即待审核' },
  { name: 'firstOrderMaxUnits', text: 'Max units of a first order 首单最大数量', hint: "a customer's first order over this is held 首单超出即待审核" },
  { name: 'autoRejectAfterSeconds', text: 'Auto-reject after (seconds) 超时自动拒绝（秒）', hint: 'undecided this long, a held order is rejected 超时未审核自动拒绝' },
];

const outcomeLabels: Record<string, string> = {
  approved: 'Approved 已通过',
  notFound: 'Not found 订单不存在',
  notAllowed: 'Not on hold 非待审核状态',
};

const pageSize = 50;

/** The rules form: empty is off; the server says what a value may be, shown at its field. */
class ReviewRulesForm {
  readonly el: HTMLElement;
  private readonly inputs = new Map<keyof ReviewRules, HTMLInputElement>();
  private readonly errors = new Map<keyof ReviewRules, HTMLElement>();
  private readonly hints = new Map<keyof ReviewRules, HTMLElement>();
  private readonly status: HTMLElement;
  private readonly save: HTMLButtonElement;

  constructor() {
    this.status = h('p', { class: 'muted small', testid: 'review-rules-status', role: 'status' });
    this.save = h('button', { type: 'submit', class: 'primary', testid: 'review-rules-save' }, 'Save rules 保存规则');
    const fields = rules.map((r) => {
      const input = h('input', { type: 'number', name: r.name, testid: `review-rule-${r.name}`, placeholder: 'off 关闭', inputmode: 'decimal' });
      const error = h('small', { class: 'error', hidden: true, testid: `review-rule-error-${r.name}` });
      const hint = h('small', { class: 'muted' }, r.hint);
      input.addEventListener('input', () => { error.hidden = true; this.describe(r.name); });
      this.inputs.set(r.name, input);
      this.errors.set(r.name, error);
      this.hints.set(r.name, hint);
      return h('label', { class: 'field' }, h('span', null, r.text), input, hint, error);
    });
    // The server validates (one copy of the rules); the browser's own number checks would only hide its answer.
    this.el = h('form', { class: 'review-rules', testid: 'review-rules-form', novalidate: true, onsubmit: (ev: Event) => { ev.preventDefault(); void this.submit(); } },
      h('div', { class: 'grid4' }, fields),
      h('div', { class: 'form-actions' }, this.save, h('span', { class: 'muted small' }, 'Empty = rule off 留空即关闭 · applies to orders placed from a second later 约1秒后生效')),
      this.status);
  }

  async load(): Promise<void> {
    try {
      this.fill(await api.reviewRules());
      setText(this.status, '');
      this.el.dataset.state = 'loaded';
    } catch (e) {
      this.show('error', `Could not load the review rules: ${errorText(e)}`);
    }
  }

  private fill(r: ReviewRules): void {
    for (const { name } of rules) {
      this.inputs.get(name)!.value = r[name] === null ? '' : String(r[name]);
      this.errors.get(name)!.hidden = true;
      this.describe(name);
    }
  }

  /** The auto-reject field reads its seconds as a duration too. */
  private describe(name: keyof ReviewRules): void {
    if (name !== 'autoRejectAfterSeconds') return;
    const v = Number(this.inputs.get(name)!.value);
    const hint = this.hints.get(name)!;
    setText(hint, this.inputs.get(name)!.value.trim() !== '' && v > 0 ? `= ${fmtDuration(v * 1000)}` : rules[3].hint);
  }

  private async submit(): Promise<void> {
    const body = {} as ReviewRules;
    let bad = false;
    for (const { name } of rules) {
      const input = this.inputs.get(name)!;
      const error = this.errors.get(name)!;
      error.hidden = true;
      if (input.validity.badInput) {
        error.hidden = false;
        setText(error, 'Not a number 不是数字');
        bad = true;
        continue;
      }
      body[name] = input.value.trim() === '' ? null : Number(input.value);
    }
    if (bad) return this.show('error', 'Not saved 未保存: fix the marked fields. 请修正标出的字段。');
    this.save.disabled = true;
    this.show('muted', 'Saving… 保存中');
    try {
      this.fill(await api.saveReviewRules(body));
      this.show('ok', `Saved 已保存 ${new Date().toLocaleTimeString('en-GB', { hour12: false })}`);
    } catch (e) {
      const byField = fieldErrors(e);
      let shown = false;
      for (const [field, message] of byField) {
        const error = this.errors.get(field as keyof ReviewRules);
        if (!error) continue;
        error.hidden = false;
        setText(error, message);
        shown = true;
      }
      this.show('error', shown ? 'Not saved 未保存: see the marked fields. 请查看标出的字段。' : `Not saved 未保存: ${errorText(e)}`);
    } finally {
      this.save.disabled = false;
    }
  }

  private show(kind: 'ok' | 'error' | 'muted', text: string): void {
    this.status.className = `${kind} small`;
    setText(this.status, text);
  }
}

export class ReviewPanel {
  readonly el: HTMLElement;
  private readonly form = new ReviewRulesForm();
  private readonly body: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly results: HTMLElement;
  private readonly selectAll: HTMLInputElement;
  private readonly approveSelected: HTMLButtonElement;
  private readonly pager: Pager;
  private readonly stopTicking: () => void;
  /** Orders listed now, and those seen held live since: a change to any of them changes the queue. */
  private readonly held = new Set<string>();
  private readonly selected = new Set<string>();
  private loading = false;
  private again = false;
  private counting = false;
  private countAgain = false;
  private rulesLoaded = false;

  constructor(private readonly onOpen: (orderId: string) => void, private readonly onCount: (waiting: number) => void = () => undefined) {
    this.summary = h('span', { class: 'muted small', testid: 'reviews-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert', testid: 'reviews-error' });
    this.results = h('div', { class: 'bulk-results', hidden: true, testid: 'review-bulk-results', role: 'status' });
    this.body = h('tbody');
    this.pager = new Pager('reviews', pageSize, () => void this.load());
    this.selectAll = h('input', { type: 'checkbox', testid: 'review-select-all', 'aria-label': 'Select all on this page 全选本页', onchange: () => {
      for (const box of this.body.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) {
        box.checked = this.selectAll.checked;
        this.toggle(box.dataset.orderId!, box.checked);
      }
    } });
    this.approveSelected = h('button', { type: 'button', class: 'primary', testid: 'review-approve-selected', disabled: true, onclick: () => void this.approveMany() },
      'Approve selected 批量通过');
    this.el = h('div', { class: 'tab-stack' },
      h('section', { class: 'panel', testid: 'review-rules' },
        h('header', { class: 'panel-head' }, h('h2', null, 'Review rules 审核规则')),
        h('p', { class: 'muted small' }, 'An order over any rule is routed and reserved as usual, then held here for a decision. 超出任一规则的订单照常路由并预留库存，等待审核。'),
        this.form.el),
      h('section', { class: 'panel', testid: 'reviews-panel' },
        h('header', { class: 'panel-head' },
          h('h2', null, 'Review queue 审核队列'),
          h('div', { class: 'tools' }, this.summary, this.approveSelected,
            h('button', { type: 'button', class: 'ghost', onclick: () => void this.load() }, 'Refresh 刷新'))),
        this.error,
        this.results,
        h('div', { class: 'table-scroll' },
          h('table', { class: 'stock-table', testid: 'reviews-table' },
            h('thead', null, h('tr', null,
              h('th', null, this.selectAll), h('th', null, 'Order 订单'), h('th', { class: 'num' }, 'Units 数量'), h('th', { class: 'num' }, 'Amount 金额'),
              h('th', null, 'Held because 待审原因'), h('th', null, 'Placed 下单时间'), h('th', null, 'Auto-reject 自动拒绝'), h('th', null, 'Decision 审核'))),
            this.body)),
        this.pager.el));
    this.stopTicking = tickCountdowns(this.el);
  }

  destroy(): void {
    this.stopTicking();
  }

  /** Loads the rules (once) and this page of the queue; a call while loading loads once more after. */
  async load(): Promise<void> {
    if (!this.rulesLoaded) { this.rulesLoaded = true; void this.form.load(); }
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      let queue = await api.reviews(this.pager.page, pageSize);
      if (this.pager.clamp(queue.total)) queue = await api.reviews(this.pager.page, pageSize);
      this.error.hidden = true;
      this.held.clear();
      for (const o of queue.items) this.held.add(o.orderId);
      for (const id of [...this.selected]) if (!this.held.has(id)) this.selected.delete(id);
      this.body.replaceChildren(...queue.items.map((o) => this.row(o)));
      if (queue.items.length === 0) this.body.appendChild(h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'Nothing to review. 暂无待审核订单。')));
      this.pager.show(queue.total, queue.items.length);
      this.showCount(queue.total);
      this.selectionChanged();
    } catch (e) {
      this.error.hidden = false;
      setText(this.error, `Could not load the review queue: ${errorText(e)}`);
    } finally {
      this.loading = false;
      if (this.again) { this.again = false; void this.load(); }
    }
  }

  /** Just the count, for the tab's badge while the page is not shown; like load(), one request at a time. */
  async loadCount(): Promise<void> {
    if (this.counting) { this.countAgain = true; return; }
    this.counting = true;
    try {
      this.onCount((await api.reviews(1, 1)).total);
    } catch {
      /* the badge waits for the next change */
    } finally {
      this.counting = false;
      if (this.countAgain) { this.countAgain = false; void this.loadCount(); }
    }
  }

  /** Live: an order was held, or one that was (listed, or seen held) changed — approved, rejected, timed out. */
  onOrderChanged(events: OrderChangedEvent[], shown: boolean): void {
    let relevant = false;
    for (const e of events) {
      if (e.status === 'OnHold') { relevant = true; this.held.add(e.orderId); } else if (this.held.has(e.orderId)) relevant = true;
    }
    if (!relevant) return;
    if (shown) void this.load();
    else void this.loadCount();
  }

  private showCount(total: number): void {
    setText(this.summary, `${fmtInt(total)} waiting 待审核`);
    this.onCount(total);
  }

  private toggle(id: string, on: boolean): void {
    if (on) this.selected.add(id); else this.selected.delete(id);
    this.selectionChanged();
  }

  private selectionChanged(): void {
    const n = this.selected.size;
    this.approveSelected.disabled = n === 0;
    setText(this.approveSelected, n ? `Approve selected 批量通过 (${fmtInt(n)})` : 'Approve selected 批量通过');
    const boxes = this.body.querySelectorAll<HTMLInputElement>('input[type="checkbox"]');
    this.selectAll.checked = boxes.length > 0 && [...boxes].every((b) => b.checked);
  }

  /** A decided order leaves the list at once; the reload that follows brings the rest of the queue up. */
  private decided(o: OrderView): void {
    this.held.delete(o.orderId);
    this.selected.delete(o.orderId);
    this.body.querySelector(`tr[data-order-id="${CSS.escape(o.orderId)}"]`)?.remove();
    this.selectionChanged();
    void this.load();
  }

  private async approveMany(): Promise<void> {
    const ids = [...this.selected];
    if (ids.length === 0) return;
    this.approveSelected.disabled = true;
    try {
      const outcomes = await api.approveMany(ids);
      this.showResults(outcomes);
      for (const r of outcomes) {
        if (r.outcome === 'approved') {
          this.selected.delete(r.orderId);
          this.body.querySelector(`tr[data-order-id="${CSS.escape(r.orderId)}"]`)?.remove();
        }
      }
      await this.load();
    } catch (e) {
      this.results.hidden = false;
      this.results.replaceChildren(h('p', { class: 'error' }, `Bulk approval failed 批量审核失败: ${errorText(e)}`));
      this.selectionChanged();
    }
  }

  private showResults(outcomes: BulkApproveResult[]): void {
    const approved = outcomes.filter((r) => r.outcome === 'approved').length;
    this.results.hidden = false;
    this.results.replaceChildren(
      h('div', { class: 'panel-head' },
        h('b', null, `Approved ${fmtInt(approved)} of ${fmtInt(outcomes.length)} 已通过 ${fmtInt(approved)}/${fmtInt(outcomes.length)}`),
        h('button', { type: 'button', class: 'ghost small', onclick: () => { this.results.hidden = true; } }, 'Dismiss 关闭')),
      h('ul', { class: 'plain' }, outcomes.map((r) =>
        h('li', { testid: 'review-bulk-result', 'data-order-id': r.orderId, 'data-outcome': r.outcome },
          h('span', { class: `badge outcome-${r.outcome}` }, outcomeLabels[r.outcome] ?? r.outcome), ' ',
          h('button', { type: 'button', class: 'link mono', onclick: () => this.onOpen(r.orderId) }, r.orderId),
          r.status ? ` → ${label(r.status)}` : null,
          r.detail ? h('span', { class: 'muted small' }, ` · ${r.detail}`) : null))));
  }

  private row(o: OrderView): HTMLElement {
    const error = h('span', { class: 'error small', hidden: true, role: 'alert' });
    const approve: HTMLButtonElement = h('button', { type: 'button', class: 'small', testid: 'review-approve', onclick: async () => {
      approve.disabled = true;
      error.hidden = true;
      try {
        this.decided(await api.approve(o.orderId));
      } catch (e) {
        error.hidden = false;
        setText(error, errorText(e));
        approve.disabled = false;
        void this.load(); // decided elsewhere, perhaps
      }
    } }, 'Approve 通过');
    const reject = reasonAction({
      caption: 'Reject 拒绝', confirm: 'Reject 确认拒绝', placeholder: 'Reason (the customer sees it) 拒绝原因', required: true, testid: 'review-reject',
      act: async (reason) => this.decided(await api.reject(o.orderId, reason)),
    });
    const box = h('input', { type: 'checkbox', testid: 'review-select', 'data-order-id': o.orderId, checked: this.selected.has(o.orderId), 'aria-label': `Select ${o.orderId}` });
    box.addEventListener('change', () => this.toggle(o.orderId, box.checked));
    return h('tr', { testid: 'review-row', 'data-order-id': o.orderId, 'data-kinds': o.holds.map((x) => x.kind).join(' ') },
      h('td', null, box),
      h('td', null, h('button', { type: 'button', class: 'link mono', testid: 'review-open', onclick: () => this.onOpen(o.orderId) }, o.orderId),
        h('div', { class: 'muted small' }, `${o.customerId}${o.campaignId ? ` · ${o.campaignId}` : ''}`)),
      h('td', { class: 'num', testid: 'review-units' }, fmtInt(totalUnits(o))),
      h('td', { class: 'num', testid: 'review-amount' }, amountText(o)),
      h('td', null, holdsList(o.holds)),
      h('td', { class: 'nowrap' }, fmtDateTime(o.placedAt)),
      h('td', { class: 'nowrap', testid: 'review-expires', 'data-expires-at': o.expiresAt ?? '' },
        o.expiresAt ? [fmtDateTime(o.expiresAt), h('br'), countdown(o.expiresAt)] : h('span', { class: 'muted' }, 'never 不自动'),
      ),
      h('td', { class: 'actions' }, approve, ' ', reject, error));
  }
}
