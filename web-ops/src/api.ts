// REST client: bearer token, JSON, RFC 9457 problem details turned into readable errors.
import { currentToken } from './auth';
import type {
  Alert, BulkApproveResult, Campaign, Distributor, ExceptionOrder, FlashSaleStatus, InventoryItem, OrderView, PolicyDefaults, PolicyRequest,
  ImportKind, ImportView, LedgerSummaryRow, PreOrderRequest, Product, ReceivedLine, ReturnRequest, ReturnView, ReviewRules, RoutingPolicy,
  SnapshotView, StockSnapshotRequest, StocktakeRequest, StocktakeView, TransferRequest, TransferView,
} from './types';

/** The fulfilment steps of a share, in order: confirm, ship (takes the units off stock), complete. */
export type FulfilmentStep = 'confirm' | 'ship' | 'complete';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly problem?: Record<string, unknown>,
  ) {
    super(message);
  }
}

let onUnauthorized: (() => void) | null = null;
/** Called when the server answers 401 (the token expired or was rejected). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Use this token instead of the session's (signing in). */
  token?: string;
  /** Do not send a token (anonymous endpoints). */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** More request headers (Idempotency-Key). */
  headers?: Record<string, string>;
  /** A body sent as it is (a file being uploaded, streamed by the browser), instead of `body` as JSON. */
  upload?: { body: Blob; contentType: string };
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await send<T>(path, options)).body;
}

/** One page of a paged list and the count of every match (X-Total-Count). */
export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export async function requestPage<T>(path: string, page: number, pageSize: number): Promise<Page<T>> {
  const sep = path.includes('?') ? '&' : '?';
  const { body, headers } = await send<T[]>(`${path}${sep}page=${page}&pageSize=${pageSize}`, {});
  const total = Number(headers.get('X-Total-Count'));
  return { items: body, total: Number.isFinite(total) && headers.has('X-Total-Count') ? total : body.length, page, pageSize };
}

/** A text answer (a CSV file), with the session's token: a plain link could not send it. */
export async function requestText(path: string, accept: string): Promise<string> {
  return (await send<unknown>(path, { headers: { Accept: accept } })).text;
}

async function send<T>(path: string, options: RequestOptions): Promise<{ body: T; headers: Headers; text: string }> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const token = options.token ?? currentToken();
  if (!options.anonymous && token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.upload) headers['Content-Type'] = options.upload.contentType;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.upload ? options.upload.body : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, `Network error: the API does not answer (${(e as Error).message}). 网络错误。`);
  }
  if (response.status === 401 && !options.token && !options.anonymous) onUnauthorized?.();
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try { json = JSON.parse(text); } catch { json = undefined; }
  }
  if (!response.ok) throw toError(response, json, text);
  return { body: json as T, headers: response.headers, text };
}

/** The largest page the API serves (pageSize 1…500). */
const MAX_PAGE = 500;

/** Every item of a paged list: pages of the largest size until one comes back short. */
export async function requestAll<T>(path: string, options: RequestOptions = {}): Promise<T[]> {
  const all: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const items = await request<T[]>(`${path}${sep}page=${page}&pageSize=${MAX_PAGE}`, options);
    all.push(...items);
    if (items.length < MAX_PAGE) return all;
  }
}

function toError(response: Response, json: unknown, text: string): ApiError {
  if (json && typeof json === 'object') {
    const p = json as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof p.detail === 'string') parts.push(p.detail);
    else if (typeof p.title === 'string') parts.push(p.title);
    if (p.errors && typeof p.errors === 'object') {
      for (const [field, msgs] of Object.entries(p.errors as Record<string, unknown>)) {
        parts.push(`${field}: ${Array.isArray(msgs) ? msgs.join(' ') : String(msgs)}`);
      }
    }
    const code = typeof p.code === 'string' ? p.code : undefined;
    return new ApiError(response.status, `${response.status} ${parts.join(' · ') || response.statusText}`, code, p);
  }
  const hint = response.status === 401 ? ' (token missing, expired or rejected)' : response.status === 403 ? ' (not allowed for this role)' : '';
  return new ApiError(response.status, `${response.status} ${response.statusText}${hint}${text && text.length < 200 ? `: ${text}` : ''}`);
}

const enc = encodeURIComponent;

