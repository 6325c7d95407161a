package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// migration is one numbered schema change. Versions start at 1 and increase
// by one; a migration, once released, never changes: a new one follows it.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations is the schema's history, oldest first.
var migrations = []migration{
	{1, "initial schema", `
CREATE TABLE counters (
	name  TEXT NOT NULL PRIMARY KEY,
	value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('seq', 0);

-- A deleted organisation or listing leaves a tombstone, so the update
-- sequence can report deletions.
CREATE TABLE tombstones (
	entity TEXT NOT NULL,
	id     TEXT NOT NULL,
	seq    INTEGER NOT NULL UNIQUE,
	PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE users (
	id            TEXT NOT NULL PRIMARY KEY,
	email_key     TEXT, -- the e-mail in lower case, for case-insensitive logins
	phone         TEXT,
	org_id        TEXT,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	doc           TEXT NOT NULL
) STRICT;
-- Unique indexes on optional columns are partial: blanks (NULL) are neither
-- unique nor worth an index entry.
CREATE UNIQUE INDEX users_email ON users (email_key) WHERE email_key IS NOT NULL;
CREATE UNIQUE INDEX users_phone ON users (phone) WHERE phone IS NOT NULL;
CREATE INDEX users_org ON users (org_id, id);

CREATE TABLE invites (
	code   TEXT NOT NULL PRIMARY KEY,
	org_id TEXT NOT NULL,
	doc    TEXT NOT NULL
) STRICT;

CREATE TABLE refresh_tokens (
	hash       TEXT NOT NULL PRIMARY KEY,
	family     TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT,
	revoked_at TEXT
) STRICT;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE import_runs (
	id  TEXT NOT NULL PRIMARY KEY,
	doc TEXT NOT NULL
) STRICT;

-- doc comes last in orgs and listings so that filters read the columns
-- before it without touching a long document's overflow pages.
CREATE TABLE orgs (
	id            TEXT NOT NULL PRIMARY KEY,
	ref           TEXT,
	uscc          TEXT,
	type          TEXT NOT NULL,
	tier          TEXT NOT NULL,
	verified      INTEGER NOT NULL,
	seq           INTEGER NOT NULL UNIQUE,
	industry_keys TEXT, -- JSON arrays
	region_keys   TEXT,
	doc           TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX orgs_ref ON orgs (ref) WHERE ref IS NOT NULL;
CREATE UNIQUE INDEX orgs_uscc ON orgs (uscc) WHERE uscc IS NOT NULL;
CREATE INDEX orgs_filter ON orgs (id, type, tier, verified);

-- One row per key of a record: dim is 'i' for industry keys, 'r' for
-- region keys. The primary key serves the prefix filters, in record ID order.
CREATE TABLE org_keys (
	dim    TEXT NOT NULL,
	key    TEXT NOT NULL,
	org_id TEXT NOT NULL,
	PRIMARY KEY (dim, key, org_id)
) STRICT, WITHOUT ROWID;

-- Triggers keep the key rows in step with the key columns inside the engine,
-- so no write path can leave stale keys behind, and a record created again
-- under a deleted ID loses its tombstone.
CREATE TRIGGER orgs_insert AFTER INSERT ON orgs BEGIN
	INSERT OR IGNORE INTO org_keys (dim, key, org_id)
		SELECT 'i', value, NEW.id FROM json_each(NEW.industry_keys)
		UNION ALL SELECT 'r', value, NEW.id FROM json_each(NEW.region_keys);
	DELETE FROM tombstones WHERE entity = 'org' AND id = NEW.id;
END;
CREATE TRIGGER orgs_update_keys AFTER UPDATE OF industry_keys, region_keys ON orgs
WHEN OLD.industry_keys IS NOT NEW.industry_keys OR OLD.region_keys IS NOT NEW.region_keys BEGIN
	DELETE FROM org_keys WHERE dim = 'i' AND key IN (SELECT value FROM json_each(OLD.industry_keys)) AND org_id = OLD.id;
	DELETE FROM org_keys WHERE dim = 'r' AND key IN (SELECT value FROM json_each(OLD.region_keys)) AND org_id = OLD.id;
	INSERT OR IGNORE INTO org_keys (dim, key, org_id)
		SELECT 'i', value, NEW.id FROM json_each(NEW.industry_keys)
		UNION ALL SELECT 'r', value, NEW.id FROM json_each(NEW.region_keys);
END;
CREATE TRIGGER orgs_delete AFTER DELETE ON orgs BEGIN
	DELETE FROM org_keys WHERE dim = 'i' AND key IN (SELECT value FROM json_each(OLD.industry_keys)) AND org_id = OLD.id;
	DELETE FROM org_keys WHERE dim = 'r' AND key IN (SELECT value FROM json_each(OLD.region_keys)) AND org_id = OLD.id;
END;

CREATE TABLE listings (
	id             TEXT NOT NULL PRIMARY KEY,
	ref            TEXT,
	kind           TEXT NOT NULL,
	org_id         TEXT NOT NULL REFERENCES orgs (id),
	status         TEXT NOT NULL,
	owner_verified INTEGER NOT NULL,
	owner_tier     TEXT NOT NULL,
	seq            INTEGER NOT NULL UNIQUE,
	industry_keys  TEXT,
	region_keys    TEXT,
	doc            TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX listings_ref ON listings (ref) WHERE ref IS NOT NULL;
CREATE INDEX listings_org ON listings (org_id, id);
-- Every filter column, in ID order: a page or a count under any filter reads
-- this index (or a key's rows and this index), never the documents.
CREATE INDEX listings_filter ON listings (id, kind, org_id, status, owner_verified, owner_tier);

CREATE TABLE listing_keys (
	dim        TEXT NOT NULL,
	key        TEXT NOT NULL,
	listing_id TEXT NOT NULL,
	PRIMARY KEY (dim, key, listing_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER listings_insert AFTER INSERT ON listings BEGIN
	INSERT OR IGNORE INTO listing_keys (dim, key, listing_id)
		SELECT 'i', value, NEW.id FROM json_each(NEW.industry_keys)
		UNION ALL SELECT 'r', value, NEW.id FROM json_each(NEW.region_keys);
	DELETE FROM tombstones WHERE entity = 'listing' AND id = NEW.id;
END;
CREATE TRIGGER listings_update_keys AFTER UPDATE OF industry_keys, region_keys ON listings
WHEN OLD.industry_keys IS NOT NEW.industry_keys OR OLD.region_keys IS NOT NEW.region_keys BEGIN
	DELETE FROM listing_keys WHERE dim = 'i' AND key IN (SELECT value FROM json_each(OLD.industry_keys)) AND listing_id = OLD.id;
	DELETE FROM listing_keys WHERE dim = 'r' AND key IN (SELECT value FROM json_each(OLD.region_keys)) AND listing_id = OLD.id;
	INSERT OR IGNORE INTO listing_keys (dim, key, listing_id)
		SELECT 'i', value, NEW.id FROM json_each(NEW.industry_keys)
		UNION ALL SELECT 'r', value, NEW.id FROM json_each(NEW.region_keys);
END;
CREATE TRIGGER listings_delete AFTER DELETE ON listings BEGIN
	DELETE FROM listing_keys WHERE dim = 'i' AND key IN (SELECT value FROM json_each(OLD.industry_keys)) AND listing_id = OLD.id;
	DELETE FROM listing_keys WHERE dim = 'r' AND key IN (SELECT value FROM json_each(OLD.region_keys)) AND listing_id = OLD.id;
END;
`},
	{2, "cultivation database", `
-- Yearly indicators of the cultivation database (培育库), one row per
-- organisation and year, deleted with the organisation.
CREATE TABLE indicators (
	org_id TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
	year   INTEGER NOT NULL,
	doc    TEXT NOT NULL,
	PRIMARY KEY (org_id, year)
) STRICT, WITHOUT ROWID;
CREATE INDEX indicators_year ON indicators (year, org_id);

CREATE TABLE memberships (
	org_id TEXT NOT NULL PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
	doc    TEXT NOT NULL
) STRICT;
`},
	{3, "matchmaking events", `
-- Events, their participants, meeting requests and schedules keep their
-- whole record in doc; the columns are what lists filter on and what must
-- stay unique.
CREATE TABLE events (
	id     TEXT NOT NULL PRIMARY KEY,
	org_id TEXT NOT NULL,
	status TEXT NOT NULL,
	doc    TEXT NOT NULL
) STRICT;
CREATE INDEX events_org ON events (org_id, id);

CREATE TABLE event_participants (
	id       TEXT NOT NULL PRIMARY KEY,
	event_id TEXT NOT NULL,
	org_id   TEXT NOT NULL,
	status   TEXT NOT NULL,
	doc      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX event_participants_org ON event_participants (event_id, org_id);
CREATE INDEX event_participants_event ON event_participants (event_id, id);

CREATE TABLE meeting_requests (
	id       TEXT NOT NULL PRIMARY KEY,
	event_id TEXT NOT NULL,
	from_id  TEXT NOT NULL,
	to_id    TEXT NOT NULL,
	status   TEXT NOT NULL,
	doc      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX meeting_requests_pair ON meeting_requests (event_id, from_id, to_id);
CREATE INDEX meeting_requests_event ON meeting_requests (event_id, id);
CREATE INDEX meeting_requests_to ON meeting_requests (to_id, id);

CREATE TABLE event_schedules (
	event_id TEXT NOT NULL PRIMARY KEY,
	version  INTEGER NOT NULL,
	doc      TEXT NOT NULL
) STRICT;
`},
	{4, "pairings, inbox and job runs", `
-- The columns are what lists, counts and the compare-and-set update read;
-- requester holds the organisation that asked (NULL while nobody has).
-- Times that are compared are fixed-width text, so they sort as times.
CREATE TABLE pairings (
	id           TEXT NOT NULL PRIMARY KEY,
	org_a        TEXT NOT NULL,
	org_b        TEXT NOT NULL,
	requester    TEXT,
	status       TEXT NOT NULL,
	kind         TEXT NOT NULL,
	expires_at   TEXT,
	agreed_at    TEXT,
	follow_up_at TEXT,
	version      INTEGER NOT NULL,
	region_keys  TEXT,
	doc          TEXT NOT NULL
) STRICT;
CREATE INDEX pairings_org_a ON pairings (org_a, id);
CREATE INDEX pairings_org_b ON pairings (org_b, id);
CREATE INDEX pairings_requester ON pairings (requester, status) WHERE requester IS NOT NULL;
CREATE INDEX pairings_expiry ON pairings (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX pairings_agreed ON pairings (agreed_at) WHERE agreed_at IS NOT NULL;

CREATE TABLE notifications (
	id      TEXT NOT NULL PRIMARY KEY,
	user_id TEXT NOT NULL,
	unread  INTEGER NOT NULL,
	doc     TEXT NOT NULL
) STRICT;
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE unread = 1;

CREATE TABLE job_runs (
	key TEXT NOT NULL PRIMARY KEY,
	at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`},
}

