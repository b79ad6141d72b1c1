// SAP imports (导入) of products, distributors, customers or stock levels: a form (kind, batch id, a .csv or .json file)
// that uploads the file as it is (CSV as text/csv with ?kind=&batchId=; a JSON envelope as it is, a bare JSON array of
// rows wrapped into one) while it asks GET /api/erp/imports/{batchId} every half second for the progress; the answer
// shows the counts and the rejected rows (row number, code, detail). A batch id names one import: the same one again
// is the same import, so the form checks first and says so rather than send a file the server would not read. The
// list of imports (newest first) opens each one (#erp/imports/{id}). A CSV template per kind shows the header row.
import { api, ApiError } from '../api';
import { fmtDateTime, fmtInt, h, KeyedRows, label, saveText, setText } from '../dom';
import type { ImportKind, ImportView } from '../types';
import { countCsvRows, freshIds, headOf, importKinds, kindLabel, Poller, stackedBar, validId } from './erpParts';
import { Pager } from './orderParts';
import { problemText, StatusLine } from './stockParts';

const pageSize = 20;
const statuses = ['Running', 'Completed', 'Failed'] as const;

/** What goes on the wire for a chosen file: the body, its type, the query, and the batch and kind it names. */
interface Upload { body: Blob; contentType: 'text/csv' | 'application/json'; params: { kind?: ImportKind; batchId?: string }; batchId: string; kind: ImportKind }


/** One import as it ended (or stands): its counts, failure, and the rejected rows. */
function importDetail(v: ImportView): HTMLElement {
  const byCode = new Map<string, number>();
  for (const r of v.rejected) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
  const fact = (term: string, testid: string, value: string | number, cls = '') =>
    h('div', null, h('dt', null, term), h('dd', { class: cls, testid, 'data-value': typeof value === 'number' ? value : null }, typeof value === 'number' ? fmtInt(value) : value));
  return h('div', { class: 'erp-detail', testid: 'import-detail', 'data-import-id': v.importId, 'data-status': v.status },
    h('div', { class: 'order-head' },
      h('h3', null, `Import 导入 · `, h('span', { class: 'mono' }, v.importId)),
      h('span', { class: `badge status-${v.status}`, testid: 'import-detail-status' }, label(v.status)),
      h('span', { class: 'badge' }, kindLabel(v.kind)), h('span', { class: 'muted small' }, v.format.toUpperCase())),
    h('dl', { class: 'facts compact' },
      fact('Rows 行数', 'import-total', v.total),
      fact('Applied 已应用', 'import-applied', v.applied, 'ok'),
      fact('Unchanged 未变', 'import-unchanged', v.unchanged),
      fact('Rejected 已拒绝', 'import-rejected-count', v.rejectedCount, v.rejectedCount ? 'error' : ''),
      fact('Received 接收时间', 'import-received-at', fmtDateTime(v.receivedAt)),
      fact('Completed 完成时间', 'import-completed-at', fmtDateTime(v.completedAt))),
    v.failure ? h('p', { class: 'notice', testid: 'import-failure' },
      `Cut short 中断: ${v.failure}. The rows before it were applied; send the same batch again to carry on. 已应用此前各行，重新提交同一批次即可继续。`) : null,
    v.rejectedCount === 0 ? h('p', { class: 'muted small', testid: 'import-no-rejections' }, 'No row was rejected. 没有被拒绝的行。') : [
      h('div', { class: 'panel-head' },
        h('h4', null, 'Rejected rows 被拒绝的行'),
        h('div', { class: 'tools' },
          [...byCode].map(([code, n]) => h('span', { class: 'chip mono', testid: 'import-code-count', 'data-code': code, 'data-count': n }, `${code} × ${n}`)),
          h('button', { type: 'button', class: 'ghost small', testid: 'import-rejected-csv', onclick: () => saveText(`${v.importId}-rejected.csv`,
            ['row,code,detail', ...v.rejected.map((r) => `${r.row},${r.code},"${r.detail.replaceAll('"', '""')}"`)].join('\n') + '\n') }, 'CSV 导出'))),
      v.rejectedCount > v.rejected.length
        ? h('p', { class: 'muted small' }, `The first ${fmtInt(v.rejected.length)} of ${fmtInt(v.rejectedCount)} are listed. 仅列出前 ${fmtInt(v.rejected.length)} 行。`) : null,
      h('div', { class: 'table-scroll rejected-scroll' },
        h('table', { class: 'stock-table', testid: 'import-rejected-table' },
          h('thead', null, h('tr', null, h('th', { class: 'num' }, 'Row 行号'), h('th', null, 'Code 代码'), h('th', null, 'Detail 说明'))),
          h('tbody', null, v.rejected.map((r) => h('tr', { testid: 'import-rejected-row', 'data-row': r.row, 'data-code': r.code },
            h('td', { class: 'num', testid: 'rejected-row-number' }, String(r.row)),
            h('td', { class: 'mono', testid: 'rejected-code' }, r.code),
            h('td', { class: 'detail-cell', testid: 'rejected-detail' }, r.detail))))))]);
}

