import type Database from 'better-sqlite3'
import { systemClock, type Clock } from './clock'
import type { Db } from './database/port'
import { openPostgres, type PostgresDb } from './database/postgres'
import { POSTGRES_BASELINE, POSTGRES_BASELINE_VERSION } from './database/postgres-schema'
import { openSqlite, type SqliteDb } from './database/sqlite'
import { agreeSeededMethods, seedDatabase } from './seed'

export type { Db, SqlParams, SqlValue } from './database/port'
export { isUniqueViolation } from './database/port'

// the same text on both engines
const MIGRATION_7 = `
  CREATE TABLE rate_limit_hits (
    key TEXT PRIMARY KEY,
    hits INTEGER NOT NULL,
    -- milliseconds since 1970: when this key's window ends
    window_ends_at BIGINT NOT NULL
  );
  CREATE INDEX rate_limit_hits_ends ON rate_limit_hits(window_ends_at);
`

/**
 * The Alipay test accounts an ISO assigns to its staff (Staff Details), one per staff member, in a table of their
 * own: the password only encrypted (AES-256-GCM under TEST_ACCOUNT_KEY, server/src/test-accounts/crypto.ts). The
 * email the old `staff.test_account_email` column held moves here (with no password: the console asks the ISO
 * to set one), and the column goes. The same text on both engines.
 */
const MIGRATION_TEST_ACCOUNTS = `
  CREATE TABLE test_accounts (
    staff_id TEXT PRIMARY KEY REFERENCES staff(id) ON DELETE CASCADE,
    -- the ISO that assigned it: shown to the staff member only while they are with that ISO
    iso_id TEXT NOT NULL REFERENCES isos(id),
    email TEXT NOT NULL,
    -- v1.<iv>.<tag>.<ciphertext> (base64url), never the password; null: an email moved from before encryption
    password_sealed TEXT NULL,
    updated_at TEXT NOT NULL,
    updated_by_id TEXT NOT NULL,
    updated_by_name TEXT NOT NULL
  );
  CREATE INDEX test_accounts_iso ON test_accounts(iso_id);
  INSERT INTO test_accounts (staff_id, iso_id, email, password_sealed, updated_at, updated_by_id, updated_by_name)
    SELECT id, iso_id, test_account_email, NULL, created_at, 'schema-migration', 'schema migration (email only)'
    FROM staff WHERE test_account_email IS NOT NULL AND iso_id IS NOT NULL;
  ALTER TABLE staff DROP COLUMN test_account_email;
`

/**
 * Issue 23 (phone check, Org invitation): the mobile DingTalk gave at the last sign-in (null: none given), how
 * a request's Phone No. was compared with it, and the durable queue of Org invitations (one per approved
 * request: the member looked up by mobile, added to the ISO's department or created in it). The same text
 * on both engines.
 */
const MIGRATION_ORG_INVITATIONS = `
  ALTER TABLE staff ADD COLUMN dingtalk_mobile TEXT NULL;
  -- matched: the same number as DingTalk's; not_compared: DingTalk gave none (or the staff member has no DingTalk account)
  ALTER TABLE association_requests ADD COLUMN phone_check TEXT NOT NULL DEFAULT 'not_compared';
  CREATE TABLE org_invitations (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE REFERENCES association_requests(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    iso_id TEXT NOT NULL REFERENCES isos(id),
    dept_id BIGINT NULL,
    name TEXT NOT NULL,
    mobile_e164 TEXT NOT NULL,
    -- PENDING: to do (next_attempt_at); SENDING: a sender has it until lease_until; DONE: DingTalk has the member
    -- in the department or sent the invitation; ATTENTION: waits for someone (what to do in last_error);
    -- SKIPPED: nothing could be asked (no DingTalk, no department)
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'DONE', 'ATTENTION', 'SKIPPED')),
    -- DONE: existing (already in the department), added (an existing member added to it), created (a new member:
    -- DingTalk sends the invitation), consent (DingTalk asked the person to accept: 40103)
    outcome TEXT NULL,
    dingtalk_user_id TEXT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT NULL,
    -- why the last attempt failed: a problem code (mobile_taken, no_permission, unavailable, ...) and DingTalk's errcode
    problem TEXT NULL,
    errcode INTEGER NULL,
    created_at TEXT NOT NULL,
    done_at TEXT NULL
  );
  CREATE INDEX org_invitations_due ON org_invitations(status, next_attempt_at);
  CREATE INDEX org_invitations_iso ON org_invitations(iso_id, created_at);
`

