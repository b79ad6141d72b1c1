// REST client: bearer token, JSON, RFC 9457 problem details turned into readable errors.
import { currentToken } from './auth';
import type {
  Alert, Campaign, Distributor, ExceptionOrder, FlashSaleStatus, InventoryItem, OrderView, PolicyDefaults, PolicyRequest, RoutingPolicy,
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
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.token ?? currentToken();
  if (!options.anonymous && token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
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
  return json as T;
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
