package matching

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/search"
	"github.com/rongtong/rongtong/store/sqlite"
)

// The evaluation of docs/matching-quality.md. It reads ../shared/eval (from
// the repository root; RONGTONG_EVAL_DIR overrides) and skips when it is
// absent.
//
//	go test ./matching -run TestMatchQuality -v
//	RONGTONG_MATCH_ABLATE=text go test ./matching -run TestMatchQuality -v   # one part removed
//	RONGTONG_MATCH_ABLATE=all  go test ./matching -run TestMatchQuality -v   # each part in turn
//
// With RONGTONG_MATCH_ABLATE the floors do not apply. RONGTONG_EVAL_CASES=1
// also prints every case.

// evalDir returns the evaluation data directory, or "" when there is none.
func evalDir() string {
	if d := os.Getenv("RONGTONG_EVAL_DIR"); d != "" {
		return d
	}
	d := filepath.Join("..", "..", "shared", "eval")
	if _, err := os.Stat(filepath.Join(d, "matches.jsonl")); err != nil {
		return ""
	}
	return d
}

// matchCase is one line of matches.jsonl.
type matchCase struct {
	ID       string         `json:"id"`
	From     string         `json:"from"`
	Target   string         `json:"target"`
	Relevant map[string]int `json:"relevant"`
}

// caseType names a case by its direction (need→org …).
func (c matchCase) caseType(fromKind string) string { return fromKind + "→" + c.Target }

// evalEnv is the evaluation's store, index and service.
type evalEnv struct {
	st  *sqlite.Store
	ix  *search.Index
	svc *app.Service
}

