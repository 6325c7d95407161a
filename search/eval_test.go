package search

import (
	"bufio"
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
)

// The evaluation of docs/search-quality.md. It reads ../shared/eval (from the
// repository root; RONGTONG_EVAL_DIR overrides) and skips when it is absent.
//
//	go test ./search -run TestSearchQuality -v
//	RONGTONG_SEARCH_ANALYZER=cjk go test ./search -run TestSearchQuality -v
//
// RONGTONG_SEARCH_ANALYZER picks the analyzer variant (gse, cjk, both);
// RONGTONG_SEARCH_FEEDBACK=off turns the industry-family feedback off (an
// ablation; the floors do not apply); RONGTONG_EVAL_CASES=1 also prints
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

// corpus is the evaluation corpus loaded as domain records.
type corpus struct {
	orgs     []*app.Org
	listings []*app.Listing
	byOrg    map[string][]*app.Listing // org ID → listings
	refOf    map[string]string         // record ID → ref
}

// loadCorpus decodes corpus.jsonl: organisations into app.Org, listings into
// app.Listing after removing the org pointer; every record gets an ID,
// organisations are verified and listings published, and both are
// normalised as the use cases would.
func loadCorpus(tb testing.TB, path string) *corpus {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	c := &corpus{byOrg: map[string][]*app.Listing{}, refOf: map[string]string{}}
	orgByRef := map[string]*app.Org{}
	now := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			tb.Fatalf("corpus line %d: %v", line, err)
		}
		var kind, orgRef string
		if err := json.Unmarshal(raw["kind"], &kind); err != nil {
			tb.Fatalf("corpus line %d: kind: %v", line, err)
		}
		if kind == "org" {
			o := new(app.Org)
			if err := json.Unmarshal(sc.Bytes(), o); err != nil {
				tb.Fatalf("corpus line %d: %v", line, err)
			}
			o.ID = evalID(line)
			o.Verified = true
			o.CreatedAt, o.UpdatedAt = now, now
			o.Normalize()
			orgByRef[o.Ref] = o
			c.orgs = append(c.orgs, o)
			c.refOf[o.ID] = o.Ref
			continue
		}
		if err := json.Unmarshal(raw["org"], &orgRef); err != nil {
			tb.Fatalf("corpus line %d: org: %v", line, err)
		}
		delete(raw, "org")
		b, err := json.Marshal(raw)
		if err != nil {
			tb.Fatal(err)
		}
		l := new(app.Listing)
		if err := json.Unmarshal(b, l); err != nil {
			tb.Fatalf("corpus line %d: %v", line, err)
		}
		owner := orgByRef[orgRef]
		if owner == nil {
			tb.Fatalf("corpus line %d: unknown org %q", line, orgRef)
		}
		l.ID = evalID(line)
		l.Status = app.StatusPublished
		l.CreatedAt, l.UpdatedAt = now, now
		l.Normalize()
		l.SetOwner(owner)
		c.listings = append(c.listings, l)
		c.byOrg[owner.ID] = append(c.byOrg[owner.ID], l)
		c.refOf[l.ID] = l.Ref
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return c
}

// evalID gives the record on a corpus line an ID of app.NewID's shape that
// is the same on every run, so ties rank the same way every time.
func evalID(line int) string { return fmt.Sprintf("%024x", line) }

// orgExtras is the Options.OrgExtras of an index over the corpus.
func (c *corpus) orgExtras(_ context.Context, o *app.Org) ([]*app.Listing, error) {
	return c.byOrg[o.ID], nil
}

// fill is a Source writing the whole corpus.
func (c *corpus) fill(ctx context.Context, w Writer) error {
	for i := 0; i < len(c.listings); i += 500 {
		if err := w.IndexListings(ctx, c.listings[i:min(i+500, len(c.listings))]); err != nil {
			return err
		}
	}
	for _, o := range c.orgs {
		if err := w.IndexOrg(ctx, o); err != nil {
			return err
		}
	}
	return w.SetSeq(ctx, 1)
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
	ablation := os.Getenv("RONGTONG_SEARCH_FEEDBACK") == "off"
	if ablation {
		familyFeedback = false
		defer func() { familyFeedback = true }()
	}

	start := time.Now()
	segmenter()
	t.Logf("gse dictionary loaded in %v", time.Since(start).Round(time.Millisecond))

	c := loadCorpus(t, filepath.Join(dir, "corpus.jsonl"))
	cases := loadCases(t, filepath.Join(dir, "search.jsonl"))
	idxDir := t.TempDir()
	ix, err := Open(idxDir, Options{Analyzer: variant, OrgExtras: c.orgExtras})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	start = time.Now()
	if err := ix.Rebuild(ctx, c.fill); err != nil {
		t.Fatal(err)
	}
	t.Logf("indexed %d records in %v; %.1f MiB on disk", len(c.orgs)+len(c.listings),
		time.Since(start).Round(time.Millisecond), float64(dirSize(t, idxDir))/(1<<20))

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
		q := Query{Text: ec.Query, Limit: 50, Facets: []string{}}
		if ec.Kind != nil {
			q.Kinds = []string{*ec.Kind}
		}
		if r := ec.Filters["region"]; r != "" {
			q.Region = r
		}
		if tier := ec.Filters["tier"]; tier != "" {
			q.Tiers = []app.Tier{app.Tier(tier)}
		}
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatalf("%s %q: %v", ec.ID, ec.Query, err)
		}
		ranked := make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			ranked = append(ranked, c.refOf[h.ID])
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
	fmt.Fprintf(&b, "\nanalyzer %s, family feedback %v — %d cases in %v\n", variant, !ablation, len(cases), took.Round(time.Millisecond))
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
