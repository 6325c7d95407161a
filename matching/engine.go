// Package matching ranks the records that fit a record (匹配): the SMEs
// whose capabilities fit a lead enterprise's need and the needs that fit a
// capability (supply chain, 协作配套), the investors for a financing need and
// the financing needs for an investor (融资对接), the technologies for a
// technology need and the technology needs and SMEs for a technology
// (科技成果转化), and SMEs with complementary processes in one industry
// chain (collaboration).
//
// Every direction runs the same pipeline: candidates from the search index
// (BM25 on the record's text, as the caller's visibility allows) and from
// structured queries (the SMEs near a need's industry, every investor, the
// technologies of a technology need's industry group, …); hard
// requirements (HardFields) that sort a violating candidate below every
// other; an additive score of named parts whose weights come from one
// configuration file (Config); the harmonic mean of both sides' views where
// both choose (financing); and a congestion discount for parties with many
// open requests. Every reason is structured (code and parameters) and
// rendered in zh-CN and en by Render.
//
// Supply matching reads SMEs and capabilities from a compact in-memory
// catalog that follows the store's change feed, because a need's industry
// can hold thousands of SMEs; the other directions query the store.
//
// The engine implements app.Matcher; app.Service.Matches checks who may ask.
package matching

import (
	"cmp"
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rongtong/rongtong/app"
)

// OpenRequests returns how many open pairing requests an organisation has;
// the pairing workflow provides it for the congestion discount.
type OpenRequests func(ctx context.Context, orgID string) (int, error)

// Engine is the matching engine. Its methods are safe for concurrent use
// once it is set up (SetOpenRequests and SetClock before the first Match).
type Engine struct {
	store    app.Store
	searcher app.Searcher
	cfg      Config
	weights  map[string]*weights
	clock    app.Clock
	open     OpenRequests
	respond  Responsiveness
	catalog  catalog
}

var _ app.Matcher = (*Engine)(nil)

// New returns an engine over a store and, for text relevance and text
// candidates, a search index (nil leaves text out). cfg is usually
// LoadConfig("configs/matching.yaml"), which validates it, or
// DefaultConfig(); New uses DefaultConfig when cfg does not validate.
func New(store app.Store, searcher app.Searcher, cfg Config) *Engine {
	if cfg.Validate() != nil {
		cfg = DefaultConfig()
	}
	return &Engine{store: store, searcher: searcher, cfg: cfg, weights: viewWeights(cfg), clock: app.SystemClock}
}

// SetOpenRequests installs the congestion discount's source; nil (the
// default) discounts nobody.
func (e *Engine) SetOpenRequests(f OpenRequests) { e.open = f }

// SetClock sets the clock deadlines are checked against.
func (e *Engine) SetClock(c app.Clock) { e.clock = c }

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// direction ranks candidates of one target kind for one source kind.
type direction func(ctx context.Context, e *Engine, src *source) ([]*candidate, error)

// directions are keyed "source>target".
var directions = map[string]direction{
	"need>org":           needToOrgs,
	"need>capability":    needToCapabilities,
	"capability>need":    capabilityToNeeds,
	"financing>investor": financingToInvestors,
	"investor>financing": investorToFinancing,
	"technead>tech":      techNeedToTech,
	"tech>technead":      techToTechNeeds,
	"tech>org":           techToOrgs,
	"org>org":            orgToOrgs,
}

// defaultTarget is the target of each source kind when the query names none.
var defaultTarget = map[string]string{
	"need":       "org",
	"capability": "need",
	"financing":  "investor",
	"investor":   "financing",
	"technead":   "tech",
	"tech":       "technead",
	"org":        "org",
}

// Targets returns the target kinds a source kind can be matched to, the
// default first.
func Targets(sourceKind string) []string {
	def := defaultTarget[sourceKind]
	if def == "" {
		return nil
	}
	out := []string{def}
	for k, d := range directions {
		src, tgt, _ := strings.Cut(k, ">")
		if d != nil && src == sourceKind && tgt != def {
			out = append(out, tgt)
		}
	}
	slices.Sort(out[1:])
	return out
}

// source is the record matched from, with its organisation.
type source struct {
	kind    string
	org     *app.Org     // the source organisation, or the owner of the listing
	listing *app.Listing // nil for an organisation
	vis     *app.Visibility
	now     time.Time
	resp    *responses // nil: responsiveness is not read
}

