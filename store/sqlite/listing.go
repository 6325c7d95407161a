package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/rongtong/rongtong/app"
)

const listingCols = `l.doc, l.seq, l.industry_keys, l.region_keys`

// scanListing reads the columns of listingCols.
func scanListing(scan func(...any) error) (*app.Listing, error) {
	var (
		doc    []byte
		seq    int64
		ik, rk sql.NullString
	)
	if err := scan(&doc, &seq, &ik, &rk); err != nil {
		return nil, err
	}
	l := new(app.Listing)
	if err := json.Unmarshal(doc, l); err != nil {
		return nil, fmt.Errorf("sqlite: decode listing: %w", err)
	}
	l.Seq = seq
	var err error
	if l.IndustryKeys, err = decodeKeys(ik); err != nil {
		return nil, err
	}
	if l.RegionKeys, err = decodeKeys(rk); err != nil {
		return nil, err
	}
	return l, nil
}

const (
	listingSeqArg    = 6
	insertListingSQL = `INSERT INTO listings (ref, kind, org_id, status, owner_verified, owner_tier, seq, industry_keys, region_keys, doc, id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	upsertListingSQL = insertListingSQL + `
ON CONFLICT (id) DO UPDATE SET ref = excluded.ref, kind = excluded.kind, org_id = excluded.org_id,
	status = excluded.status, owner_verified = excluded.owner_verified, owner_tier = excluded.owner_tier,
	seq = excluded.seq, industry_keys = excluded.industry_keys, region_keys = excluded.region_keys, doc = excluded.doc`
	updateListingSQL = `UPDATE listings SET ref = ?, kind = ?, org_id = ?, status = ?, owner_verified = ?,
	owner_tier = ?, seq = ?, industry_keys = ?, region_keys = ?, doc = ? WHERE id = ?`
)

// listingArgs returns a listing's parameters for the statements above, as
// orgArgs does.
func listingArgs(l *app.Listing) ([]any, error) {
	doc, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("sqlite: encode listing: %w", err)
	}
	ik, err := encodeKeys(l.IndustryKeys)
	if err != nil {
		return nil, err
	}
	rk, err := encodeKeys(l.RegionKeys)
	if err != nil {
		return nil, err
	}
	return []any{nullStr(l.Ref), string(l.Kind), l.OrgID, string(l.Status),
		boolInt(l.Owner.Verified), string(l.Owner.Tier), l.Seq, ik, rk, string(doc), l.ID}, nil
}

// putListing writes a listing with one of the statements above and the
// parameters of listingArgs, at seq, and returns the number of rows written.
// Triggers keep its key rows and tombstone in step.
func (w *wtx) putListing(query string, args []any, seq int64) (int64, error) {
	args[listingSeqArg] = seq
	res, err := w.exec(query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CreateListing stores a new listing as given (the caller has set its owner
// summary and keys) and sets its Seq. An empty ID is filled with a new one.
// It returns ECONFLICT (field id or ref) if one is taken and EINVALID (field
// orgId) if the organisation does not exist.
func (s *Store) CreateListing(ctx context.Context, l *app.Listing) error {
	if l.ID == "" {
		l.ID = app.NewID()
	}
	if err := checkID(l.ID); err != nil {
		return err
	}
	args, err := listingArgs(l)
	if err != nil {
		return err
	}
	var seq int64
	err = s.write(ctx, func(w *wtx) error {
		var err error
		if seq, err = w.nextSeq(1); err != nil {
			return err
		}
		_, err = w.putListing(insertListingSQL, args, seq)
		return err
	})
	if err != nil {
		return err
	}
	l.Seq = seq
	return nil
}

// FindListing returns ENOTFOUND if no listing has the ID.
func (s *Store) FindListing(ctx context.Context, id string) (*app.Listing, error) {
	if !app.ValidID(id) {
		return nil, notFound("listing")
	}
	row, err := s.queryRow(ctx, `SELECT `+listingCols+` FROM listings l WHERE l.id = ?`, id)
	if err != nil {
		return nil, err
	}
	l, err := scanListing(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("listing")
	}
	return l, translate(err)
}

// FindListingsByRef returns the listings with these refs, keyed by ref; refs
// no listing has are absent.
func (s *Store) FindListingsByRef(ctx context.Context, refs []string) (map[string]*app.Listing, error) {
	out := make(map[string]*app.Listing, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	list, err := jsonList(refs)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+listingCols+` FROM listings l WHERE l.ref IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanListing(rows.Scan)
		if err != nil {
			return nil, translate(err)
		}
		out[l.Ref] = l
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// UpdateListing replaces a listing and sets its Seq; ENOTFOUND if missing,
// ECONFLICT if the ref is taken.
func (s *Store) UpdateListing(ctx context.Context, l *app.Listing) error {
	if !app.ValidID(l.ID) {
		return notFound("listing")
	}
	args, err := listingArgs(l)
	if err != nil {
		return err
	}
	var seq int64
	err = s.write(ctx, func(w *wtx) error {
		var err error
		if seq, err = w.nextSeq(1); err != nil {
			return err
		}
		n, err := w.putListing(updateListingSQL, args, seq)
		if err == nil && n == 0 {
			// Rolled back, so the sequence number is not spent.
			err = notFound("listing")
		}
		return err
	})
	if err != nil {
		return err
	}
	l.Seq = seq
	return nil
}

// DeleteListing deletes a listing, leaving a tombstone; ENOTFOUND if missing.
func (s *Store) DeleteListing(ctx context.Context, id string) error {
	if !app.ValidID(id) {
		return notFound("listing")
	}
	return s.write(ctx, func(w *wtx) error {
		seq, err := w.nextSeq(1)
		if err != nil {
			return err
		}
		return w.deleteListing(id, seq)
	})
}

// deleteListing deletes a listing (its keys go with it, by trigger) and
// leaves a tombstone at seq; ENOTFOUND if missing.
func (w *wtx) deleteListing(id string, seq int64) error {
	res, err := w.exec(`DELETE FROM listings WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if err := mustAffect(res, "listing"); err != nil {
		return err
	}
	return w.tombstone("listing", id, seq)
}

// ListListings returns listings in ID order.
func (s *Store) ListListings(ctx context.Context, f app.ListingFilter, p app.Page) ([]*app.Listing, error) {
	from, w, idCol := listingQuery(f)
	if p.After != "" {
		w.add(idCol+" > ?", p.After)
	}
	if w.err != nil {
		return nil, w.err
	}
	// The page's IDs come first, from indexes where the filter allows, and
	// only then its documents: a sort (of several kinds, say) then orders
	// IDs, not whole rows.
	page := `SELECT ` + idCol + from + w.sql() + ` ORDER BY ` + idCol + ` LIMIT ` + strconv.Itoa(pageLimit(p))
	query := `SELECT ` + listingCols + ` FROM listings l WHERE l.id IN (` + page + `) ORDER BY l.id`
	rows, err := s.rdb.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var ls []*app.Listing
	for rows.Next() {
		l, err := scanListing(rows.Scan)
		if err != nil {
			return nil, translate(err)
		}
		ls = append(ls, l)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return ls, nil
}

// CountListings counts the listings a filter selects.
func (s *Store) CountListings(ctx context.Context, f app.ListingFilter) (int, error) {
	from, w, _ := listingQuery(f)
	if w.err != nil {
		return 0, w.err
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*)`+from+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, translate(err)
	}
	return n, nil
}

// listingQuery returns the FROM clause and conditions of a filter; prefix
// filters drive the query from their key's index, as in orgQuery.
func listingQuery(f app.ListingFilter) (from string, w *where, idCol string) {
	w = &where{}
	from, idCol = ` FROM listings l`, "l.id"
	type keyFilter struct{ dim, key string }
	var keys []keyFilter
	if f.Industry != "" {
		keys = append(keys, keyFilter{dimIndustry, f.Industry})
	}
	if f.Region != "" {
		keys = append(keys, keyFilter{dimRegion, f.Region})
	}
	for i, k := range keys {
		if i == 0 {
			idCol = "k.listing_id"
			w.add("k.dim = ? AND k.key = ?", k.dim, k.key)
			continue
		}
		w.add("EXISTS (SELECT 1 FROM listing_keys k2 WHERE k2.dim = ? AND k2.key = ? AND k2.listing_id = k.listing_id)", k.dim, k.key)
	}
	keyConds := len(w.conds)
	in(w, "l.id", f.IDs)
	if f.Ref != "" {
		w.add("l.ref = ?", f.Ref)
	}
	in(w, "l.kind", f.Kinds)
	if f.OrgID != "" {
		w.add("l.org_id = ?", f.OrgID)
	}
	in(w, "l.owner_tier", f.Tiers)
	in(w, "l.status", f.Statuses)
	if v := f.VisibleTo; v != nil {
		if v.OrgID != "" {
			w.add("((l.owner_verified = 1 AND l.status = 'published') OR l.org_id = ?)", v.OrgID)
		} else {
			w.add("l.owner_verified = 1 AND l.status = 'published'")
		}
	}
	switch {
	case len(keys) > 0 && len(w.conds) > keyConds:
		from = ` FROM listing_keys k CROSS JOIN listings l ON l.id = k.listing_id`
	case len(keys) > 0:
		// Key rows exist only for existing records: no join needed.
		from = ` FROM listing_keys k`
	}
	return from, w, idCol
}
