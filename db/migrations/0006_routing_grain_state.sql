-- Grain state, written by Routing's own batching storage (silo/Postgres/PostgresGrainStorage.cs) instead of the Orleans
-- ADO.NET provider: one row per grain and state name, keyed in clear text. Batches of writes from many grains go out
-- as one UPDATE and one INSERT in one transaction (group commit).
-- version is the optimistic-concurrency token (the state's ETag): a write names the version it read and changes
-- nothing if the row has moved on; a first write inserts version 1 and changes nothing if a row exists. Clearing
-- keeps the row with a NULL payload so the version keeps counting.
-- orleansstorage (0003) is no longer written or read; it is left in place, not dropped, so no data is destroyed by
-- upgrading. (No release ever stored grain state there.)

CREATE TABLE routing_grain_state
(
    service_id  text        NOT NULL,
    grain_id    text        NOT NULL,
    state_name  text        NOT NULL,
    version     integer     NOT NULL,
    payload     bytea       NULL,
    modified_on timestamptz NOT NULL,
    PRIMARY KEY (service_id, grain_id, state_name)
);
