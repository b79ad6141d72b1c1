// Routing operations console: sign in, then the ops, distributor or sales manager view by the token's role.
import './style.css';
import { setUnauthorizedHandler } from './api';
import { clearSession, loadSession, saveSession, type Session } from './auth';
import { unlockAudio } from './notify';
import { signInView } from './signin';
import { mountDistributor } from './views/distributor';
import { mountOps } from './views/ops';
import { mountSales } from './views/sales';

const root = document.getElementById('app')!;
let active: { destroy(): void } | null = null;
let expiryTimer: number | undefined;

function start(message?: string): void {
  active?.destroy();
  active = null;
  window.clearTimeout(expiryTimer);
  const session = loadSession();
  if (!session) {
    setUnauthorizedHandler(null);
    document.title = 'Routing · Sign in 登录';
    root.replaceChildren(signInView(message, (s: Session) => {
      saveSession(s);
      unlockAudio(); // the sign-in click is the gesture that allows the alert beep
      start();
    }));
    return;
  }
  setUnauthorizedHandler(() => signOut('Session expired or token rejected: sign in again. 会话已失效，请重新登录。'));
  if (session.expiresAt !== null) {
    // The server closes live connections when the token expires; do not wait for that to ask for a new one.
    const ms = Math.min(session.expiresAt - Date.now() + 1000, 2_147_483_000);
    expiryTimer = window.setTimeout(() => signOut('Session expired: sign in again. 会话已过期，请重新登录。'), Math.max(0, ms));
  }
  active = session.role === 'ops' ? mountOps(root, session, signOut)
    : session.role === 'sales' ? mountSales(root, session, signOut) // no hub: the hubs refuse sales tokens
      : mountDistributor(root, session, signOut);
}

function signOut(message?: string): void {
  if (!active && !loadSession()) return; // already signed out (several 401s at once)
  clearSession();
  start(message);
}

start();
