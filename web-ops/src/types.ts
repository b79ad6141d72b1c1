// JSON shapes of the Routing API and its live events (camelCase; enums are their C# names).

export type Role = 'ops' | 'distributor' | 'customer';

export type CampaignStatus = 'Scheduled' | 'Open' | 'SoldOut' | 'Formed' | 'NotFormed';

export type OrderStatus =
  | 'Placed' | 'Allocated' | 'Confirmed' | 'Shipped' | 'Completed'
  | 'Rejected' | 'Cancelled' | 'Exception' | 'AwaitingSubstitution' | 'Backordered';

export type AlertKind = 'LowStock' | 'OutOfStock' | 'SubstitutionSuggested' | 'AllocationFailed' | 'ReconciliationDifference';

export type SplitPolicy = 'WholeOrder' | 'ByLineGroup' | 'SplitQuantity';
export type FallbackAction = 'Reject' | 'Backorder' | 'ManualReview';
export type ExclusionReason =
  | 'Inactive' | 'OutsideTerritory' | 'NotParticipating' | 'CapacityExhausted' | 'OutOfStock' | 'InsufficientStock';

export interface PriceTier { minUnits: number; price: number }

/** GET /api/campaigns[/{id}] */
export interface Campaign {
  id: string;
  name: string;
  sku: string;
  price: number;
  currentPrice: number;
  tiers: PriceTier[];
  startsAt: string;
  endsAt: string;
  cap: number;
  sold: number;
  remaining: number;
  perCustomerLimit: number;
  minUnits: number;
  regions: string[];
  distributors: string[];
  policy: string;
  status: CampaignStatus;
}

export interface Allocation { distributorId: string; sku: string; quantity: number }
/** One distributor's share of an order, fulfilled on its own; status is Allocated, Confirmed, Shipped or Completed. */
export interface OrderShare { distributorId: string; status: OrderStatus; updatedAt: string }
export interface OrderLine { sku: string; quantity: number; group?: string | null }
export interface Substitution { originalSku: string; substituteSku: string; quantity: number }
export interface SubstituteSuggestion { originalSku: string; substituteSku: string; rank: number; availableNearby: number }

export interface CandidateReport {
  distributorId: string;
  excluded: ExclusionReason | null;
  detail: string | null;
  score: number | null;
  rank: number | null;
  distanceKm: number;
  home: boolean;
}

export interface RoutingExplanation {
  policyId: string;
  split: SplitPolicy;
  candidates: CandidateReport[];
  decisions: string[];
}

/** GET /api/orders/{id} */
export interface OrderView {
  orderId: string;
  customerId: string;
  campaignId: string | null;
  status: OrderStatus;
  lines: OrderLine[];
  allocations: Allocation[];
  unitPrice: number | null;
  reason: string | null;
  substitutions: Substitution[];
  suggestions: SubstituteSuggestion[];
  explanation: RoutingExplanation | null;
  placedAt: string;
  updatedAt: string;
  /** One per allocated distributor (a distributor sees only its own); status is the least advanced share's. */
  shares: OrderShare[];
}

export interface GeoPoint { lat: number; lon: number }

/** GET /api/distributors[/{id}] */
export interface Distributor {
  id: string;
  name: string;
  regions: string[];
  location: GeoPoint;
  priority: number;
  dailyCapacity: number;
  active: boolean;
}

/** GET /api/distributors/{id}/inventory */
export interface InventoryItem {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  threshold: number;
  belowThreshold?: boolean;
}

/** GET /api/alerts */
export interface Alert {
  id: number;
  kind: AlertKind;
  dedupeKey: string;
  message: string;
  distributorId: string | null;
  sku: string | null;
  orderId: string | null;
  campaignId: string | null;
  raisedAt: string;
  occurrences: number;
  clearedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  open?: boolean;
}

export interface RankingWeights { priority: number; distance: number; stock: number; load: number }

/** GET /api/policies */
export interface RoutingPolicy {
  id: string;
  homeFirst: boolean;
  maxDistanceKm: number | null;
  weights: RankingWeights | null;
  split: SplitPolicy;
  maxSplits: number;
  suggestSubstitutes: boolean;
  autoSubstitute: boolean;
  fallback: FallbackAction;
  effectiveWeights?: RankingWeights;
}

/** PUT /api/policies/{id} */
export interface PolicyRequest {
  homeFirst: boolean;
  maxDistanceKm: number | null;
  weights: RankingWeights;
  split: SplitPolicy;
  maxSplits: number;
  suggestSubstitutes: boolean;
  autoSubstitute: boolean;
  fallback: FallbackAction;
}

/** GET/POST /api/simulations/flash-sale */
export interface FlashSaleStatus {
  campaignId: string;
  orders: number;
  seconds: number;
  running: boolean;
  placed: number;
  allocated: number;
  notAllocated: number;
  refused: number;
  failed: number;
}

// ---- live events: every SignalR event delivers an array of these ----

interface LiveEvent { at: string }

export interface OrderAllocatedEvent extends LiveEvent { orderId: string; campaignId: string | null; allocations: Allocation[] }
export interface OrderRejectedEvent extends LiveEvent { orderId: string; campaignId: string | null; status: OrderStatus; reason: string }
export interface InventoryChangedEvent extends LiveEvent { distributor: string; sku: string; onHand: number; reserved: number; threshold: number }
export interface AlertRaisedEvent extends LiveEvent { alert: Alert }
export interface CampaignProgressEvent extends LiveEvent { campaignId: string; sold: number; cap: number; status: CampaignStatus; currentPrice: number }

export interface LiveEvents {
  orderAllocated: OrderAllocatedEvent;
  orderRejected: OrderRejectedEvent;
  inventoryChanged: InventoryChangedEvent;
  alertRaised: AlertRaisedEvent;
  campaignProgress: CampaignProgressEvent;
}
export type LiveEventName = keyof LiveEvents;
export const liveEventNames: LiveEventName[] = ['orderAllocated', 'orderRejected', 'inventoryChanged', 'alertRaised', 'campaignProgress'];
