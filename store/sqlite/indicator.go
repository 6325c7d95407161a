package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rongtong/rongtong/app"
)

// PutIndicators creates or replaces the rows by organisation and year in one
// transaction; EINVALID (field orgId) if an organisation does not exist.
func (s *Store) PutIndicators(ctx context.Context, rows []*app.Indicator) error {
	if len(rows) == 0 {
		return nil
	}
	docs := make([]string, len(rows))
	for i, in := range rows {
		if !app.ValidID(in.OrgID) {
			return app.Invalid("orgId", app.FieldUnknown, "is not an existing organisation")
		}
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("sqlite: encode indicator: %w", err)
		}
		docs[i] = string(b)
	}
	return s.write(ctx, func(w *wtx) error {
		for i, in := range rows {
			if _, err := w.exec(`INSERT INTO indicators (org_id, year, doc) VALUES (?, ?, ?)
ON CONFLICT (org_id, year) DO UPDATE SET doc = excluded.doc`, in.OrgID, in.Year, docs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindIndicator returns ENOTFOUND if the organisation has no row for the year.
func (s *Store) FindIndicator(ctx context.Context, orgID string, year int) (*app.Indicator, error) {
	row, err := s.queryRow(ctx, `SELECT doc FROM indicators WHERE org_id = ? AND year = ?`, orgID, year)
	if err != nil {
		return nil, err
	}
	var doc []byte
	if err := row.Scan(&doc); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("indicator")
	} else if err != nil {
		return nil, translate(err)
	}
	return decodeIndicator(doc)
}

func decodeIndicator(doc []byte) (*app.Indicator, error) {
	in := new(app.Indicator)
	if err := json.Unmarshal(doc, in); err != nil {
		return nil, fmt.Errorf("sqlite: decode indicator: %w", err)
	}
	return in, nil
}

// ListIndicators returns rows in key order. Filters on the organisation read
// the organisation's key rows and columns, so they follow its current region,
// industry and tier.
func (s *Store) ListIndicators(ctx context.Context, f app.IndicatorFilter, p app.Page) ([]*app.Indicator, error) {
	w := &where{}
	in(w, "x.org_id", f.OrgIDs)
	if f.Year != 0 {
		w.add("x.year = ?", f.Year)
	}
	if f.FromYear != 0 {
		w.add("x.year >= ?", f.FromYear)
	}
	if f.ToYear != 0 {
		w.add("x.year <= ?", f.ToYear)
	}
	if f.Region != "" {
		w.add("EXISTS (SELECT 1 FROM org_keys k WHERE k.dim = ? AND k.key = ? AND k.org_id = x.org_id)", dimRegion, f.Region)
	}
	if f.Industry != "" {
		w.add("EXISTS (SELECT 1 FROM org_keys k WHERE k.dim = ? AND k.key = ? AND k.org_id = x.org_id)", dimIndustry, f.Industry)
	}
	if len(f.Tiers) > 0 {
		list, err := jsonList(f.Tiers)
		if err != nil {
			return nil, err
		}
		w.add("EXISTS (SELECT 1 FROM orgs o WHERE o.id = x.org_id AND o.tier IN (SELECT value FROM json_each(?)))", list)
	}
	if p.After != "" {
		org, year, ok := strings.Cut(p.After, ":")
		y, err := strconv.Atoi(year)
		if !ok || err != nil {
			return nil, app.Invalid("cursor", app.FieldFormat, "is not an indicator key")
		}
		w.add("(x.org_id, x.year) > (?, ?)", org, y)
	}
	if w.err != nil {
		return nil, w.err
	}
	q := `SELECT x.doc FROM indicators x` + w.sql() + ` ORDER BY x.org_id, x.year LIMIT ` + strconv.Itoa(pageLimit(p))
	rows, err := s.rdb.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*app.Indicator
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, translate(err)
		}
		x, err := decodeIndicator(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, translate(rows.Err())
}

// PutMembership creates or replaces an organisation's membership.
func (s *Store) PutMembership(ctx context.Context, m *app.Membership) error {
	if !app.ValidID(m.OrgID) {
		return app.Invalid("orgId", app.FieldUnknown, "is not an existing organisation")
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("sqlite: encode membership: %w", err)
	}
	return s.write(ctx, func(w *wtx) error {
		_, err := w.exec(`INSERT INTO memberships (org_id, doc) VALUES (?, ?)
ON CONFLICT (org_id) DO UPDATE SET doc = excluded.doc`, m.OrgID, string(b))
		return err
	})
}

// FindMembership returns ENOTFOUND if the organisation is not a member.
func (s *Store) FindMembership(ctx context.Context, orgID string) (*app.Membership, error) {
	row, err := s.queryRow(ctx, `SELECT doc FROM memberships WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, err
	}
	var doc []byte
	if err := row.Scan(&doc); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("membership")
	} else if err != nil {
		return nil, translate(err)
	}
	m := new(app.Membership)
	if err := json.Unmarshal(doc, m); err != nil {
		return nil, fmt.Errorf("sqlite: decode membership: %w", err)
	}
	return m, nil
}

// ListMemberships returns the memberships of these organisations (all for nil).
func (s *Store) ListMemberships(ctx context.Context, orgIDs []string) (map[string]*app.Membership, error) {
	q, args := `SELECT doc FROM memberships`, []any{}
	if orgIDs != nil {
		list, err := jsonList(orgIDs)
		if err != nil {
			return nil, err
		}
		q, args = q+` WHERE org_id IN (SELECT value FROM json_each(?))`, []any{list}
	}
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate(err)
	}
	ms, err := scanDocs[app.Membership](rows, "membership")
	if err != nil {
		return nil, err
	}
	out := make(map[string]*app.Membership, len(ms))
	for _, m := range ms {
		out[m.OrgID] = m
	}
	return out, nil
}

// FindOrgsByUSCC returns the organisations with these USCCs, keyed by USCC.
func (s *Store) FindOrgsByUSCC(ctx context.Context, usccs []string) (map[string]*app.Org, error) {
	out := make(map[string]*app.Org, len(usccs))
	if len(usccs) == 0 {
		return out, nil
	}
	list, err := jsonList(usccs)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+orgCols+` FROM orgs o WHERE o.uscc IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrg(rows.Scan)
		if err != nil {
			return nil, translate(err)
		}
		out[o.USCC] = o
	}
	return out, translate(rows.Err())
}
