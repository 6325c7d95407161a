package search

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

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
	dfs, err := newDocFreqs(ctx, gen.bi)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	filters := ix.filters(q, p, dfs)
	ix.markCommon(p.concepts, dfs)
	defer dfs.close()
	text := ix.textQuery(p.concepts, dfs, len(filters) > 0)
	if dfs.err != nil {
		return nil, fmt.Errorf("search: %w", dfs.err)
	}
	facets := q.Facets
	if facets == nil {
		facets = DefaultFacets
	}
	if len(p.concepts) == 0 {
		// no text: everything that passes the filters, newest first
		c := &collect{facets: facets}
		res, err := ix.run(ctx, gen, withFilters(bleve.NewMatchAllQuery(), filters, dfs.n, c), q.Limit, offset,
			[]string{"-" + fUpdated, "_id"}, c)
		if err != nil {
			return nil, err
		}
		if err := ix.hydrate(gen, nil, res.Hits, nil); err != nil {
			return nil, err
		}
		return page(c.total, res.Hits, q.Limit, offset, c.facetResults()), nil
	}
	marks := markWords(p.concepts)
	if q.Sort == SortNewest || offset+q.Limit > maxRerank {
		// newest first, or deep pages in plain relevance order
		sortBy := []string{"-_score", "_id"}
		if q.Sort == SortNewest {
			sortBy = []string{"-" + fUpdated, "_id"}
		}
		c := &collect{facets: facets}
		res, err := ix.run(ctx, gen, withFilters(text, filters, dfs.n, c), q.Limit, offset, sortBy, c)
		if err != nil {
			return nil, err
		}
		if err := ix.hydrate(gen, nil, res.Hits, marks); err != nil {
			return nil, err
		}
		return page(c.total, res.Hits, q.Limit, offset, c.facetResults()), nil
	}
	// Relevance: the text matches, re-ranked and completed with the records
	// of the industry family the best matches belong to (see family.go).
	pool := max(offset+q.Limit+rerankSlack, minPool)
	// the family's records fill places after the text matches: no more
	// than the page's end can show
	textC := &collect{facets: facets, feedback: familyFeedback, keep: offset + q.Limit}
	textC.famWhere.filters = filters
	res, ofDfs, err := ix.runPool(ctx, gen, dfs, withFilters(text, filters, dfs.n, textC), pool, textC)
	if err != nil {
		return nil, err
	}
	var same *docFreqs // the snapshot the hits were found in, if known
	if ofDfs {
		same = dfs
	}
	textC.release()
	textC.v.setFamCodes(res.Hits)
	hits, total := res.Hits, textC.total
	if textC.fam != nil {
		hits = textC.fam.merge(res.Hits, textC.famHits)
		total += textC.famTotal
	}
	if offset < len(hits) {
		hits = hits[offset:min(len(hits), offset+q.Limit)]
	} else {
		hits = nil
	}
	if err := ix.hydrate(gen, same, hits, marks); err != nil {
		return nil, err
	}
	return page(total, hits, q.Limit, offset, textC.facetResults()), nil
}

// runPool fetches a ranked pool with only what ranking needs, counting
// what c asks; hydrate loads the rest for the hits shown. Family codes come
// from c's view (setFamCodes). exec.go runs the query on the snapshot of
// dfs when it can, and then reports so (ofDfs); bleve runs it on a
// snapshot of its own otherwise.
func (ix *Index) runPool(ctx context.Context, gen *generation, dfs *docFreqs, q query.Query, size int,
	c *collect) (res *bleve.SearchResult, ofDfs bool, err error) {
	if res, err := ix.execPool(ctx, gen, dfs, q, size, c); !errors.Is(err, errUnsupported) {
		return res, err == nil, err
	}
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	// Score order alone: ties keep the index's internal order, stable for a
	// given index, and sorting on _id would load every match's ID.
	res, err = gen.bi.SearchInContext(c.context(ctx, &gen.tables), req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		return nil, false, fmt.Errorf("search: %w", err)
	}
	return res, false, nil
}

// hydrate loads the stored fields of the hits a page shows and, with
// marks, their highlights (highlight.go). When the hits were found in the
// snapshot of same, their fields are read there by document number;
// otherwise by ID from the current snapshot, where a hit deleted since it
// was found keeps only its ID.
func (ix *Index) hydrate(gen *generation, same *docFreqs, hits search.DocumentMatchCollection, marks []string) error {
	if len(hits) == 0 {
		return nil
	}
	var load func(h *search.DocumentMatch, visit func(name string, value []byte)) error
	if same != nil && same.snap != nil {
		v, err := gen.tables.viewOf(same.r)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		load = func(h *search.DocumentMatch, visit func(string, []byte)) error {
			i, d := v.segOf(h.IndexInternalID.Value())
			if i < 0 || i >= len(same.segs) {
				return nil
			}
			return same.segs[i].Segment().VisitStoredFields(d,
				func(field string, _ byte, value []byte, _ []uint64) bool {
					visit(field, value)
					return true
				})
		}
	} else {
		adv, err := gen.bi.Advanced()
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		r, err := adv.Reader()
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		defer r.Close()
		load = func(h *search.DocumentMatch, visit func(string, []byte)) error {
			doc, err := r.Document(h.ID)
			if err != nil || doc == nil {
				return err
			}
			doc.VisitFields(func(f index.Field) { visit(f.Name(), f.Value()) })
			return nil
		}
	}
	for _, h := range hits {
		h.Fields = map[string]any{}
		err := load(h, func(name string, value []byte) {
			switch name {
			case fKind, fRef, fOrgID, fOrgName, fTitle, fBody:
				h.Fields[name] = string(value)
			case "_id":
				if h.ID == "" {
					h.ID = string(value)
				}
			}
		})
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if marks != nil {
			h.Fragments = search.FieldFragmentMap{}
			for _, name := range []string{fTitle, fBody} {
				if s, _ := h.Fields[name].(string); s != "" {
					h.Fragments[name] = []string{snippet(s, marks)}
				}
			}
		}
	}
	return nil
}

