-- @dttracker-dobbletap/sdk migration 0001: the transactional outbox (contract v1.1, "Durable delivery").
-- Apply it with `migrate(db)` from @dttracker-dobbletap/sdk/postgres, or as it is with psql or
-- `supabase migration new` + paste: every statement is idempotent. migrate(db, { schema }) puts the
-- tables in another schema by substituting that name for webhook_kit.
CREATE SCHEMA IF NOT EXISTS webhook_kit;

-- One row per event to deliver, inserted in the caller's own transaction by outbox.enqueue().
CREATE TABLE IF NOT EXISTS webhook_kit.outbox (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- enqueue order (ordering keys follow it)
  id uuid NOT NULL UNIQUE,                            -- the envelope id and webhook-id, on every attempt
  party text NOT NULL,                                -- who receives it: dobbletap | dttracker
  event text NOT NULL,
  data jsonb NOT NULL,                                -- validated against the contract at enqueue
  occurred_at timestamptz NOT NULL,
  ordering_key text,                                  -- same key: delivered in seq order
  campaign_id text,                                   -- the campaign the event is about, if any
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,                -- attempts started (claims)
  -- pending: when the next attempt is due; delivering: when the lease expires and the row is reclaimed.
  next_attempt_at timestamptz NOT NULL,
  lease_token uuid,                                   -- the current claim; a stale dispatcher's writes are ignored
  awaiting_campaign boolean NOT NULL DEFAULT false,   -- an offer_sent answered 404 CAMPAIGN_NOT_FOUND
  enqueued_at timestamptz NOT NULL,
  delivered_at timestamptz,
  result jsonb,                                       -- the receiver's result, once delivered
  duplicate boolean,
  last_status integer,
  last_code text,
  last_message text
);

-- The dispatcher's claim: due rows of the live states.
CREATE INDEX IF NOT EXISTS outbox_due_idx ON webhook_kit.outbox (next_attempt_at, seq) WHERE state IN ('pending', 'delivering');
-- "Is an earlier event of this key still undelivered?"
CREATE INDEX IF NOT EXISTS outbox_ordering_idx ON webhook_kit.outbox (ordering_key, seq) WHERE state IN ('pending', 'delivering');
-- "Is this offer's campaign_created still undelivered?" and "wake the offers awaiting this campaign".
CREATE INDEX IF NOT EXISTS outbox_campaign_idx ON webhook_kit.outbox (campaign_id, event) WHERE state IN ('pending', 'delivering');
CREATE INDEX IF NOT EXISTS outbox_state_idx ON webhook_kit.outbox (state, seq);

-- One row per attempt: when, by which dispatcher, how it ended.
CREATE TABLE IF NOT EXISTS webhook_kit.outbox_attempts (
  event_id uuid NOT NULL REFERENCES webhook_kit.outbox (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  dispatcher text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,                            -- null: the dispatcher died (the lease expired)
  duration_ms double precision,
  status integer,                                     -- HTTP status, when there was an answer
  code text,                                          -- the contract code or NETWORK_ERROR, TIMEOUT, …
  message text,
  PRIMARY KEY (event_id, attempt)
);
