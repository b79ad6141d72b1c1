-- Routing's own history, written with Npgsql by the silos' batching history writer and read by the API.
-- Rows are keyed by natural keys, so a retried write can never add a second copy.

-- One row per order (the order grain's latest state). revision only grows: an older write never overwrites a newer one.
CREATE TABLE routing_orders
(
    order_id        text        NOT NULL PRIMARY KEY,
    customer_id     text        NOT NULL,
    campaign_id     text        NULL,
    status          text        NOT NULL,
    distributor_ids text[]      NOT NULL,
    quantity        integer     NOT NULL,
    unit_price      numeric     NULL,
    placed_at       timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    revision        integer     NOT NULL,
    body            jsonb       NOT NULL
);

CREATE INDEX ix_routing_orders_campaign    ON routing_orders (campaign_id, placed_at DESC);
CREATE INDEX ix_routing_orders_customer    ON routing_orders (customer_id, placed_at DESC);
CREATE INDEX ix_routing_orders_status      ON routing_orders (status, placed_at DESC);
CREATE INDEX ix_routing_orders_placed      ON routing_orders (placed_at DESC);
CREATE INDEX ix_routing_orders_distributor ON routing_orders USING gin (distributor_ids);

-- Every stock movement of every distributor, numbered per distributor by the distributor grain (seq is gap-free).
-- kind: receive | reserve | release | ship | adjust. Quantities before and after make each row checkable alone.
CREATE TABLE routing_inventory_ledger
(
    distributor_id  text        NOT NULL,
    seq             bigint      NOT NULL,
    kind            text        NOT NULL,
    sku             text        NOT NULL,
    quantity        integer     NOT NULL,
    on_hand_before  integer     NOT NULL,
    on_hand_after   integer     NOT NULL,
    reserved_before integer     NOT NULL,
    reserved_after  integer     NOT NULL,
    order_id        text        NULL,
    cause           text        NOT NULL,
    at              timestamptz NOT NULL,
    PRIMARY KEY (distributor_id, seq)
);

CREATE INDEX ix_routing_ledger_order ON routing_inventory_ledger (order_id) WHERE order_id IS NOT NULL;
