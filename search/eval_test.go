package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/store/sqlite"
)

// The evaluation of docs/search-quality.md. It reads ../shared/eval (from the
// repository root; RONGTONG_EVAL_DIR overrides) and skips when it is absent.
//
//	go test ./search -run TestSearchQuality -v -count=1
//	RONGTONG_SEARCH_ANALYZER=cjk go test ./search -run TestSearchQuality -v -count=1
//
// It runs the evaluation through the code path of the HTTP API: the corpus
// is imported into a fresh SQLite store by app.Service.Import as the system
// actor (as `rongtong import` does), the index is built from the store by
// StoreSource with StoreExtras (as serve does), and every case runs through
// app.Service.Search as an anonymous caller (as GET /api/v1/search does, so
// with the default facets and the visibility filter).
//
// RONGTONG_SEARCH_ANALYZER picks the analyzer variant (gse, cjk, both);
// RONGTONG_SEARCH_FEEDBACK=off turns the industry-family feedback off and
// RONGTONG_SEARCH_SYNONYMS=off the query-time synonyms (ablations; the
// floors do not apply); RONGTONG_EVAL_CASES=1 also prints
// every case.

// evalDir returns the evaluation data directory, or "" when there is none.
func evalDir() string {
	if d := os.Getenv("RONGTONG_EVAL_DIR"); d != "" {
		return d
	}
	d := filepath.Join("..", "..", "shared", "eval")
	if _, err := os.Stat(filepath.Join(d, "corpus.jsonl")); err != nil {
		return ""
	}
	return d
}

// evalCase is one line of search.jsonl.
type evalCase struct {
	ID       string            `json:"id"`
	Query    string            `json:"query"`
	Kind     *string           `json:"kind"`
	Filters  map[string]string `json:"filters"`
	Category string            `json:"category"`
	Relevant map[string]int    `json:"relevant"`
}

func loadCases(tb testing.TB, path string) []evalCase {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var out []evalCase
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var c evalCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			tb.Fatalf("search.jsonl line %d: %v", i+1, err)
		}
		out = append(out, c)
	}
	return out
}