/**
 * The deployment method agreed between the ISO and its regional coordinator (issue 23, item 4): the
 * agreement's columns on isos (an ISO added from now on starts with nothing agreed; the ISOs of an existing
 * database keep the method they were given, as agreed), a DingTalk user (and the language of their cards) for
 * console accounts, and work notifications addressed to a console account instead of a staff member.
 */
const MIGRATION_METHOD_AGREEMENT = `
  -- when the method in force (deployment_method) was agreed; null: none agreed yet, promotions are refused
  ALTER TABLE isos ADD COLUMN method_agreed_at TEXT NULL;
  -- the proposal under discussion (PROPOSED) or the last one declined (DECLINED)
  ALTER TABLE isos ADD COLUMN method_proposal TEXT NULL CHECK (method_proposal IN ('VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY'));
  ALTER TABLE isos ADD COLUMN method_proposal_state TEXT NULL CHECK (method_proposal_state IN ('PROPOSED', 'DECLINED'));
  ALTER TABLE isos ADD COLUMN method_proposed_by TEXT NULL;
  ALTER TABLE isos ADD COLUMN method_proposed_at TEXT NULL;
  ALTER TABLE isos ADD COLUMN method_decline_reason TEXT NULL;
  -- the method in force before the last agreed change, and when that change was agreed (the grace period)
  ALTER TABLE isos ADD COLUMN method_previous TEXT NULL CHECK (method_previous IN ('VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY'));
  ALTER TABLE isos ADD COLUMN method_changed_at TEXT NULL;
  UPDATE isos SET method_agreed_at = created_at;

  -- the console account's DingTalk user (work notifications of the agreement) and the language of its cards
  ALTER TABLE console_accounts ADD COLUMN dingtalk_user_id TEXT NULL;
  ALTER TABLE console_accounts ADD COLUMN locale TEXT NULL;
`

/** SQLite: notifications.staff_id becomes optional (a column's NOT NULL cannot be dropped: the table is rebuilt). */
const MIGRATION_NOTIFY_CONSOLE_SQLITE = `
  CREATE TABLE notifications_new (
    id TEXT PRIMARY KEY,
    event_key TEXT NOT NULL UNIQUE,
    staff_id TEXT NULL REFERENCES staff(id),
    kind TEXT NOT NULL,
    params_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT NULL,
    last_error TEXT NULL,
    dingtalk_task_id TEXT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT NULL,
    console_account_id TEXT NULL REFERENCES console_accounts(id),
    CHECK ((staff_id IS NULL) <> (console_account_id IS NULL))
  );
  INSERT INTO notifications_new (id, event_key, staff_id, kind, params_json, status, attempts, next_attempt_at, lease_until, last_error, dingtalk_task_id, created_at, sent_at)
    SELECT id, event_key, staff_id, kind, params_json, status, attempts, next_attempt_at, lease_until, last_error, dingtalk_task_id, created_at, sent_at FROM notifications;
  DROP TABLE notifications;
  ALTER TABLE notifications_new RENAME TO notifications;
  CREATE INDEX notifications_due ON notifications(status, next_attempt_at);
  CREATE INDEX notifications_newest ON notifications(created_at DESC, id DESC);
`

const MIGRATION_NOTIFY_CONSOLE_POSTGRES = `
  ALTER TABLE notifications ALTER COLUMN staff_id DROP NOT NULL;
  ALTER TABLE notifications ADD COLUMN console_account_id TEXT NULL REFERENCES console_accounts(id);
  ALTER TABLE notifications ADD CONSTRAINT notifications_one_recipient CHECK ((staff_id IS NULL) <> (console_account_id IS NULL));
`

/**
 * Issue 23 (exports): an ISO's promotions by creation time, the order the CSV exports read them in keyset pages
 * (iso_id, then created_at and id), so that each page is an index range rather than a scan of every promotion.
 */