// migrate applies, in order and each in its own transaction, the migrations
// the database has not had yet. It refuses a database whose schema is newer
// than this program knows.
func migrate(ctx context.Context, db *sql.DB, ms []migration) error {
	for i, m := range ms {
		if m.version != i+1 {
			return fmt.Errorf("sqlite: migration %q has version %d, want %d", m.name, m.version, i+1)
		}
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER NOT NULL PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL
) STRICT`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := applyMigration(ctx, db, m, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies m unless the database has it. The version is read
// inside the transaction (which takes the write lock at BEGIN), so two
// processes opening one file at once apply each migration once.
func applyMigration(ctx context.Context, db *sql.DB, m migration, latest int) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	defer func() {
		if err != nil {
			if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = errors.Join(err, rerr)
			}
		}
	}()
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("sqlite: read schema version: %w", err)
	}
	if current > latest {
		return fmt.Errorf("sqlite: the database has schema version %d, newer than this program's %d: upgrade the program", current, latest)
	}
	if current >= m.version {
		return tx.Rollback()
	}
	if current != m.version-1 {
		return fmt.Errorf("sqlite: schema version %d cannot take migration %d", current, m.version)
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("sqlite: migration %d (%s): %w", m.version, m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, timeText(time.Now())); err != nil {
		return fmt.Errorf("sqlite: record migration %d: %w", m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit migration %d: %w", m.version, err)
	}
	return nil
}
