package propose

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/rongtong/rongtong/app"
)

// Defaults of Options.
const (
	DefaultPerRecord  = 5
	DefaultCapacity   = 10
	DefaultMinScore   = 40
	DefaultCandidates = 50
)

// DefaultKinds are the records proposals are made for: supply-chain needs,
// financing needs and technology needs.
var DefaultKinds = []app.Kind{app.KindNeed, app.KindFinancing, app.KindTechNeed}

// Options configure a run. Zero fields take the defaults.
type Options struct {
	Store   app.Store
	Matcher app.Matcher
	Clock   app.Clock
	// PerRecord is the most proposals one record gets.
	PerRecord int
	// Capacity is the most proposals one organisation receives in a week;
	// what Existing counts is taken off it.
	Capacity int
	// MinScore is the lowest match score (0–100) proposed.
	MinScore float64
	// Candidates is how many of the matcher's best candidates of each
	// record are considered (at most the matcher's page limit).
	Candidates int
	// Kinds are the kinds of records proposed for.
	Kinds []app.Kind
	// Workers ask the matcher in parallel; default GOMAXPROCS.
	Workers int
	// Lang is the language of the reasons in the proposals.
	Lang string
	// Existing returns how many proposals an organisation has received
	// this week; nil counts none.
	Existing func(ctx context.Context, orgID string) (int, error)
	// Create records a proposal. An ECONFLICT answer (say, the pair is
	// already paired) skips the proposal; any other error stops the run.
	Create func(ctx context.Context, p Proposal) error
}

// Proposal is a pairing proposed by the engine: a record and an
// organisation that fits it.
type Proposal struct {
	RecordKind  app.Kind `json:"recordKind"`
	RecordID    string   `json:"recordId"`
	RecordRef   string   `json:"recordRef,omitempty"`
	RecordTitle string   `json:"recordTitle"`
	RecordOrgID string   `json:"recordOrgId"`
	// OrgID is the organisation proposed to the record's organisation.
	OrgID   string `json:"orgId"`
	OrgRef  string `json:"orgRef,omitempty"`
	OrgName string `json:"orgName"`
	// ListingID is the proposed organisation's listing that fits best (a
	// capability, investor preferences, a technology), if any, and
	// ListingKind its kind.
	ListingID   string   `json:"listingId,omitempty"`
	ListingKind app.Kind `json:"listingKind,omitempty"`
	// Score and Rank are the match's score and its rank among the record's
	// candidates.
	Score   float64      `json:"score"`
	Rank    int          `json:"rank"`
	Reasons []app.Reason `json:"reasons,omitempty"`
	At      time.Time    `json:"at"`
}

// Stats say what a run did.
type Stats struct {
	Records int `json:"records"` // open records
	Edges   int `json:"edges"`   // candidate pairs above the minimum score
	Orgs    int `json:"orgs"`    // organisations among the candidates
	Chosen  int `json:"chosen"`  // proposals chosen
	Created int `json:"created"` // proposals Create accepted
	Skipped int `json:"skipped"` // proposals Create answered ECONFLICT
	// Weight is the total score of the chosen proposals; TopWeight what
	// giving every record its best PerRecord candidates would total,
	// regardless of capacities (an upper bound).
	Weight    float64 `json:"weight"`
	TopWeight float64 `json:"topWeight"`
	// Busiest is the most proposals one organisation gets; TopBusiest the
	// same when every record gets its best candidates.
	Busiest    int `json:"busiest"`
	TopBusiest int `json:"topBusiest"`
	// CandidateSeconds is the time spent asking the matcher, SolveSeconds
	// building the graph and solving it.
	CandidateSeconds float64 `json:"candidateSeconds"`
	SolveSeconds     float64 `json:"solveSeconds"`
	// Paths and Settled are the solver's work (Solution.Paths, Settled).
	Paths   int `json:"paths"`
	Settled int `json:"settled"`
}

