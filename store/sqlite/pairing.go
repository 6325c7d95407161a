package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rongtong/rongtong/app"
)

// sortTime formats a time for a column that queries compare: fixed width in
// UTC, so text order is time order (RFC 3339 with trimmed fractions is not).
func sortTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
}

func nullSortTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return sortTime(*t)
}

// pendingList is app.PendingStatuses for "status IN (SELECT value FROM json_each(?))".
var pendingList = mustJSONList(app.PendingStatuses)

func mustJSONList[T ~string](xs []T) string {
	s, err := jsonList(xs)
	if err != nil {
		panic(err)
	}
	return s
}

// pairingRow returns the column values of a pairing, doc last but one and
// the ID last.
func pairingRow(p *app.Pairing) ([]any, error) {
	doc, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("sqlite: encode pairing: %w", err)
	}
	keys, err := encodeKeys(p.RegionKeys)
	if err != nil {
		return nil, err
	}
	return []any{p.A.OrgID, p.B.OrgID, nullStr(p.RequesterOrg()), string(p.Status), string(p.Kind),
		nullSortTime(p.ExpiresAt), nullSortTime(p.AgreedAt), nullSortTime(p.FollowUpAt), p.Version, keys, string(doc), p.ID}, nil
}

const pairingCols = `doc, version, region_keys`

func scanPairing(scan func(...any) error) (*app.Pairing, error) {
	var (
		doc     []byte
		version int64
		keys    sql.NullString
	)
	if err := scan(&doc, &version, &keys); err != nil {
		return nil, err
	}
	p := new(app.Pairing)
	if err := json.Unmarshal(doc, p); err != nil {
		return nil, fmt.Errorf("sqlite: decode pairing: %w", err)
	}
	p.Version = version
	var err error
	p.RegionKeys, err = decodeKeys(keys)
	return p, err
}

// CreatePairing stores a new pairing with Version 1; ECONFLICT if the ID is taken.
func (s *Store) CreatePairing(ctx context.Context, p *app.Pairing) error {
	if p.ID == "" {
		p.ID = app.NewID()
	}
	if err := checkID(p.ID); err != nil {
		return err
	}
	p.Version = 1
	row, err := pairingRow(p)
	if err != nil {
		return err
	}
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`INSERT INTO pairings (org_a, org_b, requester, status, kind, expires_at, agreed_at, follow_up_at, version, region_keys, doc, id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, row...)
		if err != nil && strings.Contains(err.Error(), "pairings.id") {
			return conflict("id")
		}
		return err
	})
}

// FindPairing returns ENOTFOUND if no pairing has the ID.
func (s *Store) FindPairing(ctx context.Context, id string) (*app.Pairing, error) {
	if !app.ValidID(id) {
		return nil, notFound("pairing")
	}
	row, err := s.queryRow(ctx, `SELECT `+pairingCols+` FROM pairings WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	p, err := scanPairing(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("pairing")
	}
	return p, translate(err)
}

// UpdatePairing replaces the pairing if its stored version is p.Version and
// moves p to the next version; ECONFLICT if another write came first.
func (s *Store) UpdatePairing(ctx context.Context, p *app.Pairing) error {
	if !app.ValidID(p.ID) {
		return notFound("pairing")
	}
	old := p.Version
	p.Version = old + 1
	row, err := pairingRow(p)
	if err != nil {
		p.Version = old
		return err
	}
	err = s.write(ctx, func(w *wtx) error {
		res, err := w.exec(`UPDATE pairings SET org_a = ?, org_b = ?, requester = ?, status = ?, kind = ?, expires_at = ?,
			agreed_at = ?, follow_up_at = ?, version = ?, region_keys = ?, doc = ? WHERE id = ? AND version = ?`, append(row, old)...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 1 {
			return err
		}
		r, err := w.queryRow(`SELECT count(*) FROM pairings WHERE id = ?`, p.ID)
		if err != nil {
			return err
		}
		var exists int
		if err := r.Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return notFound("pairing")
		}
		return app.Errorf(app.ECONFLICT, "the pairing changed meanwhile")
	})
	if err != nil {
		p.Version = old
	}
	return err
}

