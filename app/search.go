package app

import "context"

// SearchQuery is a search. Text is free text; everything else filters. Zero
// fields do not filter.
type SearchQuery struct {
	// Text is what the user typed: at most 200 characters, taken literally
	// (no query syntax). Certifications it names (ISO 9001) must be held by
	// the records found, and places it names (宁波, 北仑区) filter by the
	// organisation's region.
	Text string
	// Kinds are "org" and listing kinds.
	Kinds []string
	// Industry is a GB/T 4754 code at any level; a record matches if any of
	// its industry codes lies under it.
	Industry string
	// Region is a region code at any level; a record matches if its
	// organisation lies in it.
	Region string
	// Tiers are the organisation's tiers.
	Tiers []Tier
	// Certs must all be held (canonical or as typed: "ISO 9001").
	Certs []string
	// Statuses filter listings; organisations pass.
	Statuses []Status
	// VisibleTo, when set, keeps what a non-admin may see: verified
	// organisations and the visible listings of verified organisations, plus
	// everything of the caller's own organisation. Nil shows everything.
	// Service.Search sets it from the actor, as the list endpoints do.
	VisibleTo *Visibility
	// Sort is "" or "relevance" (score), or "newest" (last update).
	Sort string
	// Limit is the page size (0: the index's default).
	Limit int
	// Cursor is SearchResult.NextCursor of the previous page.
	Cursor string
	// Facets names the facets to count; nil counts the defaults (kind,
	// tier, industry division, city, certification); empty non-nil none.
	Facets []string
}

// SearchResult is one page of hits.
type SearchResult struct {
	// Total counts all matching records.
	Total uint64      `json:"total"`
	Hits  []SearchHit `json:"hits"`
	// Facets maps a facet name to its values, most frequent first.
	Facets map[string][]FacetCount `json:"facets"`
	// NextCursor fetches the next page; "" on the last one.
	NextCursor string `json:"nextCursor,omitempty"`
}

// SearchHit is one record found.
type SearchHit struct {
	Kind    string  `json:"kind"` // "org" or a listing Kind
	ID      string  `json:"id"`
	Ref     string  `json:"ref,omitempty"`
	Title   string  `json:"title"`
	OrgID   string  `json:"orgId,omitempty"`
	OrgName string  `json:"orgName,omitempty"`
	Score   float64 `json:"score"`
	// Snippets maps "title" and "body" to fragments of the text, HTML
	// escaped, with the matched words in <mark>…</mark>.
	Snippets map[string][]string `json:"snippets,omitempty"`
}

// FacetCount is one facet value and how many records have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Suggestion is a completion of what the user is typing: a product, process,
// listing title or organisation name, with how many visible records carry it.
type Suggestion struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Searcher is the search index as the use cases see it.
type Searcher interface {
	// Search returns EINVALID naming the field for a bad query.
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
	// Suggest completes a prefix from the text of visible records.
	Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error)
}

// Search runs a query with the actor's visibility, exactly as the list
// endpoints apply it. EUNAVAILABLE when no index is configured.
func (s *Service) Search(ctx context.Context, a *Actor, q SearchQuery) (*SearchResult, error) {
	if s.Searcher == nil {
		return nil, Errorf(EUNAVAILABLE, "search is not available")
	}
	if err := checkFilterCodes(q.Region, q.Industry); err != nil {
		return nil, err
	}
	q.VisibleTo = a.visibility(q.Region)
	return s.Searcher.Search(ctx, q)
}

// Suggest completes what the user is typing.
func (s *Service) Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error) {
	if s.Searcher == nil {
		return nil, Errorf(EUNAVAILABLE, "search is not available")
	}
	return s.Searcher.Suggest(ctx, prefix, limit)
}
