package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

func testOrgCRUD(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := verified(newOrg("宁波精密轴承有限公司", "330206", "3451"))
	o.Ref = "ORG-0001"
	o.Certifications = []string{"ISO9001", "IATF16949"}
	MustCreateOrg(t, s, o)
	if o.Seq <= 0 {
		t.Fatalf("CreateOrg set Seq %d, want > 0", o.Seq)
	}
	CheckOrg(t, MustFindOrg(t, s, o.ID), o)
	byRef, err := s.FindOrgByRef(ctx, "ORG-0001")
	if err != nil {
		t.Fatalf("FindOrgByRef: %v", err)
	}
	CheckOrg(t, byRef, o)

	before := o.Seq
	o.Name, o.Employees, o.UpdatedAt = "宁波精密轴承股份有限公司", 260, t0.Add(time.Hour)
	o.Contact = nil
	if err := s.UpdateOrg(ctx, o); err != nil {
		t.Fatalf("UpdateOrg: %v", err)
	}
	if o.Seq <= before {
		t.Errorf("UpdateOrg set Seq %d, want > %d", o.Seq, before)
	}
	CheckOrg(t, MustFindOrg(t, s, o.ID), o)
	if n := MustLastSeq(t, s); n != o.Seq {
		t.Errorf("LastSeq = %d, want %d", n, o.Seq)
	}

	if err := s.DeleteOrg(ctx, o.ID); err != nil {
		t.Fatalf("DeleteOrg: %v", err)
	}
	_, err = s.FindOrg(ctx, o.ID)
	WantError(t, err, app.ENOTFOUND, "")
	_, err = s.FindOrgByRef(ctx, "ORG-0001")
	WantError(t, err, app.ENOTFOUND, "")
	WantError(t, s.DeleteOrg(ctx, o.ID), app.ENOTFOUND, "")
	WantError(t, s.UpdateOrg(ctx, o), app.ENOTFOUND, "")
	_, err = s.FindOrg(ctx, "not-an-id")
	WantError(t, err, app.ENOTFOUND, "")
	_, err = s.FindOrgByRef(ctx, "")
	WantError(t, err, app.ENOTFOUND, "")

	// The ref and USCC of a deleted organisation are free again.
	again := newOrg("新公司", "", "")
	again.Ref, again.USCC = "ORG-0001", o.USCC
	MustCreateOrg(t, s, again)
}

func testOrgConflicts(t *testing.T, s app.Store) {
	ctx := t.Context()
	a := newOrg("甲公司", "330106", "3484")
	a.Ref = "A"
	MustCreateOrg(t, s, a)

	dupRef := newOrg("乙公司", "330106", "3484")
	dupRef.Ref = "A"
	WantError(t, s.CreateOrg(ctx, dupRef), app.ECONFLICT, "ref")
	dupUSCC := newOrg("丙公司", "330106", "3484")
	dupUSCC.USCC = a.USCC
	WantError(t, s.CreateOrg(ctx, dupUSCC), app.ECONFLICT, "uscc")
	dupID := newOrg("丁公司", "330106", "3484")
	dupID.ID = a.ID
	WantError(t, s.CreateOrg(ctx, dupID), app.ECONFLICT, "")

	// Organisations without a ref or a USCC (investors, institutions) do not collide.
	for range 3 {
		o := newOrg("投资机构", "", "")
		o.Type, o.Tier, o.USCC = app.OrgInvestor, "", ""
		MustCreateOrg(t, s, o)
	}
	if n, err := s.CountOrgs(ctx, app.OrgFilter{}); err != nil || n != 4 {
		t.Fatalf("CountOrgs = %d, %v; want 4 (failed creates must leave nothing)", n, err)
	}

	b := MustCreateOrg(t, s, newOrg("戊公司", "330206", "3451"))
	seq := b.Seq
	b.Ref = "A"
	WantError(t, s.UpdateOrg(ctx, b), app.ECONFLICT, "ref")
	b.Ref, b.USCC = "B", a.USCC
	WantError(t, s.UpdateOrg(ctx, b), app.ECONFLICT, "uscc")
	got := MustFindOrg(t, s, b.ID)
	if got.Ref != "" || got.Seq != seq {
		t.Errorf("after failed updates: ref %q, seq %d; want the stored organisation unchanged (seq %d)", got.Ref, got.Seq, seq)
	}
}

