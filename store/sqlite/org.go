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

// Key dimensions in the org_keys and listing_keys tables.
const (
	dimIndustry = "i"
	dimRegion   = "r"
)

const orgCols = `o.doc, o.seq, o.industry_keys, o.region_keys`

// scanOrg reads the columns of orgCols.
func scanOrg(scan func(...any) error) (*app.Org, error) {
	var (
		doc    []byte
		seq    int64
		ik, rk sql.NullString
	)
	if err := scan(&doc, &seq, &ik, &rk); err != nil {
		return nil, err
	}
	o := new(app.Org)
	if err := json.Unmarshal(doc, o); err != nil {
		return nil, fmt.Errorf("sqlite: decode org: %w", err)
	}
	o.Seq = seq
	var err error
	if o.IndustryKeys, err = decodeKeys(ik); err != nil {
		return nil, err
	}
	if o.RegionKeys, err = decodeKeys(rk); err != nil {
		return nil, err
	}
	return o, nil
}

// orgArgs returns an organisation's parameters for insertOrgSQL and
// updateOrgSQL. The sequence number, at orgSeqArg, is set when it is written:
// the document does not hold it, so it can be encoded before the write.
func orgArgs(o *app.Org) ([]any, error) {
	doc, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("sqlite: encode org: %w", err)
	}
	ik, err := encodeKeys(o.IndustryKeys)
	if err != nil {
		return nil, err
	}
	rk, err := encodeKeys(o.RegionKeys)
	if err != nil {
		return nil, err
	}
	return []any{nullStr(o.Ref), nullStr(o.USCC), string(o.Type), string(o.Tier), boolInt(o.Verified), o.Seq, ik, rk, string(doc), o.ID}, nil
}

