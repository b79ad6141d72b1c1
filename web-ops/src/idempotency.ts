// Idempotency-Key for the forms that create something (a pre-order, a transfer, a return, a stocktake): each submit
// gets a new key, and submitting the same form again after a failure that may not have reached the server (network,
// 408, 429, 5xx) reuses it, so the server answers what it already did instead of doing it twice.
import { ApiError } from './api';

/** A fresh key: random, and available where crypto.randomUUID is not (a plain-http host). */
export function newKey(prefix: string): string {
  if (typeof crypto.randomUUID === 'function') return `${prefix}-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A failure that may pass on a second try of the same request (the network, an overloaded or restarting server): the
 *  key is kept for it, so something that was in fact done is answered, not done twice. */
export const retryable = (e: unknown): boolean =>
  !(e instanceof ApiError) || e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;

/** The keys of one form: `take` before each submit, `settle` after its answer. */
export class IdempotencyKeys {
  /** The last submit that did not get a definite answer, and its key: submitted again unchanged, it is the same request. */
  private pending: { body: string; key: string } | null = null;

  constructor(private readonly prefix: string) {}

  /** The key for a submit of `request` (everything that makes it this request: body and path): the last one's when the
   *  same request failed in a way a retry may mend, else a new one. */
  take(request: unknown): { key: string; retry: boolean } {
    const body = JSON.stringify(request);
    const retry = this.pending?.body === body;
    const key = retry ? this.pending!.key : newKey(this.prefix);
    this.pending = { body, key };
    return { key, retry };
  }

  /** After the answer: a success (no error) or a definite refusal ends the request; a failure a retry may mend keeps its
   *  key for the next identical submit. Returns whether the error is one to retry. */
  settle(error?: unknown): boolean {
    const again = error !== undefined && retryable(error);
    if (!again) this.pending = null;
    return again;
  }
}
