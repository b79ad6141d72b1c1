// The ERP / SAP tab (ERP / SAP 对接): imports (#erp/imports[/{batchId}]) and reconciliation
// (#erp/snapshots[/{snapshotId}]), one shown at a time under a small switch; #erp alone is the imports.
import { h } from '../dom';
import { ImportsPanel } from './erpImports';
import { ReconciliationPanel } from './erpReconciliation';

type Part = 'imports' | 'snapshots';

export class ErpPanel {
  readonly el: HTMLElement;
  private readonly imports = new ImportsPanel();
  private readonly reconciliation = new ReconciliationPanel();
  private readonly links: Record<Part, HTMLAnchorElement>;

  constructor() {
    this.links = {
      imports: h('a', { href: '#erp/imports', testid: 'erp-nav-imports' }, 'Imports 导入'),
      snapshots: h('a', { href: '#erp/snapshots', testid: 'erp-nav-snapshots' }, 'Reconciliation 对账'),
    };
    this.el = h('div', { class: 'tab-stack' },
      h('nav', { class: 'subtabs', 'aria-label': 'ERP' }, this.links.imports, this.links.snapshots),
      this.imports.el, this.reconciliation.el);
  }

  /** The address after #erp: [part, id]. */
  route(path: string[]): void {
    const part: Part = path[0] === 'snapshots' ? 'snapshots' : 'imports';
    const id = path[1] ? decodeURIComponent(path.slice(1).join('/')) : null;
    this.imports.el.hidden = part !== 'imports';
    this.reconciliation.el.hidden = part !== 'snapshots';
    for (const [p, a] of Object.entries(this.links) as [Part, HTMLAnchorElement][]) {
      a.classList.toggle('active', p === part);
      if (p === part) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    void (part === 'imports' ? this.imports.open(id) : this.reconciliation.open(id));
  }

  destroy(): void {
    this.imports.destroy();
    this.reconciliation.destroy();
  }
}
