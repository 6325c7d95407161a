package matching

import (
	"context"

	"github.com/rongtong/rongtong/app"
)

// hits is the text relevance of the records a search found: ID → 0–1,
// relative to the best hit.
type hits map[string]float64

// textHits searches records of the kinds with a record's text, as the
// caller's visibility allows, and returns their relevance and IDs in rank
// order. Without a search index, or without text, it finds nothing.
func (e *Engine) textHits(ctx context.Context, src *source, text string, kinds ...string) (hits, []string, error) {
	out := hits{}
	if e.searcher == nil || text == "" {
		return out, nil, nil
	}
	res, err := e.searcher.Search(ctx, app.SearchQuery{Text: text, Kinds: kinds, VisibleTo: src.vis,
		Statuses: []app.Status{app.StatusPublished}, Limit: e.cfg.TextCandidates, Facets: []string{}})
	if err != nil {
		return nil, nil, err
	}
	top := 0.0
	for _, h := range res.Hits {
		top = max(top, h.Score)
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		if top > 0 && h.OrgID != src.org.ID {
			if _, dup := out[h.ID]; !dup {
				out[h.ID] = h.Score / top
				ids = append(ids, h.ID)
			}
		}
	}
	return out, ids, nil
}

// listings loads the published listings with these IDs that the caller may
// see, in no particular order.
func (e *Engine) listings(ctx context.Context, src *source, ids []string) ([]*app.Listing, error) {
	var out []*app.Listing
	for i := 0; i < len(ids); i += app.MaxPageLimit {
		chunk := ids[i:min(len(ids), i+app.MaxPageLimit)]
		ls, err := e.store.ListListings(ctx, app.ListingFilter{IDs: chunk, Statuses: []app.Status{app.StatusPublished},
			VisibleTo: src.vis}, app.Page{Limit: app.MaxPageLimit})
		if err != nil {
			return nil, err
		}
		out = append(out, ls...)
	}
	return out, nil
}

// listAll pages through a listing filter, up to max records.
func (e *Engine) listAll(ctx context.Context, f app.ListingFilter, max int) ([]*app.Listing, error) {
	var out []*app.Listing
	p := app.Page{Limit: app.MaxPageLimit}
	for len(out) < max {
		p.Limit = min(app.MaxPageLimit, max-len(out))
		ls, err := e.store.ListListings(ctx, f, p)
		if err != nil {
			return nil, err
		}
		out = append(out, ls...)
		if len(ls) < p.Limit {
			break
		}
		p.After = ls[len(ls)-1].ID
	}
	return out, nil
}

// orgsByID loads the organisations with these IDs that the caller may see.
func (e *Engine) orgsByID(ctx context.Context, src *source, ids []string) (map[string]*app.Org, error) {
	out := map[string]*app.Org{}
	seen := map[string]bool{}
	var todo []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			todo = append(todo, id)
		}
	}
	for i := 0; i < len(todo); i += app.MaxPageLimit {
		chunk := todo[i:min(len(todo), i+app.MaxPageLimit)]
		os, err := e.store.ListOrgs(ctx, app.OrgFilter{IDs: chunk, VisibleTo: src.vis}, app.Page{Limit: app.MaxPageLimit})
		if err != nil {
			return nil, err
		}
		for _, o := range os {
			out[o.ID] = o
		}
	}
	return out, nil
}

// listOrgs pages through an organisation filter, up to max records.
func (e *Engine) listOrgs(ctx context.Context, f app.OrgFilter, max int) ([]*app.Org, error) {
	var out []*app.Org
	p := app.Page{Limit: app.MaxPageLimit}
	for len(out) < max {
		p.Limit = min(app.MaxPageLimit, max-len(out))
		os, err := e.store.ListOrgs(ctx, f, p)
		if err != nil {
			return nil, err
		}
		out = append(out, os...)
		if len(os) < p.Limit {
			break
		}
		p.After = os[len(os)-1].ID
	}
	return out, nil
}

// capabilitiesOf loads the published capabilities of an organisation.
func (e *Engine) capabilitiesOf(ctx context.Context, src *source, orgID string) ([]*app.Listing, error) {
	return e.listAll(ctx, app.ListingFilter{OrgID: orgID, Kinds: []app.Kind{app.KindCapability},
		Statuses: []app.Status{app.StatusPublished}, VisibleTo: src.vis}, app.MaxPageLimit)
}

// ownersOf loads the owners of listings, keyed by ID.
func (e *Engine) ownersOf(ctx context.Context, src *source, ls []*app.Listing) (map[string]*app.Org, error) {
	ids := make([]string, 0, len(ls))
	for _, l := range ls {
		ids = append(ids, l.OrgID)
	}
	return e.orgsByID(ctx, src, ids)
}
