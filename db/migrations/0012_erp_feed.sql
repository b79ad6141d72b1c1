-- The outbound ERP feed (GET /api/erp/events): every order and stock change SAP needs, written by the same statement
-- as the change itself (the order journal's record write, the ledger's append), so an event exists exactly when its
-- change is durable. key names the change (order:{id}:{version}:{type}, ledger:{distributor}:{seq}): a retried write
-- emits nothing twice.
--
-- Order: (txid, n), the writing transaction's id, then the order within it. A reader serves only rows whose txid is
-- below its snapshot's xmin, where every transaction is finished: nothing can ever commit before what it served. (A
-- sequence alone is not enough with concurrent writers: a transaction that commits later may hold a smaller number,
-- and a reader that moved past it would skip it forever.)
-- body: the event without its cursor (type, at, order or stock), as the API answers it.
CREATE TABLE routing_erp_events
(
    txid xid8        NOT NULL DEFAULT pg_current_xact_id(),
    n    bigint      GENERATED ALWAYS AS IDENTITY,
    key  text        NOT NULL UNIQUE,
    type text        NOT NULL,
    at   timestamptz NOT NULL,
    body jsonb       NOT NULL,
    PRIMARY KEY (txid, n)
);
