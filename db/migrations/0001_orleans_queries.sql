-- Orleans' ADO.NET providers (clustering, grain storage, reminders) execute only the SQL they find in this table,
-- looked up by a fixed key, binding parameters by name (@Name) and reading result columns by name.
-- Later migrations add the rows each provider needs. Requires PostgreSQL 15 or later.
CREATE TABLE orleansquery
(
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);
