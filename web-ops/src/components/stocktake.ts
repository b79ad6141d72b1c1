// Stocktake (盘点) at one distributor: when it was counted (default now; the server compares each count with the
// ledger's on hand at that time, so sales during the count are kept) and what was counted per SKU (the distributor's
// SKUs prefilled; a SKU left empty is not counted). The answer per line: expected, difference, applied to today's on
// hand, or not applied and needs review (it would take on hand below reserved; a StocktakeShortfall alert says so).
// The distributor's latest stocktakes are listed below; each can be shown again.
import { api } from '../api';
import { dateTimeInputValue, fmtDateTime, fmtInt, fromInputValue, h, isoWithOffset, setText } from '../dom';
import { IdempotencyKeys } from '../idempotency';
import type { StocktakeRequest, StocktakeView } from '../types';
import { intInput, problemText, StatusLine, Suggestions } from './stockParts';

/** A SKU the distributor stocks and its on hand now (shown as a hint, not as the count). */
export interface StockedSku { sku: string; onHand: number }

export interface StocktakeOptions {
  /** The distributor's own view; otherwise `setDistributor` chooses one (ops). */
  distributorId?: string;
  /** The SKUs the stock table holds for a distributor; empty (not loaded yet) asks the API. */
  stocked: (distributorId: string) => StockedSku[];
}

const signed = (n: number): string => (n > 0 ? `+${fmtInt(n)}` : fmtInt(n));

export class StocktakePanel {
  readonly el: HTMLElement;
  private distributorId: string | null;
  private readonly title: HTMLElement;
  private readonly countedAt: HTMLInputElement;
  private readonly lines: HTMLTableSectionElement;
  private readonly submit: HTMLButtonElement;
  private readonly status = new StatusLine('stocktake-status');
  private readonly result: HTMLElement;
  private readonly recent: HTMLTableSectionElement;
  private readonly recentError: HTMLElement;
  private readonly suggestions = new Suggestions();
  private readonly keys = new IdempotencyKeys('stocktake');

