-- Stock operations besides orders: transfers between distributors, returns and SAP stock snapshots. One row per
-- operation is its record (body: its whole view as JSON, the grain's state), written with a version check; the columns
-- are what the lists filter on. The ledger's kinds grow with them: return, writeOff, transferOut, transferIn, erpAdjust
-- (and adjust for stocktakes).
CREATE TABLE routing_stock_operations
(
    kind            text        NOT NULL,
    id              text        NOT NULL,
    version         integer     NOT NULL,
    status          text        NOT NULL,
    distributor_ids text[]      NOT NULL,
    order_id        text        NULL,
    customer_id     text        NULL,
    created_at      timestamptz NOT NULL,
    body            jsonb       NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE INDEX ix_routing_stock_operations_created     ON routing_stock_operations (kind, created_at DESC);
CREATE INDEX ix_routing_stock_operations_distributor ON routing_stock_operations USING gin (distributor_ids);
CREATE INDEX ix_routing_stock_operations_order       ON routing_stock_operations (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX ix_routing_stock_operations_customer    ON routing_stock_operations (customer_id, created_at DESC) WHERE customer_id IS NOT NULL;
