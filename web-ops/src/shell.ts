// The top bar: product name, optional tabs, live connection (or auto-refresh) status, who is signed in, sign out.
import type { Session } from './auth';
import { fmtDateTime, h, setText } from './dom';
import type { LiveState } from './live';

/** A live hub connection's state, or `polling` for a view that has no hub (a sales manager's: the hubs refuse it) and
 *  refreshes by asking again. */
export type ShellState = LiveState | 'polling';

const stateText: Record<ShellState, string> = {
  connecting: 'Connecting 连接中',
  connected: 'Live 实时',
  reconnecting: 'Reconnecting 重连中',
  disconnected: 'Offline 离线',
  polling: 'Auto-refresh 自动刷新',
};

export interface Tab { id: string; label: string; badge?: HTMLElement }

export class Shell {
  readonly el: HTMLElement;
  readonly main: HTMLElement;
  private readonly status: HTMLElement;
  private readonly tabLinks = new Map<string, HTMLAnchorElement>();

  constructor(session: Session, title: string, onSignOut: () => void, tabs: Tab[] = []) {
    this.status = h('span', { class: 'conn', testid: 'connection-status', 'data-state': 'connecting', role: 'status' }, stateText.connecting);
    const who = session.role === 'distributor'
      ? `distributor 经销商 ${session.distributorId}`
      : session.role === 'sales'
        ? `sales manager 销售经理 ${session.salesId}`
        : session.subject && session.subject !== session.role ? `ops 运营 · ${session.subject}` : 'ops 运营';
    const nav = tabs.length
      ? h('nav', { class: 'tabs', 'aria-label': 'Sections' }, tabs.map((t) => {
        const a = h('a', { href: `#${t.id}`, testid: `tab-${t.id}` }, t.label, t.badge ?? null);
        this.tabLinks.set(t.id, a);
        return a;
      }))
      : null;
    this.main = h('main', { class: 'content' });
    this.el = h('div', { class: 'app' },
      h('header', { class: 'topbar' },
        h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '⇄'), h('span', null, title)),
        this.status,
        h('div', { class: 'who' },
          h('span', { testid: 'signed-in-as', title: session.expiresAt ? `token expires ${fmtDateTime(new Date(session.expiresAt).toISOString())}` : '' }, who),
          h('button', { type: 'button', class: 'ghost small', testid: 'sign-out', onclick: onSignOut }, 'Sign out 退出'))),
      nav,
      this.main);
  }

  setState(state: ShellState, detail?: string): void {
    this.status.dataset.state = state;
    setText(this.status, stateText[state]);
    this.status.title = detail ?? '';
  }

  selectTab(id: string): void {
    for (const [tab, a] of this.tabLinks) {
      a.classList.toggle('active', tab === id);
      if (tab === id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }
}
