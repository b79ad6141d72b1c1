// JSON shapes of the Routing API and its live events (camelCase; enums are their C# names).
// The REST shapes come from the API's OpenAPI document (api/openapi.json), through src/api-types.ts, which
// `npm run build` generates with openapi-typescript: they cannot drift from the server. Live-event payloads are not
// in the document and are written here.
import type { components } from './api-types';

type Schemas = components['schemas'];
/** A response body: the server writes every property (null where there is no value), so none is missing. The
 * document marks as required only what a request must give, so the console reads responses through this. */
type Written<T> = Required<T>;

export type Role = 'ops' | 'distributor' | 'customer';

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

/** GET/POST /api/simulations/flash-sale */
export type FlashSaleStatus = Written<Schemas['FlashSaleStatus']>;

// ---- live events: every SignalR event delivers an array of these ----

interface LiveEvent { at: string }

export interface OrderAllocatedEvent extends LiveEvent { orderId: string; campaignId: string | null; allocations: Allocation[] }
export interface OrderRejectedEvent extends LiveEvent { orderId: string; campaignId: string | null; status: OrderStatus; reason: string }
export interface InventoryChangedEvent extends LiveEvent {
  distributor: string; sku: string; onHand: number; reserved: number; threshold: number;
  /** The server's stock rules: the console derives none of them. */
  available: number; belowThreshold: boolean; outOfStock: boolean;
}
export interface AlertRaisedEvent extends LiveEvent { alert: Alert }
export interface AlertClearedEvent extends LiveEvent { alert: Alert }
export interface CampaignProgressEvent extends LiveEvent { campaignId: string; sold: number; cap: number; status: CampaignStatus; currentPrice: number }

export interface LiveEvents {
  orderAllocated: OrderAllocatedEvent;
  orderRejected: OrderRejectedEvent;
  inventoryChanged: InventoryChangedEvent;
  alertRaised: AlertRaisedEvent;
  alertCleared: AlertClearedEvent;
  campaignProgress: CampaignProgressEvent;
}
export type LiveEventName = keyof LiveEvents;
export const liveEventNames: LiveEventName[] = ['orderAllocated', 'orderRejected', 'inventoryChanged', 'alertRaised', 'alertCleared', 'campaignProgress'];
