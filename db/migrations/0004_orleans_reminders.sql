-- Durable reminders for Microsoft.Orleans.Reminders.AdoNet (invariant "Npgsql"). Each silo reads the reminders
-- whose grain hash falls in its range of the ring; Version is the optimistic-concurrency token for deletes.

CREATE TABLE orleansreminderstable
(
    serviceid    varchar(150) NOT NULL,
    grainid      varchar(150) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime    timestamptz  NOT NULL,
    period       bigint       NOT NULL,
    grainhash    integer      NOT NULL,
    version      integer      NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX ix_orleansreminders_range ON orleansreminderstable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpsertReminderRowKey', '
    INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
    ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
       SET starttime = excluded.starttime, period = excluded.period, grainhash = excluded.grainhash,
           version = orleansreminderstable.version + 1
    RETURNING version;'),

('ReadReminderRowsKey', '
    SELECT grainid, remindername, starttime, period, version
      FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND grainid = @GrainId;'),

('ReadReminderRowKey', '
    SELECT grainid, remindername, starttime, period, version
      FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName;'),

-- A range (Begin, End] of the hash ring that does not wrap around ...
('ReadRangeRows1Key', '
    SELECT grainid, remindername, starttime, period, version
      FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash;'),

-- ... and one that does.
('ReadRangeRows2Key', '
    SELECT grainid, remindername, starttime, period, version
      FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash);'),

('DeleteReminderRowKey', '
    WITH deleted AS (
        DELETE FROM orleansreminderstable
         WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName
           AND version = @Version::integer
        RETURNING 1)
    SELECT count(*)::integer AS row_count FROM deleted;'),

('DeleteReminderRowsKey', '
    DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId;');