// candidate is one ranked record. Directions that rank many candidates
// score them without reasons and set explain, which scores the candidate
// again with its reasons when it is shown; the records themselves are then
// read from the store.
type candidate struct {
	kind      string
	orgID     string
	listingID string
	org       *app.Org
	listing   *app.Listing
	sp        scoredPair
	explain   func() scoredPair
	open      int     // open requests of the organisation
	discount  float64 // the congestion discount applied
}

// relevant is the candidate gate: found by the text search, or in a close
// enough industry.
func (e *Engine) relevant(text, industry float64) bool {
	return text > 0 && text >= e.cfg.MinText || industry >= e.cfg.MinIndustry
}

// newCandidate makes a candidate of loaded records, already explained.
func newCandidate(kind string, o *app.Org, l *app.Listing, sp scoredPair) *candidate {
	c := &candidate{kind: kind, orgID: o.ID, org: o, listing: l, sp: sp}
	if l != nil {
		c.listingID = l.ID
	}
	return c
}

func (c *candidate) id() string {
	if c.kind == "org" {
		return c.orgID
	}
	return c.listingID
}

// Match ranks the candidates for a source record (app.Matcher). The caller
// has loaded the source and checked the right to ask.
func (e *Engine) Match(ctx context.Context, q app.MatchQuery) (*app.MatchResult, error) {
	src := &source{kind: q.FromKind, vis: q.VisibleTo, now: e.clock(), resp: e.newResponses(ctx)}
	switch {
	case q.FromKind == "org" && q.SourceOrg != nil:
		src.org = q.SourceOrg
	case q.Source != nil && string(q.Source.Kind) == q.FromKind:
		src.listing = q.Source
		o, err := e.store.FindOrg(ctx, q.Source.OrgID)
		if err != nil {
			return nil, err
		}
		src.org = o
	default:
		return nil, app.Invalid("from", app.FieldRequired, "the source record is not loaded")
	}
	target := q.Target
	if target == "" {
		target = defaultTarget[src.kind]
	}
	dir := directions[src.kind+">"+target]
	if dir == nil {
		return nil, app.Invalid("target", app.FieldUnknown, "a %s can be matched to: %s", src.kind, strings.Join(Targets(src.kind), ", "))
	}
	limit := q.Limit
	switch {
	case limit == 0:
		limit = e.cfg.DefaultLimit
	case limit < 0 || limit > e.cfg.MaxLimit:
		return nil, app.Invalid("limit", app.FieldRange, "must be between 1 and %d", e.cfg.MaxLimit)
	}
	offset, err := decodeCursor(q.Cursor, e.cfg.MaxResults)
	if err != nil {
		return nil, err
	}
	lang, err := language(q.Lang)
	if err != nil {
		return nil, err
	}

	cands, err := dir(ctx, e, src)
	if err == nil && src.resp != nil {
		err = src.resp.err
	}
	if err != nil {
		return nil, err
	}
	if err := e.congest(ctx, cands); err != nil {
		return nil, err
	}
	rank(cands)
	if len(cands) > e.cfg.MaxResults {
		cands = cands[:e.cfg.MaxResults]
	}

	res := &app.MatchResult{Target: target, Items: []app.Match{}, From: app.MatchSource{Kind: src.kind}}
	if src.listing != nil {
		res.From.ID, res.From.Ref, res.From.Title = src.listing.ID, src.listing.Ref, src.listing.Title
	} else {
		res.From.ID, res.From.Ref, res.From.Title = src.org.ID, src.org.Ref, src.org.Name
	}
	end := min(len(cands), offset+limit)
	page := cands[min(offset, end):end]
	if err := e.hydrate(ctx, src, page); err != nil {
		return nil, err
	}
	if src.resp != nil && src.resp.err != nil {
		return nil, src.resp.err
	}
	for i, c := range page {
		if c.org == nil || c.kind != "org" && c.listing == nil {
			continue // gone since it was scored
		}
		res.Items = append(res.Items, e.present(c, offset+i+1, lang))
	}
	if end < len(cands) && end > offset {
		res.NextCursor = encodeCursor(end)
	}
	return res, nil
}

