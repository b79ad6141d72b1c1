// Small pieces the stock-operation pages share (transfers, returns, stocktakes, the stock statement): a status line that
// shows the server's problem (its detail and its code), number inputs, a row action with its error beside it, and
// suggestions of distributors and SKUs for the forms.
import { api, ApiError, errorText, fieldErrors } from '../api';
import { h, saveText, setText } from '../dom';

/** The server's words for a refusal and its code: "409 d-02 has fewer than 50 KCL-50 available (insufficientStock)". */
export function problemText(e: unknown): string {
  const code = e instanceof ApiError ? e.code : undefined;
  return `${errorText(e)}${code ? ` (${code})` : ''}`;
}

/** Loads a CSV from the server and saves it as `name`, with `button` disabled meanwhile and the outcome on `status`. */
export async function exportCsv(button: HTMLButtonElement, status: StatusLine, name: string, load: () => Promise<string>): Promise<void> {
  button.disabled = true;
  try {
    saveText(name, await load());
    status.show('ok', `CSV saved 已导出: ${name}`);
  } catch (e) {
    status.show('error', `CSV not saved 导出失败: ${problemText(e)}`);
  } finally {
    button.disabled = false;
  }
}

/** A form's status line: what happened, or the problem, with its code in `data-code`. */
export class StatusLine {
  readonly el: HTMLElement;

  constructor(testid: string) {
    this.el = h('p', { class: 'muted small form-status', testid, role: 'status' });
  }

  show(kind: 'ok' | 'error' | 'muted', ...content: (Node | string)[]): void {
    this.el.className = `${kind} small form-status`;
    delete this.el.dataset.code;
    if (content.length === 1 && typeof content[0] === 'string') setText(this.el, content[0]);
    else this.el.replaceChildren(...content);
  }

  problem(prefix: string, e: unknown, retry = false): void {
    this.show('error', `${prefix}: ${problemText(e)}${retry ? ' — submit again to retry the same request 可再次提交重试' : ''}`);
    if (e instanceof ApiError && e.code) this.el.dataset.code = e.code;
  }

  /** A submit that failed: the fields the server named (unless a retry of the same request is worth it), else its problem. */
  refused(prefix: string, e: unknown, retry: boolean): void {
    const fields = [...fieldErrors(e)].map(([f, m]) => `${f}: ${m}`).join(' · ');
    if (fields && !retry) this.show('error', `${prefix}: ${fields}`);
    else this.problem(prefix, e, retry);
  }

  clear(): void {
    this.show('muted', '');
  }
}

/** A whole-number input. */
export const intInput = (testid: string, label: string, attrs: Record<string, string | number | boolean> = {}): HTMLInputElement =>
  h('input', { type: 'number', step: 1, min: 0, inputmode: 'numeric', testid, 'aria-label': label, ...attrs });

/** A button running `act`; disabled while it runs, the problem shown in `error` (with its code) if it fails. */
export function actionButton(o: { caption: string; testid: string; error: HTMLElement; act: () => Promise<unknown>; primary?: boolean }): HTMLButtonElement {
  const button: HTMLButtonElement = h('button', { type: 'button', class: o.primary ? 'small primary' : 'small', testid: o.testid, onclick: async () => {
    button.disabled = true;
    showRowError(o.error, null);
    try {
      await o.act();
    } catch (e) {
      showRowError(o.error, e);
    } finally {
      button.disabled = false;
    }
  } }, o.caption);
  return button;
}

/** A row's error span: the problem and its code, or hidden. */
export function showRowError(el: HTMLElement, e: unknown): void {
  el.hidden = e === null;
  if (e === null) { delete el.dataset.code; return; }
  setText(el, problemText(e));
  if (e instanceof ApiError && e.code) el.dataset.code = e.code;
  else delete el.dataset.code;
}

export const rowError = (testid: string): HTMLElement => h('span', { class: 'error small row-error', hidden: true, role: 'alert', testid });

let datalists = 0;

/** Datalists of the distributors and the products (suggestions; typing by hand works without them), loaded once. */
export class Suggestions {
  readonly distributors = h('datalist', { id: `dl-distributors-${++datalists}` });
  readonly skus = h('datalist', { id: `dl-skus-${datalists}` });
  private loaded = false;

  load(withDistributors: boolean): void {
    if (this.loaded) return;
    this.loaded = true;
    void api.products().then((list) => this.skus.replaceChildren(...list.map((p) => h('option', { value: p.sku }, p.name)))).catch(() => undefined);
    if (withDistributors) {
      void api.distributors().then((list) => this.distributors.replaceChildren(...list.map((d) => h('option', { value: d.id }, d.name)))).catch(() => undefined);
    }
  }
}
