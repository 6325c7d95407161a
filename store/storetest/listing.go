package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

func testListingCRUD(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := MustCreateOrg(t, s, verified(newOrg("宁波乙", "330206", "3451")))
	l := newListing(o, app.KindCapability, "轴承精密磨削", "3451", "3484")
	l.Ref = "CAP-1"
	l.Certifications = []string{"ISO9001"}
	l.LeadTimeDays = 15
	l.RegionsServed = []string{"330000", "320000"}
	l.Hard = []string{"industries"}
	MustCreateListing(t, s, l)
	if l.Seq <= o.Seq {
		t.Fatalf("CreateListing set Seq %d, want > %d", l.Seq, o.Seq)
	}
	CheckListing(t, MustFindListing(t, s, l.ID), l)

	before := l.Seq
	l.Title, l.Status, l.PublishedAt, l.UpdatedAt = "轴承精密磨削（扩产）", app.StatusClosed, nil, t0.Add(time.Hour)
	l.Industries = []string{"3981"}
	l.IndustryKeys = keysOf(industryKeys, "3981")
	if err := s.UpdateListing(ctx, l); err != nil {
		t.Fatalf("UpdateListing: %v", err)
	}
	if l.Seq <= before {
		t.Errorf("UpdateListing set Seq %d, want > %d", l.Seq, before)
	}
	CheckListing(t, MustFindListing(t, s, l.ID), l)
	for industry, want := range map[string]int{"39": 1, "34": 0} {
		if n, err := s.CountListings(ctx, app.ListingFilter{Industry: industry}); err != nil || n != want {
			t.Errorf("after the industries changed, CountListings(industry %s) = %d, %v; want %d", industry, n, err, want)
		}
	}

	if err := s.DeleteListing(ctx, l.ID); err != nil {
		t.Fatalf("DeleteListing: %v", err)
	}
	_, err := s.FindListing(ctx, l.ID)
	WantError(t, err, app.ENOTFOUND, "")
	WantError(t, s.DeleteListing(ctx, l.ID), app.ENOTFOUND, "")
	WantError(t, s.UpdateListing(ctx, l), app.ENOTFOUND, "")
	_, err = s.FindListing(ctx, "not-an-id")
	WantError(t, err, app.ENOTFOUND, "")
	if n, err := s.CountListings(ctx, app.ListingFilter{Industry: "C"}); err != nil || n != 0 {
		t.Errorf("after delete, CountListings(industry C) = %d, %v; want 0", n, err)
	}
	CheckOrg(t, MustFindOrg(t, s, o.ID), o)
}

func testListingConflicts(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := MustCreateOrg(t, s, newOrg("甲", "330106", "3484"))
	a := newListing(o, app.KindCapability, "甲能力", "3484")
	a.Ref = "L-1"
	MustCreateListing(t, s, a)
	dup := newListing(o, app.KindCapability, "重复", "3484")
	dup.Ref = "L-1"
	WantError(t, s.CreateListing(ctx, dup), app.ECONFLICT, "ref")
	// Listings without a ref do not collide.
	MustCreateListing(t, s, newListing(o, app.KindCapability, "无编号一", "3484"))
	b := MustCreateListing(t, s, newListing(o, app.KindCapability, "无编号二", "3484"))
	b.Ref = "L-1"
	WantError(t, s.UpdateListing(ctx, b), app.ECONFLICT, "ref")
	if n, err := s.CountListings(ctx, app.ListingFilter{}); err != nil || n != 3 {
		t.Errorf("CountListings = %d, %v; want 3", n, err)
	}
}

