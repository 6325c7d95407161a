package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

func testChanges(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := MustCreateOrg(t, s, newOrg("甲", "330106", "3484"))
	l := MustCreateListing(t, s, newListing(o, app.KindCapability, "能力", "3484"))
	m := MustCreateListing(t, s, newListing(o, app.KindCapability, "将删除", "3484"))
	if !(o.Seq < l.Seq && l.Seq < m.Seq) {
		t.Fatalf("sequence numbers %d, %d, %d do not increase with writes", o.Seq, l.Seq, m.Seq)
	}
	l.Title = "能力（更新）"
	if err := s.UpdateListing(ctx, l); err != nil {
		t.Fatalf("UpdateListing: %v", err)
	}
	if err := s.DeleteListing(ctx, m.ID); err != nil {
		t.Fatalf("DeleteListing: %v", err)
	}
	last := MustLastSeq(t, s)
	if last <= l.Seq {
		t.Fatalf("LastSeq = %d after a delete, want > %d", last, l.Seq)
	}

	cs, err := s.Changes(ctx, 0, 100)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	// Stores may keep every change or only each record's latest; either
	// way the latest change of each record tells its state.
	latest := map[string]app.Change{}
	var prev int64
	for _, c := range cs {
		if c.Seq <= prev {
			t.Errorf("Changes not in increasing sequence order: %+v", cs)
		}
		prev = c.Seq
		latest[c.ID] = c
	}
	if prev != last {
		t.Errorf("the last change has Seq %d, want LastSeq %d", prev, last)
	}
	for _, want := range []app.Change{
		{Seq: o.Seq, Entity: "org", ID: o.ID},
		{Seq: l.Seq, Entity: "listing", ID: l.ID},
		{Seq: last, Entity: "listing", ID: m.ID, Deleted: true},
	} {
		if got := latest[want.ID]; got != want {
			t.Errorf("latest change of %s = %+v, want %+v", want.ID, got, want)
		}
	}

	// after and limit.
	cs, err = s.Changes(ctx, l.Seq, 100)
	if err != nil {
		t.Fatalf("Changes(after %d): %v", l.Seq, err)
	}
	if len(cs) != 1 || cs[0] != (app.Change{Seq: last, Entity: "listing", ID: m.ID, Deleted: true}) {
		t.Errorf("Changes(after %d) = %+v, want only the tombstone of %s", l.Seq, cs, m.ID)
	}
	cs, err = s.Changes(ctx, 0, 1)
	if err != nil {
		t.Fatalf("Changes(limit 1): %v", err)
	}
	if len(cs) != 1 || cs[0].ID != o.ID {
		t.Errorf("Changes(0, 1) = %+v, want the organisation's change first", cs)
	}
	cs, err = s.Changes(ctx, last, 100)
	if err != nil || len(cs) != 0 {
		t.Errorf("Changes(after LastSeq) = %+v, %v; want none", cs, err)
	}
}