// Re-ranking bounds: pages up to maxRerank deep are re-ranked from a pool of
// the first offset+limit+rerankSlack text matches (at least minPool).
const (
	maxRerank   = 1000
	rerankSlack = 50
	minPool     = 50
)

// run executes one bleve search in the order sortBy, counting what c
// asks; hydrate loads what the hits show.
func (ix *Index) run(ctx context.Context, gen *generation, q query.Query, size, from int, sortBy []string,
	c *collect) (*bleve.SearchResult, error) {
	req := bleve.NewSearchRequestOptions(q, size, from, false)
	req.SortBy(sortBy)
	res, err := gen.bi.SearchInContext(c.context(ctx, &gen.tables), req)
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
func page(total uint64, hits search.DocumentMatchCollection, limit, offset int, facets map[string][]FacetCount) *Result {
	out := &Result{Total: total, Hits: []Hit{}, Facets: facets}
	for _, h := range hits[:min(len(hits), limit)] {
		out.Hits = append(out.Hits, hitOf(h))
	}
	if next := offset + len(out.Hits); uint64(next) < total && len(out.Hits) == limit && next < MaxOffset {
		out.NextCursor = encodeCursor(next)
	}
	return out
}

// filter is a filter clause: a document passes when it holds one of the
// field and value pairs fvs. docs is about how many do.
type filter struct {
	q    query.Query
	fvs  [][2]string
	docs uint64
}

// inTable reports whether the filter's fields are all in the tables (see
// table.go), so that a match can be tested there.
func (f filter) inTable() bool {
	for _, fv := range f.fvs {
		if _, ok := tableFieldIndex[fv[0]]; !ok {
			return false
		}
	}
	return true
}

// selectiveShare is the share of the documents below which a filter is
// selective (see withFilters).
const selectiveShare = 0.1

// withFilters returns q restricted by filters, and the filters c must
// test. A selective filter (a county, a tier, a certification) joins q in
// a conjunction, which steps through its rarest part first and so spares
// reading most of q's matches. The others (visibility, a common kind) test
// q's matches after the fact: in the tables of table.go when their fields
// are there, a few array reads, or else in bleve's filter clause. Filter
// terms weigh nothing in the score.
func withFilters(q query.Query, filters []filter, docs uint64, c *collect) query.Query {
	var conj, post []query.Query
	for _, f := range filters {
		switch {
		case float64(f.docs) <= selectiveShare*float64(docs):
			conj = append(conj, f.q)
		case f.inTable():
			c.where.filters = append(c.where.filters, f)
		default:
			post = append(post, f.q)
		}
	}
	if bq, ok := q.(*query.BooleanQuery); ok && len(conj) > 0 {
		// Into the boolean's must rather than around it: bleve's
		// boolean searcher, advanced by a conjunction above it, can miss
		// a should clause's match and score it lower (exec_test.go).
		bq.AddMust(conj...)
	} else if len(conj) > 0 {
		q = bleve.NewConjunctionQuery(append([]query.Query{q}, conj...)...)
	}
	if len(post) == 0 {
		return q
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(q)
	if len(post) == 1 {
		bq.AddFilter(post[0])
	} else {
		bq.AddFilter(bleve.NewConjunctionQuery(post...))
	}
	return bq
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
func (ix *Index) filters(q Query, p parsed, dfs *docFreqs) []filter {
	var filters []filter
	// a clause is terms of which a document must hold one; docs sums
	// their document counts
	clause := func(fvs ...[2]string) filter {
		var f filter
		qs := make([]query.Query, 0, len(fvs))
		for _, fv := range fvs {
			t := bleve.NewTermQuery(fv[1])
			t.SetField(fv[0])
			t.SetBoost(0) // filters do not score
			qs = append(qs, t)
			f.docs += dfs.of(fv[0], fv[1])
		}
		f.q = qs[0]
		if len(qs) > 1 {
			f.q = bleve.NewDisjunctionQuery(qs...)
		}
		f.fvs = fvs
		return f
	}
	anyOf := func(field string, values []string) filter {
		fvs := make([][2]string, len(values))
		for i, v := range values {
			fvs[i] = [2]string{field, v}
		}
		return clause(fvs...)
	}
	if len(q.Kinds) > 0 {
		filters = append(filters, anyOf(fKind, q.Kinds))
	}
	if q.Industry != "" {
		filters = append(filters, anyOf(fIndustry, []string{q.Industry}))
	}
	if q.Region != "" {
		filters = append(filters, anyOf(fRegion, []string{q.Region}))
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
		filters = append(filters, anyOf(fCert, []string{app.NormalizeCert(c)}))
	}
	for _, c := range p.certs {
		filters = append(filters, anyOf(fCert, []string{c}))
	}
	if len(q.Statuses) > 0 {
		fvs := [][2]string{{fKind, kindOrg}}
		for _, s := range q.Statuses {
			fvs = append(fvs, [2]string{fStatus, string(s)})
		}
		filters = append(filters, clause(fvs...))
	}
	if v := q.VisibleTo; v != nil {
		fvs := [][2]string{{fVisible, "1"}}
		if v.OrgID != "" {
			fvs = append(fvs, [2]string{fOrgID, v.OrgID})
		}
		filters = append(filters, clause(fvs...))
	}
	return filters
}