  constructor(private readonly options: StocktakeOptions) {
    this.distributorId = options.distributorId ?? null;
    this.title = h('h2', null, this.heading());
    this.countedAt = h('input', { type: 'datetime-local', step: 1, required: true, testid: 'stocktake-counted-at', 'aria-label': 'Counted at 盘点时间' });
    this.lines = h('tbody');
    this.submit = h('button', { type: 'submit', class: 'primary', testid: 'stocktake-submit' }, 'Apply stocktake 提交盘点');
    this.result = h('div', { class: 'stocktake-result', hidden: true, testid: 'stocktake-result' });
    this.recent = h('tbody');
    this.recentError = h('p', { class: 'error small', hidden: true, role: 'alert' });
    this.el = h('section', { class: 'panel', testid: 'stocktake-panel' },
      h('header', { class: 'panel-head' }, this.title,
        h('div', { class: 'tools' }, h('button', { type: 'button', class: 'ghost', testid: 'stocktake-reset', onclick: () => void this.reset() }, 'New count 重新盘点'))),
      h('p', { class: 'muted small' }, 'Each count is compared with the ledger\'s on hand at the time counted; the difference is applied to today\'s on hand. Leave a SKU empty to skip it. ',
        '按盘点时间的账面在库比对，差异计入当前在库；留空的商品不盘点。'),
      h('form', { class: 'stocktake-form', testid: 'stocktake-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.send(); } },
        h('div', { class: 'row' },
          h('label', { class: 'field' }, h('span', null, 'Counted at 盘点时间'), this.countedAt),
          h('button', { type: 'button', class: 'ghost small', testid: 'stocktake-now', onclick: () => { this.countedAt.value = dateTimeInputValue(new Date()); } }, 'Now 现在')),
        h('div', { class: 'table-scroll' },
          h('table', { class: 'stock-table', testid: 'stocktake-lines' },
            h('thead', null, h('tr', null, h('th', null, 'SKU 商品'), h('th', { class: 'num' }, 'On hand now 当前在库'), h('th', { class: 'num' }, 'Counted 实盘'), h('th', null, ''))),
            this.lines)),
        h('div', { class: 'form-actions' },
          h('button', { type: 'button', class: 'ghost small', testid: 'stocktake-add-line', onclick: () => this.addLine('', null, true) }, '+ SKU 添加商品'),
          this.submit),
        this.status.el),
      this.result,
      h('h4', null, 'Recent stocktakes 最近盘点'),
      this.recentError,
      h('div', { class: 'table-scroll' },
        h('table', { class: 'stock-table', testid: 'stocktakes-recent' },
          h('thead', null, h('tr', null, h('th', null, 'Counted at 盘点时间'), h('th', null, 'Applied 提交时间'), h('th', { class: 'num' }, 'SKUs 商品数'),
            h('th', { class: 'num' }, 'Net difference 净差异'), h('th', null, 'Needs review 需复核'), h('th', null, ''))),
          this.recent)),
      this.suggestions.skus);
  }

  private heading(): string {
    return this.distributorId ? `Stocktake 盘点 · ${this.distributorId}` : 'Stocktake 盘点';
  }

  /** Ops: the distributor to count (the form starts again). */
  setDistributor(id: string | null): void {
    if (id === this.distributorId) return;
    this.distributorId = id;
    setText(this.title, this.heading());
    this.result.hidden = true;
    this.status.clear();
    void this.reset();
  }

  /** Shown: the form (once) and the latest stocktakes. */
  async load(): Promise<void> {
    this.suggestions.load(false);
    if (!this.lines.firstChild) await this.reset();
    else await this.loadRecent();
  }

  /** A new count: now, and the distributor's SKUs with nothing counted yet. */
  async reset(): Promise<void> {
    this.countedAt.value = dateTimeInputValue(new Date());
    this.lines.replaceChildren();
    const id = this.distributorId;
    this.submit.disabled = !id;
    if (!id) {
      this.lines.appendChild(h('tr', null, h('td', { colspan: 4, class: 'muted' }, 'Choose a distributor. 请选择经销商。')));
      return;
    }
    let stocked = this.options.stocked(id);
    if (stocked.length === 0) {
      try {
        stocked = (await api.inventory(id)).map((i) => ({ sku: i.sku, onHand: i.onHand }));
      } catch (e) {
        this.status.problem('Could not load the SKUs 无法加载商品', e);
      }
    }
    if (id !== this.distributorId) return; // chosen another meanwhile
    for (const s of stocked) this.addLine(s.sku, s.onHand, false);
    if (stocked.length === 0) this.addLine('', null, true);
    await this.loadRecent();
  }

  private addLine(sku: string, onHand: number | null, editable: boolean): void {
    const counted = intInput('stocktake-counted', `${sku || 'SKU'} counted 实盘`, { placeholder: onHand === null ? '' : String(onHand), class: 'qty' });
    const skuCell = editable
      ? h('input', { type: 'text', maxlength: 64, list: this.suggestions.skus.id, placeholder: 'SKU', testid: 'stocktake-sku', 'aria-label': 'SKU', value: sku })
      : h('span', { class: 'mono', testid: 'stocktake-sku-name' }, sku);
    const tr: HTMLElement = h('tr', { testid: 'stocktake-line', 'data-sku': sku },
      h('td', null, skuCell),
      h('td', { class: 'num muted' }, onHand === null ? '—' : fmtInt(onHand)),
      h('td', { class: 'num' }, counted),
      h('td', null, editable ? h('button', { type: 'button', class: 'ghost small', 'aria-label': 'Remove 删除', onclick: () => tr.remove() }, '✕') : null));
    this.lines.appendChild(tr);
  }

  private body(): StocktakeRequest | string {
    const at = fromInputValue(this.countedAt.value);
    if (!at) return 'Counted at: give a date and time. 请填写盘点时间。';
    const lines: StocktakeRequest['lines'] = [];
    for (const tr of this.lines.querySelectorAll<HTMLElement>('[data-testid="stocktake-line"]')) {
      const input = tr.querySelector<HTMLInputElement>('[data-testid="stocktake-counted"]')!;
      const skuInput = tr.querySelector<HTMLInputElement>('[data-testid="stocktake-sku"]');
      const sku = skuInput ? skuInput.value.trim() : tr.dataset.sku ?? '';
      if (input.value.trim() === '' || !sku) continue;
      if (input.validity.badInput) return `${sku}: not a number 不是数字`;
      lines.push({ sku, counted: Number(input.value) });
    }
    if (lines.length === 0) return 'Nothing counted: fill in at least one SKU. 请至少填写一个商品的实盘数。';
    return { countedAt: isoWithOffset(at), lines };
  }

  private async send(): Promise<void> {
    const id = this.distributorId;
    if (!id) return;
    const body = this.body();
    if (typeof body === 'string') { this.status.show('error', body); return; }
    const { key, retry } = this.keys.take({ id, body });
    this.submit.disabled = true;
    this.status.show('muted', retry ? 'Sending again (same request) 重试中…' : 'Sending… 提交中');
    try {
      const s = await api.createStocktake(id, body, key);
      this.keys.settle();
      const review = s.lines.filter((l) => l.needsReview).length;
      this.status.show(review ? 'error' : 'ok', `Stocktake applied 盘点已提交: ${s.stocktakeId}`,
        review ? ` · ${review} line(s) need review 需复核 (StocktakeShortfall alert 已告警)` : '');
      this.showResult(s);
      await this.loadRecent();
    } catch (e) {
      this.status.refused('Not applied 未提交', e, this.keys.settle(e));
    } finally {
      this.submit.disabled = false;
    }
  }

  /** One stocktake as applied, line by line; lines that need review stand out. */
  private showResult(s: StocktakeView): void {
    this.result.hidden = false;
    this.result.dataset.stocktakeId = s.stocktakeId;
    this.result.replaceChildren(
      h('h4', null, `${s.stocktakeId} · counted 盘点 ${fmtDateTime(s.countedAt)} · applied 提交 ${fmtDateTime(s.appliedAt)}`),
      h('div', { class: 'table-scroll' },
        h('table', { class: 'stock-table' },
          h('thead', null, h('tr', null, h('th', null, 'SKU 商品'), h('th', { class: 'num' }, 'Counted 实盘'), h('th', { class: 'num' }, 'Expected 账面'),
            h('th', { class: 'num' }, 'Difference 差异'), h('th', { class: 'num' }, 'On hand after 调整后在库'), h('th', null, 'Result 结果'))),
          h('tbody', null, s.lines.map((l) => h('tr', {
            testid: 'stocktake-result-line', 'data-sku': l.sku, 'data-applied': String(l.applied), 'data-needs-review': String(l.needsReview),
            class: l.needsReview ? 'needs-review' : '',
          },
          h('td', { class: 'mono' }, l.sku),
          h('td', { class: 'num', testid: 'stocktake-counted-cell', 'data-units': l.counted }, fmtInt(l.counted)),
          h('td', { class: 'num', testid: 'stocktake-expected', 'data-units': l.expected }, fmtInt(l.expected)),
          h('td', { class: `num ${l.difference < 0 ? 'error' : ''}`, testid: 'stocktake-difference', 'data-units': l.difference }, signed(l.difference)),
          h('td', { class: 'num', testid: 'stocktake-on-hand-after', 'data-units': l.onHandAfter }, fmtInt(l.onHandAfter)),
          h('td', { testid: 'stocktake-line-result' }, l.needsReview
            ? h('span', { class: 'badge kind-StocktakeShortfall' }, 'Needs review 需复核: not applied, below reserved 低于预留，未调整')
            : l.applied ? h('span', { class: 'badge status-Received' }, l.difference === 0 ? 'Matches 一致' : 'Applied 已调整') : h('span', { class: 'badge' }, 'Not applied 未调整'))))))));
  }

  private async loadRecent(): Promise<void> {
    const id = this.distributorId;
    if (!id) { this.recent.replaceChildren(); return; }
    try {
      const list = await api.stocktakes(id);
      if (id !== this.distributorId) return;
      this.recentError.hidden = true;
      this.recent.replaceChildren(...list.slice(0, 20).map((s) => {
        const review = s.lines.filter((l) => l.needsReview).length;
        return h('tr', { testid: 'stocktake-recent', 'data-stocktake-id': s.stocktakeId, class: review ? 'needs-review' : '' },
          h('td', { class: 'nowrap' }, fmtDateTime(s.countedAt)),
          h('td', { class: 'nowrap' }, fmtDateTime(s.appliedAt)),
          h('td', { class: 'num' }, fmtInt(s.lines.length)),
          h('td', { class: 'num' }, signed(s.lines.filter((l) => l.applied).reduce((sum, l) => sum + l.difference, 0))),
          h('td', null, review ? h('span', { class: 'badge kind-StocktakeShortfall' }, `${review} 需复核`) : h('span', { class: 'muted small' }, '—')),
          h('td', null, h('button', { type: 'button', class: 'ghost small', testid: 'stocktake-recent-open', onclick: () => this.showResult(s) }, 'Show 查看')));
      }));
      if (list.length === 0) this.recent.appendChild(h('tr', null, h('td', { colspan: 6, class: 'muted' }, 'No stocktakes yet. 暂无盘点记录。')));
    } catch (e) {
      this.recentError.hidden = false;
      setText(this.recentError, `Could not load stocktakes 无法加载盘点记录: ${problemText(e)}`);
    }
  }
}