func testSaveBatch(t *testing.T, s app.Store) {
	ctx := t.Context()
	var orgs []*app.Org
	var ls []*app.Listing
	for i := range 3 {
		o := verified(newOrg(fmt.Sprintf("批量企业%d", i), "330206", "3451"))
		o.Ref = fmt.Sprintf("ORG-%d", i)
		orgs = append(orgs, o)
		for j := range 4 {
			l := newListing(o, app.KindCapability, fmt.Sprintf("能力%d-%d", i, j), "3451")
			l.Ref = fmt.Sprintf("CAP-%d-%d", i, j)
			ls = append(ls, l)
		}
	}
	MustSaveBatch(t, s, orgs, ls)
	seqs := map[int64]bool{}
	for _, o := range orgs {
		seqs[o.Seq] = true
		CheckOrg(t, MustFindOrg(t, s, o.ID), o)
	}
	for _, l := range ls {
		seqs[l.Seq] = true
		CheckListing(t, MustFindListing(t, s, l.ID), l)
	}
	if len(seqs) != len(orgs)+len(ls) || seqs[0] {
		t.Errorf("SaveBatch set %d distinct non-zero Seq values over %d records", len(seqs), len(orgs)+len(ls))
	}
	before := MustLastSeq(t, s)

	// Replace organisation 0 and one of its listings; its other listings are
	// not in the batch and must get its new summary.
	o := orgs[0]
	o.Name, o.Tier, o.UpdatedAt = "批量企业0（更名）", app.TierHiddenChampion, t0.Add(time.Hour)
	o.Verified, o.VerifiedAt = false, nil
	first := ls[0]
	first.Title = "能力0-0（更新）"
	setOwner(first, o)
	MustSaveBatch(t, s, []*app.Org{o}, []*app.Listing{first})
	if o.Seq <= before || first.Seq <= before {
		t.Errorf("replaced records have Seq %d and %d, want > %d", o.Seq, first.Seq, before)
	}
	CheckOrg(t, MustFindOrg(t, s, o.ID), o)
	CheckListing(t, MustFindListing(t, s, first.ID), first)
	for _, l := range ls[1:4] {
		got := MustFindListing(t, s, l.ID)
		if got.Owner != o.Summary() {
			t.Errorf("listing %q not in the batch: owner %+v, want %+v", l.Title, got.Owner, o.Summary())
		}
		if got.Seq <= before {
			t.Errorf("listing %q not in the batch: Seq %d, want > %d", l.Title, got.Seq, before)
		}
		if got.Title != l.Title {
			t.Errorf("listing %q not in the batch: title %q changed", l.Title, got.Title)
		}
	}
	for _, l := range ls[4:] {
		CheckListing(t, MustFindListing(t, s, l.ID), l)
	}
	if n, err := s.CountOrgs(ctx, app.OrgFilter{}); err != nil || n != 3 {
		t.Errorf("CountOrgs = %d, %v; want 3", n, err)
	}
	if n, err := s.CountListings(ctx, app.ListingFilter{}); err != nil || n != 12 {
		t.Errorf("CountListings = %d, %v; want 12", n, err)
	}
	if n, err := s.CountListings(ctx, app.ListingFilter{VisibleTo: &app.Visibility{}}); err != nil || n != 8 {
		t.Errorf("visible listings = %d, %v; want 8 after organisation 0 lost its verification", n, err)
	}
	if n, err := s.CountListings(ctx, app.ListingFilter{Tiers: []app.Tier{app.TierHiddenChampion}}); err != nil || n != 4 {
		t.Errorf("listings of hidden champions = %d, %v; want 4", n, err)
	}

	// A record twice in one batch: the later copy wins.
	x := newOrg("先", "330106", "3484")
	y := *x
	y.Name, y.USCC = "后", newUSCC()
	MustSaveBatch(t, s, []*app.Org{x, &y}, nil)
	if got := MustFindOrg(t, s, x.ID); got.Name != "后" || got.Seq != y.Seq {
		t.Errorf("organisation saved twice in a batch: name %q, Seq %d; want the later copy (Seq %d)", got.Name, got.Seq, y.Seq)
	}
}

// testSaveBatchAtomic checks that a batch that fails leaves nothing of
// itself. (Sequence numbers it may have spent need not come back.)
func testSaveBatchAtomic(t *testing.T, s app.Store) {
	ctx := t.Context()
	taken := newOrg("已有", "330106", "3484")
	taken.Ref = "TAKEN"
	MustCreateOrg(t, s, taken)
	tl := newListing(taken, app.KindCapability, "已有能力", "3484")
	tl.Ref = "L-TAKEN"
	MustCreateListing(t, s, tl)

	fresh := newOrg("新企业", "330206", "3451")
	l := newListing(fresh, app.KindCapability, "新能力", "3451")
	clash := newOrg("冲突", "330206", "3451")
	clash.Ref = "TAKEN"
	err := s.SaveBatch(ctx, []*app.Org{fresh, clash}, []*app.Listing{l})
	WantError(t, err, app.ECONFLICT, "ref")

	dupListing := newListing(fresh, app.KindCapability, "冲突能力", "3451")
	dupListing.Ref = "L-TAKEN"
	err = s.SaveBatch(ctx, []*app.Org{fresh}, []*app.Listing{l, dupListing})
	WantError(t, err, app.ECONFLICT, "ref")

	for _, id := range []string{fresh.ID, clash.ID} {
		_, err := s.FindOrg(ctx, id)
		WantError(t, err, app.ENOTFOUND, "")
	}
	_, err = s.FindListing(ctx, l.ID)
	WantError(t, err, app.ENOTFOUND, "")
	CheckOrg(t, MustFindOrg(t, s, taken.ID), taken)
	CheckListing(t, MustFindListing(t, s, tl.ID), tl)
	MustSaveBatch(t, s, nil, nil)
}

func testSaveBatchLarge(t *testing.T, s app.Store) {
	ctx := t.Context()
	orgs, ls := BenchRecords(100, 2000)
	MustSaveBatch(t, s, orgs, ls)
	if n, err := s.CountOrgs(ctx, app.OrgFilter{}); err != nil || n != len(orgs) {
		t.Errorf("CountOrgs = %d, %v; want %d", n, err, len(orgs))
	}
	if n, err := s.CountListings(ctx, app.ListingFilter{}); err != nil || n != len(ls) {
		t.Errorf("CountListings = %d, %v; want %d", n, err, len(ls))
	}
	for _, i := range []int{0, 777, len(ls) - 1} {
		CheckListing(t, MustFindListing(t, s, ls[i].ID), ls[i])
	}
	// Replacing the whole batch leaves the counts as they were.
	MustSaveBatch(t, s, orgs, ls)
	if n, err := s.CountListings(ctx, app.ListingFilter{}); err != nil || n != len(ls) {
		t.Errorf("CountListings after replacing = %d, %v; want %d", n, err, len(ls))
	}
	CheckListing(t, MustFindListing(t, s, ls[1234].ID), ls[1234])
}

