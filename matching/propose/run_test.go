package propose

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/demo"
	"github.com/rongtong/rongtong/matching"
	"github.com/rongtong/rongtong/store/sqlite"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// demoEnv is the demo data set of 200 organisations (needs, financing
// needs and technology needs among them) in a fresh SQLite store, with the
// matching engine over it (no search index).
type demoEnv struct {
	st  *sqlite.Store
	eng *matching.Engine
}

func newDemoEnv(t *testing.T) *demoEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var data bytes.Buffer
	if err := demo.Write(&data, demo.Options{Seed: 1, Orgs: 200}); err != nil {
		t.Fatal(err)
	}
	svc := app.NewService(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	run, err := svc.Import(ctx, app.SystemActor(), &data, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if run.Counts.Failed > 0 {
		t.Fatalf("import: %+v", run.Errors)
	}
	eng := matching.New(st, nil, matching.DefaultConfig())
	eng.SetClock(func() time.Time { return testNow })
	return &demoEnv{st: st, eng: eng}
}

// run runs the job with o over the environment, collecting the proposals.
func (env *demoEnv) run(t *testing.T, o Options) (Stats, []Proposal) {
	t.Helper()
	var got []Proposal
	o.Store, o.Matcher = env.st, env.eng
	if o.Clock == nil {
		o.Clock = func() time.Time { return testNow }
	}
	o.Create = func(_ context.Context, p Proposal) error {
		got = append(got, p)
		return nil
	}
	st, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return st, got
}

// openRecords lists the records the job should propose for, read from the
// store independently of the job: published, of a verified organisation,
// deadline not passed.
func (env *demoEnv) openRecords(t *testing.T, now time.Time) map[string]*app.Listing {
	t.Helper()
	out := map[string]*app.Listing{}
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		ls, err := env.st.ListListings(context.Background(), app.ListingFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			if slices.Contains(DefaultKinds, l.Kind) && l.Status == app.StatusPublished && l.Owner.Verified &&
				(l.Deadline == "" || l.Deadline >= now.Format("2006-01-02")) {
				out[l.ID] = l
			}
		}
		if len(ls) < p.Limit {
			return out
		}
		p.After = ls[len(ls)-1].ID
	}
}

func TestRunProposes(t *testing.T) {
	env := newDemoEnv(t)
	const perRecord, capacity = 3, 2
	stats, got := env.run(t, Options{PerRecord: perRecord, Capacity: capacity})
	open := env.openRecords(t, testNow)
	t.Logf("%+v", stats)
	if stats.Records != len(open) {
		t.Fatalf("%d records, %d open in the store", stats.Records, len(open))
	}
	if stats.Chosen != len(got) || stats.Created != len(got) || len(got) == 0 {
		t.Fatalf("stats %+v, %d proposals created", stats, len(got))
	}
	perRec, perOrg, kinds := map[string]int{}, map[string]int{}, map[app.Kind]int{}
	var weight float64
	for _, p := range got {
		l := open[p.RecordID]
		switch {
		case l == nil:
			t.Fatalf("proposal for %s, not an open record", p.RecordID)
		case p.OrgID == l.OrgID || p.RecordOrgID != l.OrgID:
			t.Fatalf("proposal %+v for a record of %s", p, l.OrgID)
		case p.Score < DefaultMinScore:
			t.Fatalf("proposal below the minimum score: %+v", p)
		case p.OrgName == "" || len(p.Reasons) == 0 || !p.At.Equal(testNow):
			t.Fatalf("proposal without its organisation, reasons or time: %+v", p)
		}
		perRec[p.RecordID]++
		perOrg[p.OrgID]++
		kinds[p.RecordKind]++
		weight += p.Score
	}
	for id, n := range perRec {
		if n > perRecord {
			t.Errorf("record %s has %d proposals, at most %d", id, n, perRecord)
		}
	}
	for id, n := range perOrg {
		if n > capacity {
			t.Errorf("organisation %s receives %d proposals, capacity %d", id, n, capacity)
		}
	}
	for _, k := range DefaultKinds {
		if kinds[k] == 0 {
			t.Errorf("no proposal for any %s", k)
		}
	}
	if math.Abs(weight-stats.Weight) > 1e-6 || stats.Weight > stats.TopWeight {
		t.Errorf("weight %v, proposals score %v in all, top %v", stats.Weight, weight, stats.TopWeight)
	}
	if stats.Busiest > capacity || stats.TopBusiest <= capacity {
		t.Errorf("busiest organisation %d (top candidates: %d), capacity %d", stats.Busiest, stats.TopBusiest, capacity)
	}
}

