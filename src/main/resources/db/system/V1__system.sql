-- Tenants, staff users, API tokens, feature flags, settings and migrate-all jobs.
-- Times are ISO-8601 UTC text, for example 2026-12-04T19:03:15Z.

CREATE TABLE tenants (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  plan             TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('provisioning', 'active', 'suspended')),
  suspended_reason TEXT,
  schema_version   TEXT NOT NULL DEFAULT '0',
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE TABLE users (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'support')),
  created_at TEXT NOT NULL
);

-- A token belongs to exactly one staff user or one tenant. Only the SHA-256 of its
-- secret is stored; the secret is shown once, when the token is created.
CREATE TABLE tokens (
  id         TEXT PRIMARY KEY,
  hash       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
  tenant_id  TEXT REFERENCES tenants (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  CHECK ((user_id IS NULL) <> (tenant_id IS NULL))
);
CREATE INDEX tokens_tenant ON tokens (tenant_id);

CREATE TABLE feature_flags (
  name       TEXT PRIMARY KEY,
  enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  plans      TEXT NOT NULL DEFAULT '[]',
  tenants    TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL
);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- A migrate-all job. Its counts come from migration_job_tenants, one row per tenant.
CREATE TABLE migration_jobs (
  id             TEXT PRIMARY KEY,
  status         TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  target_version TEXT NOT NULL,
  total          INTEGER NOT NULL,
  created_at     TEXT NOT NULL,
  finished_at    TEXT
);
-- At most one job runs at a time.
CREATE UNIQUE INDEX migration_jobs_one_running ON migration_jobs (status) WHERE status = 'running';

-- skipped: the tenant was at the target version when its turn came, or was deleted before it.
-- tenant_id has no foreign key, so a job keeps its results after a tenant is deleted.
CREATE TABLE migration_job_tenants (
  job_id    TEXT NOT NULL REFERENCES migration_jobs (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  status    TEXT NOT NULL CHECK (status IN ('pending', 'migrated', 'skipped', 'failed')),
  error     TEXT,
  PRIMARY KEY (job_id, tenant_id)
);