func testOrgsByRef(t *testing.T, s app.Store) {
	ctx := t.Context()
	a := newOrg("甲", "", "")
	a.Ref = "ref-a"
	b := newOrg("乙", "", "")
	b.Ref = "ref-b"
	c := newOrg("丙", "", "") // no ref
	for _, o := range []*app.Org{a, b, c} {
		MustCreateOrg(t, s, o)
	}
	got, err := s.FindOrgsByRef(ctx, []string{"ref-a", "ref-b", "ref-missing", ""})
	if err != nil {
		t.Fatalf("FindOrgsByRef: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("FindOrgsByRef returned %d organisations, want 2: %v", len(got), got)
	}
	CheckOrg(t, got["ref-a"], a)
	CheckOrg(t, got["ref-b"], b)
	got, err = s.FindOrgsByRef(ctx, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("FindOrgsByRef(nil) = %v, %v; want an empty map", got, err)
	}
}

// orgFixture is five organisations across regions, industries, tiers and
// verification, for filter tests.
type orgFixture struct {
	a, b, c, d, e *app.Org
}

func makeOrgFixture(t *testing.T, s app.Store) orgFixture {
	var f orgFixture
	f.a = verified(newOrg("杭州甲", "330106", "3484"))
	f.a.Tier, f.a.Ref = app.TierSpecialized, "A"
	f.b = newOrg("北仑乙", "330206", "3451")
	f.b.Tier, f.b.Ref = app.TierLittleGiant, "B"
	f.c = verified(newOrg("鄞州丙", "330212", "3981"))
	f.c.Type, f.c.Tier = app.OrgEnterprise, ""
	f.d = verified(newOrg("南京丁", "320106", ""))
	f.d.Type, f.d.Tier, f.d.USCC = app.OrgInvestor, "", ""
	f.e = newOrg("北仑戊", "330206", "6513")
	f.e.Type, f.e.Tier = app.OrgInstitution, ""
	for _, o := range []*app.Org{f.a, f.b, f.c, f.d, f.e} {
		MustCreateOrg(t, s, o)
	}
	return f
}

func testOrgFilters(t *testing.T, s app.Store) {
	ctx := t.Context()
	f := makeOrgFixture(t, s)
	a, b, c, d, e := f.a, f.b, f.c, f.d, f.e
	yes, no := true, false
	tests := []struct {
		name string
		f    app.OrgFilter
		want []*app.Org
	}{
		{"none", app.OrgFilter{}, []*app.Org{a, b, c, d, e}},
		{"IDs", app.OrgFilter{IDs: []string{c.ID, a.ID, app.NewID()}}, []*app.Org{a, c}},
		{"ref", app.OrgFilter{Ref: "B"}, []*app.Org{b}},
		{"type", app.OrgFilter{Type: app.OrgSME}, []*app.Org{a, b}},
		{"province", app.OrgFilter{Region: "330000"}, []*app.Org{a, b, c, e}},
		{"city", app.OrgFilter{Region: "330200"}, []*app.Org{b, c, e}},
		{"county", app.OrgFilter{Region: "330206"}, []*app.Org{b, e}},
		{"other province", app.OrgFilter{Region: "320000"}, []*app.Org{d}},
		{"unknown region", app.OrgFilter{Region: "999999"}, nil},
		{"industry section", app.OrgFilter{Industry: "C"}, []*app.Org{a, b, c}},
		{"industry division", app.OrgFilter{Industry: "34"}, []*app.Org{a, b}},
		{"industry class", app.OrgFilter{Industry: "3451"}, []*app.Org{b}},
		{"another section", app.OrgFilter{Industry: "I"}, []*app.Org{e}},
		{"industry and region", app.OrgFilter{Industry: "C", Region: "330200"}, []*app.Org{b, c}},
		{"tiers", app.OrgFilter{Tiers: []app.Tier{app.TierSpecialized, app.TierLittleGiant}}, []*app.Org{a, b}},
		{"verified", app.OrgFilter{Verified: &yes}, []*app.Org{a, c, d}},
		{"not verified", app.OrgFilter{Verified: &no}, []*app.Org{b, e}},
		{"visible to outsider", app.OrgFilter{VisibleTo: &app.Visibility{}}, []*app.Org{a, c, d}},
		{"visible to member", app.OrgFilter{VisibleTo: &app.Visibility{OrgID: b.ID}}, []*app.Org{a, b, c, d}},
		{"visible and type", app.OrgFilter{VisibleTo: &app.Visibility{OrgID: b.ID}, Type: app.OrgSME}, []*app.Org{a, b}},
		{"visible and region", app.OrgFilter{VisibleTo: &app.Visibility{}, Region: "330200"}, []*app.Org{c}},
		{"everything", app.OrgFilter{Type: app.OrgSME, Region: "330000", Industry: "34", Tiers: []app.Tier{app.TierLittleGiant}, Verified: &no}, []*app.Org{b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ListOrgs(ctx, tt.f, app.Page{Limit: app.MaxPageLimit})
			if err != nil {
				t.Fatalf("ListOrgs: %v", err)
			}
			if g, w := ids(got, orgID), sortedIDs(tt.want, orgID); !slices.Equal(g, w) {
				t.Errorf("ListOrgs: got %v, want %v", names(got), names(sortByID(tt.want)))
			}
			n, err := s.CountOrgs(ctx, tt.f)
			if err != nil {
				t.Fatalf("CountOrgs: %v", err)
			}
			if n != len(tt.want) {
				t.Errorf("CountOrgs = %d, want %d", n, len(tt.want))
			}
		})
	}
	// Listed organisations are whole.
	got, err := s.ListOrgs(ctx, app.OrgFilter{IDs: []string{b.ID}}, app.Page{})
	if err != nil || len(got) != 1 {
		t.Fatalf("ListOrgs(b) = %v, %v", got, err)
	}
	CheckOrg(t, got[0], b)
}

func names(os []*app.Org) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.Name
	}
	return out
}

