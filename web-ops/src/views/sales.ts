// The sales manager's view (role `sales`): the Pre-orders page only, for the customers it manages. The server scopes
// the list and refuses any other customer (404, worded so in the form). The live hubs refuse sales tokens, so this
// view opens none: the list refreshes by polling (every 5 s while shown, and right after each of its own actions).
import type { Session } from '../auth';
import { errorText } from '../api';
import { h } from '../dom';
import { Shell } from '../shell';
import { OrderDialog } from '../components/orderDetail';
import { PreOrdersPanel } from '../components/preorders';

/** How often the list is asked for again while shown. */
export const salesPollMs = 5000;

export function mountSales(root: HTMLElement, session: Session, signOut: (message?: string) => void): { destroy(): void } {
  const own = session.salesId!;
  const shell = new Shell(session, `Routing 订单路由 · Sales 销售 · ${own}`, () => signOut());
  // A pre-order confirmed or cancelled in the order dialog shows in the list at once, not at the next poll.
  const dialog = new OrderDialog(() => void preorders.load());
  const preorders = new PreOrdersPanel((id) => void dialog.open(id), {
    ownCustomersOnly: true,
    pollMs: salesPollMs,
    onLoaded: (error) => shell.setState(error ? 'disconnected' : 'polling',
      error ? errorText(error) : `No live connection for sales managers: the list refreshes every ${salesPollMs / 1000} s. 每 ${salesPollMs / 1000} 秒自动刷新。`),
  });

  shell.main.append(h('div', { class: 'tab', testid: 'tab-panel-preorders' }, preorders.el));
  root.replaceChildren(shell.el);
  document.title = `Routing · Pre-orders 预下单 · ${own}`;
  void preorders.load();

  return {
    destroy() {
      preorders.destroy();
      dialog.destroy();
    },
  };
}
