package search

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/store/sqlite"
)

// TestCrashBetweenStoreAndIndex writes records to the store with no index
// attached — the state a crash leaves between a store commit and its index
// write — and shows that start-up catch-up makes them searchable, and that a
// later delete reaches the index too.
func TestCrashBetweenStoreAndIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	// The index exists and has caught up with an empty store.
	ix := MustOpen(t, filepath.Join(dir, "index"), Options{OrgExtras: StoreExtras(st)})
	f := NewFollower(st, ix, nil)
	if _, err := f.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}

	// The "crash": the service writes to the store but its index write never happens.
	svc := app.NewService(st, nil, nil)
	sys := app.SystemActor()
	o, err := svc.CreateOrg(ctx, sys, &app.Org{Name: "宁波北仑精密压铸有限公司", USCC: "913304024877934U6H", Type: app.OrgSME,
		Region: "330206", Industry: "3392", Products: []string{"铝合金压铸件"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.VerifyOrg(ctx, sys, o.ID, true); err != nil {
		t.Fatal(err)
	}
	l, err := svc.CreateListing(ctx, sys, o.ID, &app.Listing{Kind: app.KindCapability, Status: app.StatusPublished,
		Title: "新能源汽车电驱壳体压铸", Processes: []string{"高压铸造"}, Industries: []string{"3392"}})
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Text: "电驱壳体", VisibleTo: &app.Visibility{}}
	if r := MustSearch(t, ix, q); has(r, l.ID) {
		t.Fatal("the listing is searchable before catch-up; the test does not simulate the crash")
	}

	// Restart: reopen the index and catch up, as serve does before listening.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = MustOpen(t, filepath.Join(dir, "index"), Options{OrgExtras: StoreExtras(st)})
	f = NewFollower(st, ix, nil)
	n, err := f.CatchUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("catch-up applied no change")
	}
	if r := MustSearch(t, ix, q); !has(r, l.ID) {
		t.Fatalf("after catch-up the listing is not found: %v", ids(r))
	}
	// The owner's document carries the listing's text (OrgExtras).
	if r := MustSearch(t, ix, Query{Text: "电驱壳体", Kinds: []string{"org"}, VisibleTo: &app.Visibility{}}); !has(r, o.ID) {
		t.Fatalf("the owner is not found by its listing's text: %v", ids(r))
	}

	if err := svc.DeleteListing(ctx, sys, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if r := MustSearch(t, ix, q); has(r, l.ID) {
		t.Fatal("a deleted listing is still found after catch-up")
	}
	seq, err := st.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ix.Seq(ctx); err != nil || got != seq {
		t.Fatalf("index seq %d (%v), want the store's %d", got, err, seq)
	}
}

// TestStoreSourceRebuild rebuilds an index from a store.
func TestStoreSourceRebuild(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := app.NewService(st, nil, nil)
	sys := app.SystemActor()
	o, err := svc.CreateOrg(ctx, sys, &app.Org{Name: "杭州余杭传感科技有限公司", USCC: "91330902874095RC42", Type: app.OrgSME, Region: "330110", Industry: "3983"})
	if err != nil {
		t.Fatal(err)
	}
	ix := MustOpen(t, filepath.Join(dir, "index"), Options{})
	if err := ix.Rebuild(ctx, StoreSource(st)); err != nil {
		t.Fatal(err)
	}
	if r := MustSearch(t, ix, Query{Text: "传感"}); !has(r, o.ID) {
		t.Fatalf("rebuilt index does not find the organisation: %v", ids(r))
	}
	seq, _ := st.LastSeq(ctx)
	if got, _ := ix.Seq(ctx); got != seq {
		t.Fatalf("rebuilt index seq %d, want %d", got, seq)
	}
}

// TestFollowerLookback shows that a change numbered below the index's
// position — as a store without transactions can make visible late — is
// applied when it lies within the look-back window.
func TestFollowerLookback(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix := MustOpen(t, filepath.Join(dir, "index"), Options{})
	svc := app.NewService(st, nil, nil)
	o, err := svc.CreateOrg(ctx, app.SystemActor(), &app.Org{Name: "绍兴柯桥印染有限公司", USCC: "913304024877934U6H", Type: app.OrgSME, Region: "330603", Industry: "1752"})
	if err != nil {
		t.Fatal(err)
	}
	seq, err := st.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The index believes it is past the write it never saw.
	if err := ix.SetSeq(ctx, seq+1); err != nil {
		t.Fatal(err)
	}
	f := NewFollower(st, ix, nil)
	if _, err := f.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if r := MustSearch(t, ix, Query{Text: "印染"}); has(r, o.ID) {
		t.Fatal("without look-back the late change should stay missed; the test does not simulate it")
	}
	f.Lookback = 8
	if _, err := f.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if r := MustSearch(t, ix, Query{Text: "印染"}); !has(r, o.ID) {
		t.Fatalf("with look-back the late change is still missed: %v", ids(r))
	}
}
