package search

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// MustOpen opens an index in dir and closes it when the test ends.
func MustOpen(tb testing.TB, dir string, opt Options) *Index {
	tb.Helper()
	ix, err := Open(dir, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// fixture is a small set of records: a verified SME with a published and a
// draft capability, an unverified SME with a published capability, and a
// verified enterprise with a need.
type fixture struct {
	verified, unverified, ent         *app.Org
	capPub, capDraft, capHidden, need *app.Listing
}

func newFixture() *fixture {
	now := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	org := func(name, typ, region, industry string, verified bool, certs []string, products []string, desc string) *app.Org {
		o := &app.Org{ID: app.NewID(), Name: name, Type: app.OrgType(typ), Region: region, Industry: industry,
			Verified: verified, Certifications: certs, Products: products, Description: desc,
			CreatedAt: now, UpdatedAt: now}
		o.Normalize()
		return o
	}
	listing := func(o *app.Org, kind app.Kind, status app.Status, title, desc string, procs, certs []string) *app.Listing {
		l := &app.Listing{ID: app.NewID(), Kind: kind, Status: status, Title: title, Description: desc,
			Processes: procs, Certifications: certs, CreatedAt: now, UpdatedAt: now}
		if kind == app.KindNeed {
			l.Industry = "3392"
			l.CertificationsRequired, l.Certifications = certs, nil
		}
		l.Normalize()
		l.SetOwner(o)
		return l
	}
	f := &fixture{}
	f.verified = org("宁波北仑精密压铸有限公司", "sme", "330206", "3392", true, []string{"ISO9001", "IATF16949"},
		[]string{"铝合金压铸件"}, "专注铝合金压铸件，具备压铸、CNC加工能力。")
	f.unverified = org("台州黄岩塑料模具有限公司", "sme", "331003", "3525", false, []string{"ISO9001"},
		[]string{"注塑模具"}, "注塑模具设计制造。")
	f.ent = org("杭州华兴汽车股份有限公司", "enterprise", "330114", "3612", true, []string{"IATF16949"},
		[]string{"新能源汽车整车"}, "新能源汽车整车龙头企业。")
	f.capPub = listing(f.verified, app.KindCapability, app.StatusPublished, "铝合金压铸件加工",
		"承接铝合金压铸件，高压铸造，配套新能源汽车电驱壳体。", []string{"压铸", "数控加工"}, []string{"IATF16949"})
	f.capDraft = listing(f.verified, app.KindCapability, app.StatusDraft, "镁合金压铸件草稿",
		"镁合金压铸试制中。", []string{"压铸"}, nil)
	f.capHidden = listing(f.unverified, app.KindCapability, app.StatusPublished, "注塑模具与压铸模具",
		"注塑模具、压铸模具开发。", []string{"模具设计"}, nil)
	f.need = listing(f.ent, app.KindNeed, app.StatusPublished, "寻求电驱壳体压铸配套供应商",
		"需要铝合金压铸件，IATF16949。", []string{"压铸"}, []string{"IATF16949"})
	return f
}

func (f *fixture) listings() []*app.Listing {
	return []*app.Listing{f.capPub, f.capDraft, f.capHidden, f.need}
}

func (f *fixture) extras(_ context.Context, o *app.Org) ([]*app.Listing, error) {
	var out []*app.Listing
	for _, l := range f.listings() {
		if l.OrgID == o.ID {
			out = append(out, l)
		}
	}
	return out, nil
}

// fill is a Source with the fixture.
func (f *fixture) fill(ctx context.Context, w Writer) error {
	if err := w.SetSeq(ctx, 42); err != nil {
		return err
	}
	if err := w.IndexListings(ctx, f.listings()); err != nil {
		return err
	}
	for _, o := range []*app.Org{f.verified, f.unverified, f.ent} {
		if err := w.IndexOrg(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// MustFill opens an index with the fixture in it.
func MustFill(tb testing.TB, opt Options) (*Index, *fixture) {
	tb.Helper()
	f := newFixture()
	opt.OrgExtras = f.extras
	ix := MustOpen(tb, tb.TempDir(), opt)
	if err := f.fill(context.Background(), ix); err != nil {
		tb.Fatal(err)
	}
	return ix, f
}

func ids(r *Result) []string {
	out := make([]string, 0, len(r.Hits))
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func has(r *Result, id string) bool {
	for _, h := range r.Hits {
		if h.ID == id {
			return true
		}
	}
	return false
}

func MustSearch(tb testing.TB, ix *Index, q Query) *Result {
	tb.Helper()
	r, err := ix.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("Search(%+v): %v", q, err)
	}
	return r
}

func TestIndexSearchDelete(t *testing.T) {
	ctx := context.Background()
	for _, variant := range []string{AnalyzerGSE, AnalyzerCJK, AnalyzerBoth} {
		t.Run(variant, func(t *testing.T) {
			ix, f := MustFill(t, Options{Analyzer: variant})
			r := MustSearch(t, ix, Query{Text: "压铸件", Kinds: []string{"capability"}})
			if !has(r, f.capPub.ID) {
				t.Fatalf("压铸件: got %v, want %s", ids(r), f.capPub.ID)
			}
			h := r.Hits[0]
			if h.Kind != "capability" || h.OrgID != f.verified.ID || h.OrgName != f.verified.Name || h.Title == "" {
				t.Errorf("hit = %+v", h)
			}
			// synonyms: 压力铸造 finds 压铸
			r = MustSearch(t, ix, Query{Text: "压力铸造", Kinds: []string{"capability"}})
			if !has(r, f.capPub.ID) {
				t.Errorf("压力铸造: got %v, want %s", ids(r), f.capPub.ID)
			}
			// full-width and case folding
			r = MustSearch(t, ix, Query{Text: "ｃｎｃ加工", Kinds: []string{"capability"}})
			if !has(r, f.capPub.ID) {
				t.Errorf("ｃｎｃ加工: got %v, want %s", ids(r), f.capPub.ID)
			}
			// an SME is found through its capabilities' text (OrgExtras)
			r = MustSearch(t, ix, Query{Text: "数控加工", Kinds: []string{"org"}})
			if !has(r, f.verified.ID) {
				t.Errorf("org by capability process: got %v, want %s", ids(r), f.verified.ID)
			}

			if err := ix.Delete(ctx, EntityListing, f.capPub.ID); err != nil {
				t.Fatal(err)
			}
			r = MustSearch(t, ix, Query{Text: "压铸件", Kinds: []string{"capability"}})
			if has(r, f.capPub.ID) {
				t.Errorf("deleted listing still found: %v", ids(r))
			}
			// deleting an organisation removes its listings too
			if err := ix.Delete(ctx, EntityOrg, f.ent.ID); err != nil {
				t.Fatal(err)
			}
			r = MustSearch(t, ix, Query{Text: "电驱壳体"})
			if has(r, f.need.ID) || has(r, f.ent.ID) {
				t.Errorf("deleted organisation or its need still found: %v", ids(r))
			}
			if err := ix.Delete(ctx, "user", "x"); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("Delete(user) = %v, want EINVALID", err)
			}
		})
	}
}

func TestVisibility(t *testing.T) {
	ix, f := MustFill(t, Options{})
	all := []string{f.capPub.ID, f.capDraft.ID, f.capHidden.ID, f.verified.ID, f.unverified.ID}
	tests := []struct {
		name string
		vis  *app.Visibility
		want map[string]bool
	}{
		{"admin", nil, map[string]bool{f.capPub.ID: true, f.capDraft.ID: true, f.capHidden.ID: true, f.verified.ID: true, f.unverified.ID: true}},
		{"anonymous", &app.Visibility{}, map[string]bool{f.capPub.ID: true, f.verified.ID: true}},
		{"other org", &app.Visibility{OrgID: f.ent.ID}, map[string]bool{f.capPub.ID: true, f.verified.ID: true}},
		{"own draft", &app.Visibility{OrgID: f.verified.ID}, map[string]bool{f.capPub.ID: true, f.capDraft.ID: true, f.verified.ID: true}},
		{"own unverified org", &app.Visibility{OrgID: f.unverified.ID}, map[string]bool{f.capPub.ID: true, f.capHidden.ID: true, f.verified.ID: true, f.unverified.ID: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MustSearch(t, ix, Query{Text: "压铸 模具", VisibleTo: tt.vis, Limit: 50})
			for _, id := range all {
				if got := has(r, id); got != tt.want[id] {
					t.Errorf("found %s = %v, want %v (hits %v)", id, got, tt.want[id], ids(r))
				}
			}
			// suggestions never show what a non-admin may not see
			s, err := ix.Suggest(context.Background(), "镁合金", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(s) != 0 {
				t.Errorf("Suggest(镁合金) = %v, want none (a draft's title)", s)
			}
		})
	}
}

func TestFacetsFiltersAndPaging(t *testing.T) {
	ix, f := MustFill(t, Options{})
	r := MustSearch(t, ix, Query{Text: "压铸", Facets: []string{FacetKind, FacetRegion, FacetCert, FacetTier}})
	counts := map[string]int{}
	for _, fc := range r.Facets[FacetKind] {
		counts[fc.Value] = fc.Count
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	if uint64(total) != r.Total {
		t.Errorf("kind facet counts %v sum to %d, want Total %d", counts, total, r.Total)
	}
	if counts["capability"] != 3 || counts["need"] != 1 {
		t.Errorf("kind facet = %v, want capability 3, need 1", counts)
	}
	region := map[string]int{}
	for _, fc := range r.Facets[FacetRegion] {
		region[fc.Value] = fc.Count
	}
	if region["330200"] < 3 {
		t.Errorf("region facet = %v, want 宁波 330200 ≥ 3", region)
	}

	// filters: region (any level), tier, certification, industry, status
	for _, tt := range []struct {
		name string
		q    Query
		want []string
	}{
		{"region city", Query{Text: "压铸", Region: "330200", Kinds: []string{"capability"}}, []string{f.capPub.ID, f.capDraft.ID}},
		{"region county", Query{Text: "模具", Region: "331003", Kinds: []string{"capability"}}, []string{f.capHidden.ID}},
		{"place in text", Query{Text: "黄岩 模具", Kinds: []string{"capability"}}, []string{f.capHidden.ID}},
		{"cert filter", Query{Text: "压铸", Certs: []string{"iatf 16949"}, Kinds: []string{"capability"}}, []string{f.capPub.ID}},
		{"cert in text", Query{Text: "ＩＡＴＦ１６９４９ 压铸", Kinds: []string{"capability"}}, []string{f.capPub.ID}},
		{"status", Query{Text: "压铸", Statuses: []app.Status{app.StatusDraft}, Kinds: []string{"capability"}}, []string{f.capDraft.ID}},
		{"industry", Query{Industry: "352", Kinds: []string{"org"}}, []string{f.unverified.ID}},
		{"tier", Query{Tiers: []app.Tier{app.TierNone}, Kinds: []string{"org"}}, []string{f.verified.ID, f.unverified.ID}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := MustSearch(t, ix, tt.q)
			got := ids(r)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for _, id := range tt.want {
				if !has(r, id) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			}
		})
	}

	// paging: two pages of one cover the first two results of one page of two
	one := MustSearch(t, ix, Query{Text: "压铸", Limit: 2})
	p1 := MustSearch(t, ix, Query{Text: "压铸", Limit: 1})
	if p1.NextCursor == "" {
		t.Fatal("no NextCursor on a first page")
	}
	p2 := MustSearch(t, ix, Query{Text: "压铸", Limit: 1, Cursor: p1.NextCursor})
	if got, want := []string{p1.Hits[0].ID, p2.Hits[0].ID}, ids(one); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("pages %v, want %v", got, want)
	}
	if _, err := ix.Search(context.Background(), Query{Text: "压铸", Cursor: "!!"}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("bad cursor: %v, want EINVALID", err)
	}
}

func TestHighlight(t *testing.T) {
	ix, f := MustFill(t, Options{})
	r := MustSearch(t, ix, Query{Text: "压铸件", Kinds: []string{"capability"}})
	if !has(r, f.capPub.ID) {
		t.Fatalf("got %v", ids(r))
	}
	h := r.Hits[0]
	title := strings.Join(h.Snippets["title"], "")
	body := strings.Join(h.Snippets["body"], "")
	if !strings.Contains(title, "<mark>") || !strings.Contains(body, "<mark>") {
		t.Fatalf("snippets = %q", h.Snippets)
	}
	if strings.Contains(body, "<mark><mark>") || strings.Count(body, "<mark>") != strings.Count(body, "</mark>") {
		t.Errorf("unbalanced marks: %q", body)
	}
	// text is escaped
	o := &app.Org{ID: app.NewID(), Name: "<b>压铸</b>厂", Type: app.OrgSME, Verified: true, Description: "x<script>压铸</script>"}
	if err := ix.IndexOrg(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	r = MustSearch(t, ix, Query{Text: "压铸", Kinds: []string{"org"}})
	for _, hit := range r.Hits {
		for _, frags := range hit.Snippets {
			for _, s := range frags {
				if strings.Contains(s, "<script>") || strings.Contains(s, "<b>") {
					t.Errorf("unescaped snippet %q", s)
				}
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	ix, _ := MustFill(t, Options{Analyzer: AnalyzerBoth})
	long := strings.Repeat("压", MaxQueryRunes+1)
	for _, tt := range []struct {
		name    string
		text    string
		invalid bool
	}{
		{"too long", long, true},
		{"exactly max", strings.Repeat("压", MaxQueryRunes), false},
		{"query syntax", `+压铸 -模具 title:压铸 压* "压铸" 压铸~2 压^3 (压铸 OR 注塑) \ / { } [ ] ! && ||`, false},
		{"only syntax", `+-:*"~^()`, false},
		{"lone surrogate utf8", "压铸\xed\xa0\x80", true},
		{"invalid utf8", "压铸\xff", true},
		{"replacement char", "压铸\uFFFD", false},
		{"control char", "压铸\x00件", true},
		{"escape", "压铸\x1b[31m", true},
		{"tab and newline", "压铸\t件\n", false},
		{"empty", "", false},
		{"spaces", "   　 ", false},
		{"emoji", "压铸🙂件", false},
		{"regexp-ish", `.*压铸.*|[a-z]+`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), Query{Text: tt.text})
			if tt.invalid {
				var e *app.Error
				if !errors.As(err, &e) || e.Code != app.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != "q" {
					t.Fatalf("err = %v, want EINVALID on field q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v, want results", err)
			}
			if _, err := ix.Suggest(context.Background(), tt.text, 5); err != nil {
				t.Fatalf("Suggest: %v", err)
			}
		})
	}
	for _, q := range []Query{
		{Kinds: []string{"user"}}, {Region: "999999"}, {Industry: "ZZ"}, {Tiers: []app.Tier{"gold"}},
		{Statuses: []app.Status{"gone"}}, {Sort: "random"}, {Limit: -1}, {Limit: MaxLimit + 1}, {Facets: []string{"colour"}},
	} {
		if _, err := ix.Search(context.Background(), q); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("Search(%+v) = %v, want EINVALID", q, err)
		}
	}
}

func TestSeqAndReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f := newFixture()
	ix, err := Open(dir, Options{OrgExtras: f.extras})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Seq(ctx); err != nil || n != 0 {
		t.Fatalf("Seq of a new index = %d, %v", n, err)
	}
	if err := f.fill(ctx, ix); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetSeq(ctx, 7); err != nil { // never moves back
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(ctx, Query{Text: "压铸"}); app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Errorf("Search after Close = %v, want EUNAVAILABLE", err)
	}
	ix = MustOpen(t, dir, Options{OrgExtras: f.extras})
	if ix.NeedsRebuild() {
		t.Error("NeedsRebuild after reopening with the same version")
	}
	if n, err := ix.Seq(ctx); err != nil || n != 42 {
		t.Errorf("Seq after reopen = %d, %v; want 42", n, err)
	}
	r := MustSearch(t, ix, Query{Text: "压铸件", Kinds: []string{"capability"}})
	if !has(r, f.capPub.ID) {
		t.Errorf("after reopen: got %v", ids(r))
	}
	// certifications known to the reopened index are recognised in text
	r = MustSearch(t, ix, Query{Text: "IATF16949", Kinds: []string{"capability"}})
	if got := ids(r); len(got) != 1 || got[0] != f.capPub.ID {
		t.Errorf("IATF16949 after reopen: got %v", got)
	}
}

// TestVersionChangeRebuilds opens an index recorded with another version:
// the old index keeps answering while the Source fills a new one, which is
// then swapped in with the Source's sequence number.
func TestVersionChangeRebuilds(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f := newFixture()
	old := MustOpen(t, dir, Options{OrgExtras: f.extras})
	if err := f.fill(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	// pretend the index was built by an older mapping
	m, err := readMeta(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Version = "m0-old"
	if err := writeMeta(dir, m); err != nil {
		t.Fatal(err)
	}

	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	src := func(ctx context.Context, w Writer) error {
		once.Do(func() { close(started) })
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := f.fill(ctx, w); err != nil {
			return err
		}
		return w.SetSeq(ctx, 99)
	}
	ix := MustOpen(t, dir, Options{OrgExtras: f.extras, Source: src})
	if !ix.NeedsRebuild() {
		t.Fatal("NeedsRebuild = false for an index of another version")
	}
	<-started
	// the old index answers during the rebuild, and takes writes
	r := MustSearch(t, ix, Query{Text: "压铸件", Kinds: []string{"capability"}})
	if !has(r, f.capPub.ID) {
		t.Fatalf("during rebuild: got %v", ids(r))
	}
	late := &app.Listing{ID: app.NewID(), Kind: app.KindCapability, Status: app.StatusPublished,
		Title: "半固态压铸新工艺", Description: "半固态压铸"}
	late.SetOwner(f.verified)
	if err := ix.IndexListings(ctx, []*app.Listing{late}); err != nil {
		t.Fatal(err)
	}
	close(release)
	deadline := time.Now().Add(30 * time.Second)
	for ix.NeedsRebuild() {
		if time.Now().After(deadline) {
			t.Fatal("rebuild did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	want, have := ix.Version()
	if want != have {
		t.Errorf("version after rebuild = %q, want %q", have, want)
	}
	if n, _ := ix.Seq(ctx); n != 99 {
		t.Errorf("Seq after rebuild = %d, want 99", n)
	}
	r = MustSearch(t, ix, Query{Text: "半固态压铸", Kinds: []string{"capability"}})
	if !has(r, late.ID) {
		t.Errorf("a write made during the rebuild is lost: %v", ids(r))
	}
	// the old directory goes once the swap is done
	var gens []string
	for {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		gens = gens[:0]
		for _, e := range entries {
			if e.IsDir() {
				gens = append(gens, e.Name())
			}
		}
		if len(gens) == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(gens) != 1 {
		t.Errorf("index directories after the swap: %v, want one", gens)
	}
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		t.Fatal(err)
	}
	var got meta
	if err := json.Unmarshal(b, &got); err != nil || got.Version != want || got.Current != gens[0] {
		t.Errorf("%s = %s, want version %s in %v", metaFile, b, want, gens)
	}
	if err := ix.Rebuild(ctx, nil); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("Rebuild(nil) = %v", err)
	}
}

func TestSuggest(t *testing.T) {
	ix, _ := MustFill(t, Options{})
	s, err := ix.Suggest(context.Background(), "铝合金", 5)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range s {
		found = found || x.Text == "铝合金压铸件"
	}
	if !found {
		t.Errorf("Suggest(铝合金) = %v, want 铝合金压铸件", s)
	}
	if _, err := ix.Suggest(context.Background(), "铝", 0); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("limit 0: %v", err)
	}
}

// TestFoldFollowsFoldWidth checks that the analysis folds width as the
// domain does (app.FoldWidth), plus lower case.
func TestFoldFollowsFoldWidth(t *testing.T) {
	for r := rune(0x3000); r <= 0xFF5E; r++ {
		if r > 0x3000 && r < 0xFF01 {
			continue
		}
		want := strings.ToLower(app.FoldWidth(string(r)))
		if got := foldString(string(r)); got != want {
			t.Errorf("fold(%q) = %q, want %q", r, got, want)
		}
	}
	in := "ＩＳＯ９００１　鋁合金"
	f := fold([]byte(in))
	if string(f.text) != "iso9001 铝合金" || len(f.orig) != len(f.text)+1 || f.orig[len(f.text)] != len(in) {
		t.Errorf("fold(%q) = %q %v", in, f.text, f.orig)
	}
}

func TestAnalysis(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string // among the terms
	}{
		{"铝合金压铸件", []string{"铝合金压铸件", "压铸件", "压铸", "铝合金"}},
		{"ＣＮＣ加工", []string{"cnc加工", "cnc"}},
		{"IATF16949认证", []string{"iatf16949"}},
		{"專精特新", []string{"专精特新"}},
		{"级进模", []string{"级进模"}},
	} {
		toks := gseTokenizer{seg: segmenter()}.Tokenize([]byte(tt.in))
		got := map[string]bool{}
		for _, tok := range toks {
			got[string(tok.Term)] = true
			if tok.Start < 0 || tok.End > len(tt.in) || tok.Start >= tok.End {
				t.Errorf("%q: token %q has offsets %d–%d", tt.in, tok.Term, tok.Start, tok.End)
			}
		}
		for _, w := range tt.want {
			if !got[w] {
				t.Errorf("%q: terms %v lack %q", tt.in, got, w)
			}
		}
	}
}
