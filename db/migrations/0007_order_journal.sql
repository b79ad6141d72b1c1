-- The order journal: an order's one record. routing_orders, the history's order rows, now also holds the order grain's
-- whole state (state, Orleans-serialized) with its optimistic-concurrency version, written in the same statement as the
-- listed columns; the order grains no longer keep a second copy in routing_grain_state.
ALTER TABLE routing_orders ADD COLUMN state bytea NULL;
ALTER TABLE routing_orders ADD COLUMN version integer NOT NULL DEFAULT 1;

-- Orders saved before this step: their state moves into their record (as stored, with its version).
UPDATE routing_orders o
   SET state = s.payload, version = s.version
  FROM routing_grain_state s
 WHERE s.state_name = 'order' AND s.grain_id = 'order/' || o.order_id AND s.payload IS NOT NULL;
DELETE FROM routing_grain_state s
 WHERE s.state_name = 'order' AND EXISTS (SELECT 1 FROM routing_orders o WHERE s.grain_id = 'order/' || o.order_id AND o.state IS NOT NULL);
