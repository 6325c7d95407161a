package app

import (
	"context"
	"encoding/json"
	"io"
)

// ExportFilter selects what Export writes.
type ExportFilter struct {
	Region   string
	Industry string
	Kinds    []Kind // listing kinds; empty for all
	NoOrgs   bool
}

// Export writes organisations and then listings in the interchange format.
// It writes only what the actor may see, with sensitive fields redacted as in
// the API, so an export never leaks more than the list endpoints. A record
// without a ref is written with its ID as ref, so that export → import →
// export gives the same records.
func (s *Service) Export(ctx context.Context, a *Actor, w io.Writer, f ExportFilter) error {
	if err := checkFilterCodes(f.Region, f.Industry); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if !f.NoOrgs {
		p := Page{Limit: MaxPageLimit}
		for {
			os, err := s.ListOrgs(ctx, a, OrgFilter{Region: f.Region, Industry: f.Industry}, p)
			if err != nil {
				return err
			}
			for _, o := range os {
				if err := enc.Encode(orgRecord(o)); err != nil {
					return err
				}
			}
			if len(os) < p.Limit {
				break
			}
			p.After = os[len(os)-1].ID
		}
	}
	p := Page{Limit: MaxPageLimit}
	for {
		ls, err := s.ListListings(ctx, a, ListingFilter{Region: f.Region, Industry: f.Industry, Kinds: f.Kinds}, p)
		if err != nil {
			return err
		}
		for _, l := range ls {
			rec, err := listingRecord(l)
			if err != nil {
				return err
			}
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
		if len(ls) < p.Limit {
			return nil
		}
		p.After = ls[len(ls)-1].ID
	}
}

// orgRecord is an organisation as an interchange line.
func orgRecord(o *Org) map[string]any {
	m := toMap(o)
	for _, k := range []string{"id", "createdAt", "updatedAt", "verifiedAt"} {
		delete(m, k)
	}
	m["kind"] = "org"
	if o.Ref == "" {
		m["ref"] = o.ID
	}
	return m
}

// listingRecord is a listing as an interchange line, pointing at its owner by ref.
func listingRecord(l *Listing) (map[string]any, error) {
	m := toMap(l)
	for _, k := range []string{"id", "orgId", "owner", "createdAt", "updatedAt", "publishedAt"} {
		delete(m, k)
	}
	if l.Ref == "" {
		m["ref"] = l.ID
	}
	m["org"] = l.Owner.Ref
	if l.Owner.Ref == "" {
		m["org"] = l.OrgID
	}
	return m, nil
}

func toMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		panic("app: marshal of a domain type failed: " + err.Error())
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic("app: unmarshal of a domain type failed: " + err.Error())
	}
	return m
}