const (
	orgSeqArg    = 5
	insertOrgSQL = `INSERT INTO orgs (ref, uscc, type, tier, verified, seq, industry_keys, region_keys, doc, id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	updateOrgSQL = `UPDATE orgs SET ref = ?, uscc = ?, type = ?, tier = ?, verified = ?, seq = ?,
	industry_keys = ?, region_keys = ?, doc = ? WHERE id = ?`
)

// putOrg writes an organisation with insertOrgSQL or updateOrgSQL and the
// parameters of orgArgs, at seq.
func (w *wtx) putOrg(query string, args []any, seq int64) error {
	args[orgSeqArg] = seq
	_, err := w.exec(query, args...)
	return err
}

// CreateOrg stores a new organisation and sets its Seq. An empty ID is
// filled with a new one. It returns ECONFLICT (field id, ref or uscc) if one
// is taken.
func (s *Store) CreateOrg(ctx context.Context, o *app.Org) error {
	if o.ID == "" {
		o.ID = app.NewID()
	}
	if err := checkID(o.ID); err != nil {
		return err
	}
	args, err := orgArgs(o)
	if err != nil {
		return err
	}
	var seq int64
	err = s.write(ctx, func(w *wtx) error {
		var err error
		if seq, err = w.nextSeq(1); err != nil {
			return err
		}
		return w.putOrg(insertOrgSQL, args, seq)
	})
	if err != nil {
		return err
	}
	o.Seq = seq
	return nil
}

// FindOrg returns ENOTFOUND if no organisation has the ID.
func (s *Store) FindOrg(ctx context.Context, id string) (*app.Org, error) {
	if !app.ValidID(id) {
		return nil, notFound("organisation")
	}
	return s.findOrg(ctx, `SELECT `+orgCols+` FROM orgs o WHERE o.id = ?`, id)
}

// FindOrgByRef returns ENOTFOUND if no organisation has the ref.
func (s *Store) FindOrgByRef(ctx context.Context, ref string) (*app.Org, error) {
	if ref == "" {
		return nil, notFound("organisation")
	}
	return s.findOrg(ctx, `SELECT `+orgCols+` FROM orgs o WHERE o.ref = ?`, ref)
}

func (s *Store) findOrg(ctx context.Context, query, arg string) (*app.Org, error) {
	row, err := s.queryRow(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	o, err := scanOrg(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("organisation")
	}
	return o, translate(err)
}

// FindOrgsByRef returns the organisations with these refs, keyed by ref;
// refs no organisation has are absent.
func (s *Store) FindOrgsByRef(ctx context.Context, refs []string) (map[string]*app.Org, error) {
	out := make(map[string]*app.Org, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	list, err := jsonList(refs)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+orgCols+` FROM orgs o WHERE o.ref IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrg(rows.Scan)
		if err != nil {
			return nil, translate(err)
		}
		out[o.Ref] = o
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// UpdateOrg replaces an organisation, sets its Seq and refreshes the owner
// summary on its listings; ENOTFOUND if missing, ECONFLICT if ref or uscc is
// taken.
func (s *Store) UpdateOrg(ctx context.Context, o *app.Org) error {
	if !app.ValidID(o.ID) {
		return notFound("organisation")
	}
	args, err := orgArgs(o)
	if err != nil {
		return err
	}
	var seq int64
	err = s.write(ctx, func(w *wtx) error {
		old, err := w.findOrg(o.ID)
		if err != nil {
			return err
		}
		if seq, err = w.nextSeq(1); err != nil {
			return err
		}
		if err := w.putOrg(updateOrgSQL, args, seq); err != nil {
			return err
		}
		if ownerUnchanged(old, o) {
			return nil
		}
		return w.refreshListings(o, nil)
	})
	if err != nil {
		return err
	}
	o.Seq = seq
	return nil
}

// ownerUnchanged reports whether nothing that an organisation's listings copy
// from it differs between old and o, so they need no rewrite.
func ownerUnchanged(old, o *app.Org) bool {
	return old.Summary() == o.Summary() && sameKeys(old.RegionKeys, o.RegionKeys) && sameKeys(old.IndustryKeys, o.IndustryKeys)
}

// findOrg reads an organisation inside the write transaction.
func (w *wtx) findOrg(id string) (*app.Org, error) {
	row, err := w.queryRow(`SELECT `+orgCols+` FROM orgs o WHERE o.id = ?`, id)
	if err != nil {
		return nil, err
	}
	o, err := scanOrg(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("organisation")
	}
	return o, err
}

// refreshListings copies the organisation's summary onto each of its
// listings, except those in skip, and rewrites them with new sequence numbers.
func (w *wtx) refreshListings(o *app.Org, skip map[string]bool) error {
	ls, err := w.orgListings(o.ID)
	if err != nil {
		return err
	}
	n := 0
	for _, l := range ls {
		if !skip[l.ID] {
			ls[n] = l
			n++
		}
	}
	ls = ls[:n]
	if len(ls) == 0 {
		return nil
	}
	seq, err := w.nextSeq(len(ls))
	if err != nil {
		return err
	}
	for i, l := range ls {
		l.SetOwner(o)
		args, err := listingArgs(l)
		if err != nil {
			return err
		}
		if _, err := w.putListing(updateListingSQL, args, seq+int64(i)); err != nil {
			return err
		}
	}
	return nil
}

// orgListings reads every listing of an organisation inside the transaction.
func (w *wtx) orgListings(orgID string) ([]*app.Listing, error) {
	st, err := w.stmt(`SELECT ` + listingCols + ` FROM listings l WHERE l.org_id = ? ORDER BY l.id`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(w.ctx, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ls []*app.Listing
	for rows.Next() {
		l, err := scanListing(rows.Scan)
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	return ls, rows.Err()
}

// DeleteOrg deletes an organisation with its listings, leaving a tombstone for
// each; ENOTFOUND if missing.
func (s *Store) DeleteOrg(ctx context.Context, id string) error {
	if !app.ValidID(id) {
		return notFound("organisation")
	}
	return s.write(ctx, func(w *wtx) error {
		row, err := w.queryRow(`SELECT 1 FROM orgs WHERE id = ?`, id)
		if err != nil {
			return err
		}
		var one int
		if err := row.Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return notFound("organisation")
		} else if err != nil {
			return err
		}
		ids, err := w.orgListingIDs(id)
		if err != nil {
			return err
		}
		seq, err := w.nextSeq(len(ids) + 1)
		if err != nil {
			return err
		}
		for i, lid := range ids {
			if err := w.deleteListing(lid, seq+int64(i)); err != nil {
				return err
			}
		}
		if _, err := w.exec(`DELETE FROM orgs WHERE id = ?`, id); err != nil {
			return err
		}
		return w.tombstone("org", id, seq+int64(len(ids)))
	})
}

func (w *wtx) orgListingIDs(orgID string) ([]string, error) {
	st, err := w.stmt(`SELECT id FROM listings WHERE org_id = ? ORDER BY id`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(w.ctx, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ListOrgs returns organisations in ID order.
func (s *Store) ListOrgs(ctx context.Context, f app.OrgFilter, p app.Page) ([]*app.Org, error) {
	from, w, idCol := orgQuery(f)
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
	query := `SELECT ` + orgCols + ` FROM orgs o WHERE o.id IN (` + page + `) ORDER BY o.id`
	rows, err := s.rdb.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var os []*app.Org
	for rows.Next() {
		o, err := scanOrg(rows.Scan)
		if err != nil {
			return nil, translate(err)
		}
		os = append(os, o)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return os, nil
}

// CountOrgs counts the organisations a filter selects.
func (s *Store) CountOrgs(ctx context.Context, f app.OrgFilter) (int, error) {
	from, w, _ := orgQuery(f)
	if w.err != nil {
		return 0, w.err
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT count(*)`+from+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, translate(err)
	}
	return n, nil
}

// orgQuery returns the FROM clause, the conditions and the ID column of a
// filter. A prefix filter walks its key's rows, which are in organisation ID
// order, so a page stops after Limit matches; the join order is fixed (CROSS
// JOIN) so the planner cannot instead scan every organisation.
func orgQuery(f app.OrgFilter) (from string, w *where, idCol string) {
	w = &where{}
	from, idCol = ` FROM orgs o`, "o.id"
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
			idCol = "k.org_id"
			w.add("k.dim = ? AND k.key = ?", k.dim, k.key)
			continue
		}
		w.add("EXISTS (SELECT 1 FROM org_keys k2 WHERE k2.dim = ? AND k2.key = ? AND k2.org_id = k.org_id)", k.dim, k.key)
	}
	keyConds := len(w.conds)
	in(w, "o.id", f.IDs)
	if f.Ref != "" {
		w.add("o.ref = ?", f.Ref)
	}
	if f.Type != "" {
		w.add("o.type = ?", string(f.Type))
	}
	in(w, "o.tier", f.Tiers)
	if f.Verified != nil {
		w.add("o.verified = ?", boolInt(*f.Verified))
	}
	if v := f.VisibleTo; v != nil {
		if v.OrgID != "" {
			w.add("(o.verified = 1 OR o.id = ?)", v.OrgID)
		} else {
			w.add("o.verified = 1")
		}
	}
	switch {
	case len(keys) > 0 && len(w.conds) > keyConds:
		from = ` FROM org_keys k CROSS JOIN orgs o ON o.id = k.org_id`
	case len(keys) > 0:
		// Key rows exist only for existing records: no join needed.
		from = ` FROM org_keys k`
	}
	return from, w, idCol
}

// tombstone records the deletion of a record at seq.
func (w *wtx) tombstone(entity, id string, seq int64) error {
	_, err := w.exec(`INSERT INTO tombstones (entity, id, seq) VALUES (?, ?, ?)
ON CONFLICT (entity, id) DO UPDATE SET seq = excluded.seq`, entity, id, seq)
	return err
}
