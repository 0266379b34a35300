-- @dttracker-dobbletap/sdk migration 0002: the receiver's inbox (contract v1.1, "Idempotency and
-- retention"), used by postgresDedupStore. Apply it with `migrate(db)` from
-- @dttracker-dobbletap/sdk/postgres, or as it is with psql or `supabase migration new` + paste: every
-- statement is idempotent. migrate(db, { schema }) substitutes that name for webhook_kit.
CREATE SCHEMA IF NOT EXISTS webhook_kit;

-- One row per successfully processed webhook-id, shared by every instance of the receiver. A row is
-- inserted by a delivery's claim inside the transaction that runs the handler, so until that
-- transaction commits (with the answer) nobody else sees it, and a concurrent delivery of the same
-- id waits on the primary key for it to commit (→ duplicate) or roll back (→ it claims the id).
-- A committed row always has its answer.
CREATE TABLE IF NOT EXISTS webhook_kit.inbox (
  id text PRIMARY KEY,                 -- the webhook-id (= envelope id)
  event text,                          -- the event processed under it
  digest text,                         -- fingerprint of the event's data: same id, other data → 409
  answer json,                         -- the success body answered the first time, verbatim
  remembered_at timestamptz NOT NULL   -- when it was claimed, then completed; retention counts from it
);

-- The sweep deletes the oldest expired rows in bounded batches: an index scan, never a full scan.
CREATE INDEX IF NOT EXISTS inbox_remembered_at ON webhook_kit.inbox (remembered_at);
