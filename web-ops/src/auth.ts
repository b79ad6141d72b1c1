// The signed-in session: a JWT kept in sessionStorage (this tab only). The payload is decoded for display and for
// choosing the view; the server checks the signature and decides what the caller may see.
import type { Role } from './types';

const storageKey = 'routing.ops.token';

export interface Session {
  token: string;
  role: Role | string;
  subject: string;
  distributorId: string | null;
  customerId: string | null;
  /** A sales manager's id (the `sales_id` claim): the customers whose `salesManagerId` it is are its own. */
  salesId: string | null;
  /** Expiry, in ms since the epoch; null when the token has none. */
  expiresAt: number | null;
}

export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const claim = (p: Record<string, unknown>, name: string): string | null => {
  const v = p[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
};

/** Parses a token into a session, or explains why it cannot be one. */
export function parseToken(raw: string): Session | { error: string } {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const p = decodeJwtPayload(token);
  if (!p) return { error: 'This is not a JWT (three base64url parts). 这不是有效的令牌。' };
  const exp = typeof p.exp === 'number' ? p.exp * 1000 : null;
  const session: Session = {
    token,
    role: claim(p, 'role') ?? '',
    subject: claim(p, 'sub') ?? '',
    distributorId: claim(p, 'distributor_id'),
    customerId: claim(p, 'customer_id'),
    salesId: claim(p, 'sales_id'),
    expiresAt: exp,
  };
  if (exp !== null && exp <= Date.now()) return { error: 'This token has expired. 令牌已过期。' };
  if (session.role === 'distributor' && !session.distributorId) return { error: 'A distributor token needs a distributor_id claim.' };
  if (session.role === 'sales' && !session.salesId) return { error: 'A sales manager token needs a sales_id claim. 销售经理令牌缺少 sales_id。' };
  if (session.role !== 'ops' && session.role !== 'distributor' && session.role !== 'sales')
    return { error: `The console is for ops, distributors and sales managers; this token's role is "${session.role || 'none'}". 此控制台仅供运营、经销商和销售经理使用。` };
  return session;
}

export function loadSession(): Session | null {
  const token = sessionStorage.getItem(storageKey);
  if (!token) return null;
  const s = parseToken(token);
  if ('error' in s) {
    sessionStorage.removeItem(storageKey);
    return null;
  }
  return s;
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(storageKey, s.token);
}

export function clearSession(): void {
  sessionStorage.removeItem(storageKey);
}

export function currentToken(): string {
  return sessionStorage.getItem(storageKey) ?? '';
}

export function isExpired(s: Session, slackMs = 0): boolean {
  return s.expiresAt !== null && s.expiresAt <= Date.now() + slackMs;
}