// ndcgAt10 is DCG@10 / IDCG@10 with gains 2^g − 1 (eval README).
func ndcgAt10(ranked []string, rel map[string]int) float64 {
	dcg := 0.0
	for i, r := range ranked {
		if i == 10 {
			break
		}
		dcg += (math.Pow(2, float64(rel[r])) - 1) / math.Log2(float64(i+2))
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
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

// recallAt50 is the share of relevant records in the first 50, the
// denominator capped at 50.
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
	found := 0
	for i, r := range ranked {
		if i == 50 {
			break
		}
		if rel[r] >= 1 {
			found++
		}
	}
	return float64(found) / float64(min(50, n))
}

// dirSize returns the bytes of the files under dir.
func dirSize(tb testing.TB, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// caseQuery is an evaluation case as GET
// /api/v1/search?q=…&kind=…&region=…&tier=…&limit=50 asks it.
func caseQuery(ec evalCase) app.SearchQuery {
	q := app.SearchQuery{Text: ec.Query, Limit: 50}
	if ec.Kind != nil {
		q.Kinds = []string{*ec.Kind}
	}
	if r := ec.Filters["region"]; r != "" {
		q.Region = r
	}
	if tier := ec.Filters["tier"]; tier != "" {
		q.Tiers = []app.Tier{app.Tier(tier)}
	}
	return q
}

// qualityFloor is testdata/quality_floor.json: per analyzer variant, the
// overall scores the evaluation must not fall below.
type qualityFloor map[string]struct {
	NDCG10   float64 `json:"ndcg10"`
	Recall50 float64 `json:"recall50"`
}

func TestSearchQuality(t *testing.T) {
	dir := evalDir()
	if dir == "" {
		t.Skip("no evaluation data (../shared/eval from the repository root)")
	}
	variant := os.Getenv("RONGTONG_SEARCH_ANALYZER")
	if variant == "" {
		variant = DefaultAnalyzer
	}
	ctx := context.Background()
	noFeedback := os.Getenv("RONGTONG_SEARCH_FEEDBACK") == "off"
	if noFeedback {
		familyFeedback = false
		defer func() { familyFeedback = true }()
	}
	noSynonyms := os.Getenv("RONGTONG_SEARCH_SYNONYMS") == "off"
	if noSynonyms {
		synonymExpansion = false
		defer func() { synonymExpansion = true }()
	}
	ablation := noFeedback || noSynonyms

	// Load the dictionary while the store fills.
	go segmenter()

	// The store, filled as `rongtong import` fills it.
	start := time.Now()
	tmp := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(tmp, "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := app.NewService(st, nil, nil)
	corpus, err := os.Open(filepath.Join(dir, "corpus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := svc.Import(ctx, app.SystemActor(), corpus, "corpus.jsonl")
	corpus.Close()
	if err != nil {
		t.Fatal(err)
	}
	if run.Counts.Failed > 0 {
		t.Fatalf("import: %d lines failed, first %+v", run.Counts.Failed, run.Errors[0])
	}
	records := run.Counts.Created
	t.Logf("imported %d records into SQLite in %v", records, time.Since(start).Round(time.Millisecond))

	// The index, built from the store as serve builds it.
	start = time.Now()
	segmenter()
	t.Logf("gse dictionary ready after %v more", time.Since(start).Round(time.Millisecond))
	idxDir := filepath.Join(tmp, "index")
	ix, err := Open(idxDir, Options{Analyzer: variant, OrgExtras: StoreExtras(st)})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	start = time.Now()
	if err := ix.Rebuild(ctx, StoreSource(st)); err != nil {
		t.Fatal(err)
	}
	if n, err := NewFollower(st, ix, nil).CatchUp(ctx); err != nil || n != 0 {
		t.Fatalf("catch-up after the build: %d changes, %v; want none", n, err)
	}
	t.Logf("indexed %d records from the store in %v; %.1f MiB on disk", records,
		time.Since(start).Round(time.Millisecond), float64(dirSize(t, idxDir))/(1<<20))
	svc.Searcher = ix

	cases := loadCases(t, filepath.Join(dir, "search.jsonl"))
	type agg struct {
		n            int
		ndcg, recall float64
	}
	byCat := map[string]*agg{}
	var cats []string
	all := &agg{}
	var noAnswer []string
	printCases := os.Getenv("RONGTONG_EVAL_CASES") != ""
	start = time.Now()
	for _, ec := range cases {
		q := caseQuery(ec)
		res, err := svc.Search(ctx, nil, q)
		if err != nil {
			t.Fatalf("%s %q: %v", ec.ID, ec.Query, err)
		}
		ranked := make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			ranked = append(ranked, h.Ref)
		}
		if len(ec.Relevant) == 0 {
			noAnswer = append(noAnswer, fmt.Sprintf("%s %q: %d results", ec.ID, ec.Query, res.Total))
			continue
		}
		nd, rc := ndcgAt10(ranked, ec.Relevant), recallAt50(ranked, ec.Relevant)
		if printCases {
			top := ranked[:min(5, len(ranked))]
			t.Logf("%s %-14s nDCG@10 %.3f R@50 %.3f %q kind=%v top=%v", ec.ID, ec.Category, nd, rc, ec.Query, q.Kinds, top)
		}
		a := byCat[ec.Category]
		if a == nil {
			a = &agg{}
			byCat[ec.Category] = a
			cats = append(cats, ec.Category)
		}
		for _, x := range []*agg{a, all} {
			x.n++
			x.ndcg += nd
			x.recall += rc
		}
	}
	took := time.Since(start)

	var b strings.Builder
	fmt.Fprintf(&b, "\nanalyzer %s, family feedback %v, synonyms %v, through app.Service.Search — %d cases in %v\n",
		variant, !noFeedback, !noSynonyms, len(cases), took.Round(time.Millisecond))
	fmt.Fprintf(&b, "| category | cases | nDCG@10 | Recall@50 |\n|---|---|---|---|\n")
	for _, cat := range cats {
		a := byCat[cat]
		fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f |\n", cat, a.n, a.ndcg/float64(a.n), a.recall/float64(a.n))
	}
	overallNDCG, overallRecall := all.ndcg/float64(all.n), all.recall/float64(all.n)
	fmt.Fprintf(&b, "| **all** | %d | **%.3f** | **%.3f** |\n", all.n, overallNDCG, overallRecall)
	fmt.Fprintf(&b, "no-answer cases: %s\n", strings.Join(noAnswer, "; "))
	t.Log(b.String())

	if ablation {
		return
	}
	// The search's own execution (exec.go) gives every case bleve's
	// results, for an anonymous caller as the evaluation asks and for one
	// seeing everything.
	ran := 0
	for _, ec := range cases {
		q := caseQuery(ec)
		for _, vis := range []*app.Visibility{{}, nil} {
			q.VisibleTo = vis
			if searchBoth(t, ix, q) {
				ran++
			}
		}
	}
	if ran < len(cases) {
		t.Errorf("exec ran %d of %d searches; the others went to bleve", ran, 2*len(cases))
	}
	fb, err := os.ReadFile(filepath.Join("testdata", "quality_floor.json"))
	if err != nil {
		t.Fatal(err)
	}
	var floors qualityFloor
	if err := json.Unmarshal(fb, &floors); err != nil {
		t.Fatal(err)
	}
	floor, ok := floors[variant]
	if !ok {
		t.Fatalf("no quality floor for analyzer %q in testdata/quality_floor.json", variant)
	}
	if overallNDCG < floor.NDCG10 {
		t.Errorf("nDCG@10 = %.3f, below the floor %.3f", overallNDCG, floor.NDCG10)
	}
	if overallRecall < floor.Recall50 {
		t.Errorf("Recall@50 = %.3f, below the floor %.3f", overallRecall, floor.Recall50)
	}
}