func testListingsByRef(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := MustCreateOrg(t, s, newOrg("甲", "330106", "3484"))
	a := newListing(o, app.KindCapability, "甲", "3484")
	a.Ref = "x-1"
	b := newListing(o, app.KindCapability, "乙", "3484")
	b.Ref = "x-2"
	for _, l := range []*app.Listing{a, b, newListing(o, app.KindCapability, "丙", "3484")} {
		MustCreateListing(t, s, l)
	}
	got, err := s.FindListingsByRef(ctx, []string{"x-2", "x-1", "x-3"})
	if err != nil {
		t.Fatalf("FindListingsByRef: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("FindListingsByRef returned %d listings, want 2", len(got))
	}
	CheckListing(t, got["x-1"], a)
	CheckListing(t, got["x-2"], b)
}

func testListingFilters(t *testing.T, s app.Store) {
	ctx := t.Context()
	f := makeOrgFixture(t, s)
	A, B, C := f.a, f.b, f.c // A verified 330106 specialized; B unverified 330206 little giant; C verified enterprise 330212
	a1 := newListing(A, app.KindCapability, "甲能力", "3484")
	a1.Ref = "a1"
	a2 := newListing(A, app.KindTechNeed, "甲技术需求", "6513")
	a2.Status, a2.PublishedAt = app.StatusDraft, nil
	a3 := newListing(A, app.KindFinancing, "甲融资") // keys from the owner's industry, 3484
	b1 := newListing(B, app.KindCapability, "乙能力", "3451", "3981")
	c1 := newListing(C, app.KindNeed, "丙需求", "3981")
	c2 := newListing(C, app.KindNeed, "丙旧需求", "3451")
	c2.Status = app.StatusClosed
	all := []*app.Listing{a1, a2, a3, b1, c1, c2}
	for _, l := range all {
		MustCreateListing(t, s, l)
	}
	L := func(ls ...*app.Listing) []*app.Listing { return ls }
	tests := []struct {
		name string
		f    app.ListingFilter
		want []*app.Listing
	}{
		{"none", app.ListingFilter{}, all},
		{"IDs", app.ListingFilter{IDs: []string{c2.ID, a1.ID}}, L(a1, c2)},
		{"ref", app.ListingFilter{Ref: "a1"}, L(a1)},
		{"kind", app.ListingFilter{Kinds: []app.Kind{app.KindCapability}}, L(a1, b1)},
		{"kinds", app.ListingFilter{Kinds: []app.Kind{app.KindNeed, app.KindFinancing}}, L(a3, c1, c2)},
		{"org", app.ListingFilter{OrgID: A.ID}, L(a1, a2, a3)},
		{"industry section", app.ListingFilter{Industry: "C"}, L(a1, a3, b1, c1, c2)},
		{"industry division", app.ListingFilter{Industry: "39"}, L(b1, c1)},
		{"industry class", app.ListingFilter{Industry: "3451"}, L(b1, c2)},
		{"owner's industry", app.ListingFilter{Industry: "348"}, L(a1, a3)},
		{"another section", app.ListingFilter{Industry: "I"}, L(a2)},
		{"city", app.ListingFilter{Region: "330200"}, L(b1, c1, c2)},
		{"county", app.ListingFilter{Region: "330106"}, L(a1, a2, a3)},
		{"province", app.ListingFilter{Region: "330000"}, all},
		{"unknown region", app.ListingFilter{Region: "999999"}, nil},
		{"tier", app.ListingFilter{Tiers: []app.Tier{app.TierLittleGiant}}, L(b1)},
		{"statuses", app.ListingFilter{Statuses: []app.Status{app.StatusPublished}}, L(a1, a3, b1, c1)},
		{"other statuses", app.ListingFilter{Statuses: []app.Status{app.StatusDraft, app.StatusClosed}}, L(a2, c2)},
		{"visible to outsider", app.ListingFilter{VisibleTo: &app.Visibility{}}, L(a1, a3, c1)},
		{"visible to unverified member", app.ListingFilter{VisibleTo: &app.Visibility{OrgID: B.ID}}, L(a1, a3, b1, c1)},
		{"visible to member with drafts", app.ListingFilter{VisibleTo: &app.Visibility{OrgID: A.ID}}, L(a1, a2, a3, c1)},
		{"industry, region and status", app.ListingFilter{Industry: "C", Region: "330200", Statuses: []app.Status{app.StatusPublished}}, L(b1, c1)},
		{"kind and visibility", app.ListingFilter{Kinds: []app.Kind{app.KindNeed}, VisibleTo: &app.Visibility{}}, L(c1)},
		{"region and visibility", app.ListingFilter{Region: "330200", VisibleTo: &app.Visibility{}}, L(c1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ListListings(ctx, tt.f, app.Page{Limit: app.MaxPageLimit})
			if err != nil {
				t.Fatalf("ListListings: %v", err)
			}
			if g, w := ids(got, listingID), sortedIDs(tt.want, listingID); !slices.Equal(g, w) {
				t.Errorf("ListListings: got %v, want %v", titles(got), titles(sortByID(tt.want)))
			}
			n, err := s.CountListings(ctx, tt.f)
			if err != nil {
				t.Fatalf("CountListings: %v", err)
			}
			if n != len(tt.want) {
				t.Errorf("CountListings = %d, want %d", n, len(tt.want))
			}
		})
	}
	got, err := s.ListListings(ctx, app.ListingFilter{Industry: "3981", Region: "330200"}, app.Page{})
	if err != nil || len(got) != 2 {
		t.Fatalf("ListListings(industry 3981, region 330200) = %v, %v; want 2", titles(got), err)
	}
	for _, l := range got {
		if l.ID == b1.ID {
			CheckListing(t, l, b1)
		}
	}
}

func titles(ls []*app.Listing) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Title
	}
	return out
}

