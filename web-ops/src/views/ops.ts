// The operations view: live campaign board, allocation feed, alerts, distributor stock (with a chosen distributor's
// stocktake and stock statement), transfers, returns, order lookup, the exception queue, order review, pre-orders,
// policies, and ERP (SAP imports and reconciliation).
import type { Session } from '../auth';
import { fmtTime, h, setText } from '../dom';
import { connectView } from '../live';
import { Shell } from '../shell';
import { AlertsPanel } from '../components/alerts';
import { CampaignBoard } from '../components/campaignBoard';
import { ErpPanel } from '../components/erp';
import { ExceptionsPanel } from '../components/exceptions';
import { Feed } from '../components/feed';
import { OrderDialog, OrderLookup } from '../components/orderDetail';
import { PoliciesPanel } from '../components/policies';
import { PreOrdersPanel } from '../components/preorders';
import { ReturnsPanel } from '../components/returns';
import { ReviewPanel } from '../components/reviews';
import { SimulationControl } from '../components/simulation';
import { StockStatement } from '../components/statement';
import { StockTable } from '../components/stock';
import { StocktakePanel } from '../components/stocktake';
import { TransfersPanel } from '../components/transfers';
import type { Distributor } from '../types';

const tabs = ['live', 'stock', 'transfers', 'returns', 'orders', 'exceptions', 'reviews', 'preorders', 'policies', 'erp'] as const;
type TabId = (typeof tabs)[number];