func testUnicode(t *testing.T, s app.Store) {
	ctx := t.Context()
	texts := []string{
		"浙江精工科技股份有限公司",
		"𠀀𪚥𰻞 (CJK Extension B–G, outside the BMP)",
		"全角ＡＢＣ１２３　与半角 ABC123",
		"é = e\u0301 ≠ é", // combining and precomposed forms stay as they are
		"emoji 🚀👩‍🔬🇨🇳, RTL مرحبا, 한국어, Ελληνικά",
		"tabs\tand\nnewlines\r\n「引号」《书名号》——破折号……",
		`quotes " ' \ backslash`,
	}
	o := newOrg(texts[0], "330106", "3484")
	o.Ref = "参考-甲"
	o.Description = texts[1] + texts[3]
	o.Products = texts
	o.Contact = &app.Contact{Name: texts[4], Email: "张@例子.中国"}
	MustCreateOrg(t, s, o)
	CheckOrg(t, MustFindOrg(t, s, o.ID), o)
	got, err := s.FindOrgByRef(ctx, "参考-甲")
	if err != nil {
		t.Fatalf("FindOrgByRef(unicode ref): %v", err)
	}
	CheckOrg(t, got, o)

	l := newListing(o, app.KindCapability, texts[2], "3484")
	l.Description = texts[5] + texts[6]
	l.Materials = texts
	MustCreateListing(t, s, l)
	CheckListing(t, MustFindListing(t, s, l.ID), l)

	u := newUser(o.ID)
	u.Name = texts[4]
	MustCreateUser(t, s, u)
	checkUser(t, MustFindUser(t, s, u.ID), u)
}

func testOperatorLikeStrings(t *testing.T, s app.Store) {
	ctx := t.Context()
	// Values that look like query operators or field paths are data.
	weird := []string{"$where", "$set", "$ne", "a.b.c", ".", "$", "$$ROOT", "{\"$gt\": \"\"}", "x.$.y"}
	o := newOrg("$where", "330106", "3484")
	o.Ref = "a.b.c"
	o.Description = "{\"$gt\": 1}"
	o.Products = weird
	o.Certifications = weird
	o.Website = "https://example.com/$path.with.dots"
	MustCreateOrg(t, s, o)
	CheckOrg(t, MustFindOrg(t, s, o.ID), o)
	got, err := s.FindOrgByRef(ctx, "a.b.c")
	if err != nil {
		t.Fatalf("FindOrgByRef(dotted ref): %v", err)
	}
	CheckOrg(t, got, o)
	_, err = s.FindOrgByRef(ctx, "a.b")
	WantError(t, err, app.ENOTFOUND, "")

	p := newOrg("$ne", "330106", "3484")
	p.Ref = "$ref"
	MustCreateOrg(t, s, p)
	byRef, err := s.FindOrgsByRef(ctx, []string{"a.b.c", "$ref", "$ne"})
	if err != nil {
		t.Fatalf("FindOrgsByRef: %v", err)
	}
	if len(byRef) != 2 {
		t.Fatalf("FindOrgsByRef returned %d, want 2", len(byRef))
	}
	CheckOrg(t, byRef["$ref"], p)
	os, err := s.ListOrgs(ctx, app.OrgFilter{Ref: "$ref"}, app.Page{})
	if err != nil || len(os) != 1 || os[0].ID != p.ID {
		t.Errorf("ListOrgs(ref $ref) = %v, %v; want only %s", names(os), err, p.Name)
	}

	l := newListing(o, app.KindCapability, "$push", "3484")
	l.Ref = "$listing.1"
	l.Processes = weird
	l.Materials = []string{"a.b", "$in"}
	MustCreateListing(t, s, l)
	CheckListing(t, MustFindListing(t, s, l.ID), l)
	byLRef, err := s.FindListingsByRef(ctx, []string{"$listing.1"})
	if err != nil || len(byLRef) != 1 {
		t.Fatalf("FindListingsByRef($listing.1) = %v, %v", byLRef, err)
	}
	CheckListing(t, byLRef["$listing.1"], l)

	u := newUser(o.ID)
	u.Email, u.Name = "a.b+$x@example.com", "$admin"
	MustCreateUser(t, s, u)
	got2, err := s.FindUserByLogin(ctx, "A.B+$X@example.com")
	if err != nil {
		t.Fatalf("FindUserByLogin: %v", err)
	}
	checkUser(t, got2, u)
	us, err := s.ListUsers(ctx, app.UserFilter{Query: "a.b+$"}, app.Page{})
	if err != nil || len(us) != 1 || us[0].ID != u.ID {
		t.Errorf("ListUsers(query a.b+$) = %v, %v; want only %s", ids(us, userID), err, u.ID)
	}
}