const MIGRATION_EXPORT_INDEX = `
  CREATE INDEX promotions_iso_created ON promotions(iso_id, created_at, id);
`

/** 12: the client address each audited action came from (the real one behind TRUST_PROXY's load balancers). */
const MIGRATION_AUDIT_ADDRESS = `
  ALTER TABLE audit_log ADD COLUMN actor_address TEXT NULL;
`

/**
 * 13 (issue 25): what the payment lookup found, stored with each verification (the reviewer sees amount, currency,
 * time and wallet beside the store: the inquiry answer names no merchant), how it was checked, and the reviewer's
 * decision on evidence checked by a reviewer (PAYMENT_VERIFICATION=manual). A payment id counts once across
 * promotions and inspections: unique among the verifications that passed.
 */
const MIGRATION_PAYMENT_LOOKUPS = `
  ALTER TABLE payment_verifications ADD COLUMN payment_id TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN checked_by TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN result_code TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN payment_time TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN amount_value TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN amount_currency TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN wallet_brand TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN review_status TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN review_reason TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN reviewed_by TEXT NULL;
  ALTER TABLE payment_verifications ADD COLUMN reviewed_at TEXT NULL;
  CREATE UNIQUE INDEX payment_verifications_payment_once ON payment_verifications(payment_id) WHERE status = 'PASSED';
`

/**
 * Issue 26 (near-duplicate photos, location trust): each photo's fingerprint — its 64-bit dHash as 16 hex digits
 * and as four 16-bit bands, each indexed (a near-duplicate shares a band, or a band within one bit: evidence/dhash.ts),
 * and its colour layout — and the evidence flags recorded per promotion at submit (a later evidence summary reads
 * them). The same text on both engines.
 */
const MIGRATION_EVIDENCE_FLAGS = `
  CREATE TABLE photo_hashes (
    upload_id TEXT PRIMARY KEY REFERENCES uploads(id),
    dhash TEXT NOT NULL,
    band0 INTEGER NOT NULL,
    band1 INTEGER NOT NULL,
    band2 INTEGER NOT NULL,
    band3 INTEGER NOT NULL,
    colours TEXT NOT NULL
  );
  -- each band first, the other three after it: the lookup reads only these indexes (index-only), never the table
  CREATE INDEX photo_hashes_band0 ON photo_hashes(band0, band1, band2, band3);
  CREATE INDEX photo_hashes_band1 ON photo_hashes(band1, band0, band2, band3);
  CREATE INDEX photo_hashes_band2 ON photo_hashes(band2, band0, band1, band3);
  CREATE INDEX photo_hashes_band3 ON photo_hashes(band3, band0, band1, band2);
  CREATE TABLE evidence_flags (
    id TEXT PRIMARY KEY,
    promotion_id TEXT NOT NULL REFERENCES promotions(id),
    -- PHOTO_LOOKS_LIKE_SAME_STORE, LOCATION_FAR, LOCATION_POOR_ACCURACY, LOCATION_MOCKED, LOCATION_UNKNOWN
    kind TEXT NOT NULL,
    -- the submission field the photo is at (store.storefrontPhotoId, spots.<i>.photoId)
    field TEXT NULL,
    upload_id TEXT NULL,
    other_upload_id TEXT NULL,
    other_promotion_id TEXT NULL,
    hash_distance INTEGER NULL,
    meters DOUBLE PRECISION NULL,
    accuracy_meters DOUBLE PRECISION NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX evidence_flags_promotion ON evidence_flags(promotion_id);
`

/**
 * Issue 26 (items 1 and 3): what the photo checks found in each uploaded photo (its exposure and sharpness, the
 * verdict, the QR codes read in it) and, at submission, whether a photo the check warned about was kept knowingly
 * and how a Marketing Code spot's photo compares with the scanned code. The same text on both engines.
 */
