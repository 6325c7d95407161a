package search

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// Query is a search; see app.SearchQuery.
type Query = app.SearchQuery

// Limits and defaults of Query.
const (
	MaxQueryRunes = 200
	DefaultLimit  = 20
	MaxLimit      = 200
	// MaxOffset bounds how deep cursors page, as deep pages are costly and
	// never read.
	MaxOffset = 10_000
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Facet names.
const (
	FacetKind     = "kind"
	FacetTier     = "tier"
	FacetIndustry = "industry" // GB/T 4754 division (two digits)
	FacetRegion   = "region"   // city
	FacetCert     = "cert"
	FacetStatus   = "status"
	FacetStage    = "stage"
)

// DefaultFacets are counted when Query.Facets is nil.
var DefaultFacets = []string{FacetKind, FacetTier, FacetIndustry, FacetRegion, FacetCert}

var facetFields = map[string]string{
	FacetKind: fKind, FacetTier: fTier, FacetIndustry: fInd2, FacetRegion: fRegion2,
	FacetCert: fCert, FacetStatus: fStatus, FacetStage: fStage,
}

// facetSize is how many values each facet returns.
const facetSize = 20

// Result is one page of hits; see app.SearchResult.
type Result = app.SearchResult

// Hit is one record found; see app.SearchHit.
type Hit = app.SearchHit

// FacetCount is one facet value and its count; see app.FacetCount.
type FacetCount = app.FacetCount

// Search runs a query. Invalid input is an EINVALID error naming the field
// ("q" for the text).
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := validateQuery(&q); err != nil {
		return nil, err
	}
	offset, err := decodeCursor(q.Cursor)
	if err != nil {
		return nil, err
	}
	gen, err := ix.acquire()
	if err != nil {
		return nil, err
	}
	defer ix.mu.RUnlock()

	p := understand(q.Text, &ix.certs, &ix.procs)
	filters := ix.filters(q, p)
	facets := q.Facets
	if facets == nil {
		facets = DefaultFacets
	}
	if len(p.concepts) == 0 {
		// no text: everything that passes the filters, newest first
		res, err := ix.run(ctx, gen, withFilters(bleve.NewMatchAllQuery(), filters), q.Limit, offset,
			[]string{"-" + fUpdated, "_id"}, false, facets)
		if err != nil {
			return nil, err
		}
		return page(res.Total, res.Hits, q.Limit, offset, res.Facets), nil
	}
	text := ix.textQuery(p.concepts)
	if q.Sort == SortNewest {
		res, err := ix.run(ctx, gen, withFilters(text, filters), q.Limit, offset,
			[]string{"-" + fUpdated, "_id"}, true, facets)
		if err != nil {
			return nil, err
		}
		return page(res.Total, res.Hits, q.Limit, offset, res.Facets), nil
	}
	if offset+q.Limit > maxRerank {
		// deep pages: plain relevance order
		res, err := ix.run(ctx, gen, withFilters(text, filters), q.Limit, offset,
			[]string{"-_score", "_id"}, true, facets)
		if err != nil {
			return nil, err
		}
		return page(res.Total, res.Hits, q.Limit, offset, res.Facets), nil
	}
	// Relevance: the text matches, re-ranked and completed with the records
	// of the industry family the best matches belong to (see family.go).
	pool := max(offset+q.Limit+rerankSlack, minPool)
	res, err := ix.runPool(ctx, gen, withFilters(text, filters), pool, facets)
	if err != nil {
		return nil, err
	}
	hits, total := res.Hits, res.Total
	if fam := dominantFamily(res.Hits); fam != nil {
		bq := bleve.NewBooleanQuery()
		bq.AddMust(fam.query())
		bq.AddMustNot(text)
		if f := conjunction(filters); f != nil {
			bq.AddFilter(f)
		}
		more, err := ix.runPool(ctx, gen, bq, pool, nil)
		if err != nil {
			return nil, err
		}
		hits = fam.merge(res.Hits, more.Hits)
		total += more.Total
	}
	if offset < len(hits) {
		hits = hits[offset:min(len(hits), offset+q.Limit)]
	} else {
		hits = nil
	}
	if err := ix.hydrate(ctx, gen, hits, text); err != nil {
		return nil, err
	}
	return page(total, hits, q.Limit, offset, res.Facets), nil
}