func (o *Options) defaults() error {
	if o.Store == nil || o.Matcher == nil || o.Create == nil {
		return fmt.Errorf("propose: a store, a matcher and Create are needed")
	}
	if o.PerRecord < 0 || o.Capacity < 0 || o.MinScore < 0 || o.Candidates < 0 {
		return fmt.Errorf("propose: per record, capacity, minimum score and candidates must not be negative")
	}
	if o.Clock == nil {
		o.Clock = app.SystemClock
	}
	if o.PerRecord == 0 {
		o.PerRecord = DefaultPerRecord
	}
	if o.Capacity == 0 {
		o.Capacity = DefaultCapacity
	}
	if o.MinScore == 0 {
		o.MinScore = DefaultMinScore
	}
	if o.Candidates == 0 {
		o.Candidates = DefaultCandidates
	}
	if len(o.Kinds) == 0 {
		o.Kinds = DefaultKinds
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return nil
}

// Run proposes pairings for every open record: it lists the published
// records of verified organisations whose deadline has not passed, asks
// the matcher for each record's best candidates as the record's own
// organisation would see them, keeps those that meet every hard
// requirement and reach the minimum score, chooses the proposals as a
// maximum-weight b-matching (Solve) and hands each to Create, records in ID
// order and each record's proposals best first.
func Run(ctx context.Context, o Options) (Stats, error) {
	var st Stats
	if err := o.defaults(); err != nil {
		return st, err
	}
	now := o.Clock()
	start := time.Now()
	records, err := openRecords(ctx, o.Store, o.Kinds, now)
	if err != nil {
		return st, err
	}
	cands, err := candidates(ctx, o, records)
	if err != nil {
		return st, err
	}
	st.Records = len(records)
	st.CandidateSeconds = time.Since(start).Seconds()

	start = time.Now()
	g, err := buildGraph(ctx, o, records, cands)
	if err != nil {
		return st, err
	}
	sol, err := Solve(g.p)
	if err != nil {
		return st, err
	}
	st.SolveSeconds = time.Since(start).Seconds()
	st.Edges, st.Orgs, st.Chosen, st.Paths, st.Settled = len(g.p.Edges), len(g.orgs), len(sol.Chosen), sol.Paths, sol.Settled
	st.Weight = float64(sol.Weight) / weightScale
	top, topBusiest := greedy(g.p, false)
	st.TopWeight, st.TopBusiest = float64(top)/weightScale, topBusiest
	st.Busiest = busiest(g.p, sol.Chosen)

	for _, e := range sol.Chosen {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		p := g.proposal(records, cands, e, now)
		switch err := o.Create(ctx, p); {
		case err == nil:
			st.Created++
		case app.ErrorCode(err) == app.ECONFLICT:
			st.Skipped++
		default:
			return st, fmt.Errorf("propose: create %s → %s: %w", p.RecordID, p.OrgID, err)
		}
	}
	return st, nil
}

// openRecords lists the open records of the kinds, in ID order.
func openRecords(ctx context.Context, st app.Store, kinds []app.Kind, now time.Time) ([]*app.Listing, error) {
	today := now.Format("2006-01-02")
	f := app.ListingFilter{Kinds: kinds, Statuses: []app.Status{app.StatusPublished}, VisibleTo: &app.Visibility{}}
	var out []*app.Listing
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		ls, err := st.ListListings(ctx, f, p)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			if l.Deadline == "" || l.Deadline >= today {
				out = append(out, l)
			}
		}
		if len(ls) < p.Limit {
			return out, nil
		}
		p.After = ls[len(ls)-1].ID
	}
}

// candidates asks the matcher for each record's candidates, in parallel;
// the result does not depend on the order the answers come in.
func candidates(ctx context.Context, o Options, records []*app.Listing) ([][]app.Match, error) {
	out := make([][]app.Match, len(records))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range min(o.Workers, max(len(records), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				l := records[i]
				res, err := o.Matcher.Match(ctx, app.MatchQuery{FromKind: string(l.Kind), FromID: l.ID, Source: l,
					Limit: o.Candidates, Lang: o.Lang, VisibleTo: &app.Visibility{OrgID: l.OrgID}})
				if err != nil {
					once.Do(func() { first = fmt.Errorf("propose: match %s %s: %w", l.Kind, l.ID, err); cancel() })
					continue
				}
				out[i] = res.Items
			}
		}()
	}
feed:
	for i := range records {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, ctx.Err()
}

// weightScale turns scores (0–100, two decimals) into integer weights, so
// that the solver adds them exactly.
const weightScale = 100

