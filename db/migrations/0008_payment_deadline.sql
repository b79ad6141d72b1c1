-- An order's payment deadline (a campaign's payment window): when it expires unpaid, while it can, so each campaign's
-- payment sweep finds what to cancel without reading every order. NULL when nothing can expire (no payment due, paid,
-- or the order no longer holds what it took). Written with the rest of the record.
ALTER TABLE routing_orders ADD COLUMN payment_expires_at timestamptz NULL;
CREATE INDEX ix_routing_orders_payment_expiry ON routing_orders (campaign_id, payment_expires_at) WHERE payment_expires_at IS NOT NULL;
