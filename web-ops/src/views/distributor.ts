// The distributor view: its own stock (with velocity, days of cover and the suggested restock) and alerts only (the
// server scopes the hub group and the REST answers by the token's distributor_id), its own allocations, and a ping with
// a short beep on every new alert (LowCover among them); tabs for its own order analytics, the transfers it is a side
// of, the returns coming back to it, its stocktake and its stock statement.
import { api } from '../api';
import type { Session } from '../auth';
import { fmtTime, h, setText } from '../dom';
import { connectView } from '../live';
import { beep, pulse, toast, unlockAudio } from '../notify';
import { Shell } from '../shell';
import { AlertsPanel } from '../components/alerts';
import { AnalyticsPanel } from '../components/analytics';
import { Feed } from '../components/feed';
import { OrderDialog } from '../components/orderDetail';
import { ReturnsPanel } from '../components/returns';
import { StockStatement } from '../components/statement';
import { StockTable } from '../components/stock';
import { StocktakePanel } from '../components/stocktake';
import { TransfersPanel } from '../components/transfers';
import type { Alert } from '../types';

const tabs = ['stock', 'analytics', 'transfers', 'returns', 'stocktake', 'statement'] as const;
type TabId = (typeof tabs)[number];

export function mountDistributor(root: HTMLElement, session: Session, signOut: (message?: string) => void): { destroy(): void } {
  const own = session.distributorId!;
  const shell = new Shell(session, `Routing 订单路由 · ${own}`, () => signOut(), [
    { id: 'stock', label: 'Stock & alerts 库存与告警' },
    { id: 'analytics', label: 'Analytics 订单经营' },
    { id: 'transfers', label: 'Transfers 调拨' },
    { id: 'returns', label: 'Returns 退换货' },
    { id: 'stocktake', label: 'Stocktake 盘点' },
    { id: 'statement', label: 'Statement 进销存' },
  ]);
  const dialog = new OrderDialog();

  const name = h('h2', { testid: 'distributor-name' }, own);
  const facts = h('p', { class: 'muted small', testid: 'distributor-facts' });
  const lowCount = h('strong', { testid: 'low-stock-count' }, '0');
  const lowCoverCount = h('strong', { testid: 'low-cover-count' }, '0');
  const openCount = h('strong', { testid: 'open-alerts-count' }, '0');
  let soundOn = true;
  const sound = h('label', { class: 'toggle' },
    h('input', { type: 'checkbox', checked: true, testid: 'sound-toggle', onchange: (ev: Event) => {
      soundOn = (ev.target as HTMLInputElement).checked;
      if (soundOn) { unlockAudio(); beep(); }
    } }),
    ' Sound 提示音');

  let alerts: AlertsPanel;
  const onNew = (fresh: Alert[]) => {
    pulse(alerts.el);
    const first = fresh[0];
    toast(fresh.length === 1 ? `New alert 新告警: ${first.message}` : `${fresh.length} new alerts 新告警 · ${first.message}`);
    if (soundOn) beep();
    if (document.hidden) document.title = `(${fresh.length}) 🔔 Routing · ${own}`;
  };
  alerts = new AlertsPanel({ distributorId: own, onNew, onCount: (n) => setText(openCount, String(n)) });
  const stock = new StockTable({ distributorId: own, onLowCount: (n) => setText(lowCount, String(n)), onLowCoverCount: (n) => setText(lowCoverCount, String(n)) });
  const analytics = new AnalyticsPanel({ distributorId: own });
  let analyticsLoaded = false;
  const feed = new Feed({ title: 'My allocations 我的分配', testid: 'distributor-feed', distributorId: own, onOpen: (id) => void dialog.open(id) });
  const transfers = new TransfersPanel({ distributorId: own });
  const returns = new ReturnsPanel({ distributorId: own, onOpen: (id) => void dialog.open(id) });
  const stocktake = new StocktakePanel({ distributorId: own, stocked: (id) => stock.stocked(id) });
  const statement = new StockStatement({ distributorId: own });

  const summary = h('section', { class: 'panel summary', testid: 'distributor-summary' },
    h('header', { class: 'panel-head' }, name, h('div', { class: 'tools' }, sound)),
    facts,
    h('p', null, lowCount, ' SKUs below threshold 低于补货线 · ', lowCoverCount, ' low cover 可售天数不足 · ', openCount, ' open alerts 未处理告警'));

  const sections: Record<TabId, HTMLElement> = {
    // The stock table spans the page (its forecast columns need the width); alerts and allocations share a row below.
    stock: h('div', { class: 'tab distributor-grid', testid: 'tab-panel-stock' }, summary, stock.el, alerts.el, feed.el),
    analytics: h('div', { class: 'tab', testid: 'tab-panel-analytics' }, analytics.el),
    transfers: h('div', { class: 'tab', testid: 'tab-panel-transfers' }, transfers.el),
    returns: h('div', { class: 'tab', testid: 'tab-panel-returns' }, returns.el),
    stocktake: h('div', { class: 'tab', testid: 'tab-panel-stocktake' }, stocktake.el),
    statement: h('div', { class: 'tab', testid: 'tab-panel-statement' }, statement.el),
  };
  shell.main.append(...Object.values(sections));
  root.replaceChildren(shell.el);
  document.title = `Routing · ${own}`;
  const onVisible = () => { if (!document.hidden) document.title = `Routing · ${own}`; };
  document.addEventListener('visibilitychange', onVisible);

  const route = () => {
    const tab = location.hash.replace(/^#\/?/, '').split('/')[0];
    const id: TabId = (tabs as readonly string[]).includes(tab) ? (tab as TabId) : 'stock';
    for (const t of tabs) sections[t].hidden = t !== id;
    shell.selectTab(id);
    analytics.setShown(id === 'analytics');
    if (id === 'analytics' && !analyticsLoaded) { analyticsLoaded = true; void analytics.load(); }
    if (id === 'transfers') void transfers.load();
    if (id === 'returns') void returns.load();
    if (id === 'stocktake') void stocktake.load();
    if (id === 'statement') void statement.load();
  };
  window.addEventListener('hashchange', route);
  route();

  void api.distributor(own).then((d) => {
    setText(name, `${d.name} · ${d.id}`);
    setText(facts, `Regions 区域 ${d.regions.join(', ')} · priority tier 优先级 ${d.priority} · daily capacity 日产能 ${d.dailyCapacity}${d.active ? '' : ' · inactive 停用'}`);
  }).catch(() => undefined);

  const live = connectView({
    hub: '/hubs/distributor',
    session,
    shell,
    signOut,
    resync: () => Promise.all([stock.resync(), alerts.resync(), sections.transfers.hidden ? null : transfers.load()]),
    onGap: (at) => feed.markGap(`Reconnected 已重连 at ${fmtTime(at)}; stock and alerts resynced.`),
  });
  // The server only sends this distributor's share; filter again so nothing else can ever show.
  live.on('inventoryChanged', (events) => {
    const mine = events.filter((e) => e.distributor === own);
    stock.onInventory(mine);
  });
  live.on('alertRaised', (events) => alerts.onAlerts(events.filter((e) => e.alert?.distributorId === own)));
  live.on('alertCleared', (events) => alerts.onCleared(events.filter((e) => e.alert?.distributorId === own)));
  live.on('orderAllocated', (events) => { feed.onAllocated(events); analytics.onOrders(); });
  live.on('orderChanged', () => analytics.onOrders());
  // The transfers it is a side of (the server sends only those; filtered again here).
  live.on('transferChanged', (events) => {
    const mine = events.filter((e) => e.transfer.fromDistributorId === own || e.transfer.toDistributorId === own);
    if (mine.length === 0) return;
    stock.onTransfers(mine);
    transfers.onTransferChanged(mine, !sections.transfers.hidden);
  });

  void live.start();

  return {
    destroy() {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('hashchange', route);
      void live.stop();
      alerts.destroy();
      stock.destroy();
      analytics.destroy();
      dialog.destroy();
    },
  };
}
