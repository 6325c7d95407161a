package search

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/rongtong/rongtong/app"
)

// searchBoth runs q through exec and through bleve's searchers and fails
// unless the two agree: the same total, facets and hits in the same order
// with the same scores. It reports whether exec ran the query.
func searchBoth(t *testing.T, ix *Index, q Query) bool {
	t.Helper()
	var viaExec, viaBleve *Result
	var ran bool
	// A background merge between the two searches changes the statistics
	// the scores use; the two are compared on one set of segments.
	for range 5 {
		segs := segmentIDs(t, ix)
		before := execRuns.Load()
		viaExec = MustSearch(t, ix, q)
		ran = execRuns.Load() > before
		execDisabled = true
		viaBleve = MustSearch(t, ix, q)
		execDisabled = false
		if reflect.DeepEqual(segs, segmentIDs(t, ix)) {
			break
		}
	}
	if viaExec.Total != viaBleve.Total {
		t.Errorf("%+v: total %d by exec, %d by bleve", q, viaExec.Total, viaBleve.Total)
	}
	if !reflect.DeepEqual(viaExec.Facets, viaBleve.Facets) {
		t.Errorf("%+v: facets differ\nexec  %v\nbleve %v", q, viaExec.Facets, viaBleve.Facets)
	}
	if len(viaExec.Hits) != len(viaBleve.Hits) {
		t.Errorf("%+v: %d hits by exec, %d by bleve", q, len(viaExec.Hits), len(viaBleve.Hits))
		return ran
	}
	for i, a := range viaExec.Hits {
		b := viaBleve.Hits[i]
		if a.ID != b.ID || math.Abs(a.Score-b.Score) > 1e-9*math.Max(1, math.Abs(b.Score)) {
			t.Errorf("%+v: hit %d is %s (%.12f) by exec, %s (%.12f) by bleve", q, i, a.ID, a.Score, b.ID, b.Score)
			return ran
		}
	}
	return ran
}

// segmentIDs lists the segments of the index's current snapshot.
func segmentIDs(t *testing.T, ix *Index) []uint64 {
	t.Helper()
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
	var ids []uint64
	for _, s := range r.(*scorch.IndexSnapshot).Segments() {
		ids = append(ids, s.Id())
	}
	return ids
}

// TestExecMatchesBleve runs queries of every shape the search builds
// (synonyms, sub-words, common words, selective and table filters,
// visibility with and without an organisation) on an index of several
// segments with deleted documents, through exec and through bleve.
func TestExecMatchesBleve(t *testing.T) {
	ctx := context.Background()
	for _, variant := range []string{AnalyzerGSE, AnalyzerBoth} {
		t.Run(variant, func(t *testing.T) {
			ix, f := MustFill(t, Options{Analyzer: variant})
			// more segments: a changed listing, a deleted one, an org again
			f.capPub.Description += " 另有锌合金压铸。"
			if err := ix.IndexListings(ctx, []*app.Listing{f.capPub}); err != nil {
				t.Fatal(err)
			}
			if err := ix.Delete(ctx, EntityListing, f.capDraft.ID); err != nil {
				t.Fatal(err)
			}
			if err := ix.IndexOrg(ctx, f.verified); err != nil {
				t.Fatal(err)
			}
			texts := []string{"压铸", "压力铸造", "铝合金 压铸件", "CNC加工", "注塑模具", "新能源汽车 压铸",
				"压铸 IATF16949", "宁波 压铸", "模具 检测 材料", "电驱壳体压铸配套", "没有这个词"}
			ran := 0
			for _, text := range texts {
				for _, q := range []Query{
					{Text: text},
					{Text: text, VisibleTo: &app.Visibility{}},
					{Text: text, VisibleTo: &app.Visibility{OrgID: f.unverified.ID}},
					{Text: text, Kinds: []string{string(app.KindCapability)}},
					{Text: text, Region: "330200", Limit: 2},
					{Text: text, Certs: []string{"ISO9001"}},
				} {
					if searchBoth(t, ix, q) {
						ran++
					}
				}
			}
			if ran == 0 {
				t.Fatal("exec ran none of the searches: every query went to bleve")
			}
			t.Logf("exec ran %d of %d searches", ran, len(texts)*6)
		})
	}
}
