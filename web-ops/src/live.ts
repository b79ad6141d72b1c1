// The live connection: one SignalR hub connection per signed-in view. Every event delivers an array of payloads
// (the server batches them). On every (re)connect the view resyncs from REST snapshots; when the server closes the
// connection because the token expired, the view signs out.
import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import type { LiveEventName, LiveEvents } from './types';
import { currentToken, isExpired, type Session } from './auth';
import type { Shell } from './shell';

export type LiveState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface LiveOptions {
  hub: '/hubs/ops' | '/hubs/distributor';
  token: () => string;
  onState: (state: LiveState, detail?: string) => void;
  /** After every successful (re)connect: load REST snapshots. `first` is true for the first connection. */
  onConnected: (first: boolean) => void;
  /** The token expired or was refused: sign in again. */
  onAuthLost: (reason: string) => void;
  isExpired: () => boolean;
}

const retryDelaysMs = [0, 1000, 2000, 5000, 10000, 15000, 30000];

export class Live {
  private readonly connection: HubConnection;
  private stopped = false;
  private everConnected = false;
  private retryTimer: number | undefined;
  private attempts = 0;

  constructor(private readonly options: LiveOptions) {
    this.connection = new HubConnectionBuilder()
      .withUrl(options.hub, {
        accessTokenFactory: () => options.token(),
        transport: HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling,
      })
      .withAutomaticReconnect(retryDelaysMs)
      .configureLogging(LogLevel.Warning)
      .build();
    // Server keep-alives come every 15 s; allow for a slow phone network.
    this.connection.serverTimeoutInMilliseconds = 40_000;

    this.connection.onreconnecting((error) => {
      if (this.authLost(error)) return;
      options.onState('reconnecting', error?.message);
    });
    this.connection.onreconnected(() => {
      options.onState('connected');
      options.onConnected(false);
    });
    this.connection.onclose((error) => {
      if (this.stopped) return;
      if (this.authLost(error)) return;
      options.onState('disconnected', error?.message);
      this.retryLater();
    });
  }

  /** Subscribes to an event; the handler always gets an array. */
  on<N extends LiveEventName>(name: N, handler: (events: LiveEvents[N][]) => void): void {
    this.connection.on(name, (payload: unknown) => {
      const events = (Array.isArray(payload) ? payload : [payload]).filter((e) => e && typeof e === 'object') as LiveEvents[N][];
      if (events.length > 0) handler(events);
    });
  }

  get state(): HubConnectionState {
    return this.connection.state;
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    this.options.onState(this.everConnected ? 'reconnecting' : 'connecting');
    try {
      await this.connection.start();
      if (this.stopped) { await this.connection.stop(); return; }
      this.attempts = 0;
      const first = !this.everConnected;
      this.everConnected = true;
      this.options.onState('connected');
      this.options.onConnected(first);
    } catch (e) {
      if (this.stopped) return;
      const status = (e as { statusCode?: number }).statusCode;
      if (status === 401 || status === 403 || this.options.isExpired()) {
        this.options.onAuthLost(status === 403 ? 'This token may not use the live hub. 无权访问。' : 'Session expired or token rejected. 会话已过期，请重新登录。');
        return;
      }
      this.options.onState('disconnected', (e as Error).message);
      this.retryLater();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    try { await this.connection.stop(); } catch { /* already stopped */ }
  }

  private authLost(error: Error | undefined): boolean {
    const expired = this.options.isExpired() || /expired|unauthori[sz]ed|401/i.test(error?.message ?? '');
    if (!expired) return false;
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    void this.connection.stop().catch(() => undefined);
    this.options.onAuthLost('Session expired: sign in again. 会话已过期，请重新登录。');
    return true;
  }

  private retryLater(): void {
    window.clearTimeout(this.retryTimer);
    const delay = Math.min(30_000, 2000 * 2 ** Math.min(this.attempts++, 4));
    this.retryTimer = window.setTimeout(() => void this.start(), delay);
  }
}

/** Connects a view to its hub. The view's REST snapshot reloads on every (re)connect, so nothing shown is stale (and
 *  loads once even if the hub never answers); after an interruption, `onGap` tells the user what may be missing. */
export function connectView(o: {
  hub: LiveOptions['hub'];
  session: Session;
  shell: Shell;
  signOut: (message?: string) => void;
  resync: () => Promise<unknown>;
  onGap: (reconnectedAt: number) => void;
}): Live {
  let loaded = false;
  const resync = () => { loaded = true; void o.resync(); };
  let interrupted = false;
  return new Live({
    hub: o.hub,
    token: currentToken,
    isExpired: () => isExpired(o.session),
    onAuthLost: (reason) => o.signOut(reason),
    onState: (state, detail) => {
      o.shell.setState(state, detail);
      if (state === 'disconnected' && !loaded) resync();
      if (state !== 'connected') interrupted = true;
    },
    onConnected: (first) => {
      if (!first && interrupted) o.onGap(Date.now());
      interrupted = false;
      resync();
    },
  });
}