func sortByID[T interface{ *app.Org | *app.Listing }](xs []T) []T {
	out := slices.Clone(xs)
	slices.SortFunc(out, func(a, b T) int {
		return compareID(any(a), any(b))
	})
	return out
}

func compareID(a, b any) int {
	id := func(x any) string {
		switch v := x.(type) {
		case *app.Org:
			return v.ID
		case *app.Listing:
			return v.ID
		}
		return ""
	}
	switch ia, ib := id(a), id(b); {
	case ia < ib:
		return -1
	case ia > ib:
		return 1
	}
	return 0
}

func testOrgPaging(t *testing.T, s app.Store) {
	ctx := t.Context()
	var want []string
	var orgs []*app.Org
	for i := range 25 {
		region := "330106"
		if i%2 == 1 {
			region = "330206"
		}
		o := newOrg("企业", region, "3484")
		orgs = append(orgs, o)
		want = append(want, o.ID)
	}
	MustSaveBatch(t, s, orgs, nil)
	slices.Sort(want)
	checkPages(t, "all", want, 10, func(p app.Page) ([]string, error) {
		os, err := s.ListOrgs(ctx, app.OrgFilter{}, p)
		return ids(os, orgID), err
	})
	var ningbo []string
	for _, o := range orgs {
		if o.Region == "330206" {
			ningbo = append(ningbo, o.ID)
		}
	}
	slices.Sort(ningbo)
	checkPages(t, "by region", ningbo, 5, func(p app.Page) ([]string, error) {
		os, err := s.ListOrgs(ctx, app.OrgFilter{Region: "330200"}, p)
		return ids(os, orgID), err
	})
}

