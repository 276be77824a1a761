-- The annotation app's schema. One file for SQLite and PostgreSQL: only types and statements both
-- accept (TEXT, BIGINT, INTEGER, DOUBLE PRECISION; ids chosen by the app, no SERIAL/AUTOINCREMENT;
-- times as epoch milliseconds; booleans as INTEGER 0/1).

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,                -- annotator | admin | teacher
  tenant_id TEXT,                    -- teachers only: the district/school they belong to
  created_at BIGINT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,       -- SHA-256 of the cookie value; the cookie itself is never stored
  account_id TEXT NOT NULL REFERENCES accounts(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE batches (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  overlap INTEGER NOT NULL,          -- annotators per item
  config_json TEXT NOT NULL,         -- shares, budgets, seed, size: how the batch was drawn
  summary_json TEXT NOT NULL
);

-- Every candidate item. state 'pool': imported, not drawn yet; 'queued': in a batch, being labelled.
CREATE TABLE items (
  id TEXT PRIMARY KEY,
  tenant_id TEXT,                    -- set for items that came from a tenant (reports); NULL otherwise
  kind TEXT NOT NULL,                -- host | text | url (traffic: not a dataset record)
  item_key TEXT NOT NULL,            -- host, text record id, or normalized URL
  url TEXT,
  text_content TEXT,
  html TEXT,
  source TEXT NOT NULL,              -- batch (classify-batch output) | review (label-noise queue) | report
  scores_json TEXT NOT NULL,         -- {"adult":0.93,...}
  tier_scores_json TEXT,             -- {"url":{"adult":0.9},"content":{"adult":0.2}} when the input had it
  evidence_json TEXT NOT NULL,       -- ["url: known-domain list entry ...", ...]
  given_labels TEXT,                 -- the dataset's labels (comma list) when known
  focus_category TEXT,               -- review-queue items: the category the suspicion is about
  dataset_version TEXT,
  queue TEXT,                        -- the rule that drew it: uncertainty | margin | disagreement | review | report | random
  priority DOUBLE PRECISION NOT NULL, -- the source's own priority (review: confident-learning margin)
  stratum TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  simhash BIGINT NOT NULL,
  state TEXT NOT NULL,
  batch_id TEXT REFERENCES batches(id),
  sampling_rule TEXT,
  inclusion_prob DOUBLE PRECISION,
  overlap INTEGER NOT NULL DEFAULT 2,
  sensitive INTEGER NOT NULL DEFAULT 0,
  gold_labels TEXT,                  -- known answer (comma list) for gold items, else NULL
  final_labels TEXT,                 -- agreed or adjudicated answer
  final_source TEXT,                 -- agreement | adjudication
  exported_in TEXT,
  report_count INTEGER NOT NULL DEFAULT 0,
  import_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX items_state ON items(state, source);
CREATE INDEX items_dedup ON items(dedup_key);
CREATE INDEX items_batch ON items(batch_id);

CREATE TABLE labels (
  item_id TEXT NOT NULL REFERENCES items(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  categories TEXT NOT NULL,          -- comma list, possibly empty (= none apply)
  unsure INTEGER NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (item_id, account_id)
);

CREATE TABLE adjudications (
  item_id TEXT PRIMARY KEY REFERENCES items(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  categories TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE reports (
  report_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  url TEXT NOT NULL,
  normalized_url TEXT NOT NULL,
  kind TEXT NOT NULL,
  categories TEXT NOT NULL,
  note TEXT NOT NULL,
  reporter_role TEXT NOT NULL,
  served_action TEXT NOT NULL,
  served_scores_json TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  request_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  item_id TEXT NOT NULL REFERENCES items(id)
);

CREATE TABLE overrides (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  host TEXT NOT NULL,
  effect TEXT NOT NULL,              -- allow | block
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  revoked_at BIGINT,
  revoked_by TEXT
);
CREATE INDEX overrides_tenant ON overrides(tenant_id);

CREATE TABLE exports (
  id TEXT PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  traffic_file_name TEXT,
  corrections INTEGER NOT NULL,
  traffic_records INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);

-- Who did what, when and why: overrides, adjudications, exports, accounts.
CREATE TABLE audit (
  id TEXT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  tenant_id TEXT,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
);

-- Monotonic counters (the override-set revision).
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO counters(name, value) VALUES ('override_revision', 0);
INSERT INTO counters(name, value) VALUES ('export_seq', 0);
