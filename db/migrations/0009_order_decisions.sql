-- Orders waiting for a decision: a held order (OnHold) until ops approve or reject it, a pre-order (PreOrder) until it is
-- confirmed. decision_due_at is when it is decided for them (auto-rejected, expired), so the decision sweep finds what
-- is due without reading every order; NULL for any other order. preorder marks orders taken as pre-orders, whatever
-- became of them, for the pre-order list. Both written with the rest of the record.
ALTER TABLE routing_orders ADD COLUMN decision_due_at timestamptz NULL;
ALTER TABLE routing_orders ADD COLUMN preorder boolean NOT NULL DEFAULT false;
CREATE INDEX ix_routing_orders_decision_due ON routing_orders (decision_due_at) WHERE decision_due_at IS NOT NULL;
CREATE INDEX ix_routing_orders_preorders ON routing_orders (placed_at) WHERE preorder;