// runPool fetches a ranked pool with only what ranking needs; hydrate loads
// the rest for the hits shown.
func (ix *Index) runPool(ctx context.Context, gen *generation, q query.Query, size int, facets []string) (*bleve.SearchResult, error) {
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	req.Fields = []string{fFamX}
	// Score order alone: ties keep the index's internal order, stable for a
	// given index, and sorting on _id would load every match's ID.
	for _, name := range facets {
		req.AddFacet(name, bleve.NewFacetRequest(facetFields[name], facetSize))
	}
	res, err := gen.bi.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// hydrate fills in the stored fields and highlights of hits, keeping their
// order and scores: one search for exactly these documents, with the text
// query as an optional clause so its matches are highlighted.
func (ix *Index) hydrate(ctx context.Context, gen *generation, hits search.DocumentMatchCollection, text query.Query) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(bleve.NewDocIDQuery(ids))
	bq.AddShould(text)
	res, err := ix.run(ctx, gen, bq, len(ids), 0, []string{"_id"}, true, nil)
	if err != nil {
		return err
	}
	byID := make(map[string]*search.DocumentMatch, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	for _, h := range hits {
		if full := byID[h.ID]; full != nil {
			h.Fields, h.Fragments = full.Fields, full.Fragments
		}
	}
	return nil
}

// Re-ranking bounds: pages up to maxRerank deep are re-ranked from a pool of
// the first offset+limit+rerankSlack text matches (at least minPool).
const (
	maxRerank   = 1000
	rerankSlack = 50
	minPool     = 100
)

// run executes one bleve search.
func (ix *Index) run(ctx context.Context, gen *generation, q query.Query, size, from int, sortBy []string,
	highlight bool, facets []string) (*bleve.SearchResult, error) {
	req := bleve.NewSearchRequestOptions(q, size, from, false)
	req.Fields = []string{fKind, fRef, fOrgID, fOrgName, fTitle, fFamX}
	if highlight {
		req.Highlight = bleve.NewHighlightWithStyle(highlighterName)
		req.Highlight.Fields = []string{fTitle, fBody}
	}
	req.SortBy(sortBy)
	for _, name := range facets {
		req.AddFacet(name, bleve.NewFacetRequest(facetFields[name], facetSize))
	}
	res, err := gen.bi.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// page builds a Result from the hits of one page; offset is where the page
// starts among all results.
func page(total uint64, hits search.DocumentMatchCollection, limit, offset int, facets search.FacetResults) *Result {
	out := &Result{Total: total, Hits: []Hit{}}
	for _, h := range hits[:min(len(hits), limit)] {
		out.Hits = append(out.Hits, hitOf(h))
	}
	if facets != nil {
		out.Facets = map[string][]FacetCount{}
		for name, fr := range facets {
			fcs := []FacetCount{}
			if fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					fcs = append(fcs, FacetCount{Value: t.Term, Count: t.Count})
				}
			}
			out.Facets[name] = fcs
		}
	}
	if next := offset + len(out.Hits); uint64(next) < total && len(out.Hits) == limit && next < MaxOffset {
		out.NextCursor = encodeCursor(next)
	}
	return out
}