/** The upload form, its live progress and the import it shows (one just sent, or one opened from the list). */
class ImportForm {
  readonly el: HTMLElement;
  private readonly kind: HTMLSelectElement;
  private readonly batchId: HTMLInputElement;
  private readonly file: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly status = new StatusLine('import-status');
  private readonly progress: HTMLElement;
  private readonly progressText: HTMLElement;
  private readonly bar = stackedBar('import-progress-bar');
  private readonly poller = new Poller();
  private busy = false;

  constructor(private readonly onStart: () => void, private readonly onDone: (v: ImportView | null, batchId: string) => void) {
    this.kind = h('select', { testid: 'import-kind', 'aria-label': 'Kind 类型' },
      Object.entries(importKinds).map(([k, v]) => h('option', { value: k }, v.label)));
    this.kind.value = 'stock';
    this.batchId = h('input', { type: 'text', required: true, maxlength: 64, testid: 'import-batch-id', 'aria-label': 'Batch id 批次号', value: freshIds.next() });
    this.file = h('input', { type: 'file', required: true, accept: '.csv,.json,text/csv,application/json', testid: 'import-file', 'aria-label': 'File 文件' });
    this.submit = h('button', { type: 'submit', class: 'primary', testid: 'import-submit' }, 'Import 导入');
    this.progressText = h('p', { class: 'small', testid: 'import-progress-text' });
    this.progress = h('div', { class: 'import-progress', hidden: true, testid: 'import-progress' }, this.bar.el, this.progressText);
    this.el = h('form', { class: 'stock-form', testid: 'import-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.send(); } },
      h('label', { class: 'field' }, h('span', null, 'Kind 类型'), this.kind,
        h('button', { type: 'button', class: 'ghost small', testid: 'import-template', onclick: () => this.template() }, 'CSV template 下载模板')),
      h('label', { class: 'field' }, h('span', null, 'Batch id 批次号'), this.batchId,
        h('button', { type: 'button', class: 'ghost small', testid: 'import-new-batch', onclick: () => { this.batchId.value = freshIds.next(); } }, 'New id 新批次号')),
      h('label', { class: 'field wide' }, h('span', null, 'File 文件 (.csv / .json)'), this.file),
      h('div', { class: 'form-actions' }, this.submit),
      this.status.el,
      this.progress);
  }

  /** Another import is shown (opened from the list): the last upload's progress and answer go, unless one runs. */
  reset(): void {
    if (this.busy) return;
    this.progress.hidden = true;
    this.status.clear();
  }

  /** The header row and one example row of the chosen kind, saved as a file. */
  private template(): void {
    const kind = this.kind.value as ImportKind;
    const t = importKinds[kind];
    saveText(`sap-import-${kind}-template.csv`, `${t.header}\n${t.example}\n`);
    this.status.show('muted', `Template saved 模板已下载: sap-import-${kind}-template.csv — header 表头: ${t.header}`);
  }

  /** What to send for the chosen file; a string says why it cannot be sent. */
  private async upload(file: File): Promise<Upload | string> {
    let kind = this.kind.value as ImportKind;
    let batchId = this.batchId.value.trim();
    const name = file.name.toLowerCase();
    const csv = name.endsWith('.csv') || (!name.endsWith('.json') && file.type === 'text/csv');
    const json = name.endsWith('.json') || (!csv && file.type === 'application/json');
    if (!csv && !json) return `${file.name}: choose a .csv or .json file. 请选择 .csv 或 .json 文件。`;
    const { text, bom } = await headOf(file);
    const body = bom ? file.slice(bom) : file;
    if (csv) {
      if (!validId(batchId)) return 'Batch id: letters, digits, ".", "_" or "-", at most 64. 批次号格式不正确。';
      return { body, contentType: 'text/csv', params: { kind, batchId }, batchId, kind };
    }
    const start = text.trimStart()[0];
    if (start === '[') {
      // A bare array of rows: wrapped into the envelope, the file itself streamed in the middle.
      if (!validId(batchId)) return 'Batch id: letters, digits, ".", "_" or "-", at most 64. 批次号格式不正确。';
      const wrapped = new Blob([`{"batchId":${JSON.stringify(batchId)},"kind":${JSON.stringify(kind)},"rows":`, body, '}']);
      return { body: wrapped, contentType: 'application/json', params: {}, batchId, kind };
    }
    if (start !== '{') return `${file.name}: not JSON (an object { "batchId", "kind", "rows": [ … ] } or an array of rows). 不是 JSON。`;
    // The envelope names its batch and kind (before its rows): they win, and the form shows them; what it leaves out
    // the query gives.
    const envelope = text.slice(0, Math.max(0, text.indexOf('"rows"')) || text.length);
    const named = (field: string) => new RegExp(`"${field}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(envelope)?.[1];
    const params: Upload['params'] = {};
    const fileBatch = named('batchId');
    if (fileBatch !== undefined) { batchId = fileBatch; this.batchId.value = fileBatch; } else params.batchId = batchId;
    const fileKind = named('kind');
    if (fileKind !== undefined && fileKind in importKinds) { kind = fileKind as ImportKind; this.kind.value = fileKind; } else if (fileKind === undefined) params.kind = kind;
    if (!validId(batchId)) return 'Batch id: letters, digits, ".", "_" or "-", at most 64. 批次号格式不正确。';
    return { body, contentType: 'application/json', params, batchId, kind };
  }

  private async send(): Promise<void> {
    if (this.busy) return;
    const file = this.file.files?.[0];
    if (!file) { this.status.show('error', 'Choose a file. 请选择文件。'); return; }
    this.busy = true;
    this.submit.disabled = true;
    try {
      const upload = await this.upload(file);
      if (typeof upload === 'string') { this.status.show('error', upload); return; }
      const { batchId } = upload;

      // The same batch id is the same import: a completed one would answer as it ended without reading this file.
      let before: ImportView | null = null;
      try {
        before = await api.importView(batchId);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) { this.status.problem('Could not check the batch id 无法检查批次号', e); return; }
      }
      if (before?.status === 'Completed') {
        this.status.show('error', `Batch ${batchId} was imported already (${fmtDateTime(before.completedAt)}): sending it again changes nothing. Choose a new batch id. `,
          '批次已导入，重复提交不会生效，请使用新批次号。 ',
          h('button', { type: 'button', class: 'ghost small', onclick: () => { this.batchId.value = freshIds.next(); this.status.clear(); } }, 'New id 新批次号'));
        this.status.el.dataset.code = 'batchCompleted';
        this.onDone(before, batchId);
        return;
      }
      freshIds.use(batchId);
      this.onStart();
      const expected = upload.contentType === 'text/csv' ? await countCsvRows(file).catch(() => null) : null;
      this.status.show('muted', before ? `Carrying on with batch ${batchId} after row ${fmtInt(before.total)}… 继续导入…` : `Uploading ${file.name}… 上传中`);
      this.showProgress(before, expected);
      this.poller.start(async () => {
        try {
          this.showProgress(await api.importView(batchId), expected);
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 404)) throw e; // not begun yet
        }
        return this.busy;
      });
      try {
        const v = await api.importBatch(upload.params, upload.body, upload.contentType);
        this.poller.stop();
        this.showProgress(v, expected);
        this.status.show(v.rejectedCount ? 'error' : 'ok', `${label(v.status)} · ${kindLabel(v.kind)}: ${fmtInt(v.applied)} applied 已应用, ${fmtInt(v.unchanged)} unchanged 未变, `
          + `${fmtInt(v.rejectedCount)} rejected 已拒绝 of ${fmtInt(v.total)} rows 行`);
        this.batchId.value = freshIds.next();
        this.onDone(v, v.importId);
      } catch (e) {
        this.poller.stop();
        this.status.problem('Not imported 未导入', e, !(e instanceof ApiError) || e.status === 0 || e.status >= 500);
        // Rows before a break are applied (the import shows as cut short); a refusal at the door recorded nothing.
        const after = await api.importView(batchId).catch(() => null);
        if (after) this.showProgress(after, expected);
        else this.progress.hidden = true;
        this.onDone(after, batchId);
      }
    } finally {
      this.busy = false;
      this.submit.disabled = false;
      // How many submits were answered (a test waits for the next one).
      this.el.dataset.answers = String(Number(this.el.dataset.answers ?? 0) + 1);
    }
  }

  private showProgress(v: ImportView | null, expected: number | null): void {
    this.progress.hidden = false;
    const applied = v?.applied ?? 0, unchanged = v?.unchanged ?? 0, rejected = v?.rejectedCount ?? 0, total = v?.total ?? 0;
    const status = v?.status ?? 'Running';
    Object.assign(this.progress.dataset, { status, total: String(total), applied: String(applied), unchanged: String(unchanged), rejected: String(rejected) });
    this.bar.set(status === 'Running' && expected !== null ? Math.max(expected, total) : total, [applied, unchanged, rejected]);
    setText(this.progressText, `${label(status)} · ${fmtInt(applied)} applied 已应用 · ${fmtInt(unchanged)} unchanged 未变 · ${fmtInt(rejected)} rejected 已拒绝`
      + ` · ${fmtInt(applied + unchanged + rejected)} of ${fmtInt(total)} rows received 已接收`
      + (status === 'Running' && expected !== null ? ` (about ${fmtInt(expected)} in the file 文件约 ${fmtInt(expected)} 行)` : ''));
  }
}

export class ImportsPanel {
  readonly el: HTMLElement;
  private readonly form: ImportForm;
  private readonly detail: HTMLElement;
  private readonly detailError: HTMLElement;
  private readonly rows: KeyedRows<ImportView>;
  private readonly summary: HTMLElement;
  private readonly error: HTMLElement;
  private readonly status: HTMLSelectElement;
  private readonly pager: Pager;
  private readonly poller = new Poller();
  private shown: string | null = null;
  private loading = false;
  private again = false;

  constructor() {
    this.form = new ImportForm(() => this.hideDetail(), (v, id) => {
      if (v) this.showDetail(v);
      void this.load();
      if (v && location.hash !== `#erp/imports/${encodeURIComponent(id)}`) history.replaceState(null, '', `#erp/imports/${encodeURIComponent(id)}`);
    });
    this.detail = h('div', { class: 'erp-detail-box', hidden: true });
    this.detailError = h('p', { class: 'error small', hidden: true, role: 'alert', testid: 'import-detail-error' });
    this.summary = h('span', { class: 'muted small', testid: 'imports-summary' });
    this.error = h('p', { class: 'error', hidden: true, role: 'alert', testid: 'imports-error' });
    this.pager = new Pager('imports', pageSize, () => void this.load());
    this.status = h('select', { testid: 'imports-filter', 'aria-label': 'Status 状态', onchange: () => { this.pager.page = 1; void this.load(); } },
      h('option', { value: '' }, 'All statuses 全部状态'), statuses.map((s) => h('option', { value: s }, label(s))));
    const tbody = h('tbody');
    this.rows = new KeyedRows(tbody, (v) => v.importId, (v) => `${v.status} ${v.total} ${v.applied} ${v.unchanged} ${v.rejectedCount}`, (v) => this.row(v),
      () => h('tr', null, h('td', { colspan: 9, class: 'muted' }, 'No imports yet. 暂无导入。')));
    this.el = h('div', { class: 'tab-stack', testid: 'erp-imports' },
      h('section', { class: 'panel', testid: 'import-new' },
        h('header', { class: 'panel-head' }, h('h2', null, 'Import from SAP 从 SAP 导入')),
        h('p', { class: 'muted small' },
          'CSV: the header row names the fields (location.lat, location.lon; ";" between list items); JSON: { "batchId", "kind", "rows": [ … ] } or just the array of rows. ',
          'Good rows apply even when others are rejected; the same batch id again is the same import. ',
          'CSV 表头为字段名；JSON 为完整对象或行数组。合格行照常导入，被拒绝的行列出行号与原因；同一批次号即同一批导入。'),
        this.form.el,
        this.detailError,
        this.detail),
      h('section', { class: 'panel', testid: 'imports-panel' },
        h('header', { class: 'panel-head' },
          h('h2', null, 'Recent imports 最近导入'),
          h('div', { class: 'tools' }, this.summary, this.status,
            h('button', { type: 'button', class: 'ghost', testid: 'imports-refresh', onclick: () => void this.load() }, 'Refresh 刷新'))),
        this.error,
        h('div', { class: 'table-scroll' },
          h('table', { class: 'stock-table', testid: 'imports-table' },
            h('thead', null, h('tr', null,
              h('th', null, 'Batch 批次'), h('th', null, 'Kind 类型'), h('th', null, 'Status 状态'), h('th', { class: 'num' }, 'Rows 行数'),
              h('th', { class: 'num' }, 'Applied 已应用'), h('th', { class: 'num' }, 'Unchanged 未变'), h('th', { class: 'num' }, 'Rejected 已拒绝'),
              h('th', null, 'Received 接收时间'), h('th', null, 'Completed 完成时间'))),
            tbody)),
        this.pager.el));
  }