// ListPairings returns pairings newest first.
func (s *Store) ListPairings(ctx context.Context, f app.PairingFilter, p app.Page) ([]*app.Pairing, error) {
	w := &where{}
	if f.OrgID != "" {
		w.add("(org_a = ? OR org_b = ?)", f.OrgID, f.OrgID)
	}
	in(w, "status", f.Statuses)
	in(w, "kind", f.Kinds)
	if f.Region != "" {
		w.add("EXISTS (SELECT 1 FROM json_each(region_keys) WHERE value = ?)", f.Region)
	}
	if f.ExpiredBy != nil {
		w.add("expires_at <= ?", sortTime(*f.ExpiredBy))
	}
	if f.AgreedBefore != nil {
		w.add("status = 'agreed' AND agreed_at < ? AND follow_up_at IS NULL", sortTime(*f.AgreedBefore))
	}
	if f.CreatedSince != nil {
		// The document holds createdAt in RFC 3339 with the zone it was
		// made in; unixepoch reads the zone and the fraction, so the
		// comparison is of instants, not of text.
		w.add("unixepoch(json_extract(doc, '$.createdAt'), 'subsec') >= ?", float64(f.CreatedSince.UnixMicro())/1e6)
	}
	if p.After != "" {
		w.add("id < ?", p.After)
	}
	if w.err != nil {
		return nil, w.err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+pairingCols+` FROM pairings`+w.sql()+` ORDER BY id DESC LIMIT `+strconv.Itoa(pageLimit(p)), w.args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*app.Pairing
	for rows.Next() {
		x, err := scanPairing(rows.Scan)
		if err != nil {
			return nil, translate(err)
		}
		out = append(out, x)
	}
	return out, translate(rows.Err())
}

// count runs a counting query on the read pool.
func (s *Store) count(ctx context.Context, query string, args ...any) (int, error) {
	row, err := s.queryRow(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	var n int
	if err := row.Scan(&n); err != nil {
		return 0, translate(err)
	}
	return n, nil
}

// CountOpenOutgoing counts the pending pairings the organisation asked for.
func (s *Store) CountOpenOutgoing(ctx context.Context, orgID string, now time.Time) (int, error) {
	return s.count(ctx, `SELECT count(*) FROM pairings WHERE requester = ?
		AND status IN (SELECT value FROM json_each(?)) AND expires_at > ?`, orgID, pendingList, sortTime(now))
}

// CountOpenIncoming counts the pending pairings waiting for the organisation.
func (s *Store) CountOpenIncoming(ctx context.Context, orgID string, now time.Time) (int, error) {
	return s.count(ctx, `SELECT count(*) FROM pairings WHERE (org_a = ? OR org_b = ?)
		AND (requester IS NULL OR requester <> ?)
		AND status IN (SELECT value FROM json_each(?)) AND expires_at > ?`, orgID, orgID, orgID, pendingList, sortTime(now))
}

// PairingResponseStats counts how the organisation answered requests.
func (s *Store) PairingResponseStats(ctx context.Context, orgID string) (app.ResponseStats, error) {
	var st app.ResponseStats
	row, err := s.queryRow(ctx, `SELECT count(*), coalesce(sum(status <> 'expired'), 0) FROM pairings
		WHERE (org_a = ? OR org_b = ?) AND requester IS NOT NULL AND requester <> ?
		AND status NOT IN ('proposed', 'interested', 'withdrawn')`, orgID, orgID, orgID)
	if err != nil {
		return st, err
	}
	return st, translate(row.Scan(&st.Received, &st.Answered))
}

// CreateNotifications stores inbox entries in one transaction.
func (s *Store) CreateNotifications(ctx context.Context, ns []*app.Notification) error {
	return s.write(ctx, func(w *wtx) error {
		for _, n := range ns {
			if n.ID == "" {
				n.ID = app.NewID()
			}
			if err := checkID(n.ID); err != nil {
				return err
			}
			doc, err := json.Marshal(n)
			if err != nil {
				return fmt.Errorf("sqlite: encode notification: %w", err)
			}
			if _, err := w.exec(`INSERT INTO notifications (id, user_id, unread, doc) VALUES (?, ?, ?, ?)`,
				n.ID, n.UserID, boolInt(n.ReadAt == nil), string(doc)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListNotifications returns a user's inbox newest first.
func (s *Store) ListNotifications(ctx context.Context, userID string, unread bool, p app.Page) ([]*app.Notification, error) {
	w := &where{}
	w.add("user_id = ?", userID)
	if unread {
		w.add("unread = 1")
	}
	if p.After != "" {
		w.add("id < ?", p.After)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT doc FROM notifications`+w.sql()+` ORDER BY id DESC LIMIT `+strconv.Itoa(pageLimit(p)), w.args...)
	if err != nil {
		return nil, translate(err)
	}
	return scanDocs[app.Notification](rows, "notification")
}

// CountUnread counts a user's unread entries.
func (s *Store) CountUnread(ctx context.Context, userID string) (int, error) {
	return s.count(ctx, `SELECT count(*) FROM notifications WHERE user_id = ? AND unread = 1`, userID)
}

// MarkRead marks the user's entries read; all of them when ids is empty.
func (s *Store) MarkRead(ctx context.Context, userID string, ids []string, now time.Time) (int, error) {
	w := &where{}
	w.add("user_id = ?", userID)
	w.add("unread = 1")
	in(w, "id", ids)
	if w.err != nil {
		return 0, w.err
	}
	var n int
	err := s.write(ctx, func(tx *wtx) error {
		// The read time goes into the document with json_set, so one
		// statement marks any number of entries.
		res, err := tx.tx.ExecContext(ctx, `UPDATE notifications SET unread = 0, doc = json_set(doc, '$.readAt', ?)`+w.sql(),
			append([]any{timeText(now)}, w.args...)...)
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		n = int(k)
		return err
	})
	return n, err
}

// ClaimJob records a job run; false if its key was claimed before.
func (s *Store) ClaimJob(ctx context.Context, key string, now time.Time) (bool, error) {
	var first bool
	err := s.write(ctx, func(w *wtx) error {
		res, err := w.exec(`INSERT INTO job_runs (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, timeText(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		first = n == 1
		return err
	})
	return first, err
}

// OpenIncomingCounts counts the pending requests waiting for each
// organisation. Only pending pairings have an expiry, so the partial index
// on expires_at reads just them.
func (s *Store) OpenIncomingCounts(ctx context.Context, now time.Time) (map[string]int, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT org, count(*) FROM (
		SELECT org_a AS org FROM pairings WHERE expires_at > ?1 AND status IN (SELECT value FROM json_each(?2))
			AND (requester IS NULL OR requester <> org_a)
		UNION ALL
		SELECT org_b FROM pairings WHERE expires_at > ?1 AND status IN (SELECT value FROM json_each(?2))
			AND (requester IS NULL OR requester <> org_b)
	) GROUP BY org`, sortTime(now), pendingList)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var org string
		var n int
		if err := rows.Scan(&org, &n); err != nil {
			return nil, translate(err)
		}
		out[org] = n
	}
	return out, translate(rows.Err())
}

// AllResponseStats counts how every organisation answered requests.
func (s *Store) AllResponseStats(ctx context.Context) (map[string]app.ResponseStats, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT org, count(*), sum(status <> 'expired') FROM (
		SELECT CASE WHEN requester = org_a THEN org_b ELSE org_a END AS org, status FROM pairings
		WHERE requester IS NOT NULL AND status NOT IN ('proposed', 'interested', 'withdrawn')
	) GROUP BY org`)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]app.ResponseStats{}
	for rows.Next() {
		var org string
		var st app.ResponseStats
		if err := rows.Scan(&org, &st.Received, &st.Answered); err != nil {
			return nil, translate(err)
		}
		out[org] = st
	}
	return out, translate(rows.Err())
}
