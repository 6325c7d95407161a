package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rongtong/rongtong/app"
)

// SaveBatch creates or replaces (by ID) organisations and listings in one
// transaction, organisations first, and sets each record's Seq. The listings
// of a replaced organisation that the batch does not carry get its new owner
// summary. An empty ID is filled with a new one. When SaveBatch returns nil
// every record is durable; otherwise none was written.
func (s *Store) SaveBatch(ctx context.Context, orgs []*app.Org, listings []*app.Listing) error {
	if len(orgs)+len(listings) == 0 {
		return nil
	}
	inBatch := make(map[string]bool, len(listings))
	for _, o := range orgs {
		if o.ID == "" {
			o.ID = app.NewID()
		}
		if err := checkID(o.ID); err != nil {
			return batchError(err, "organisation", o.Ref, o.ID)
		}
	}
	for _, l := range listings {
		if l.ID == "" {
			l.ID = app.NewID()
		}
		if err := checkID(l.ID); err != nil {
			return batchError(err, "listing", l.Ref, l.ID)
		}
		inBatch[l.ID] = true
	}
	// Encoding needs no transaction (the documents do not hold Seq): do it
	// first, on every core, so the write lock is held for the writes alone.
	orgArgv := make([][]any, len(orgs))
	listingArgv := make([][]any, len(listings))
	err := parallel(len(orgs)+len(listings), func(i int) error {
		var err error
		if i < len(orgs) {
			orgArgv[i], err = orgArgs(orgs[i])
			return err
		}
		i -= len(orgs)
		listingArgv[i], err = listingArgs(listings[i])
		return err
	})
	if err != nil {
		return err
	}

	var first int64
	err = s.write(ctx, func(w *wtx) error {
		seq, err := w.nextSeq(len(orgs) + len(listings))
		if err != nil {
			return err
		}
		first = seq
		stored, err := w.findOrgs(orgs)
		if err != nil {
			return err
		}
		for i, o := range orgs {
			if err := w.saveOrg(o, orgArgv[i], seq, stored[o.ID], inBatch); err != nil {
				return batchError(err, "organisation", o.Ref, o.ID)
			}
			stored[o.ID] = o // a second copy in the batch replaces this one
			seq++
		}
		for i, l := range listings {
			if _, err := w.putListing(upsertListingSQL, listingArgv[i], seq); err != nil {
				return batchError(err, "listing", l.Ref, l.ID)
			}
			seq++
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		o.Seq = first
		first++
	}
	for _, l := range listings {
		l.Seq = first
		first++
	}
	return nil
}

// findOrgs returns the stored versions of the organisations, by ID, with
// one query: in a first import none exists, and asking for each would cost
// as much as writing it.
func (w *wtx) findOrgs(orgs []*app.Org) (map[string]*app.Org, error) {
	out := make(map[string]*app.Org)
	if len(orgs) == 0 {
		return out, nil
	}
	ids := make([]string, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	list, err := jsonList(ids)
	if err != nil {
		return nil, err
	}
	st, err := w.stmt(`SELECT ` + orgCols + ` FROM orgs o WHERE o.id IN (SELECT value FROM json_each(?))`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(w.ctx, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrg(rows.Scan)
		if err != nil {
			return nil, err
		}
		out[o.ID] = o
	}
	return out, rows.Err()
}

// saveOrg creates (old is nil) or replaces one organisation of a batch at seq.
func (w *wtx) saveOrg(o *app.Org, args []any, seq int64, old *app.Org, inBatch map[string]bool) error {
	if old == nil {
		return w.putOrg(insertOrgSQL, args, seq)
	}
	if err := w.putOrg(updateOrgSQL, args, seq); err != nil {
		return err
	}
	if ownerUnchanged(old, o) {
		return nil
	}
	return w.refreshListings(o, inBatch)
}

// batchError names the record a batch failed on, keeping the error's code and
// fields so an import can report them.
func batchError(err error, entity, ref, id string) error {
	err = translate(err)
	var ae *app.Error
	if !errors.As(err, &ae) {
		return err
	}
	name := ref
	if name == "" {
		name = id
	}
	c := *ae
	c.Message = fmt.Sprintf("%s %s: %s", entity, name, ae.Message)
	return &c
}

// Changes returns up to limit changes with a sequence number above after, in
// sequence order: each organisation and listing once, at its last write, and
// each deleted one as a tombstone. A limit of 0 or less means 1000.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]app.Change, error) {
	if limit <= 0 {
		limit = 1000
	}
	// A compound SELECT with ORDER BY merges the three seq-ordered index
	// scans, so LIMIT stops it early.
	rows, err := s.rdb.QueryContext(ctx, `
SELECT seq, 'org', id, 0 FROM orgs WHERE seq > ?1
UNION ALL SELECT seq, 'listing', id, 0 FROM listings WHERE seq > ?1
UNION ALL SELECT seq, entity, id, 1 FROM tombstones WHERE seq > ?1
ORDER BY 1 LIMIT ?2`, after, limit)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var cs []app.Change
	for rows.Next() {
		var c app.Change
		if err := rows.Scan(&c.Seq, &c.Entity, &c.ID, &c.Deleted); err != nil {
			return nil, translate(err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return cs, nil
}

// LastSeq returns the highest sequence number assigned so far.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	row, err := s.queryRow(ctx, `SELECT value FROM counters WHERE name = 'seq'`)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := row.Scan(&n); errors.Is(err, sql.ErrNoRows) {
		return 0, errors.New("sqlite: the seq counter is missing")
	} else if err != nil {
		return 0, translate(err)
	}
	return n, nil
}
