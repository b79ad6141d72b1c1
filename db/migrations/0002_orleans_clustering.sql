-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet (invariant "Npgsql").
-- One version row per cluster (DeploymentId = ClusterId) is the optimistic-concurrency token of the whole table:
-- every membership change must name the version it read and bumps it; heartbeats (IAmAliveTime) do not.

CREATE TABLE orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL PRIMARY KEY,
    timestamp    timestamptz  NOT NULL DEFAULT now(),
    version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE orleansmembershiptable
(
    deploymentid varchar(150)  NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)   NOT NULL,
    port         integer       NOT NULL,
    generation   integer       NOT NULL,
    siloname     varchar(150)  NOT NULL,
    hostname     varchar(150)  NOT NULL,
    status       integer       NOT NULL,
    proxyport    integer       NULL,
    suspecttimes varchar(8000) NULL,
    starttime    timestamptz   NOT NULL,
    iamalivetime timestamptz   NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Adds a silo's row if the caller's table version is still current and the row is new; 1 when done, else 0.
-- Locking the version row first serializes all membership writers of one cluster, so check-then-write is safe.
CREATE FUNCTION routing_membership_insert(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_silo_name varchar,
    p_host_name varchar, p_status integer, p_proxy_port integer, p_start timestamptz, p_alive timestamptz,
    p_version integer) RETURNS integer LANGUAGE plpgsql AS
$body$
BEGIN
    PERFORM 1 FROM orleansmembershipversiontable
     WHERE deploymentid = p_deployment AND version = p_version FOR UPDATE;
    IF NOT FOUND THEN RETURN 0; END IF;
    IF EXISTS (SELECT 1 FROM orleansmembershiptable
                WHERE deploymentid = p_deployment AND address = p_address AND port = p_port AND generation = p_generation) THEN
        RETURN 0;
    END IF;
    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    VALUES (p_deployment, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start, p_alive);
    UPDATE orleansmembershipversiontable SET version = version + 1, timestamp = now() WHERE deploymentid = p_deployment;
    RETURN 1;
END
$body$;

-- Changes a silo's row if the caller's table version is still current; 1 when done, else 0 (and nothing changed).
CREATE FUNCTION routing_membership_update(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_status integer,
    p_suspect_times varchar, p_alive timestamptz, p_version integer) RETURNS integer LANGUAGE plpgsql AS
$body$
BEGIN
    PERFORM 1 FROM orleansmembershipversiontable
     WHERE deploymentid = p_deployment AND version = p_version FOR UPDATE;
    IF NOT FOUND THEN RETURN 0; END IF;
    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = p_suspect_times, iamalivetime = p_alive
     WHERE deploymentid = p_deployment AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN RETURN 0; END IF;
    UPDATE orleansmembershipversiontable SET version = version + 1, timestamp = now() WHERE deploymentid = p_deployment;
    RETURN 1;
END
$body$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', '
    WITH created AS (
        INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
        ON CONFLICT (deploymentid) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer AS row_count FROM created;'),

('InsertMembershipKey', '
    SELECT routing_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
        @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS row_count;'),

('UpdateMembershipKey', '
    SELECT routing_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
        @IAmAliveTime, @Version) AS row_count;'),

('UpdateIAmAlivetimeKey', '
    UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime
     WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;'),

-- Both reads return the version row even when no silo row matches (a LEFT JOIN from the version table).
('MembershipReadRowKey', '
    SELECT v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
           m.suspecttimes, m.starttime, m.iamalivetime, v.version
      FROM orleansmembershipversiontable v
      LEFT JOIN orleansmembershiptable m
        ON m.deploymentid = v.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
     WHERE v.deploymentid = @DeploymentId;'),

('MembershipReadAllKey', '
    SELECT v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
           m.suspecttimes, m.starttime, m.iamalivetime, v.version
      FROM orleansmembershipversiontable v
      LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
     WHERE v.deploymentid = @DeploymentId;'),

('GatewaysQueryKey', '
    SELECT address, proxyport, generation
      FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;'),

('DeleteMembershipTableEntriesKey', '
    DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
    DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;'),

-- Status 6 is Dead. Only dead rows are ever cleaned up, and only those quiet since the given time.
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND status = 6
       AND iamalivetime < @IAmAliveTime AND starttime < @IAmAliveTime AND coalesce(suspecttimes, '''') = '''';'),

('CleanupDefunctSiloEntryKey', '
    DELETE FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND status = 6
       AND address = @Address AND port = @Port AND generation = @Generation
       AND iamalivetime = @IAmAliveTime AND starttime = @StartTime
       AND coalesce(suspecttimes, '''') = coalesce(@SuspectTimes::varchar, '''');');