// hydrate explains the candidates of a page and reads the records they
// name that the direction did not load.
func (e *Engine) hydrate(ctx context.Context, src *source, page []*candidate) error {
	var orgIDs, listingIDs []string
	for _, c := range page {
		if c.explain != nil {
			c.sp = c.discounted(c.explain())
			c.explain = nil
		}
		if c.org == nil {
			orgIDs = append(orgIDs, c.orgID)
		}
		if c.listing == nil && c.listingID != "" {
			listingIDs = append(listingIDs, c.listingID)
		}
	}
	if len(orgIDs) > 0 {
		orgs, err := e.orgsByID(ctx, src, orgIDs)
		if err != nil {
			return err
		}
		for _, c := range page {
			if c.org == nil {
				c.org = orgs[c.orgID]
			}
		}
	}
	if len(listingIDs) > 0 {
		ls, err := e.listings(ctx, src, listingIDs)
		if err != nil {
			return err
		}
		byID := make(map[string]*app.Listing, len(ls))
		for _, l := range ls {
			byID[l.ID] = l
		}
		for _, c := range page {
			if c.listing == nil && c.listingID != "" {
				c.listing = byID[c.listingID]
			}
		}
	}
	return nil
}

// rank orders candidates: every candidate that meets the hard requirements
// before any that does not, then by score, then by ID for a stable order.
func rank(cs []*candidate) {
	slices.SortFunc(cs, func(a, b *candidate) int {
		if av, bv := a.sp.violated, b.sp.violated; av != bv {
			if av {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(b.sp.score, a.sp.score); c != 0 {
			return c
		}
		return strings.Compare(a.id(), b.id())
	})
}

// congest applies the congestion discount.
func (e *Engine) congest(ctx context.Context, cs []*candidate) error {
	cc := e.cfg.Congestion
	if e.open == nil || cc.PerRequest <= 0 || cc.MaxDiscount <= 0 {
		return nil
	}
	seen := map[string]int{}
	for _, c := range cs {
		id := c.orgID
		n, ok := seen[id]
		if !ok {
			var err error
			if n, err = e.open(ctx, id); err != nil {
				return err
			}
			seen[id] = n
		}
		if n <= 0 {
			continue
		}
		c.open, c.discount = n, min(cc.MaxDiscount, cc.PerRequest*float64(n))
		c.sp = c.discounted(c.sp)
	}
	return nil
}

// discounted applies the candidate's congestion discount to a score.
func (c *candidate) discounted(sp scoredPair) scoredPair {
	if c.discount <= 0 {
		return sp
	}
	sp.score *= 1 - c.discount
	sp.unmet = append(sp.unmet, *reason(ReasonCongested, "open", c.open, "discount", round(c.discount, 2)))
	return sp
}

// present turns a candidate into a match with rendered reasons.
func (e *Engine) present(c *candidate, rank int, lang string) app.Match {
	m := app.Match{Rank: rank, Kind: c.kind, ID: c.id(), Score: round(c.sp.score, 2), Parts: c.sp.parts,
		Org: c.org, Listing: c.listing}
	if m.Parts == nil {
		m.Parts = []app.ScorePart{}
	}
	if c.kind == "org" {
		m.Ref, m.Title = c.org.Ref, c.org.Name
	} else {
		m.Ref, m.Title = c.listing.Ref, c.listing.Title
	}
	render := func(rs []app.Reason, n int) []app.Reason {
		out := make([]app.Reason, 0, min(len(rs), n))
		for _, r := range rs[:min(len(rs), n)] {
			r.Text = Render(r, lang)
			out = append(out, r)
		}
		return out
	}
	m.Reasons = render(c.sp.reasons, e.cfg.TopReasons)
	m.Unmet = render(c.sp.unmet, len(c.sp.unmet))
	m.Violations = render(c.sp.violations, len(c.sp.violations))
	return m
}

// language checks ?lang=.
func language(l string) (string, error) {
	switch strings.ToLower(l) {
	case "", "zh", "zh-cn", "zh-hans":
		return LangZH, nil
	case "en", "en-us", "en-gb":
		return LangEN, nil
	}
	return "", app.Invalid("lang", app.FieldUnknown, "must be zh-CN or en")
}

const cursorPrefix = "m"

func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

func decodeCursor(c string, max int) (int, error) {
	if c == "" {
		return 0, nil
	}
	bad := app.Invalid("cursor", app.FieldFormat, "is not a cursor of these matches")
	if len(c) > 32 {
		return 0, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, bad
	}
	rest, ok := strings.CutPrefix(string(b), cursorPrefix)
	n, err := strconv.Atoi(rest)
	if !ok || err != nil || n < 0 || n > max {
		return 0, bad
	}
	return n, nil
}