// checkPages pages through a list with pages of size and checks that the
// pages, in order and without repeats, make up want.
func checkPages(t *testing.T, name string, want []string, size int, list func(app.Page) ([]string, error)) {
	t.Helper()
	var got []string
	p := app.Page{Limit: size}
	for range len(want)/size + 2 {
		page, err := list(p)
		if err != nil {
			t.Fatalf("%s: list(%+v): %v", name, p, err)
		}
		if len(page) > size {
			t.Fatalf("%s: list(%+v) returned %d items", name, p, len(page))
		}
		got = append(got, page...)
		if len(page) < size {
			break
		}
		p.After = page[len(page)-1]
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: pages of %d: got %d items %v, want %d %v", name, size, len(got), got, len(want), want)
	}
}

func testUpdateOrgRefreshesListings(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := verified(newOrg("杭州甲", "330106", "3484"))
	o.Tier = app.TierSpecialized
	MustCreateOrg(t, s, o)
	capab := MustCreateListing(t, s, newListing(o, app.KindCapability, "精密零部件加工", "3981"))
	fin := MustCreateListing(t, s, newListing(o, app.KindFinancing, "B轮融资"))
	other := MustCreateListing(t, s, newListing(MustCreateOrg(t, s, verified(newOrg("其他", "330106", "3484"))), app.KindCapability, "其他能力", "3484"))
	if got := MustFindListing(t, s, fin.ID).IndustryKeys; !slices.Equal(got, industryKeys["3484"]) {
		t.Fatalf("financing need's IndustryKeys = %q, want the owner's %q", got, industryKeys["3484"])
	}
	before := MustLastSeq(t, s)

	// Everything the listings copy changes: name, region, industry, tier, verification.
	o.Name, o.Region, o.Industry, o.Tier = "宁波甲（迁址）", "330206", "3451", app.TierLittleGiant
	o.Verified, o.VerifiedAt = false, nil
	o.RegionKeys, o.IndustryKeys = keysOf(regionKeys, "330206"), keysOf(industryKeys, "3451")
	if err := s.UpdateOrg(ctx, o); err != nil {
		t.Fatalf("UpdateOrg: %v", err)
	}
	for _, l := range []*app.Listing{capab, fin} {
		got := MustFindListing(t, s, l.ID)
		if got.Owner != o.Summary() {
			t.Errorf("listing %q: owner %+v, want %+v", l.Title, got.Owner, o.Summary())
		}
		if got.OrgID != o.ID {
			t.Errorf("listing %q: orgId %s, want %s", l.Title, got.OrgID, o.ID)
		}
		if !slices.Equal(got.RegionKeys, o.RegionKeys) {
			t.Errorf("listing %q: RegionKeys %q, want the owner's %q", l.Title, got.RegionKeys, o.RegionKeys)
		}
		if got.Seq <= before {
			t.Errorf("listing %q: Seq %d, want > %d (rewritten)", l.Title, got.Seq, before)
		}
		if got.Title != l.Title || got.Description != l.Description {
			t.Errorf("listing %q: own fields changed: %+v", l.Title, got)
		}
	}
	if got := MustFindListing(t, s, capab.ID).IndustryKeys; !slices.Equal(got, industryKeys["3981"]) {
		t.Errorf("capability IndustryKeys = %q, want its own %q", got, industryKeys["3981"])
	}
	if got := MustFindListing(t, s, fin.ID).IndustryKeys; !slices.Equal(got, industryKeys["3451"]) {
		t.Errorf("financing need IndustryKeys = %q, want the owner's new %q", got, industryKeys["3451"])
	}
	if got := MustFindListing(t, s, other.ID); got.Seq != other.Seq {
		t.Errorf("another organisation's listing was rewritten: Seq %d, want %d", got.Seq, other.Seq)
	}

	// The filters follow the new summary.
	listIDs := func(f app.ListingFilter) []string {
		ls, err := s.ListListings(ctx, f, app.Page{Limit: app.MaxPageLimit})
		if err != nil {
			t.Fatalf("ListListings(%+v): %v", f, err)
		}
		return ids(ls, listingID)
	}
	mine := sortedIDs([]*app.Listing{capab, fin}, listingID)
	if got := listIDs(app.ListingFilter{Region: "330200"}); !slices.Equal(got, mine) {
		t.Errorf("region 330200: got %v, want %v", got, mine)
	}
	if got := listIDs(app.ListingFilter{Region: "330100"}); !slices.Equal(got, []string{other.ID}) {
		t.Errorf("region 330100: got %v, want only %s", got, other.ID)
	}
	if got := listIDs(app.ListingFilter{Tiers: []app.Tier{app.TierLittleGiant}}); !slices.Equal(got, mine) {
		t.Errorf("tier little_giant: got %v, want %v", got, mine)
	}
	if got := listIDs(app.ListingFilter{Industry: "345"}); !slices.Equal(got, []string{fin.ID}) {
		t.Errorf("industry 345: got %v, want the financing need %s", got, fin.ID)
	}
	if got := listIDs(app.ListingFilter{VisibleTo: &app.Visibility{}}); !slices.Equal(got, []string{other.ID}) {
		t.Errorf("visible to outsider after verification withdrawn: got %v, want only %s", got, other.ID)
	}

	// The update sequence reports the organisation and both listings.
	cs, err := s.Changes(ctx, before, 100)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	seen := map[string]bool{}
	for _, c := range cs {
		seen[c.ID] = true
	}
	for _, id := range []string{o.ID, capab.ID, fin.ID} {
		if !seen[id] {
			t.Errorf("Changes after %d = %+v, missing %s", before, cs, id)
		}
	}
}

