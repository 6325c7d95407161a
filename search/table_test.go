package search

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/search/benchdata"
	"github.com/rongtong/rongtong/store/sqlite"
)

// TestTablesAgreeWithBleve checks what the tables of table.go compute
// against bleve's own answers on a generated data set: the facet counts
// (bleve's facet builder over the same query), the total, and the records
// of the query's family (a bleve query for the family, the filters and not
// the text), also after deletions, an organisation losing its verification
// and writes that leave several segments.
func TestTablesAgreeWithBleve(t *testing.T) {
	ctx := context.Background()
	var data bytes.Buffer
	if _, err := benchdata.Write(&data, benchdata.Options{Seed: 3, Orgs: 300, Listings: 900}); err != nil {
		t.Fatal(err)
	}
	vocab := bytes.NewReader(data.Bytes())
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st, nil, nil)
	if _, err := svc.Import(ctx, app.SystemActor(), &data, "test"); err != nil {
		t.Fatal(err)
	}
	ix := MustOpen(t, t.TempDir(), Options{OrgExtras: StoreExtras(st)})
	if err := ix.Rebuild(ctx, StoreSource(st)); err != nil {
		t.Fatal(err)
	}
	svc.Index, svc.Searcher = ix, ix
	queries, err := benchdata.Queries(vocab, 6)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for n := 1; n <= 4; n++ {
		texts = append(texts, queries[n]...)
	}
	orgs, err := st.ListOrgs(ctx, app.OrgFilter{}, app.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T) {
		t.Helper()
		families := 0
		for _, text := range texts {
			for _, q := range []Query{
				{Text: text, VisibleTo: &app.Visibility{}},
				{Text: text},
				{Text: text, Kinds: []string{"capability"}, VisibleTo: &app.Visibility{OrgID: orgs[1].ID}},
				{Text: text, Region: "330200", Tiers: []app.Tier{app.TierNone, app.TierSpecialized}},
			} {
				if checkAgainstBleve(t, ix, q) {
					families++
				}
			}
		}
		if families < len(texts) {
			t.Errorf("only %d of %d searches had a family: the test checks too little", families, 4*len(texts))
		}
	}
	t.Run("built", check)

	// Deletions, an organisation hidden, and live writes in new segments.
	ls, err := st.ListListings(ctx, app.ListingFilter{}, app.Page{Limit: app.MaxPageLimit})
	if err != nil {
		t.Fatal(err)
	}
	split := len(ls) * 2 / 3
	for i, l := range ls[:split] {
		if i%2 == 0 {
			if err := ix.Delete(ctx, EntityListing, l.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := ix.Delete(ctx, EntityOrg, orgs[0].ID); err != nil {
		t.Fatal(err)
	}
	hidden := *orgs[2]
	hidden.Verified = false
	if err := ix.IndexOrg(ctx, &hidden); err != nil {
		t.Fatal(err)
	}
	if err := ix.IndexListings(ctx, ls[split:]); err != nil {
		t.Fatal(err)
	}
	// Search and the bleve answers it is compared with must see the same
	// index: wait until background merges are over. Deletions after that
	// stay as deletions in the segments, as a merge would remove them.
	mustSettle(t, ix)
	rest, err := st.ListListings(ctx, app.ListingFilter{}, app.Page{Limit: app.MaxPageLimit, After: ls[len(ls)-1].ID})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range rest {
		if i%3 == 0 {
			if err := ix.Delete(ctx, EntityListing, l.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !mustSettle(t, ix) {
		t.Log("the index has no deleted documents left to test with")
	}
	t.Run("after writes", check)
}

// checkAgainstBleve runs q through Search and through bleve alone, and
// compares their facets, totals and family records. It reports whether the
// search had a family.
func checkAgainstBleve(t *testing.T, ix *Index, q Query) bool {
	t.Helper()
	ctx := context.Background()
	q.Limit = 20
	res, err := ix.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("%q kinds=%v region=%s tiers=%v visible=%v", q.Text, q.Kinds, q.Region, q.Tiers, q.VisibleTo)

	gen, err := ix.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.mu.RUnlock()
	p := understand(q.Text, &ix.certs, &ix.procs)
	dfs, err := newDocFreqs(ctx, gen.bi)
	if err != nil {
		t.Fatal(err)
	}
	filters := ix.filters(q, p, dfs)
	ix.markCommon(p.concepts, dfs)
	text := ix.textQuery(p.concepts, dfs, len(filters) > 0)
	dfs.close()
	var fqs []query.Query
	for _, f := range filters {
		fqs = append(fqs, f.q)
	}
	filtered := func(q query.Query) query.Query {
		if len(fqs) == 0 {
			return q
		}
		bq := bleve.NewBooleanQuery()
		bq.AddMust(q)
		bq.AddFilter(bleve.NewConjunctionQuery(fqs...))
		return bq
	}

	// bleve's facets and total of the text matches, and their best hits
	req := bleve.NewSearchRequestOptions(filtered(text), minPool+q.Limit, 0, false)
	for _, f := range DefaultFacets {
		req.AddFacet(f, bleve.NewFacetRequest(facetFields[f], 1000))
	}
	want, err := gen.bi.SearchInContext(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range DefaultFacets {
		got := map[string]int{}
		for _, fc := range res.Facets[f] {
			got[fc.Value] = fc.Count
		}
		var wantTerms []FacetCount
		if fr := want.Facets[f]; fr != nil && fr.Terms != nil {
			for _, tf := range fr.Terms.Terms() {
				wantTerms = append(wantTerms, FacetCount{Value: tf.Term, Count: tf.Count})
			}
		}
		sort.Slice(wantTerms, func(i, j int) bool {
			if wantTerms[i].Count != wantTerms[j].Count {
				return wantTerms[i].Count > wantTerms[j].Count
			}
			return wantTerms[i].Value < wantTerms[j].Value
		})
		wantTerms = wantTerms[:min(len(wantTerms), facetSize)]
		if len(wantTerms) != len(got) {
			t.Errorf("%s: facet %s = %v, want %v", name, f, res.Facets[f], wantTerms)
			continue
		}
		for _, w := range wantTerms {
			if got[w.Value] != w.Count {
				t.Errorf("%s: facet %s = %v, want %v", name, f, res.Facets[f], wantTerms)
				break
			}
		}
	}

	// the family, as Search finds it from the best hits
	adv, err := gen.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	v, err := gen.tables.viewOf(r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	v.setFamCodes(want.Hits)
	fam := dominantFamily(want.Hits)
	if fam == nil {
		if res.Total != want.Total {
			t.Errorf("%s: total %d, want %d text matches and no family", name, res.Total, want.Total)
		}
		return false
	}
	// bleve's records of the family that pass the filters and do not match
	famQ := func(class bool) query.Query {
		var qs []query.Query
		prefix := fam.group
		if class {
			prefix = fam.class
		}
		pq := bleve.NewPrefixQuery(prefix)
		pq.SetField(fFamX)
		qs = append(qs, pq)
		for i := 2; i <= len(prefix); i++ { // codes that cover it: 33, 339
			tq := bleve.NewTermQuery(prefix[:i])
			tq.SetField(fFamX)
			qs = append(qs, tq)
		}
		bq := bleve.NewBooleanQuery()
		bq.AddMust(filtered(bleve.NewDisjunctionQuery(qs...)))
		bq.AddMustNot(text)
		return bq
	}
	all := bleve.NewSearchRequestOptions(famQ(false), 100000, 0, false)
	famAll, err := gen.bi.SearchInContext(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Total; got != want.Total+famAll.Total {
		t.Errorf("%s: total %d, want %d text matches + %d family records", name, got, want.Total, famAll.Total)
	}
	inFam := map[string]bool{}
	for _, h := range famAll.Hits {
		inFam[h.ID] = true
	}
	inClass := map[string]bool{}
	if fam.class != "" {
		classAll, err := gen.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(famQ(true), 100000, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range classAll.Hits {
			inClass[h.ID] = true
		}
	}
	textIDs := map[string]bool{}
	textAll, err := gen.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(filtered(text), 100000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range textAll.Hits {
		textIDs[h.ID] = true
	}
	for _, h := range res.Hits {
		id := docID(EntityListing, h.ID)
		if h.Kind == kindOrg {
			id = docID(EntityOrg, h.ID)
		}
		if !textIDs[id] && !inFam[id] {
			t.Errorf("%s: hit %s (%s %q) neither matches nor is of family %+v passing the filters",
				name, h.ID, h.Kind, h.Title, *fam)
		}
	}
	// the class's records come before the rest of the group's
	lastClass, firstGroup := -1, len(res.Hits)
	for i, h := range res.Hits {
		id := docID(EntityListing, h.ID)
		if h.Kind == kindOrg {
			id = docID(EntityOrg, h.ID)
		}
		switch {
		case textIDs[id]:
		case inClass[id]:
			lastClass = i
		default:
			firstGroup = min(firstGroup, i)
		}
	}
	if fam.class != "" && lastClass > firstGroup {
		t.Errorf("%s: a group record at %d comes before a class record at %d", name, firstGroup, lastClass)
	}
	if t.Failed() {
		t.Logf("%s: family %+v; hits %v", name, *fam, strings.Join(ids(res), " "))
	}
	return true
}

// mustSettle waits until the index stops changing (merges end) and reports
// whether it still holds deleted documents.
func mustSettle(t *testing.T, ix *Index) bool {
	t.Helper()
	snapshot := func() (*scorch.IndexSnapshot, bool) {
		gen, err := ix.acquire()
		if err != nil {
			t.Fatal(err)
		}
		defer ix.mu.RUnlock()
		adv, err := gen.bi.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		snap := r.(*scorch.IndexSnapshot)
		deleted := false
		for _, s := range snap.Segments() {
			if d := s.Deleted(); d != nil && !d.IsEmpty() {
				deleted = true
			}
		}
		return snap, deleted
	}
	prev, _ := snapshot()
	for i := 0; i < 100; i++ {
		time.Sleep(100 * time.Millisecond)
		cur, deleted := snapshot()
		if cur == prev {
			return deleted
		}
		prev = cur
	}
	t.Fatal("the index keeps changing")
	return false
}