  /** Shown: the list, and the import the address names (#erp/imports/{id}), followed while it runs. */
  async open(id: string | null): Promise<void> {
    void this.load();
    if (!id || id === this.shown) return;
    this.poller.stop();
    this.form.reset();
    try {
      const v = await api.importView(id);
      this.detailError.hidden = true;
      this.showDetail(v);
      if (v.status === 'Running') {
        this.poller.start(async () => {
          const next = await api.importView(id);
          if (this.shown !== id) return false;
          this.showDetail(next);
          if (next.status !== 'Running') void this.load();
          return next.status === 'Running';
        });
      }
    } catch (e) {
      this.detailError.hidden = false;
      setText(this.detailError, `Import ${id}: ${problemText(e)}`);
    }
  }

  /** An upload starts: the import shown before goes (the upload's progress shows above). */
  private hideDetail(): void {
    this.poller.stop();
    this.shown = null;
    this.detail.hidden = true;
    this.detailError.hidden = true;
    for (const tr of this.rows.tbody.querySelectorAll('tr.selected')) tr.classList.remove('selected');
  }

  private showDetail(v: ImportView): void {
    this.shown = v.importId;
    this.detail.hidden = false;
    this.detail.replaceChildren(importDetail(v));
    for (const tr of this.rows.tbody.querySelectorAll<HTMLElement>('tr[data-import-id]')) tr.classList.toggle('selected', tr.dataset.importId === v.importId);
  }