// graph is the b-matching of a run: records on the left, organisations on
// the right, with where each edge came from.
type graph struct {
	p     Problem
	orgs  []string // right node → organisation ID
	match []edgeSource
}

type edgeSource struct{ record, match int } // indices into records and their candidates

// buildGraph keeps each record's candidates of other organisations that
// meet every hard requirement and reach the minimum score, one per
// organisation (its best), and takes off each organisation's capacity what it already
// received this week.
func buildGraph(ctx context.Context, o Options, records []*app.Listing, cands [][]app.Match) (*graph, error) {
	g := &graph{}
	type pending struct {
		org string
		w   int64
		src edgeSource
	}
	var edges []pending
	orgSet := map[string]bool{}
	for i, ms := range cands {
		seen := map[string]bool{records[i].OrgID: true}
		for j, m := range ms {
			if m.Org == nil || len(m.Violations) > 0 || m.Score < o.MinScore || seen[m.Org.ID] {
				continue
			}
			seen[m.Org.ID] = true
			orgSet[m.Org.ID] = true
			edges = append(edges, pending{m.Org.ID, int64(math.Round(m.Score * weightScale)), edgeSource{i, j}})
		}
	}
	g.orgs = slices.Sorted(maps.Keys(orgSet))
	g.p.LeftCap = make([]int, len(cands))
	for i := range g.p.LeftCap {
		g.p.LeftCap[i] = o.PerRecord
	}
	g.p.RightCap = make([]int, len(g.orgs))
	for j, id := range g.orgs {
		had := 0
		if o.Existing != nil {
			var err error
			if had, err = o.Existing(ctx, id); err != nil {
				return nil, fmt.Errorf("propose: proposals of %s this week: %w", id, err)
			}
		}
		g.p.RightCap[j] = max(0, o.Capacity-had)
	}
	for _, e := range edges {
		j, _ := slices.BinarySearch(g.orgs, e.org)
		g.p.Edges = append(g.p.Edges, Edge{Left: e.src.record, Right: j, Weight: e.w})
		g.match = append(g.match, e.src)
	}
	return g, nil
}

// proposal makes the proposal of a chosen edge.
func (g *graph) proposal(records []*app.Listing, cands [][]app.Match, e int, now time.Time) Proposal {
	src := g.match[e]
	l, m := records[src.record], cands[src.record][src.match]
	p := Proposal{RecordKind: l.Kind, RecordID: l.ID, RecordRef: l.Ref, RecordTitle: l.Title, RecordOrgID: l.OrgID,
		OrgID: m.Org.ID, OrgRef: m.Org.Ref, OrgName: m.Org.Name, Score: m.Score, Rank: m.Rank, Reasons: m.Reasons, At: now}
	if m.Listing != nil {
		p.ListingID, p.ListingKind = m.Listing.ID, m.Listing.Kind
	}
	return p
}

// greedy gives each left node its best edges (ties: the earlier edge),
// regardless of the right nodes' capacities or, with capped, skipping
// right nodes that are full, taking the left nodes in order. It returns
// the chosen edges' weight and the most edges a right node gets: what the
// b-matching is compared with.
func greedy(p Problem, capped bool) (weight int64, most int) {
	byLeft := make([][]int, len(p.LeftCap))
	for e, ed := range p.Edges {
		if ed.Weight > 0 {
			byLeft[ed.Left] = append(byLeft[ed.Left], e)
		}
	}
	load := make([]int, len(p.RightCap))
	for i, es := range byLeft {
		slices.SortStableFunc(es, func(a, b int) int { return cmp.Compare(p.Edges[b].Weight, p.Edges[a].Weight) })
		taken := 0
		for _, e := range es {
			ed := p.Edges[e]
			if taken == p.LeftCap[i] {
				break
			}
			if capped && load[ed.Right] >= p.RightCap[ed.Right] {
				continue
			}
			weight += ed.Weight
			load[ed.Right]++
			taken++
			most = max(most, load[ed.Right])
		}
	}
	return weight, most
}

// busiest returns the most chosen edges of one right node.
func busiest(p Problem, chosen []int) int {
	load := make([]int, len(p.RightCap))
	most := 0
	for _, e := range chosen {
		load[p.Edges[e].Right]++
		most = max(most, load[p.Edges[e].Right])
	}
	return most
}
