package app

import "context"

// MatchQuery asks for the records that fit a source record (匹配): the SMEs
// for a lead enterprise's need, the investors for a financing need, the
// technologies for a technology need, and so on.
type MatchQuery struct {
	// FromKind is "org" or a listing kind, FromID the source record's ID.
	FromKind string
	FromID   string
	// Target is the kind of record to rank: "org" or a listing kind; ""
	// takes the source kind's default (a need's is "org").
	Target string
	// Limit is the page size (0: the matcher's default).
	Limit int
	// Cursor is MatchResult.NextCursor of the previous page.
	Cursor string
	// Lang picks the language of the rendered reasons: "zh-CN" (default) or "en".
	Lang string

	// Service.Matches sets the fields below.

	// SourceOrg is the source organisation when FromKind is "org".
	SourceOrg *Org
	// Source is the source listing otherwise.
	Source *Listing
	// VisibleTo restricts the candidates to what the caller may see, as
	// in SearchQuery; nil shows everything.
	VisibleTo *Visibility
}

// MatchResult is one page of ranked candidates.
type MatchResult struct {
	From   MatchSource `json:"from"`
	Target string      `json:"target"`
	Items  []Match     `json:"items"`
	// NextCursor fetches the next page; "" on the last one.
	NextCursor string `json:"nextCursor,omitempty"`
}

// MatchSource names the record the candidates were ranked for.
type MatchSource struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Ref   string `json:"ref,omitempty"`
	Title string `json:"title"`
}

// Match is one ranked candidate with its score, the parts the score is made
// of and the reasons behind it.
type Match struct {
	Rank  int    `json:"rank"`
	Kind  string `json:"kind"` // the target kind: "org" or a listing kind
	ID    string `json:"id"`
	Ref   string `json:"ref,omitempty"`
	Title string `json:"title"`
	// Score is 0–100: the weighted parts, combined by harmonic mean where
	// both sides choose, less any congestion discount.
	Score float64     `json:"score"`
	Parts []ScorePart `json:"parts"`
	// Reasons are the strongest reasons for the match.
	Reasons []Reason `json:"reasons"`
	// Unmet are the soft requirements the candidate does not meet.
	Unmet []Reason `json:"unmet,omitempty"`
	// Violations are the hard requirements the candidate does not meet; a
	// match with any ranks below every match without.
	Violations []Reason `json:"violations,omitempty"`
	// Org is the matched organisation, or the owner of the matched listing.
	Org *Org `json:"org,omitempty"`
	// Listing is the matched listing; when organisations are ranked for a
	// need, the capability that fits best.
	Listing *Listing `json:"listing,omitempty"`
}

// ScorePart is one additive part of a score.
type ScorePart struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`  // 0–1
	Weight float64 `json:"weight"` // from the matching configuration
	Points float64 `json:"points"` // what the part adds to Score
}

// Reason is a structured, translatable explanation: a code with parameters,
// e.g. {code: "certs_met", params: {certs: ["IATF16949"]}}, and its text in
// the language asked for.
type Reason struct {
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
	Text   string         `json:"text,omitempty"`
}

// Matcher is the matching engine as the use cases see it.
type Matcher interface {
	// Match ranks the candidates for q's source record, which the caller
	// has loaded and may ask about. It returns EINVALID naming the field
	// (target, limit, cursor, lang) for a query it cannot answer.
	Match(ctx context.Context, q MatchQuery) (*MatchResult, error)
}

// Matches ranks the records that fit a source record. Only members of the
// source record's organisation and admins whose scope covers it may ask:
// ENOTFOUND if the actor cannot see the source, EFORBIDDEN if they can but
// may not ask. Candidates are what the actor may see; sensitive fields of
// the matched records are redacted as in the list endpoints.
func (s *Service) Matches(ctx context.Context, a *Actor, q MatchQuery) (*MatchResult, error) {
	if a == nil || a.UserID == "" && !a.System {
		return nil, Errorf(EUNAUTHORIZED, "log in first")
	}
	if s.Matcher == nil {
		return nil, Errorf(EUNAVAILABLE, "matching is not available")
	}
	q.SourceOrg, q.Source = nil, nil
	switch {
	case q.FromKind == "org":
		o, err := s.findOrg(ctx, q.FromID)
		if err != nil {
			return nil, err
		}
		if !canSeeOrg(a, o) {
			return nil, Errorf(ENOTFOUND, "organisation not found")
		}
		if !a.MemberOf(o.ID) && !a.AdminOf(o.Region) {
			return nil, errForbidden
		}
		q.SourceOrg = o
	case Kind(q.FromKind).Valid():
		l, err := s.findListing(ctx, q.FromID)
		if err != nil {
			return nil, err
		}
		if !canSeeListing(a, l) || l.Kind != Kind(q.FromKind) {
			return nil, Errorf(ENOTFOUND, "listing not found")
		}
		if !a.MemberOf(l.OrgID) && !a.AdminOf(l.Owner.Region) {
			return nil, errForbidden
		}
		q.Source = l
	default:
		return nil, Invalid("from", FieldUnknown, "must be <kind>:<id> with kind org, capability, need, tech, technead, investor or financing")
	}
	q.VisibleTo = a.visibility("")
	res, err := s.Matcher.Match(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range res.Items {
		m := &res.Items[i]
		if m.Org != nil {
			m.Org = redactOrg(a, m.Org)
		}
		if m.Listing != nil {
			m.Listing = redactListing(a, m.Listing)
		}
	}
	return res, nil
}
