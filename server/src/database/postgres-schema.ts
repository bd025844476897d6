/**
 * PostgreSQL's schema. No PostgreSQL database predates schema version 6, so versions 1 to 6 are one baseline:
 * the same tables, columns, checks and indexes as SQLite's migrations 1 to 6 produce. Tables whose lists are
 * ordered by insertion carry an explicit `rowid` (SQLite's implicit one has the same name), so the same SQL
 * orders the same way on both engines. Times are ISO-8601 text on both (compared as text, cut off by text).
 */
export const POSTGRES_BASELINE_VERSION = 6

export const POSTGRES_BASELINE = `
  CREATE TABLE isos (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    deployment_method TEXT NOT NULL CHECK (deployment_method IN ('VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY')),
    timezone TEXT NOT NULL,
    max_spots_per_store INTEGER NOT NULL CHECK (max_spots_per_store > 0),
    created_at TEXT NOT NULL,
    dingtalk_dept_id BIGINT NULL,
    region TEXT NOT NULL DEFAULT 'SEA'
  );
  -- SQLite: UNIQUE COLLATE NOCASE
  CREATE UNIQUE INDEX isos_email_nocase ON isos (lower(email));
  CREATE UNIQUE INDEX isos_dingtalk_dept ON isos(dingtalk_dept_id) WHERE dingtalk_dept_id IS NOT NULL;

  CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phone_e164 TEXT NOT NULL,
    iso_id TEXT NULL REFERENCES isos(id),
    association_status TEXT NOT NULL DEFAULT 'none'
      CHECK (association_status IN ('none', 'invited', 'pending', 'rejected', 'approved', 'associated')),
    test_account_email TEXT NULL,
    created_at TEXT NOT NULL,
    dingtalk_corp_id TEXT NULL,
    dingtalk_user_id TEXT NULL,
    dingtalk_dept_ids TEXT NULL,
    locale TEXT NULL
  );
  CREATE UNIQUE INDEX staff_dingtalk ON staff(dingtalk_corp_id, dingtalk_user_id) WHERE dingtalk_user_id IS NOT NULL;

  CREATE TABLE association_requests (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    iso_id TEXT NULL REFERENCES isos(id),
    iso_email TEXT NOT NULL,
    name TEXT NOT NULL,
    phone_e164 TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reason TEXT NULL,
    created_at TEXT NOT NULL,
    decided_at TEXT NULL
  );
  CREATE INDEX association_requests_staff ON association_requests(staff_id, created_at);
  CREATE INDEX association_requests_status ON association_requests(status, created_at);
  CREATE UNIQUE INDEX association_requests_one_pending ON association_requests(staff_id) WHERE status = 'pending';

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_expires ON sessions(expires_at);

  CREATE TABLE used_auth_codes (
    code TEXT PRIMARY KEY,
    used_at TEXT NOT NULL
  );

  CREATE TABLE promotions (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    iso_id TEXT NOT NULL REFERENCES isos(id),
    product TEXT NOT NULL CHECK (product IN ('MARKETING_CODE', 'PRIMARY_POSM')),
    method TEXT NOT NULL CHECK (method IN ('VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY')),
    status TEXT NOT NULL
      CHECK (status IN ('AWAITING_PAYMENT_VERIFICATION', 'PENDING_REVIEW', 'APPROVED', 'REJECTED')),
    store_json TEXT NOT NULL,
    merchant_json TEXT NOT NULL,
    store_review_status TEXT NOT NULL DEFAULT 'PENDING' CHECK (store_review_status IN ('PENDING', 'APPROVED', 'REJECTED')),
    store_review_reason TEXT NULL,
    created_at TEXT NOT NULL,
    submitted_at TEXT NULL,
    decided_at TEXT NULL,
    store_decided_at TEXT NULL,
    updated_at TEXT NULL,
    UNIQUE (staff_id, client_id)
  );
  CREATE INDEX promotions_status ON promotions(status, submitted_at);
  CREATE INDEX promotions_staff ON promotions(staff_id, created_at);
  CREATE INDEX promotions_staff_newest ON promotions(staff_id, created_at DESC, id DESC);

  CREATE TABLE inspection_tasks (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    promotion_id TEXT NOT NULL REFERENCES promotions(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    status TEXT NOT NULL DEFAULT 'TO_DO' CHECK (status IN ('TO_DO', 'IN_PROGRESS', 'SUBMITTED', 'ACCEPTED', 'REJECTED')),
    due_date TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    submitted_at TEXT NULL,
    client_id TEXT NULL,
    result_json TEXT NULL,
    reviewer_reason TEXT NULL,
    decided_at TEXT NULL,
    UNIQUE (staff_id, client_id),
    CHECK ((status IN ('TO_DO', 'IN_PROGRESS')) = (result_json IS NULL))
  );
  CREATE INDEX inspection_tasks_staff ON inspection_tasks(staff_id, due_date);
  CREATE INDEX inspection_tasks_status ON inspection_tasks(status, submitted_at);

  CREATE TABLE uploads (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    size INTEGER NOT NULL CHECK (size > 0),
    stored_name TEXT NOT NULL UNIQUE,
    taken_at TEXT NULL,
    latitude DOUBLE PRECISION NULL,
    longitude DOUBLE PRECISION NULL,
    accuracy DOUBLE PRECISION NULL,
    mocked INTEGER NULL CHECK (mocked IN (0, 1)),
    created_at TEXT NOT NULL,
    promotion_id TEXT NULL REFERENCES promotions(id),
    inspection_id TEXT NULL REFERENCES inspection_tasks(id)
  );
  CREATE INDEX uploads_sha256 ON uploads(sha256);
  CREATE INDEX uploads_staff ON uploads(staff_id, created_at);
  CREATE INDEX uploads_inspection ON uploads(inspection_id);

  CREATE TABLE payment_verifications (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    promotion_id TEXT NULL REFERENCES promotions(id),
    mode TEXT NOT NULL CHECK (mode IN ('MPM', 'UPM')),
    tool TEXT NOT NULL CHECK (tool IN ('ALIPAY', 'ALIPAY_PLUS_LINKER')),
    reference TEXT NOT NULL,
    photo_id TEXT NOT NULL REFERENCES uploads(id),
    status TEXT NOT NULL CHECK (status IN ('PASSED', 'FAILED')),
    reason TEXT NULL,
    created_at TEXT NOT NULL,
    inspection_id TEXT NULL REFERENCES inspection_tasks(id)
  );
  CREATE INDEX payment_verifications_promotion ON payment_verifications(promotion_id, created_at);
  CREATE INDEX payment_verifications_staff ON payment_verifications(staff_id, created_at);
  CREATE INDEX payment_verifications_inspection ON payment_verifications(inspection_id, created_at);

  CREATE TABLE promotion_spots (
    promotion_id TEXT NOT NULL REFERENCES promotions(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL CHECK (idx >= 0),
    position TEXT NOT NULL,
    position_note TEXT NULL,
    photo_id TEXT NOT NULL REFERENCES uploads(id),
    marketing_code TEXT NULL,
    material_type TEXT NULL,
    review_status TEXT NOT NULL DEFAULT 'PENDING' CHECK (review_status IN ('PENDING', 'APPROVED', 'REJECTED')),
    review_reason TEXT NULL,
    decided_at TEXT NULL,
    PRIMARY KEY (promotion_id, idx),
    CHECK ((marketing_code IS NULL) <> (material_type IS NULL))
  );

  CREATE TABLE marketing_code_bindings (
    code TEXT PRIMARY KEY,
    promotion_id TEXT NOT NULL,
    spot_idx INTEGER NOT NULL,
    bound_at TEXT NOT NULL,
    FOREIGN KEY (promotion_id, spot_idx) REFERENCES promotion_spots(promotion_id, idx) ON DELETE CASCADE
  );

  CREATE TABLE appeals (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    promotion_id TEXT NOT NULL REFERENCES promotions(id) ON DELETE CASCADE,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    client_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    photo_ids_json TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACCEPTED', 'REJECTED')),
    reviewer_reason TEXT NULL,
    created_at TEXT NOT NULL,
    decided_at TEXT NULL,
    UNIQUE (staff_id, client_id)
  );
  CREATE INDEX appeals_promotion ON appeals(promotion_id, created_at);
  CREATE INDEX appeals_status ON appeals(status, created_at);
  CREATE UNIQUE INDEX appeals_one_open ON appeals(promotion_id) WHERE status = 'OPEN';

  CREATE TABLE resubmissions (
    id TEXT PRIMARY KEY,
    promotion_id TEXT NOT NULL REFERENCES promotions(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (promotion_id, client_id)
  );

  CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    event_key TEXT NOT NULL UNIQUE,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    kind TEXT NOT NULL,
    params_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT NULL,
    last_error TEXT NULL,
    dingtalk_task_id TEXT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT NULL
  );
  CREATE INDEX notifications_due ON notifications(status, next_attempt_at);
  CREATE INDEX notifications_newest ON notifications(created_at DESC, id DESC);

  CREATE TABLE console_accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('iso_reviewer', 'coordinator', 'alipay_reviewer', 'admin')),
    iso_id TEXT NULL REFERENCES isos(id),
    region TEXT NULL,
    password_hash TEXT NOT NULL,
    disabled_at TEXT NULL,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    CHECK ((role = 'iso_reviewer') = (iso_id IS NOT NULL)),
    CHECK ((role = 'coordinator') = (region IS NOT NULL))
  );
  -- SQLite: UNIQUE COLLATE NOCASE
  CREATE UNIQUE INDEX console_accounts_username_nocase ON console_accounts (lower(username));

  CREATE TABLE console_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES console_accounts(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX console_sessions_account ON console_sessions(account_id);

  CREATE TABLE console_signin_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_started_at TEXT NOT NULL,
    locked_until TEXT NULL
  );

  CREATE TABLE audit_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    iso_id TEXT NULL,
    before_json TEXT NULL,
    after_json TEXT NULL,
    reason TEXT NULL
  );
  CREATE INDEX audit_subject ON audit_log(subject_type, subject_id, seq);
  CREATE INDEX audit_actor ON audit_log(actor_id, seq);
  CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END
  $$;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
`