const MIGRATION_PHOTO_CHECKS = `
  CREATE TABLE photo_checks (
    upload_id TEXT PRIMARY KEY REFERENCES uploads(id) ON DELETE CASCADE,
    -- null: nothing wrong found
    quality_issue TEXT NULL CHECK (quality_issue IN ('DARK', 'OVEREXPOSED', 'BLURRED')),
    -- mean luminance 0-255, share of burnt-out pixels 0-1, variance of the Laplacian (512 px greyscale)
    brightness DOUBLE PRECISION NOT NULL,
    overexposed DOUBLE PRECISION NOT NULL,
    sharpness DOUBLE PRECISION NOT NULL,
    -- JSON array of the texts of the QR codes read in the photo
    qr_codes TEXT NOT NULL,
    -- at submission: 1 kept after the warning (Keep anyway), 0 sent without that choice; null: no warning or not submitted
    kept INTEGER NULL CHECK (kept IN (0, 1)),
    -- at submission, a Marketing Code spot's photo: MATCH, DIFFERENT (another code) or NONE (no readable code)
    code_check TEXT NULL CHECK (code_check IN ('MATCH', 'DIFFERENT', 'NONE')),
    checked_at TEXT NOT NULL
  );
`

/**
 * Issue 26 item 5: each promotion's evidence summary (evidence/summary.ts) — its level, the queue's order weakest
 * first (evidence_rank: WEAK 0, LOOK_CLOSELY 1, GOOD 2, 3 not summarised yet), the reasons as JSON — and its store
 * name as searched (lowercased, NFKC: evidence/rules.ts storeNameKey). Existing rows are summarised lazily by the
 * review queue (evidence/summary-store.ts). The indexes serve the queue's keyset pages: by status in submission
 * order (submitted_at, or created_at while awaiting payment verification), by status weakest first, by ISO, and
 * the same two orders over every status (the last also finds the promotions not summarised yet).
 * The same text on both engines.
 */
const MIGRATION_EVIDENCE_SUMMARY = `
  ALTER TABLE promotions ADD COLUMN evidence_level TEXT NULL;
  ALTER TABLE promotions ADD COLUMN evidence_rank INTEGER NOT NULL DEFAULT 3;
  ALTER TABLE promotions ADD COLUMN evidence_reasons TEXT NULL;
  ALTER TABLE promotions ADD COLUMN store_name_key TEXT NULL;
  CREATE INDEX promotions_queue_time ON promotions(status, (COALESCE(submitted_at, created_at)), id);
  CREATE INDEX promotions_queue_evidence ON promotions(status, evidence_rank, (COALESCE(submitted_at, created_at)), id);
  CREATE INDEX promotions_queue_iso ON promotions(iso_id, status, (COALESCE(submitted_at, created_at)), id);
  CREATE INDEX promotions_queue_any_time ON promotions((COALESCE(submitted_at, created_at)), id);
  CREATE INDEX promotions_queue_any_evidence ON promotions(evidence_rank, (COALESCE(submitted_at, created_at)), id);
`

/**
 * Issue 26: whether the QR pass ran at upload (1) or was skipped (0: the app said the photo is not a spot photo;
 * its codes are then decoded when a submission uses it as a Marketing Code spot).
 */
const MIGRATION_PHOTO_QR_CHECKED = `
  ALTER TABLE photo_checks ADD COLUMN qr_checked INTEGER NOT NULL DEFAULT 1 CHECK (qr_checked IN (0, 1));
`

/**
 * DingTalk's call pacing shared by every server process (issue 27, item 2; server/src/dingtalk/pacing.ts): the
 * calls started per API and second, as DingTalk's throttling page advises for several servers. The same text on
 * both engines.
 */
const MIGRATION_DINGTALK_PACING = `
  CREATE TABLE dingtalk_call_seconds (
    api TEXT NOT NULL,
    -- seconds since 1970
    second BIGINT NOT NULL,
    calls INTEGER NOT NULL,
    PRIMARY KEY (api, second)
  );
`

/**
 * SQLite's schema migrations, applied in order. `PRAGMA user_version` records how many have run; never edit a
 * migration that has shipped, append a new one (and its PostgreSQL twin in POSTGRES_MIGRATIONS).
 */