func testListingPaging(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := verified(newOrg("批量", "330206", "3451"))
	var ls []*app.Listing
	var all, inC []string
	for i := range 260 {
		industry := "3451"
		if i%3 == 0 {
			industry = "6513"
		}
		l := newListing(o, app.KindCapability, "能力", industry)
		ls = append(ls, l)
		all = append(all, l.ID)
		if industry == "3451" {
			inC = append(inC, l.ID)
		}
	}
	MustSaveBatch(t, s, []*app.Org{o}, ls)
	slices.Sort(all)
	slices.Sort(inC)

	for _, tt := range []struct {
		limit, want int
	}{{0, 50}, {-1, 50}, {7, 7}, {app.MaxPageLimit, app.MaxPageLimit}, {app.MaxPageLimit + 1, app.MaxPageLimit}, {10_000, app.MaxPageLimit}} {
		got, err := s.ListListings(ctx, app.ListingFilter{}, app.Page{Limit: tt.limit})
		if err != nil {
			t.Fatalf("ListListings(limit %d): %v", tt.limit, err)
		}
		if len(got) != tt.want {
			t.Errorf("ListListings(limit %d) returned %d, want %d", tt.limit, len(got), tt.want)
		}
		if g := ids(got, listingID); !slices.Equal(g, all[:len(g)]) {
			t.Errorf("ListListings(limit %d) is not the first page in ID order", tt.limit)
		}
	}
	checkPages(t, "all", all, 100, func(p app.Page) ([]string, error) {
		ls, err := s.ListListings(ctx, app.ListingFilter{}, p)
		return ids(ls, listingID), err
	})
	checkPages(t, "industry C", inC, 30, func(p app.Page) ([]string, error) {
		ls, err := s.ListListings(ctx, app.ListingFilter{Industry: "C"}, p)
		return ids(ls, listingID), err
	})
	checkPages(t, "region and visibility", all, 64, func(p app.Page) ([]string, error) {
		ls, err := s.ListListings(ctx, app.ListingFilter{Region: "330206", VisibleTo: &app.Visibility{}}, p)
		return ids(ls, listingID), err
	})
	got, err := s.ListListings(ctx, app.ListingFilter{}, app.Page{After: all[len(all)-1]})
	if err != nil || len(got) != 0 {
		t.Errorf("ListListings after the last ID = %d listings, %v; want none", len(got), err)
	}
	if n, err := s.CountListings(ctx, app.ListingFilter{Industry: "C"}); err != nil || n != len(inC) {
		t.Errorf("CountListings(industry C) = %d, %v; want %d", n, err, len(inC))
	}
}
