// JSON shapes of the Routing API and its live events (camelCase; enums are their C# names).
// Every shape comes from the API's OpenAPI document (api/openapi.json), through src/api-types.ts, which
// `npm run build` generates with openapi-typescript: they cannot drift from the server. The live events are in the
// document too (one webhook per SignalR event name, with its payload).
import type { components, webhooks } from './api-types';

type Schemas = components['schemas'];
/** A response body: the server writes every property (null where there is no value), so none is missing, at any depth.
 * The document marks as required only what a request must give, so the console reads responses through this. */
type Written<T> = T extends (infer U)[] ? Written<U>[] : T extends object ? { [K in keyof T]-?: Written<T[K]> } : T;

export type Role = 'ops' | 'distributor' | 'customer' | 'sales';

export type CampaignStatus = Schemas['CampaignStatus'];
export type OrderStatus = Schemas['OrderStatus'];
export type AlertKind = Schemas['AlertKind'];
export type SplitPolicy = Schemas['SplitPolicy'];
export type FallbackAction = Schemas['FallbackAction'];
export type ExclusionReason = NonNullable<Schemas['ExclusionReason']>;

export type PriceTier = Written<Schemas['PriceTier']>;
/** GET /api/campaigns[/{id}] */
export type Campaign = Written<Schemas['CampaignResponse']>;

export type Allocation = Written<Schemas['Allocation']>;
export type OrderLine = Written<Schemas['OrderLine']>;
export type Substitution = Written<Schemas['Substitution']>;
export type SubstituteSuggestion = Written<Schemas['SubstituteSuggestion']>;
export type CandidateReport = Written<Schemas['CandidateReport']>;
export type RoutingExplanation = Written<Schemas['RoutingExplanation']>;
/** GET /api/orders/{id} */
export type OrderView = Written<Schemas['OrderView']>;

export type GeoPoint = Written<Schemas['LocationDto']>;
/** GET /api/distributors[/{id}] */
export type Distributor = Written<Schemas['DistributorResponse']>;
/** GET /api/distributors/{id}/inventory */
export type InventoryItem = Written<Schemas['InventoryItemResponse']>;

/** GET /api/alerts */
export type Alert = Written<Schemas['Alert']>;

export type RankingWeights = Written<Schemas['RankingWeights']>;
/** GET /api/policies */
export type RoutingPolicy = Written<Schemas['RoutingPolicy']>;
/** PUT /api/policies/{id} as the console sends it: every setting given (the server would default an omitted one),
 * none null but the distance limit. */
export type PolicyRequest = {
  [K in keyof Schemas['PolicyRequest']]-?: K extends 'maxDistanceKm' ? Schemas['PolicyRequest'][K] : NonNullable<Schemas['PolicyRequest'][K]>
};

/** GET /api/policy-defaults: what a setting is where a request omits it. */
export type PolicyDefaults = Written<Schemas['PolicyDefaults']>;

/** GET /api/exceptions: an order in the exception queue with its cause and the actions it suggests. */
export type ExceptionOrder = Written<Schemas['ExceptionOrder']>;
export type SuggestedAction = ExceptionOrder['suggestedActions'][number];

/** GET/PUT /api/review-rules: each limit, or null where that rule is off. */
export type ReviewRules = Written<Schemas['ReviewRulesDto']>;
/** Why an order is on hold: `kind` is maxUnits, maxAmount or firstOrder. */
export type Hold = OrderView['holds'][number];
/** POST /api/reviews/approve answers per order: approved, notFound or notAllowed. */
export type BulkApproveResult = Written<Schemas['BulkApproveResult']>;
/** POST /api/preorders */
export type PreOrderRequest = Schemas['PreOrderRequest'];

// ---- stock operations (transfers, returns, stocktakes, the stock statement) ----

export type TransferStatus = Schemas['TransferStatus'];
/** GET /api/transfers[/{id}] */
export type TransferView = Written<Schemas['TransferView']>;
/** POST /api/transfers */
export type TransferRequest = Schemas['TransferRequest'];
export type ReturnStatus = Schemas['ReturnStatus'];
/** GET /api/returns[/{id}] */
export type ReturnView = Written<Schemas['ReturnView']>;
/** POST /api/orders/{id}/returns */
export type ReturnRequest = Schemas['ReturnRequest'];
/** POST /api/returns/{id}/receive: per SKU, resellable (back on hand) and damaged (written off). */
export type ReceivedLine = Schemas['ReceivedLineDto'];
/** GET/POST /api/distributors/{id}/stocktakes */
export type StocktakeView = Written<Schemas['StocktakeView']>;
export type StocktakeLine = Written<Schemas['StocktakeLine']>;
export type StocktakeRequest = Schemas['StocktakeRequest'];
/** GET /api/distributors/{id}/ledger/summary: one SKU's stock statement (进销存) over a period. */
export type LedgerSummaryRow = Written<Schemas['LedgerSummaryRow']>;

// ---- ERP (SAP): imports and reconciliation ----

/** What an import brings: products, distributors, customers or stock (as the request names it). */
export type ImportKind = Schemas['ImportKind'];
export type ImportStatus = Schemas['ImportStatus'];
/** GET /api/erp/imports[/{id}]: an import and how far it got. */
export type ImportView = Written<Schemas['ImportView']>;
/** A row not applied: its number (1 = the first after the header, or the first of `rows`), a code, the detail. */
export type ImportRejection = Written<Schemas['ImportRejection']>;
export type SnapshotStatus = Schemas['SnapshotStatus'];
/** GET /api/erp/stock-snapshots[/{id}]: a SAP stock snapshot and its reconciliation. */
export type SnapshotView = Written<Schemas['SnapshotView']>;
/** One SKU where SAP and Routing differed: sap − ours, what was applied, a shortfall below reserved. */
export type SnapshotDifference = Written<Schemas['SnapshotDifference']>;
/** POST /api/erp/stock-snapshots */
export type StockSnapshotRequest = Schemas['StockSnapshotRequest'];

/** GET /api/products */
export type Product = Written<Schemas['Product']>;

/** GET/POST /api/simulations/flash-sale */
export type FlashSaleStatus = Written<Schemas['FlashSaleStatus']>;

// ---- live events: every SignalR event delivers an array of these ----

/** Each live event by name with its payload, as the server's document lists them (one webhook per event). */
export type LiveEvents = {
  [K in keyof webhooks]: Written<webhooks[K]['post']['requestBody']['content']['application/json'][number]>
};
export type LiveEventName = keyof LiveEvents;
export type OrderAllocatedEvent = LiveEvents['orderAllocated'];
export type OrderRejectedEvent = LiveEvents['orderRejected'];
export type OrderChangedEvent = LiveEvents['orderChanged'];
export type InventoryChangedEvent = LiveEvents['inventoryChanged'];
export type TransferChangedEvent = LiveEvents['transferChanged'];
export type AlertRaisedEvent = LiveEvents['alertRaised'];
export type AlertClearedEvent = LiveEvents['alertCleared'];
export type CampaignProgressEvent = LiveEvents['campaignProgress'];
/** Every name once: the compiler refuses a name missing here or one the server does not send. */
const eventNames: { [K in LiveEventName]: true } = {
  orderAllocated: true, orderRejected: true, orderChanged: true, inventoryChanged: true, transferChanged: true, alertRaised: true, alertCleared: true, campaignProgress: true,
};
export const liveEventNames = Object.keys(eventNames) as LiveEventName[];