/** `?a=1&b=2` of the parameters given (empty ones left out), or ''. */
function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  campaigns: () => requestAll<Campaign>('/api/campaigns'),
  distributors: () => requestAll<Distributor>('/api/distributors'),
  distributor: (id: string, token?: string) => request<Distributor>(`/api/distributors/${enc(id)}`, { token }),
  inventory: (id: string) => requestAll<InventoryItem>(`/api/distributors/${enc(id)}/inventory`),
  /** The newest alerts, one page (the log keeps 5,000). */
  alerts: (openOnly: boolean, pageSize = 200) => request<Alert[]>(`/api/alerts?openOnly=${openOnly}&pageSize=${pageSize}`),
  acknowledge: (id: number) => request<Alert>(`/api/alerts/${id}/acknowledge`, { method: 'POST' }),
  order: (id: string) => request<OrderView>(`/api/orders/${enc(id)}`),
  /** A fulfilment step for one distributor's share (a distributor may only name its own). */
  fulfil: (id: string, step: FulfilmentStep, distributorId: string) =>
    request<OrderView>(`/api/orders/${enc(id)}/${step}?distributorId=${enc(distributorId)}`, { method: 'POST' }),
  exceptions: () => requestAll<ExceptionOrder>('/api/exceptions'),
  reroute: (id: string, substituteSku: string | null) =>
    request<OrderView>(`/api/orders/${enc(id)}/reroute`, { method: 'POST', body: substituteSku ? { substituteSku } : {} }),
  cancel: (id: string, reason: string) => request<OrderView>(`/api/orders/${enc(id)}/cancel`, { method: 'POST', body: { reason } }),
  pay: (id: string, paymentId: string, amount: number) =>
    request<OrderView>(`/api/orders/${enc(id)}/payment`, { method: 'POST', body: { paymentId, amount } }),
  refund: (id: string, refundId: string) => request<OrderView>(`/api/orders/${enc(id)}/refund`, { method: 'POST', body: { refundId } }),
  /** Order review (ops): the rules, the queue of held orders (oldest first), the decisions. */
  reviewRules: () => request<ReviewRules>('/api/review-rules'),
  saveReviewRules: (body: ReviewRules) => request<ReviewRules>('/api/review-rules', { method: 'PUT', body }),
  reviews: (page: number, pageSize: number) => requestPage<OrderView>('/api/reviews', page, pageSize),
  approve: (id: string) => request<OrderView>(`/api/orders/${enc(id)}/approve`, { method: 'POST' }),
  reject: (id: string, reason: string) => request<OrderView>(`/api/orders/${enc(id)}/reject`, { method: 'POST', body: { reason } }),
  approveMany: (orderIds: string[]) => request<BulkApproveResult[]>('/api/reviews/approve', { method: 'POST', body: { orderIds } }),
  /** Pre-orders, newest first, scoped to the caller by the server; `status` null for all. */
  preOrders: (status: string | null, page: number, pageSize: number) =>
    requestPage<OrderView>(`/api/preorders${status ? `?status=${enc(status)}` : ''}`, page, pageSize),
  /** The same key on a retry of the same submit: the server answers the pre-order it already took. */
  createPreOrder: (body: PreOrderRequest, idempotencyKey: string) =>
    request<OrderView>('/api/preorders', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
  confirmPreOrder: (id: string) => request<OrderView>(`/api/preorders/${enc(id)}/confirm`, { method: 'POST' }),
  cancelPreOrder: (id: string, reason: string | null) =>
    request<OrderView>(`/api/preorders/${enc(id)}/cancel`, { method: 'POST', body: reason ? { reason } : {} }),
  /** Transfers between distributors (调拨), newest first, scoped by the server (a distributor: those it is a side of). */
  transfers: (filter: { status?: string; distributorId?: string }, page: number, pageSize: number) =>
    requestPage<TransferView>(`/api/transfers${query(filter)}`, page, pageSize),
  /** Ops; the same key on a retry of the same submit answers the transfer already requested. */
  requestTransfer: (body: TransferRequest, idempotencyKey: string) =>
    request<TransferView>('/api/transfers', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
  dispatchTransfer: (id: string) => request<TransferView>(`/api/transfers/${enc(id)}/dispatch`, { method: 'POST' }),
  receiveTransfer: (id: string, receivedQuantity: number) =>
    request<TransferView>(`/api/transfers/${enc(id)}/receive`, { method: 'POST', body: { receivedQuantity } }),
  cancelTransfer: (id: string) => request<TransferView>(`/api/transfers/${enc(id)}/cancel`, { method: 'POST' }),
  /** Returns (退换货), newest first, scoped by the server (a distributor: those coming back to it). */
  returns: (filter: { orderId?: string; distributorId?: string; status?: string }, page: number, pageSize: number) =>
    requestPage<ReturnView>(`/api/returns${query(filter)}`, page, pageSize),
  requestReturn: (orderId: string, body: ReturnRequest, idempotencyKey: string) =>
    request<ReturnView>(`/api/orders/${enc(orderId)}/returns`, { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
  receiveReturn: (id: string, lines: ReceivedLine[]) =>
    request<ReturnView>(`/api/returns/${enc(id)}/receive`, { method: 'POST', body: { lines } }),
  /** A distributor's latest stocktakes (盘点), newest first. */
  stocktakes: (id: string) => request<StocktakeView[]>(`/api/distributors/${enc(id)}/stocktakes`),
  createStocktake: (id: string, body: StocktakeRequest, idempotencyKey: string) =>
    request<StocktakeView>(`/api/distributors/${enc(id)}/stocktakes`, { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
  /** The stock statement (进销存明细表) per SKU over [from, to] (ISO times with offset). */
  ledgerSummary: (id: string, from: string, to: string) =>
    request<LedgerSummaryRow[]>(`/api/distributors/${enc(id)}/ledger/summary${query({ from, to })}`),
  ledgerSummaryCsv: (id: string, from: string, to: string) =>
    requestText(`/api/distributors/${enc(id)}/ledger/summary${query({ from, to, format: 'csv' })}`, 'text/csv'),
  /** SAP imports (erp, ops), newest first; `status` null for all. */
  imports: (status: string | null, page: number, pageSize: number) =>
    requestPage<ImportView>(`/api/erp/imports${query({ status: status ?? undefined })}`, page, pageSize),
  importView: (id: string) => request<ImportView>(`/api/erp/imports/${enc(id)}`),
  /** Uploads an import as it is: CSV (`text/csv`, kind and batch id in the query) or JSON (the envelope; the query names
   *  what the envelope leaves out). Answers when every row is applied or rejected; GET importView shows it meanwhile. */
  importBatch: (params: { kind?: ImportKind; batchId?: string }, body: Blob, contentType: 'text/csv' | 'application/json') =>
    request<ImportView>(`/api/erp/imports${query(params)}`, { method: 'POST', upload: { body, contentType } }),
  /** SAP stock snapshots (对账), newest first; `status` null for all. */
  snapshots: (status: string | null, page: number, pageSize: number) =>
    requestPage<SnapshotView>(`/api/erp/stock-snapshots${query({ status: status ?? undefined })}`, page, pageSize),
  snapshot: (id: string) => request<SnapshotView>(`/api/erp/stock-snapshots/${enc(id)}`),
  /** Accepted at once (Running); reconciled in the background. The same id and body again is the same snapshot. */
  reconcile: (body: StockSnapshotRequest) => request<SnapshotView>('/api/erp/stock-snapshots', { method: 'POST', body }),
  products: () => requestAll<Product>('/api/products'),
  policies: () => requestAll<RoutingPolicy>('/api/policies'),
  policyDefaults: () => request<PolicyDefaults>('/api/policy-defaults'),
  savePolicy: (id: string, body: PolicyRequest) => request<RoutingPolicy>(`/api/policies/${enc(id)}`, { method: 'PUT', body }),
  startFlashSale: () => request<FlashSaleStatus>('/api/simulations/flash-sale', { method: 'POST', body: {} }),
  flashSale: () => request<FlashSaleStatus>('/api/simulations/flash-sale'),
  /** Checks a token before keeping it: any authorized read will do. */
  verify: (token: string, path: string) => request<unknown>(path, { token }),
  /** Development only: one-click tokens. Null when the endpoint does not exist (404) or fails. */
  devToken: async (params: Record<string, string>): Promise<string | null> => {
    try {
      const r = await request<{ token?: string }>(`/api/dev/tokens?${new URLSearchParams(params)}`, { anonymous: true });
      return typeof r?.token === 'string' ? r.token : null;
    } catch {
      return null;
    }
  },
};

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The messages of a validation problem by request field (`maxUnits`, `lines[0].quantity`): the `errors` of a
 *  validation problem, or the field a malformed JSON value names (`$.maxUnits: …`). Empty for any other error. */
export function fieldErrors(e: unknown): Map<string, string> {
  const found = new Map<string, string>();
  if (!(e instanceof ApiError) || !e.problem) return found;
  const errors = e.problem.errors;
  if (errors && typeof errors === 'object') {
    for (const [field, msgs] of Object.entries(errors as Record<string, unknown>)) {
      found.set(field.replace(/^\$\./, ''), Array.isArray(msgs) ? msgs.join(' ') : String(msgs));
    }
  }
  const detail = e.problem.detail;
  const named = typeof detail === 'string' ? /^\$\.([A-Za-z0-9_.[\]]+):\s*(.*)$/.exec(detail) : null;
  if (named) found.set(named[1], named[2]);
  return found;
}
