-- A migrate-all job reads its pending tenants in id order and counts its tenants by
-- status after each batch; without this index both scan every row of the job.
CREATE INDEX migration_job_tenants_status ON migration_job_tenants (job_id, status, tenant_id);