  /** Loads this page of the list; a call while loading loads once more after. */
  async load(): Promise<void> {
    if (this.loading) { this.again = true; return; }
    this.loading = true;
    try {
      const status = this.status.value || null;
      let list = await api.imports(status, this.pager.page, pageSize);
      if (this.pager.clamp(list.total)) list = await api.imports(status, this.pager.page, pageSize);
      this.error.hidden = true;
      this.rows.set(list.items);
      this.pager.show(list.total, list.items.length);
      setText(this.summary, `${fmtInt(list.total)} imports 批导入`);
    } catch (e) {
      this.error.hidden = false;
      setText(this.error, `Could not load imports 无法加载导入记录: ${problemText(e)}`);
    } finally {
      this.loading = false;
      if (this.again) { this.again = false; void this.load(); }
    }
  }

  private row(v: ImportView): HTMLElement {
    const href = `#erp/imports/${encodeURIComponent(v.importId)}`;
    return h('tr', { testid: 'import-row', 'data-import-id': v.importId, 'data-status': v.status, class: `clickable${v.importId === this.shown ? ' selected' : ''}`,
      onclick: (ev: MouseEvent) => { if (!(ev.target as HTMLElement).closest('a')) location.hash = href; } },
    h('td', null, h('a', { href, class: 'mono', testid: 'import-open' }, v.importId), h('div', { class: 'muted small' }, v.format.toUpperCase())),
    h('td', null, kindLabel(v.kind)),
    h('td', null, h('span', { class: `badge status-${v.status}` }, label(v.status))),
    h('td', { class: 'num', 'data-value': v.total }, fmtInt(v.total)),
    h('td', { class: 'num', 'data-value': v.applied }, fmtInt(v.applied)),
    h('td', { class: 'num', 'data-value': v.unchanged }, fmtInt(v.unchanged)),
    h('td', { class: `num${v.rejectedCount ? ' error' : ''}`, testid: 'import-row-rejected', 'data-value': v.rejectedCount }, fmtInt(v.rejectedCount)),
    h('td', { class: 'nowrap small' }, fmtDateTime(v.receivedAt)),
    h('td', { class: 'nowrap small' }, fmtDateTime(v.completedAt)));
  }

  destroy(): void {
    this.poller.stop();
  }
}