// mustEvalEnv imports the corpus through Service.Import into a fresh SQLite
// store and builds the search index from the store.
func mustEvalEnv(tb testing.TB, dir string) *evalEnv {
	tb.Helper()
	ctx := context.Background()
	tmp := tb.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(tmp, "rongtong.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	svc := app.NewService(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f, err := os.Open(filepath.Join(dir, "corpus.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	run, err := svc.Import(ctx, app.SystemActor(), f, "corpus.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	if run.Counts.Failed > 0 {
		tb.Fatalf("import: %d lines failed, first %+v", run.Counts.Failed, run.Errors[0])
	}
	imported := time.Since(start)
	ix, err := search.Open(filepath.Join(tmp, "index"), search.Options{OrgExtras: search.StoreExtras(st)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	start = time.Now()
	if err := ix.Rebuild(ctx, search.StoreSource(st)); err != nil {
		tb.Fatal(err)
	}
	// Anything written after the rebuild's snapshot (nothing here) would
	// come through the follower, as in the server.
	if _, err := search.NewFollower(st, ix, nil).CatchUp(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("imported %d records in %v, indexed in %v", run.Counts.Created, imported.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	svc.Searcher = ix
	return &evalEnv{st: st, ix: ix, svc: svc}
}

// caseResult is one case's metrics.
type caseResult struct {
	id, typ      string
	ndcg, recall float64
	returned     int
}

// runCases runs every case through Service.Matches as an admin.
func (env *evalEnv) runCases(tb testing.TB, cases []matchCase, cfg Config) []caseResult {
	tb.Helper()
	ctx := context.Background()
	env.svc.Matcher = New(env.st, env.ix, cfg)
	refs := make([]string, 0, len(cases))
	for _, c := range cases {
		refs = append(refs, c.From)
	}
	byRef, err := env.st.FindListingsByRef(ctx, refs)
	if err != nil {
		tb.Fatal(err)
	}
	orgs, err := env.st.FindOrgsByRef(ctx, refs)
	if err != nil {
		tb.Fatal(err)
	}
	admin := app.SystemActor()
	var out []caseResult
	for _, c := range cases {
		q := app.MatchQuery{Target: c.Target, Limit: 50}
		if l := byRef[c.From]; l != nil {
			q.FromKind, q.FromID = string(l.Kind), l.ID
		} else if o := orgs[c.From]; o != nil {
			q.FromKind, q.FromID = "org", o.ID
		} else {
			tb.Fatalf("%s: no record has ref %q", c.ID, c.From)
		}
		res, err := env.svc.Matches(ctx, admin, q)
		if err != nil {
			tb.Fatalf("%s: %v", c.ID, err)
		}
		ranked := make([]string, 0, len(res.Items))
		for _, m := range res.Items {
			ranked = append(ranked, m.Ref)
		}
		out = append(out, caseResult{id: c.ID, typ: c.caseType(q.FromKind),
			ndcg: ndcgAt10(ranked, c.Relevant), recall: recallAt50(ranked, c.Relevant), returned: len(ranked)})
	}
	return out
}

// summary is the mean metrics per case type.
type summary map[string]struct {
	N            int
	NDCG, Recall float64
}

func summarize(rs []caseResult) summary {
	s := summary{}
	for _, r := range rs {
		x := s[r.typ]
		x.N++
		x.NDCG += r.ndcg
		x.Recall += r.recall
		s[r.typ] = x
	}
	for k, x := range s {
		x.NDCG /= float64(x.N)
		x.Recall /= float64(x.N)
		s[k] = x
	}
	return s
}

func (s summary) types() []string {
	var ts []string
	for t := range s {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}

// TestMatchQuality runs matches.jsonl through the same code path as the
// API and checks the floors of testdata/quality_floor.json.
func TestMatchQuality(t *testing.T) {
	dir := evalDir()
	if dir == "" {
		t.Skip("no evaluation data (../shared/eval); set RONGTONG_EVAL_DIR")
	}
	cases := loadMatchCases(t, filepath.Join(dir, "matches.jsonl"))
	env := mustEvalEnv(t, dir)
	cfg := DefaultConfig()

	ablate := os.Getenv("RONGTONG_MATCH_ABLATE")
	if ablate == "all" {
		base := summarize(env.runCases(t, cases, cfg))
		var b strings.Builder
		b.WriteString("\n| removed part |")
		for _, ty := range base.types() {
			fmt.Fprintf(&b, " %s nDCG@10 | R@50 |", ty)
		}
		fmt.Fprintf(&b, "\n|---|%s\n", strings.Repeat("---|---|", len(base.types())))
		row := func(name string, s summary) {
			fmt.Fprintf(&b, "| %s |", name)
			for _, ty := range base.types() {
				fmt.Fprintf(&b, " %.3f | %.3f |", s[ty].NDCG, s[ty].Recall)
			}
			b.WriteString("\n")
		}
		row("none", base)
		for _, part := range allParts() {
			row(part, summarize(env.runCases(t, cases, cfg.Without(part))))
		}
		t.Log(b.String())
		return
	}
	for _, part := range strings.Split(ablate, ",") {
		if part = strings.TrimSpace(part); part != "" {
			cfg = cfg.Without(part)
		}
	}

	start := time.Now()
	rs := env.runCases(t, cases, cfg)
	elapsed := time.Since(start)
	if os.Getenv("RONGTONG_EVAL_CASES") != "" {
		for _, r := range rs {
			t.Logf("%s %-20s nDCG@10 %.3f R@50 %.3f (%d returned)", r.id, r.typ, r.ndcg, r.recall, r.returned)
		}
	}
	s := summarize(rs)
	var b strings.Builder
	fmt.Fprintf(&b, "\n| case type | cases | nDCG@10 | Recall@50 |\n|---|---|---|---|\n")
	for _, ty := range s.types() {
		fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f |\n", ty, s[ty].N, s[ty].NDCG, s[ty].Recall)
	}
	fmt.Fprintf(&b, "%d cases in %v (%.1f ms a case)", len(rs), elapsed.Round(time.Millisecond), float64(elapsed.Milliseconds())/float64(len(rs)))
	t.Log(b.String())
	if ablate != "" {
		t.Logf("ablation %q: floors not checked", ablate)
		return
	}
	floors := loadFloors(t)
	for _, ty := range s.types() {
		f, ok := floors[ty]
		if !ok {
			t.Errorf("%s: no floor in testdata/quality_floor.json", ty)
			continue
		}
		if s[ty].NDCG < f.NDCG {
			t.Errorf("%s: nDCG@10 %.3f below the floor %.3f", ty, s[ty].NDCG, f.NDCG)
		}
		if s[ty].Recall < f.Recall {
			t.Errorf("%s: Recall@50 %.3f below the floor %.3f", ty, s[ty].Recall, f.Recall)
		}
	}
}

// allParts lists every score part of every view, once.
func allParts() []string {
	var out []string
	seen := map[string]bool{}
	for _, view := range []string{ViewSupply, ViewInvestor, ViewSME, ViewTechnology, ViewAdoption, ViewCollaboration} {
		for _, p := range Views[view] {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

type floor struct {
	NDCG   float64 `json:"ndcg10"`
	Recall float64 `json:"recall50"`
}

func loadFloors(tb testing.TB) map[string]floor {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "quality_floor.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]floor
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatalf("quality_floor.json: %v", err)
	}
	return m
}

func loadMatchCases(tb testing.TB, path string) []matchCase {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []matchCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var c matchCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("matches.jsonl line %d: %v", n, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// ndcgAt10 is DCG@10 / IDCG@10 with gains 2^g − 1 (eval README).
func ndcgAt10(ranked []string, rel map[string]int) float64 {
	gain := func(g int) float64 { return math.Pow(2, float64(g)) - 1 }
	seen := map[string]bool{}
	dcg, i := 0.0, 0
	for _, r := range ranked {
		if seen[r] {
			continue
		}
		seen[r] = true
		if i == 10 {
			break
		}
		dcg += gain(rel[r]) / math.Log2(float64(i+2))
		i++
	}
	grades := make([]int, 0, len(rel))
	for _, g := range rel {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	idcg := 0.0
	for i, g := range grades {
		if i == 10 {
			break
		}
		idcg += gain(g) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

// recallAt50 is the share of relevant records (grade ≥ 1) in the first 50,
// the denominator capped at 50.
func recallAt50(ranked []string, rel map[string]int) float64 {
	n := 0
	for _, g := range rel {
		if g >= 1 {
			n++
		}
	}
	if n == 0 {
		return 0
	}
	seen := map[string]bool{}
	found, i := 0, 0
	for _, r := range ranked {
		if seen[r] {
			continue
		}
		seen[r] = true
		if i == 50 {
			break
		}
		if rel[r] >= 1 {
			found++
		}
		i++
	}
	return float64(found) / float64(min(50, n))
}
