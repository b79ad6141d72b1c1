-- A distributor's reservations are no longer stored with it: they are rebuilt from the order journal when it activates.
-- Each activation takes the next epoch here before it reads the journal, and a journal write that makes reservations
-- durable names the epoch of each distributor that made them and locks its row (FOR SHARE) while it checks it. So a
-- write either lands before the new epoch (the activation waits for it, then reads it) or fails (its reservations were
-- made by an activation that is gone, and are made again).
CREATE TABLE routing_distributor_epochs
(
    distributor_id text   NOT NULL PRIMARY KEY,
    epoch          bigint NOT NULL
);

-- What an activation reads: the orders holding stock at the distributor (OrderRules.HoldsStock). The statuses here must
-- be the ones the journal's query names (a test compares them), so the planner can use this index.
CREATE INDEX ix_routing_orders_holding ON routing_orders USING gin (distributor_ids)
    WHERE status IN ('Allocated', 'Confirmed', 'OnHold', 'PreOrder');