export const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  // 1: ISOs, staff, association requests, sessions, used DingTalk auth codes
  (db) =>
    db.exec(`
      CREATE TABLE isos (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        deployment_method TEXT NOT NULL CHECK (deployment_method IN ('VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY')),
        timezone TEXT NOT NULL,
        max_spots_per_store INTEGER NOT NULL CHECK (max_spots_per_store > 0),
        created_at TEXT NOT NULL
      );

      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        phone_e164 TEXT NOT NULL,
        iso_id TEXT NULL REFERENCES isos(id),
        association_status TEXT NOT NULL DEFAULT 'none'
          CHECK (association_status IN ('none', 'invited', 'pending', 'rejected', 'approved', 'associated')),
        test_account_email TEXT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE association_requests (
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
      -- at most one pending request per staff member, whatever the code above does
      CREATE UNIQUE INDEX association_requests_one_pending ON association_requests(staff_id) WHERE status = 'pending';

      -- the bearer token itself is never stored, only its SHA-256
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
    `),
  // 2: promotions — uploads (photos), payment verifications, promotions and their spots, bound Marketing Codes
  (db) =>
    db.exec(`
      CREATE TABLE promotions (
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
        -- when it went to Alipay+ review (PENDING_REVIEW); null while awaiting payment verification
        submitted_at TEXT NULL,
        -- when the last review decision made it APPROVED or REJECTED
        decided_at TEXT NULL,
        UNIQUE (staff_id, client_id)
      );
      CREATE INDEX promotions_status ON promotions(status, submitted_at);
      CREATE INDEX promotions_staff ON promotions(staff_id, created_at);

      -- photo files live in the upload folder under stored_name (random; never the client's file name)
      CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        sha256 TEXT NOT NULL,
        mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
        size INTEGER NOT NULL CHECK (size > 0),
        stored_name TEXT NOT NULL UNIQUE,
        taken_at TEXT NULL,
        latitude REAL NULL,
        longitude REAL NULL,
        accuracy REAL NULL,
        mocked INTEGER NULL CHECK (mocked IN (0, 1)),
        created_at TEXT NOT NULL,
        -- set when a submission uses the photo (storefront or spot): it can never be used again
        promotion_id TEXT NULL REFERENCES promotions(id)
      );
      CREATE INDEX uploads_sha256 ON uploads(sha256);
      CREATE INDEX uploads_staff ON uploads(staff_id, created_at);

      CREATE TABLE payment_verifications (
        id TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        promotion_id TEXT NULL REFERENCES promotions(id),
        mode TEXT NOT NULL CHECK (mode IN ('MPM', 'UPM')),
        tool TEXT NOT NULL CHECK (tool IN ('ALIPAY', 'ALIPAY_PLUS_LINKER')),
        reference TEXT NOT NULL,
        photo_id TEXT NOT NULL REFERENCES uploads(id),
        status TEXT NOT NULL CHECK (status IN ('PASSED', 'FAILED')),
        reason TEXT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX payment_verifications_promotion ON payment_verifications(promotion_id, created_at);
      CREATE INDEX payment_verifications_staff ON payment_verifications(staff_id, created_at);

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
        PRIMARY KEY (promotion_id, idx),
        CHECK ((marketing_code IS NULL) <> (material_type IS NULL))
      );

      -- a Marketing Code binds to one spot, for good (whatever the code above does)
      CREATE TABLE marketing_code_bindings (
        code TEXT PRIMARY KEY,
        promotion_id TEXT NOT NULL,
        spot_idx INTEGER NOT NULL,
        bound_at TEXT NOT NULL,
        FOREIGN KEY (promotion_id, spot_idx) REFERENCES promotion_spots(promotion_id, idx) ON DELETE CASCADE
      );
    `),
  // 3: review results — when each item was decided (the statistics' as-of moment), appeals, resubmissions
  (db) =>
    db.exec(`
      ALTER TABLE promotions ADD COLUMN store_decided_at TEXT NULL;
      ALTER TABLE promotions ADD COLUMN updated_at TEXT NULL;
      ALTER TABLE promotion_spots ADD COLUMN decided_at TEXT NULL;

      -- decisions made before this migration: the promotion's decision time, else the earliest possible one
      UPDATE promotions SET store_decided_at = COALESCE(decided_at, submitted_at, created_at) WHERE store_review_status <> 'PENDING';
      UPDATE promotion_spots SET decided_at = (
        SELECT COALESCE(p.decided_at, p.submitted_at, p.created_at) FROM promotions p WHERE p.id = promotion_spots.promotion_id
      ) WHERE review_status <> 'PENDING';
      UPDATE promotions SET updated_at = COALESCE(decided_at, submitted_at, created_at);

      CREATE INDEX promotions_staff_newest ON promotions(staff_id, created_at DESC, id DESC);

      CREATE TABLE appeals (
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
      -- at most one open appeal per promotion, whatever the code above does
      CREATE UNIQUE INDEX appeals_one_open ON appeals(promotion_id) WHERE status = 'OPEN';

      CREATE TABLE resubmissions (
        id TEXT PRIMARY KEY,
        promotion_id TEXT NOT NULL REFERENCES promotions(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (promotion_id, client_id)
      );
    `),
  // 4: spot inspection — Verification Tasks, their payment evidence, photos used by an inspection
  (db) =>
    db.exec(`
      CREATE TABLE inspection_tasks (
        id TEXT PRIMARY KEY,
        promotion_id TEXT NOT NULL REFERENCES promotions(id),
        staff_id TEXT NOT NULL REFERENCES staff(id),
        status TEXT NOT NULL DEFAULT 'TO_DO' CHECK (status IN ('TO_DO', 'IN_PROGRESS', 'SUBMITTED', 'ACCEPTED', 'REJECTED')),
        -- YYYY-MM-DD in the ISO's time zone
        due_date TEXT NOT NULL,
        assigned_at TEXT NOT NULL,
        submitted_at TEXT NULL,
        -- the submission's idempotency key and result (JSON, with the server's distance and code comparisons)
        client_id TEXT NULL,
        result_json TEXT NULL,
        reviewer_reason TEXT NULL,
        decided_at TEXT NULL,
        UNIQUE (staff_id, client_id),
        CHECK ((status IN ('TO_DO', 'IN_PROGRESS')) = (result_json IS NULL))
      );
      CREATE INDEX inspection_tasks_staff ON inspection_tasks(staff_id, due_date);
      CREATE INDEX inspection_tasks_status ON inspection_tasks(status, submitted_at);

      -- evidence recorded for an inspection (promotion_id stays NULL)
      ALTER TABLE payment_verifications ADD COLUMN inspection_id TEXT NULL REFERENCES inspection_tasks(id);
      CREATE INDEX payment_verifications_inspection ON payment_verifications(inspection_id, created_at);

      -- a photo used by an inspection's result is used for good, like one of a promotion
      ALTER TABLE uploads ADD COLUMN inspection_id TEXT NULL REFERENCES inspection_tasks(id);
      CREATE INDEX uploads_inspection ON uploads(inspection_id);
    `),
  // 5: DingTalk — staff provisioned from the organisation, their working language, each ISO's department, and
  // the durable queue of work notifications
  (db) =>
    db.exec(`
      -- who the staff member is in DingTalk (null for the seeded demo staff); one staff member per organisation member
      ALTER TABLE staff ADD COLUMN dingtalk_corp_id TEXT NULL;
      ALTER TABLE staff ADD COLUMN dingtalk_user_id TEXT NULL;
      -- the departments DingTalk listed them in at the last sign-in or membership check (JSON array of ids)
      ALTER TABLE staff ADD COLUMN dingtalk_dept_ids TEXT NULL;
      -- the working language the app last reported (work notifications are written in it); null: English
      ALTER TABLE staff ADD COLUMN locale TEXT NULL;
      CREATE UNIQUE INDEX staff_dingtalk ON staff(dingtalk_corp_id, dingtalk_user_id) WHERE dingtalk_user_id IS NOT NULL;

      -- the ISO's department in the Alipay Partners organisation: its staff are the department's members
      ALTER TABLE isos ADD COLUMN dingtalk_dept_id INTEGER NULL;
      CREATE UNIQUE INDEX isos_dingtalk_dept ON isos(dingtalk_dept_id) WHERE dingtalk_dept_id IS NOT NULL;

      -- a work notification per event (event_key), written in the transaction of the decision, sent afterwards
      CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        event_key TEXT NOT NULL UNIQUE,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        kind TEXT NOT NULL,
        params_json TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        -- while SENDING: until when the sender that claimed it owns it
        lease_until TEXT NULL,
        last_error TEXT NULL,
        dingtalk_task_id TEXT NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT NULL
      );
      CREATE INDEX notifications_due ON notifications(status, next_attempt_at);
      CREATE INDEX notifications_newest ON notifications(created_at DESC, id DESC);
    `),
  // 6: reviewers with their own accounts — console accounts and roles, their sessions, the sign-in throttle,
  // each ISO's region, and the append-only audit trail of decisions
  (db) =>
    db.exec(`
      -- the region whose coordinator sets the ISO's deployment method and spot limit (a short code, e.g. SEA)
      ALTER TABLE isos ADD COLUMN region TEXT NOT NULL DEFAULT 'SEA';

      CREATE TABLE console_accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('iso_reviewer', 'coordinator', 'alipay_reviewer', 'admin')),
        iso_id TEXT NULL REFERENCES isos(id),
        region TEXT NULL,
        -- scrypt$N$r$p$salt$hash (base64url); never the password
        password_hash TEXT NOT NULL,
        disabled_at TEXT NULL,
        created_at TEXT NOT NULL,
        password_changed_at TEXT NOT NULL,
        CHECK ((role = 'iso_reviewer') = (iso_id IS NOT NULL)),
        CHECK ((role = 'coordinator') = (region IS NOT NULL))
      );

      -- a signed-in browser: the cookie carries a random token, only its SHA-256 is kept
      CREATE TABLE console_sessions (
        token_hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES console_accounts(id),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX console_sessions_account ON console_sessions(account_id);

      -- failed console sign-ins per user name typed ('user:<name>', whether or not it exists) and per address
      -- ('addr:<ip>'): counted within a window, then locked for a while
      CREATE TABLE console_signin_throttle (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        window_started_at TEXT NOT NULL,
        locked_until TEXT NULL
      );

      -- who decided what: written in the transaction of the decision; never updated or deleted
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        action TEXT NOT NULL,
        subject_type TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        -- the ISO the record belongs to (null: not an ISO's record, e.g. an account of Alipay+)
        iso_id TEXT NULL,
        before_json TEXT NULL,
        after_json TEXT NULL,
        reason TEXT NULL
      );
      CREATE INDEX audit_subject ON audit_log(subject_type, subject_id, seq);
      CREATE INDEX audit_actor ON audit_log(actor_id, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `),
  // 7: servers side by side — the request counts of the rate limits, shared by every server process
  (db) => db.exec(MIGRATION_7),
  // 8: the Alipay test accounts, their passwords encrypted
  (db) => db.exec(MIGRATION_TEST_ACCOUNTS),
  // 9: the phone number DingTalk knows, the Org invitations' queue
  (db) => db.exec(MIGRATION_ORG_INVITATIONS),
  // 10: the deployment method agreed (issue 23, item 4)
  (db) => db.exec(MIGRATION_METHOD_AGREEMENT + MIGRATION_NOTIFY_CONSOLE_SQLITE),
  // 11: the exports' order — an ISO's promotions by creation time
  (db) => db.exec(MIGRATION_EXPORT_INDEX),
  // 12: the audit trail's client address
  (db) => db.exec(MIGRATION_AUDIT_ADDRESS),
  // 13: payment lookups (issue 25)
  (db) => db.exec(MIGRATION_PAYMENT_LOOKUPS),
  // 14: photo fingerprints and evidence flags (issue 26)
  (db) => db.exec(MIGRATION_EVIDENCE_FLAGS),
  // 15: photo checks (issue 26, items 1 and 3)
  (db) => db.exec(MIGRATION_PHOTO_CHECKS),
  // 16: the evidence summary of each promotion (issue 26, item 5)
  (db) => db.exec(MIGRATION_EVIDENCE_SUMMARY),
  // 17: photo checks — whether the QR pass ran at upload (issue 26)
  (db) => db.exec(MIGRATION_PHOTO_QR_CHECKED),
  // 18: DingTalk's call pacing shared by the server processes (issue 27)
  (db) => db.exec(MIGRATION_DINGTALK_PACING),
]