func withFilters(q query.Query, filters []query.Query) query.Query {
	f := conjunction(filters)
	if f == nil {
		return q
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(q)
	bq.AddFilter(f)
	return bq
}

func conjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

func hitOf(h *search.DocumentMatch) Hit {
	str := func(f string) string {
		s, _ := h.Fields[f].(string)
		return s
	}
	hit := Hit{Kind: str(fKind), ID: splitDocID(h.ID), Ref: str(fRef), Title: str(fTitle),
		OrgID: str(fOrgID), OrgName: str(fOrgName), Score: h.Score}
	if len(h.Fragments) > 0 {
		hit.Snippets = map[string][]string{}
		for f, frags := range h.Fragments {
			hit.Snippets[f] = frags
		}
	}
	return hit
}

// validateQuery checks and completes q.
func validateQuery(q *Query) error {
	var f app.Fields
	if err := validText("q", q.Text, MaxQueryRunes); err != nil {
		return err
	}
	for i, k := range q.Kinds {
		if k != kindOrg && !app.Kind(k).Valid() {
			f.Add(fmt.Sprintf("kinds[%d]", i), app.FieldUnknown, "must be org or a listing kind")
		}
	}
	if q.Industry != "" {
		if _, ok := ref.LookupIndustry(q.Industry); !ok {
			f.Add("industry", app.FieldUnknown, "is not a GB/T 4754-2017 industry code")
		}
	}
	if q.Region != "" {
		if _, ok := ref.LookupRegion(q.Region); !ok {
			f.Add("region", app.FieldUnknown, "is not a 行政区划 region code")
		}
	}
	for i, t := range q.Tiers {
		if !t.Valid() {
			f.Add(fmt.Sprintf("tiers[%d]", i), app.FieldUnknown, "is not a tier")
		}
	}
	for i, c := range q.Certs {
		if err := validText(fmt.Sprintf("certs[%d]", i), c, app.MaxShortRunes); err != nil {
			return err
		}
	}
	for i, s := range q.Statuses {
		if !s.Valid() {
			f.Add(fmt.Sprintf("statuses[%d]", i), app.FieldUnknown, "is not a status")
		}
	}
	switch q.Sort {
	case "", SortRelevance, SortNewest:
	default:
		f.Add("sort", app.FieldUnknown, "must be relevance or newest")
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit < 0 || q.Limit > MaxLimit:
		f.Add("limit", app.FieldRange, "must be between 1 and %d", MaxLimit)
	}
	for i, name := range q.Facets {
		if _, ok := facetFields[name]; !ok {
			f.Add(fmt.Sprintf("facets[%d]", i), app.FieldUnknown, "is not a facet")
		}
	}
	return f.Err()
}

const cursorPrefix = "o"

func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

func decodeCursor(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	bad := app.Invalid("cursor", app.FieldFormat, "is not a cursor of this search")
	if len(c) > 32 {
		return 0, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, bad
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), cursorPrefix))
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) || n < 0 || n > MaxOffset {
		return 0, bad
	}
	return n, nil
}

// filters returns the filter clauses of a query: its fields and the
// certifications and places its text names. They are built from terms, never
// from bleve's query-string syntax.
func (ix *Index) filters(q Query, p parsed) []query.Query {
	var filters []query.Query
	term := func(field, value string) query.Query {
		t := bleve.NewTermQuery(value)
		t.SetField(field)
		return t
	}
	anyOf := func(field string, values []string) query.Query {
		qs := make([]query.Query, 0, len(values))
		for _, v := range values {
			qs = append(qs, term(field, v))
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return bleve.NewDisjunctionQuery(qs...)
	}
	if len(q.Kinds) > 0 {
		filters = append(filters, anyOf(fKind, q.Kinds))
	}
	if q.Industry != "" {
		filters = append(filters, term(fIndustry, q.Industry))
	}
	if q.Region != "" {
		filters = append(filters, term(fRegion, q.Region))
	}
	for _, codes := range p.places {
		filters = append(filters, anyOf(fRegion, codes))
	}
	if len(q.Tiers) > 0 {
		ts := make([]string, len(q.Tiers))
		for i, t := range q.Tiers {
			ts[i] = string(t)
		}
		filters = append(filters, anyOf(fTier, ts))
	}
	for _, c := range q.Certs {
		filters = append(filters, term(fCert, app.NormalizeCert(c)))
	}
	for _, c := range p.certs {
		filters = append(filters, term(fCert, c))
	}
	if len(q.Statuses) > 0 {
		ss := []string{}
		for _, s := range q.Statuses {
			ss = append(ss, string(s))
		}
		filters = append(filters, bleve.NewDisjunctionQuery(anyOf(fStatus, ss), term(fKind, kindOrg)))
	}
	if v := q.VisibleTo; v != nil {
		vis := term(fVisible, "1")
		if v.OrgID != "" {
			vis = bleve.NewDisjunctionQuery(vis, term(fOrgID, v.OrgID))
		}
		filters = append(filters, vis)
	}

	return filters
}
