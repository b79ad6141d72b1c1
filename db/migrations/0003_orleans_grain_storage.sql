-- Grain state for Microsoft.Orleans.Persistence.AdoNet (invariant "Npgsql"), one row per grain.
-- Orleans hashes the grain id and type into two integers for a narrow lookup index; the clear-text columns settle
-- hash collisions. Version is the optimistic-concurrency token: a write names the version it read, and a write
-- that finds another version changes nothing and answers the old version (Orleans then raises
-- InconsistentStateException).

CREATE TABLE orleansstorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512) NULL,
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL,
    version                integer      NULL
);

CREATE INDEX ix_orleansstorage_lookup ON orleansstorage (grainidhash, graintypehash);

-- At most one row per grain and service, so a first write racing another first write inserts once.
CREATE UNIQUE INDEX ux_orleansstorage_grain ON orleansstorage
    (serviceid, graintypehash, grainidhash, grainidn0, grainidn1, graintypestring, grainidextensionstring) NULLS NOT DISTINCT;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', '
    SELECT payloadbinary, version
      FROM orleansstorage
     WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND graintypestring = @GrainTypeString
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::varchar
       AND serviceid = @ServiceId;'),

-- Updates when the caller read version N (answers N + 1); inserts when the caller read nothing (answers 1);
-- otherwise changes nothing and answers the caller's version, or no row for a lost first write.
('WriteToStorageKey', '
    WITH updated AS (
        UPDATE orleansstorage
           SET payloadbinary = @PayloadBinary::bytea, modifiedon = now(), version = version + 1
         WHERE @GrainStateVersion::integer IS NOT NULL
           AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
           AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
           AND graintypestring = @GrainTypeString
           AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::varchar
           AND serviceid = @ServiceId
           AND version = @GrainStateVersion::integer
        RETURNING version),
    inserted AS (
        INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                    grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
               @GrainIdExtensionString::varchar, @ServiceId, @PayloadBinary::bytea, now(), 1
         WHERE @GrainStateVersion::integer IS NULL
        ON CONFLICT DO NOTHING
        RETURNING version)
    SELECT version AS newgrainstateversion FROM updated
    UNION ALL SELECT version FROM inserted
    UNION ALL SELECT @GrainStateVersion::integer
     WHERE @GrainStateVersion::integer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM updated);'),

-- Clearing keeps the row (with no payload) so the version keeps counting.
('ClearStorageKey', '
    WITH cleared AS (
        UPDATE orleansstorage
           SET payloadbinary = NULL, modifiedon = now(), version = version + 1
         WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
           AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
           AND graintypestring = @GrainTypeString
           AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::varchar
           AND serviceid = @ServiceId
           AND version = @GrainStateVersion::integer
        RETURNING version)
    SELECT version AS newgrainstateversion FROM cleared
    UNION ALL SELECT @GrainStateVersion::integer
     WHERE @GrainStateVersion::integer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cleared);'),

-- Used only when a provider is configured with DeleteStateOnClear.
('DeleteStorageKey', '
    WITH deleted AS (
        DELETE FROM orleansstorage
         WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
           AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
           AND graintypestring = @GrainTypeString
           AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::varchar
           AND serviceid = @ServiceId
           AND version = @GrainStateVersion::integer
        RETURNING version)
    SELECT version + 1 AS newgrainstateversion FROM deleted
    UNION ALL SELECT @GrainStateVersion::integer
     WHERE @GrainStateVersion::integer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deleted);');