/**
 * PostgreSQL's migrations: the baseline (SQLite's versions 1 to 6 in one), then the same versions as SQLite.
 * The table schema_migrations records each version applied.
 */
export const POSTGRES_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  { version: POSTGRES_BASELINE_VERSION, sql: POSTGRES_BASELINE },
  { version: 7, sql: MIGRATION_7 },
  { version: 8, sql: MIGRATION_TEST_ACCOUNTS },
  { version: 9, sql: MIGRATION_ORG_INVITATIONS },
  { version: 10, sql: MIGRATION_METHOD_AGREEMENT + MIGRATION_NOTIFY_CONSOLE_POSTGRES },
  { version: 11, sql: MIGRATION_EXPORT_INDEX },
  { version: 12, sql: MIGRATION_AUDIT_ADDRESS },
  { version: 13, sql: MIGRATION_PAYMENT_LOOKUPS },
  { version: 14, sql: MIGRATION_EVIDENCE_FLAGS },
  { version: 15, sql: MIGRATION_PHOTO_CHECKS },
  { version: 16, sql: MIGRATION_EVIDENCE_SUMMARY },
  { version: 17, sql: MIGRATION_PHOTO_QR_CHECKED },
  { version: 18, sql: MIGRATION_DINGTALK_PACING },
]