func testDeleteOrgCascades(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := MustCreateOrg(t, s, verified(newOrg("将注销", "330106", "3484")))
	l1 := MustCreateListing(t, s, newListing(o, app.KindCapability, "能力一", "3484"))
	l2 := MustCreateListing(t, s, newListing(o, app.KindTechNeed, "技术需求", "6513"))
	keep := MustCreateOrg(t, s, verified(newOrg("保留", "330206", "3451")))
	k1 := MustCreateListing(t, s, newListing(keep, app.KindCapability, "保留的能力", "3451"))
	before := MustLastSeq(t, s)

	if err := s.DeleteOrg(ctx, o.ID); err != nil {
		t.Fatalf("DeleteOrg: %v", err)
	}
	for _, id := range []string{l1.ID, l2.ID} {
		_, err := s.FindListing(ctx, id)
		WantError(t, err, app.ENOTFOUND, "")
	}
	CheckListing(t, MustFindListing(t, s, k1.ID), k1)
	CheckOrg(t, MustFindOrg(t, s, keep.ID), keep)
	if n, err := s.CountListings(ctx, app.ListingFilter{}); err != nil || n != 1 {
		t.Errorf("CountListings = %d, %v; want 1", n, err)
	}
	if n, err := s.CountListings(ctx, app.ListingFilter{Industry: "C"}); err != nil || n != 1 {
		t.Errorf("CountListings(industry C) = %d, %v; want 1 (no keys left behind)", n, err)
	}

	cs, err := s.Changes(ctx, before, 100)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	want := map[string]string{o.ID: "org", l1.ID: "listing", l2.ID: "listing"}
	if len(cs) != len(want) {
		t.Fatalf("Changes after %d = %+v, want the %d tombstones", before, cs, len(want))
	}
	last := before
	for _, c := range cs {
		if want[c.ID] != c.Entity || !c.Deleted {
			t.Errorf("change %+v, want a tombstone of %s %s", c, want[c.ID], c.ID)
		}
		if c.Seq <= last {
			t.Errorf("change %+v: Seq not above %d", c, last)
		}
		last = c.Seq
	}
	if n := MustLastSeq(t, s); n != last {
		t.Errorf("LastSeq = %d, want %d", n, last)
	}
	WantError(t, s.DeleteOrg(ctx, o.ID), app.ENOTFOUND, "")
}