export function mountOps(root: HTMLElement, session: Session, signOut: (message?: string) => void): { destroy(): void } {
  const lowBadge = h('span', { class: 'count', testid: 'low-stock-count', hidden: true });
  const alertBadge = h('span', { class: 'count', testid: 'open-alerts-count', hidden: true });
  const reviewBadge = h('span', { class: 'count', testid: 'reviews-count', hidden: true });
  const shell = new Shell(session, 'Routing 订单路由 · Ops 运营', () => signOut(), [
    { id: 'live', label: 'Live board 实时看板', badge: alertBadge },
    { id: 'stock', label: 'Stock 库存', badge: lowBadge },
    { id: 'transfers', label: 'Transfers 调拨' },
    { id: 'returns', label: 'Returns 退换货' },
    { id: 'orders', label: 'Orders 订单' },
    { id: 'exceptions', label: 'Exceptions 异常订单' },
    { id: 'reviews', label: 'Review 审核', badge: reviewBadge },
    { id: 'preorders', label: 'Pre-orders 预下单' },
    { id: 'policies', label: 'Policies 路由策略' },
    { id: 'erp', label: 'ERP / SAP 对接' },
  ]);
  const setBadge = (el: HTMLElement, n: number) => { el.hidden = n === 0; setText(el, String(n)); };

  const dialog = new OrderDialog();
  const board = new CampaignBoard();
  const simulation = new SimulationControl();
  const feed = new Feed({ title: 'Allocation feed 分配动态', testid: 'allocation-feed', onOpen: (id) => void dialog.open(id), showRejectedToggle: true });
  const alerts = new AlertsPanel({ onCount: (n) => setBadge(alertBadge, n) });
  const stock = new StockTable({ onLowCount: (n) => setBadge(lowBadge, n), onDistributors: (list) => tools.distributors(list) });
  const stocktake = new StocktakePanel({ stocked: (id) => stock.stocked(id) });
  const statement = new StockStatement();
  const tools = distributorTools((id) => { stocktake.setDistributor(id); statement.setDistributor(id); });
  const transfers = new TransfersPanel();
  const returns = new ReturnsPanel({ onOpen: (id) => void dialog.open(id) });
  const lookup = new OrderLookup();
  const exceptions = new ExceptionsPanel((id) => void dialog.open(id));
  const reviews = new ReviewPanel((id) => void dialog.open(id), (n) => setBadge(reviewBadge, n));
  const preorders = new PreOrdersPanel((id) => void dialog.open(id));
  const policies = new PoliciesPanel(() => board.campaigns().map((c) => ({ id: c.id, policy: c.policy })));
  const erp = new ErpPanel();
  let policiesLoaded = false;

  board.el.querySelector('.panel-head')!.appendChild(simulation.el);
  const sections: Record<TabId, HTMLElement> = {
    live: h('div', { class: 'tab board-grid', testid: 'tab-panel-live' },
      h('div', { class: 'span-all' }, board.el),
      feed.el,
      alerts.el),
    stock: h('div', { class: 'tab', testid: 'tab-panel-stock' }, stock.el, tools.el, stocktake.el, statement.el),
    transfers: h('div', { class: 'tab', testid: 'tab-panel-transfers' }, transfers.el),
    returns: h('div', { class: 'tab', testid: 'tab-panel-returns' }, returns.el),
    orders: h('div', { class: 'tab', testid: 'tab-panel-orders' }, lookup.el),
    exceptions: h('div', { class: 'tab', testid: 'tab-panel-exceptions' }, exceptions.el),
    reviews: h('div', { class: 'tab', testid: 'tab-panel-reviews' }, reviews.el),
    preorders: h('div', { class: 'tab', testid: 'tab-panel-preorders' }, preorders.el),
    policies: h('div', { class: 'tab', testid: 'tab-panel-policies' }, policies.el),
    erp: h('div', { class: 'tab', testid: 'tab-panel-erp' }, erp.el),
  };
  shell.main.append(...Object.values(sections));
  root.replaceChildren(shell.el);
  document.title = 'Routing · Ops console 运营控制台';

  const route = () => {
    const [tab, arg, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
    const id: TabId = (tabs as readonly string[]).includes(tab) ? (tab as TabId) : 'live';
    for (const t of tabs) sections[t].hidden = t !== id;
    shell.selectTab(id);
    if (id === 'orders' && arg) void lookup.lookup(decodeURIComponent(arg));
    if (id === 'stock') { void stocktake.load(); void statement.load(); }
    if (id === 'transfers') void transfers.load();
    if (id === 'returns') void returns.load();
    if (id === 'exceptions') void exceptions.load();
    if (id === 'reviews') void reviews.load();
    if (id === 'preorders') void preorders.load();
    if (id === 'policies' && !policiesLoaded) { policiesLoaded = true; void policies.load(); }
    if (id === 'erp') erp.route(arg === undefined ? [] : [arg, ...rest]);
  };
  window.addEventListener('hashchange', route);
  route();

  const live = connectView({
    hub: '/hubs/ops',
    session,
    shell,
    signOut,
    // The review queue and the pre-orders have no live snapshot to replay onto: reloading the one shown is enough.
    resync: () => Promise.all([board.resync(), stock.resync(), alerts.resync(),
      sections.reviews.hidden ? reviews.loadCount() : reviews.load(), sections.preorders.hidden ? null : preorders.load(),
      sections.transfers.hidden ? null : transfers.load()]),
    onGap: (at) => feed.markGap(`Reconnected 已重连 at ${fmtTime(at)}: orders during the interruption are not listed; counters and stock are resynced.`),
  });
  live.on('campaignProgress', (events) => board.onProgress(events));
  live.on('orderAllocated', (events) => { board.onOrders(events, 'allocated'); feed.onAllocated(events); });
  live.on('orderRejected', (events) => {
    board.onOrders(events, 'rejected');
    feed.onRejected(events);
    if (!sections.exceptions.hidden) void exceptions.load(); // a new exception, maybe
  });
  live.on('orderChanged', (events) => {
    reviews.onOrderChanged(events, !sections.reviews.hidden);
    if (!sections.preorders.hidden) preorders.onOrderChanged(events);
  });
  live.on('inventoryChanged', (events) => stock.onInventory(events));
  live.on('transferChanged', (events) => {
    stock.onTransfers(events);
    transfers.onTransferChanged(events, !sections.transfers.hidden);
  });
  live.on('alertRaised', (events) => alerts.onAlerts(events));
  live.on('alertCleared', (events) => alerts.onCleared(events));

  void simulation.load();
  void live.start();

  return {
    destroy() {
      window.removeEventListener('hashchange', route);
      void live.stop();
      board.destroy();
      alerts.destroy();
      simulation.destroy();
      dialog.destroy();
      reviews.destroy();
      preorders.destroy();
      erp.destroy();
    },
  };
}

/** The Stock tab's choice of the distributor whose stocktake and statement are shown (the first, until one is chosen). */
function distributorTools(onChoose: (id: string) => void): { el: HTMLElement; distributors(list: Distributor[]): void } {
  const select = h('select', { testid: 'stock-tools-distributor', 'aria-label': 'Distributor 经销商', onchange: () => onChoose(select.value) });
  return {
    el: h('section', { class: 'panel', testid: 'stock-tools' },
      h('header', { class: 'panel-head' },
        h('h2', null, 'Stocktake and statement 盘点与进销存'),
        h('label', { class: 'tools small' }, 'Distributor 经销商 ', select)),
      h('p', { class: 'muted small' }, 'Count a distributor\'s stock, or read its stock statement for a period. 选择经销商进行盘点或查看进销存明细。')),
    distributors(list) {
      const current = select.value;
      select.replaceChildren(...list.map((d) => h('option', { value: d.id }, `${d.id} · ${d.name}`)));
      const chosen = list.some((d) => d.id === current) ? current : list[0]?.id ?? '';
      select.value = chosen;
      if (chosen && chosen !== current) onChoose(chosen);
    },
  };
}