/** The schema version this server runs on (both engines). */
export const SCHEMA_VERSION = MIGRATIONS.length

export interface OpenDatabaseOptions {
  clock?: Clock
  /**
   * Seed the demo data when the database is new (default false: a new database has the schema and nothing else;
   * development mode and `npm run seed:demo` ask for the demo).
   */
  seed?: boolean
  /** PostgreSQL: the schema the tables live in (default public; tests give each server its own). */
  schema?: string
}

/** A PostgreSQL connection URL rather than a SQLite file? */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target)
}

/**
 * Opens the database — a SQLite file (created if needed; `:memory:` for a throw-away one) or a PostgreSQL
 * URL (`postgres://…`) — applies pending migrations, and seeds a new one with the demo data when `seed` is set.
 */
export async function openDatabase(target: string, { clock = systemClock, seed = false, schema }: OpenDatabaseOptions = {}): Promise<Db> {
  const db: Db = isPostgresUrl(target) ? await openPostgres(target, { schema }) : openSqlite(target)
  try {
    await migrate(db, { clock, seed })
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}

const newerProblem = (from: number) => `Database schema version ${from} is newer than this server (${SCHEMA_VERSION}); update the server.`

/**
 * Applies the migrations not yet applied, all in one write transaction (so two server processes starting
 * together never both migrate), and seeds a new database with the demo data when `seed` is set (never by default).
 */
export async function migrate(db: Db, { clock = systemClock, seed = false }: OpenDatabaseOptions = {}): Promise<{ from: number; to: number }> {
  return db.transaction(async () => {
    const from = db.engine === 'sqlite' ? migrateSqlite((db as SqliteDb).connection) : await migratePostgres(db as PostgresDb)
    if (from === 0 && seed) {
      await seedDatabase(db, clock.now())
      await agreeSeededMethods(db, clock.now())
    }
    return { from, to: SCHEMA_VERSION }
  })
}

/** Inside the caller's transaction; answers the version found. */
function migrateSqlite(connection: Database.Database): number {
  const from = connection.pragma('user_version', { simple: true }) as number
  if (from > SCHEMA_VERSION) throw new Error(newerProblem(from))
  for (let version = from; version < SCHEMA_VERSION; version++) MIGRATIONS[version](connection)
  connection.pragma(`user_version = ${SCHEMA_VERSION}`)
  return from
}

async function migratePostgres(db: PostgresDb): Promise<number> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
  const row = await db.get<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations')
  const from = row?.version ?? 0
  if (from > SCHEMA_VERSION) throw new Error(newerProblem(from))
  for (const migration of POSTGRES_MIGRATIONS) {
    if (migration.version <= from) continue
    await db.exec(migration.sql)
    await db.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [migration.version, new Date().toISOString()])
  }
  return from
}