// testRecreateAfterDelete saves records again under the IDs of deleted ones,
// as a re-import does: nothing of the old records may linger in filters or
// in the update sequence.
func testRecreateAfterDelete(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := MustCreateOrg(t, s, verified(newOrg("旧", "330106", "3484")))
	l := MustCreateListing(t, s, newListing(o, app.KindCapability, "旧能力", "3484"))
	if err := s.DeleteOrg(ctx, o.ID); err != nil {
		t.Fatalf("DeleteOrg: %v", err)
	}

	o2 := verified(newOrg("新", "330206", "3451"))
	o2.ID = o.ID
	l2 := newListing(o2, app.KindCapability, "新能力", "3451")
	l2.ID = l.ID
	MustSaveBatch(t, s, []*app.Org{o2}, []*app.Listing{l2})
	CheckOrg(t, MustFindOrg(t, s, o.ID), o2)
	CheckListing(t, MustFindListing(t, s, l.ID), l2)

	for _, tt := range []struct {
		f    app.OrgFilter
		want int
	}{{app.OrgFilter{Region: "330100"}, 0}, {app.OrgFilter{Industry: "348"}, 0}, {app.OrgFilter{Region: "330200"}, 1}, {app.OrgFilter{Industry: "345"}, 1}} {
		if n, err := s.CountOrgs(ctx, tt.f); err != nil || n != tt.want {
			t.Errorf("CountOrgs(%+v) = %d, %v; want %d", tt.f, n, err, tt.want)
		}
	}
	for _, tt := range []struct {
		f    app.ListingFilter
		want int
	}{{app.ListingFilter{Region: "330100"}, 0}, {app.ListingFilter{Industry: "348"}, 0}, {app.ListingFilter{Region: "330200"}, 1}, {app.ListingFilter{Industry: "345"}, 1}} {
		if n, err := s.CountListings(ctx, tt.f); err != nil || n != tt.want {
			t.Errorf("CountListings(%+v) = %d, %v; want %d", tt.f, n, err, tt.want)
		}
	}

	cs, err := s.Changes(ctx, 0, 100)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	latest := map[string]app.Change{}
	for _, c := range cs {
		latest[c.ID] = c
	}
	if c := latest[o.ID]; c.Deleted || c.Seq != o2.Seq {
		t.Errorf("latest change of the organisation = %+v, want it alive at Seq %d", c, o2.Seq)
	}
	if c := latest[l.ID]; c.Deleted || c.Seq != l2.Seq {
		t.Errorf("latest change of the listing = %+v, want it alive at Seq %d", c, l2.Seq)
	}
}

func testCancelled(t *testing.T, s app.Store) {
	o := MustCreateOrg(t, s, newOrg("甲", "", ""))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.FindOrg(ctx, o.ID); err == nil {
		t.Error("FindOrg with a cancelled context: no error")
	}
	if _, err := s.ListOrgs(ctx, app.OrgFilter{}, app.Page{}); err == nil {
		t.Error("ListOrgs with a cancelled context: no error")
	}
	p := newOrg("乙", "", "")
	if err := s.CreateOrg(ctx, p); err == nil {
		t.Error("CreateOrg with a cancelled context: no error")
	}
	if _, err := s.FindOrg(t.Context(), p.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("after a cancelled CreateOrg, FindOrg = %v, want ENOTFOUND", err)
	}
}