func TestRunDeterministic(t *testing.T) {
	env := newDemoEnv(t)
	_, first := env.run(t, Options{Workers: 1})
	_, again := env.run(t, Options{Workers: 4})
	if len(first) == 0 || !slices.EqualFunc(first, again, func(a, b Proposal) bool {
		return a.RecordID == b.RecordID && a.OrgID == b.OrgID && a.Score == b.Score
	}) {
		t.Fatalf("two runs proposed differently: %d and %d proposals", len(first), len(again))
	}
}

func TestRunTakesExistingProposalsOffCapacity(t *testing.T) {
	env := newDemoEnv(t)
	_, before := env.run(t, Options{})
	counts := map[string]int{}
	for _, p := range before {
		counts[p.OrgID]++
	}
	full := before[0].OrgID
	for id, n := range counts {
		if n > counts[full] || n == counts[full] && id < full {
			full = id
		}
	}
	stats, after := env.run(t, Options{Existing: func(_ context.Context, orgID string) (int, error) {
		if orgID == full {
			return DefaultCapacity, nil
		}
		return DefaultCapacity - 1, nil
	}})
	for _, p := range after {
		if p.OrgID == full {
			t.Fatalf("organisation %s at its weekly capacity got a proposal", full)
		}
	}
	if stats.Busiest > 1 {
		t.Fatalf("an organisation with room for one got %d", stats.Busiest)
	}
	_, err := Run(context.Background(), Options{Store: env.st, Matcher: env.eng,
		Existing: func(context.Context, string) (int, error) { return 0, errors.New("store down") },
		Create:   func(context.Context, Proposal) error { return nil }})
	if err == nil {
		t.Fatal("an Existing error was not returned")
	}
}

func TestRunSkipsClosedRecords(t *testing.T) {
	env := newDemoEnv(t)
	later := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	now, _ := env.run(t, Options{})
	stats, got := env.run(t, Options{Clock: func() time.Time { return later }})
	open := env.openRecords(t, later)
	if stats.Records != len(open) || stats.Records >= now.Records {
		t.Fatalf("%d records open later (want %d), %d now", stats.Records, len(open), now.Records)
	}
	for _, p := range got {
		if open[p.RecordID] == nil {
			t.Fatalf("proposal for %s past its deadline", p.RecordID)
		}
	}
}

func TestRunCreateErrors(t *testing.T) {
	env := newDemoEnv(t)
	n := 0
	stats, err := Run(context.Background(), Options{Store: env.st, Matcher: env.eng, Clock: func() time.Time { return testNow },
		Create: func(context.Context, Proposal) error {
			if n++; n%2 == 1 {
				return app.Errorf(app.ECONFLICT, "already paired")
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Skipped != (stats.Chosen+1)/2 || stats.Created != stats.Chosen/2 {
		t.Fatalf("conflicts not skipped: %+v", stats)
	}
	n = 0
	_, err = Run(context.Background(), Options{Store: env.st, Matcher: env.eng, Clock: func() time.Time { return testNow },
		Create: func(context.Context, Proposal) error {
			n++
			return errors.New("disk full")
		}})
	if err == nil || n != 1 {
		t.Fatalf("error %v after %d creates, want the first error returned", err, n)
	}
	if _, err := Run(context.Background(), Options{Store: env.st, Matcher: env.eng}); err == nil {
		t.Fatal("a run without Create did not fail")
	}
}

// failingMatcher is the engine, failing for one record.
type failingMatcher struct {
	app.Matcher
	failID string
}

func (m failingMatcher) Match(ctx context.Context, q app.MatchQuery) (*app.MatchResult, error) {
	if q.FromID == m.failID {
		return nil, app.Errorf(app.EUNAVAILABLE, "index closed")
	}
	return m.Matcher.Match(ctx, q)
}

func TestRunMatcherError(t *testing.T) {
	env := newDemoEnv(t)
	open := env.openRecords(t, testNow)
	ids := slices.Sorted(maps.Keys(open))
	created := 0
	_, err := Run(context.Background(), Options{Store: env.st, Matcher: failingMatcher{env.eng, ids[len(ids)/2]}, Workers: 3,
		Clock:  func() time.Time { return testNow },
		Create: func(context.Context, Proposal) error { created++; return nil }})
	if app.ErrorCode(err) != app.EUNAVAILABLE || created != 0 {
		t.Fatalf("error %v with %d proposals created; want the matcher's error and none", err, created)
	}
}
