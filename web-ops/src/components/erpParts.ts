// Pieces the ERP pages share (imports and reconciliation): what each kind of import is called and what its CSV looks
// like, a poller that asks again every half second while something runs on the server, and reading the first bytes of
// a file chosen for upload.
import { h, timeId } from '../dom';
import type { ImportKind } from '../types';

/** The CSV of each kind of import: its header row names the JSON fields of the REST API's body for one row
 *  (`location.lat` for a nested field; `;` between the items of a list), and one example row. */
export const importKinds: Record<ImportKind, { label: string; header: string; example: string }> = {
  products: {
    label: 'Products 商品',
    header: 'sku,name,unit,category,substitutes',
    example: 'UREA-25,"Urea 46% N, 25 kg",bag,fertiliser,UREA-50;UREA-40',
  },
  distributors: {
    label: 'Distributors 经销商',
    header: 'id,name,regions,location.lat,location.lon,priority,dailyCapacity,active',
    example: 'd-99,Hongshan Agri 洪山农资,420111;420106,30.50,114.34,1,5000,true',
  },
  customers: {
    label: 'Customers 客户',
    header: 'id,name,region,location.lat,location.lon,homeDistributorId,kind,salesManagerId',
    example: 'c-9001,Li Wei 李伟,420106,30.50,114.30,d-01,household,',
  },
  stock: {
    label: 'Stock levels 库存',
    header: 'distributorId,sku,onHand,threshold',
    example: 'd-01,UREA-50,500,50',
  },
};

export const kindLabel = (kind: string): string => importKinds[kind as ImportKind]?.label ?? kind;

/** An id as the API takes it (batch and snapshot ids): letters, digits, '.', '_' or '-', at most 64. */
export const validId = (id: string): boolean => id.length <= 64 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id);

const usedIds = new Set<string>();
/** A fresh batch or snapshot id by the time (`sap-20261202-060512`), never one this page used already: two sent in one
 *  second would otherwise be one. `use` marks an id as used. */
export const freshIds = {
  next(): string {
    const base = timeId('sap');
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
    return id;
  },
  use(id: string): void {
    usedIds.add(id);
  },
};

/** How often a running import or snapshot is asked again. */
export const POLL_MS = 500;

/** Calls `tick` every POLL_MS until it answers false or `stop` is called; one call at a time, a new `start` ends the
 *  previous run. */
export class Poller {
  private generation = 0;

  start(tick: () => Promise<boolean>): void {
    const gen = ++this.generation;
    const run = async () => {
      if (gen !== this.generation) return;
      let again = true;
      try {
        again = await tick();
      } catch {
        again = true; // a failed poll is asked again; the page shows the last answer
      }
      if (again && gen === this.generation) window.setTimeout(() => void run(), POLL_MS);
    };
    window.setTimeout(() => void run(), POLL_MS);
  }

  stop(): void {
    this.generation++;
  }
}

/** The file's first bytes as text, without a UTF-8 byte order mark, and how many bytes that mark took (0 or 3). */
export async function headOf(file: Blob, bytes = 64 * 1024): Promise<{ text: string; bom: number }> {
  const text = await file.slice(0, bytes).text();
  return text.startsWith('\uFEFF') ? { text: text.slice(1), bom: 3 } : { text, bom: 0 };
}

/** Lines in a CSV file after its header (blank lines not counted; a quoted line break counts as a line: an estimate). */
export async function countCsvRows(file: Blob): Promise<number> {
  const reader = file.stream().getReader();
  let lines = 0, lineHasText = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const b of value) {
      if (b === 10) { if (lineHasText) lines++; lineHasText = false; } else if (b !== 13 && b !== 32) lineHasText = true;
    }
  }
  if (lineHasText) lines++;
  return Math.max(0, lines - 1);
}

/** A small stacked bar: each part's share of the whole, in order. */
export function stackedBar(testid: string): { el: HTMLElement; set(whole: number, parts: number[]): void } {
  const fills = ['applied', 'unchanged', 'rejected'].map((c) => h('div', { class: `part ${c}` }));
  const el = h('div', { class: 'stacked-bar', testid, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 }, fills);
  return {
    el,
    set(whole, parts) {
      const total = Math.max(whole, parts.reduce((a, b) => a + b, 0), 1);
      parts.forEach((p, i) => { if (fills[i]) fills[i].style.width = `${(100 * p) / total}%`; });
      el.setAttribute('aria-valuenow', String(Math.round((100 * parts.reduce((a, b) => a + b, 0)) / total)));
    },
  };
}
