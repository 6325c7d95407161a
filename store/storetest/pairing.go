package storetest

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// newPairing returns a pairing between a's and b's records with the status
// and, when requester is set, the side that asked; pending pairings expire
// a day after t0.
func newPairing(a, b *app.Org, status app.PairingStatus, requester app.Side) *app.Pairing {
	p := &app.Pairing{
		ID: app.NewID(), Kind: app.PairingSupply, Origin: app.OriginUser,
		A:      app.PairingParty{OrgID: a.ID, Name: a.Name, Region: a.Region, Record: app.RecordRef{Kind: "need", ID: app.NewID(), Title: "配套需求"}},
		B:      app.PairingParty{OrgID: b.ID, Name: b.Name, Region: b.Region, Record: app.RecordRef{Kind: "org", ID: b.ID, Title: b.Name}},
		Score:  72.5,
		Status: status, Requester: requester,
		History:   []app.PairingEvent{{At: t0, To: app.PairingProposed}},
		CreatedAt: t0, UpdatedAt: t0,
		RegionKeys: append(slices.Clone(a.RegionKeys), b.RegionKeys...),
	}
	if status.Pending() {
		exp := t0.Add(24 * time.Hour)
		p.ExpiresAt = &exp
	}
	return p
}

// MustCreatePairing stores a pairing or fails the test.
func MustCreatePairing(tb testing.TB, s app.Store, p *app.Pairing) *app.Pairing {
	tb.Helper()
	if err := s.CreatePairing(tb.Context(), p); err != nil {
		tb.Fatalf("CreatePairing: %v", err)
	}
	return p
}

func mustFindPairing(tb testing.TB, s app.Store, id string) *app.Pairing {
	tb.Helper()
	p, err := s.FindPairing(tb.Context(), id)
	if err != nil {
		tb.Fatalf("FindPairing(%s): %v", id, err)
	}
	return p
}

// checkPairing compares pairings by their JSON and the keys it leaves out.
func checkPairing(tb testing.TB, got, want *app.Pairing) {
	tb.Helper()
	if g, w := string(mustJSON(tb, got)), string(mustJSON(tb, want)); g != w {
		tb.Fatalf("pairing %s:\n got  %s\n want %s", want.ID, g, w)
	}
	checkKeys(tb, "pairing "+want.ID+" RegionKeys", got.RegionKeys, want.RegionKeys)
}

func testPairingCRUD(t *testing.T, s app.Store) {
	ctx := t.Context()
	a, b := newOrg("甲方", "330206", "3451"), newOrg("乙方", "330106", "3484")
	p := MustCreatePairing(t, s, newPairing(a, b, app.PairingInterested, app.SideA))
	if p.Version != 1 {
		t.Fatalf("CreatePairing set Version %d, want 1", p.Version)
	}
	checkPairing(t, mustFindPairing(t, s, p.ID), p)

	stale := *mustFindPairing(t, s, p.ID)
	p.Status, p.UpdatedAt = app.PairingAccepted, t0.Add(time.Hour)
	p.History = append(p.History, app.PairingEvent{At: t0.Add(time.Hour), By: app.NewID(), Side: app.SideB,
		From: app.PairingInterested, To: app.PairingAccepted, Message: "欢迎来厂考察"})
	p.ExpiresAt = nil
	if err := s.UpdatePairing(ctx, p); err != nil {
		t.Fatalf("UpdatePairing: %v", err)
	}
	if p.Version != 2 {
		t.Errorf("UpdatePairing set Version %d, want 2", p.Version)
	}
	checkPairing(t, mustFindPairing(t, s, p.ID), p)

	// A write based on the old version loses, and leaves it as it was.
	stale.Status = app.PairingDeclined
	WantError(t, s.UpdatePairing(ctx, &stale), app.ECONFLICT, "")
	if stale.Version != 1 {
		t.Errorf("a failed UpdatePairing changed Version to %d", stale.Version)
	}
	checkPairing(t, mustFindPairing(t, s, p.ID), p)

	missing := newPairing(a, b, app.PairingProposed, "")
	missing.Version = 1
	WantError(t, s.UpdatePairing(ctx, missing), app.ENOTFOUND, "")
	_, err := s.FindPairing(ctx, missing.ID)
	WantError(t, err, app.ENOTFOUND, "")
	_, err = s.FindPairing(ctx, "not-an-id")
	WantError(t, err, app.ENOTFOUND, "")
	dup := newPairing(a, b, app.PairingProposed, "")
	dup.ID = p.ID
	WantError(t, s.CreatePairing(ctx, dup), app.ECONFLICT, "")
}

func testPairingConcurrentUpdate(t *testing.T, s app.Store) {
	ctx := t.Context()
	a, b := newOrg("甲方", "330206", ""), newOrg("乙方", "330106", "")
	p := MustCreatePairing(t, s, newPairing(a, b, app.PairingInterested, app.SideA))
	const n = 12
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		c := *p
		c.History = slices.Clone(p.History)
		wg.Go(func() {
			<-start
			c.Status = []app.PairingStatus{app.PairingAccepted, app.PairingDeclined}[i%2]
			errs[i] = s.UpdatePairing(ctx, &c)
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch app.ErrorCode(err) {
		case "":
			wins++
		case app.ECONFLICT:
		default:
			t.Errorf("UpdatePairing: %v, want nil or ECONFLICT", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d of %d concurrent updates of one version succeeded, want exactly 1", wins, n)
	}
	if got := mustFindPairing(t, s, p.ID); got.Version != 2 {
		t.Errorf("after the race the version is %d, want 2", got.Version)
	}
}

func testPairingList(t *testing.T, s app.Store) {
	ctx := t.Context()
	a, b, c := newOrg("甲方", "330206", ""), newOrg("乙方", "330106", ""), newOrg("丙方", "330212", "")
	ab := MustCreatePairing(t, s, newPairing(a, b, app.PairingInterested, app.SideA))
	ba := MustCreatePairing(t, s, newPairing(b, a, app.PairingAccepted, app.SideA))
	bc := newPairing(b, c, app.PairingAgreed, app.SideB)
	agreed := t0.Add(48 * time.Hour)
	bc.AgreedAt, bc.Kind = &agreed, app.PairingFinancing
	MustCreatePairing(t, s, bc)
	ca := MustCreatePairing(t, s, newPairing(c, a, app.PairingProposed, ""))

	list := func(f app.PairingFilter, p app.Page) []string {
		t.Helper()
		ps, err := s.ListPairings(ctx, f, p)
		if err != nil {
			t.Fatalf("ListPairings(%+v): %v", f, err)
		}
		return ids(ps, func(p *app.Pairing) string { return p.ID })
	}
	want := func(name string, got []string, ps ...*app.Pairing) {
		t.Helper()
		w := ids(ps, func(p *app.Pairing) string { return p.ID })
		if !slices.Equal(got, w) {
			t.Errorf("%s: got %v, want %v", name, got, w)
		}
	}
	want("all, newest first", list(app.PairingFilter{}, app.Page{}), ca, bc, ba, ab)
	want("A on either side", list(app.PairingFilter{OrgID: a.ID}, app.Page{}), ca, ba, ab)
	want("pending", list(app.PairingFilter{Statuses: app.PendingStatuses}, app.Page{}), ca, ab)
	want("financing", list(app.PairingFilter{Kinds: []app.PairingKind{app.PairingFinancing}}, app.Page{}), bc)
	want("a party in 北仑区", list(app.PairingFilter{Region: "330206"}, app.Page{}), ca, ba, ab)
	want("a party in 宁波", list(app.PairingFilter{Region: "330200"}, app.Page{}), ca, bc, ba, ab)
	want("paged", list(app.PairingFilter{}, app.Page{Limit: 2, After: bc.ID}), ba, ab)
	due := t0.Add(24 * time.Hour)
	want("expired by their expiry", list(app.PairingFilter{ExpiredBy: &due}, app.Page{}), ca, ab)
	early := due.Add(-time.Millisecond)
	want("expired by a moment before", list(app.PairingFilter{ExpiredBy: &early}, app.Page{}))
	late := t0.Add(49 * time.Hour)
	want("agreed before", list(app.PairingFilter{AgreedBefore: &late}, app.Page{}), bc)
	want("agreed before, too early", list(app.PairingFilter{AgreedBefore: &agreed}, app.Page{}))
	bc.FollowUpAt = &late
	if err := s.UpdatePairing(ctx, bc); err != nil {
		t.Fatal(err)
	}
	want("agreed before, followed up", list(app.PairingFilter{AgreedBefore: &late}, app.Page{}))
}

func testPairingCounts(t *testing.T, s app.Store) {
	ctx := t.Context()
	a, b, c := newOrg("甲方", "330206", ""), newOrg("乙方", "330106", ""), newOrg("丙方", "330212", "")
	MustCreatePairing(t, s, newPairing(a, b, app.PairingInterested, app.SideA)) // A asks B
	MustCreatePairing(t, s, newPairing(c, a, app.PairingInterested, app.SideB)) // A asks C
	MustCreatePairing(t, s, newPairing(c, a, app.PairingProposed, ""))          // waits for both
	MustCreatePairing(t, s, newPairing(b, a, app.PairingInterested, app.SideA)) // B asks A
	MustCreatePairing(t, s, newPairing(a, c, app.PairingAccepted, app.SideA))   // no longer open
	// Answered and unanswered requests to A.
	for _, st := range []app.PairingStatus{app.PairingAccepted, app.PairingDeclined, app.PairingAgreed, app.PairingExpired, app.PairingWithdrawn} {
		MustCreatePairing(t, s, newPairing(b, a, st, app.SideA))
	}
	count := func(name string, f func(context.Context, string, time.Time) (int, error), org *app.Org, now time.Time, want int) {
		t.Helper()
		n, err := f(ctx, org.ID, now)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n != want {
			t.Errorf("%s(%s) at %v = %d, want %d", name, org.Name, now.Sub(t0), n, want)
		}
	}
	count("CountOpenOutgoing", s.CountOpenOutgoing, a, t0, 2)
	count("CountOpenOutgoing", s.CountOpenOutgoing, b, t0, 1)
	count("CountOpenOutgoing", s.CountOpenOutgoing, c, t0, 0)
	count("CountOpenIncoming", s.CountOpenIncoming, a, t0, 2)
	count("CountOpenIncoming", s.CountOpenIncoming, b, t0, 1)
	count("CountOpenIncoming", s.CountOpenIncoming, c, t0, 2)
	// Past their expiry, pending pairings are no longer open, swept or not.
	count("CountOpenOutgoing", s.CountOpenOutgoing, a, t0.Add(25*time.Hour), 0)
	count("CountOpenIncoming", s.CountOpenIncoming, c, t0.Add(25*time.Hour), 0)

	st, err := s.PairingResponseStats(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (app.ResponseStats{Answered: 3, Received: 4}); st != want {
		t.Errorf("PairingResponseStats(A) = %+v, want %+v", st, want)
	}
	open, err := s.OpenIncomingCounts(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{a.ID: 2, b.ID: 1, c.ID: 2}; !maps.Equal(open, want) {
		t.Errorf("OpenIncomingCounts = %v, want %v", open, want)
	}
	if open, err := s.OpenIncomingCounts(ctx, t0.Add(25*time.Hour)); err != nil || len(open) != 0 {
		t.Errorf("OpenIncomingCounts after the expiry = %v, %v; want none", open, err)
	}
	all, err := s.AllResponseStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]app.ResponseStats{a.ID: {Answered: 3, Received: 4}, c.ID: {Answered: 1, Received: 1}}; !maps.Equal(all, want) {
		t.Errorf("AllResponseStats = %v, want %v", all, want)
	}
	// C accepted A's request and has not answered the one still open.
	if st, err = s.PairingResponseStats(ctx, c.ID); err != nil || st != (app.ResponseStats{Answered: 1, Received: 1}) {
		t.Errorf("PairingResponseStats(C) = %+v, %v; want 1 of 1", st, err)
	}
}

func testNotifications(t *testing.T, s app.Store) {
	ctx := t.Context()
	u, v := app.NewID(), app.NewID()
	var ns []*app.Notification
	for i := range 5 {
		ns = append(ns, &app.Notification{ID: app.NewID(), UserID: u, Kind: app.NotifyPairing, PairingID: app.NewID(),
			Status: app.PairingInterested, Title: "新的对接请求", Body: "正文", TitleEn: "New request", BodyEn: "Body",
			CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	other := &app.Notification{ID: app.NewID(), UserID: v, Kind: app.NotifyDigest, Title: "周报", Body: "-", TitleEn: "Digest", BodyEn: "-", CreatedAt: t0}
	if err := s.CreateNotifications(ctx, append(slices.Clone(ns), other)); err != nil {
		t.Fatalf("CreateNotifications: %v", err)
	}
	list := func(unread bool, p app.Page) []*app.Notification {
		t.Helper()
		got, err := s.ListNotifications(ctx, u, unread, p)
		if err != nil {
			t.Fatalf("ListNotifications: %v", err)
		}
		return got
	}
	unread := func(user string, want int) {
		t.Helper()
		n, err := s.CountUnread(ctx, user)
		if err != nil || n != want {
			t.Errorf("CountUnread = %d, %v; want %d", n, err, want)
		}
	}
	got := list(false, app.Page{})
	if len(got) != 5 || got[0].ID != ns[4].ID || got[4].ID != ns[0].ID {
		t.Fatalf("inbox %v, want the 5 entries newest first", ids(got, func(n *app.Notification) string { return n.ID }))
	}
	if g, w := string(mustJSON(t, got[0])), string(mustJSON(t, ns[4])); g != w {
		t.Errorf("stored notification\n got  %s\n want %s", g, w)
	}
	if page := list(false, app.Page{Limit: 2, After: ns[3].ID}); len(page) != 2 || page[0].ID != ns[2].ID {
		t.Errorf("second page %v", ids(page, func(n *app.Notification) string { return n.ID }))
	}
	unread(u, 5)

	now := t0.Add(time.Hour)
	// Another user's entry in the list is not touched.
	n, err := s.MarkRead(ctx, u, []string{ns[0].ID, ns[1].ID, other.ID}, now)
	if err != nil || n != 2 {
		t.Fatalf("MarkRead = %d, %v; want 2", n, err)
	}
	unread(u, 3)
	unread(v, 1)
	if n, err := s.MarkRead(ctx, u, []string{ns[0].ID}, now); err != nil || n != 0 {
		t.Errorf("MarkRead again = %d, %v; want 0", n, err)
	}
	if got := list(true, app.Page{}); len(got) != 3 || got[2].ID != ns[2].ID {
		t.Errorf("unread inbox %v", ids(got, func(n *app.Notification) string { return n.ID }))
	}
	all := list(false, app.Page{})
	if r := all[4].ReadAt; r == nil || !r.Equal(now) {
		t.Errorf("ReadAt = %v, want %v", r, now)
	}
	if n, err := s.MarkRead(ctx, u, nil, now); err != nil || n != 3 {
		t.Errorf("MarkRead all = %d, %v; want 3", n, err)
	}
	unread(u, 0)
	unread(v, 1)
}

func testClaimJob(t *testing.T, s app.Store) {
	ctx := t.Context()
	const n = 8
	wins := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { wins[i], errs[i] = s.ClaimJob(ctx, "digest/x/2025-W09", t0) })
	}
	wg.Wait()
	won := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("ClaimJob: %v", errs[i])
		}
		if wins[i] {
			won++
		}
	}
	if won != 1 {
		t.Errorf("%d of %d claims of one key won, want 1", won, n)
	}
	if ok, err := s.ClaimJob(ctx, "digest/x/2025-W10", t0); err != nil || !ok {
		t.Errorf("ClaimJob of another key = %v, %v; want true", ok, err)
	}
}

// testPairingRace answers one request twice at once, accept and decline by
// two members of the asked side, through the use case: exactly one answer
// lands, the other is told the pairing moved on, and the history holds one
// answer.
func testPairingRace(t *testing.T, s app.Store) {
	ctx := t.Context()
	a := MustCreateOrg(t, s, verified(newOrg("甲方", "330206", "3451")))
	b := MustCreateOrg(t, s, verified(newOrg("乙方", "330106", "3484")))
	actor := func(o *app.Org) *app.Actor {
		u := newUser(o.ID)
		MustCreateUser(t, s, u)
		return &app.Actor{UserID: u.ID, Role: app.RoleSME, OrgID: o.ID, OrgRole: app.MemberMember, OrgType: o.Type, OrgVerified: true}
	}
	asker, b1, b2 := actor(a), actor(b), actor(b)
	svc := app.NewService(s, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Clock = func() time.Time { return t0.Add(3 * time.Hour) }
	for round := range 5 {
		need := MustCreateListing(t, s, newListing(a, app.KindNeed, "配套需求", "3451"))
		p, err := svc.ProposePairing(ctx, asker, app.ProposeInput{Source: app.RecordRef{Kind: "need", ID: need.ID},
			Target: app.RecordRef{Kind: "org", ID: b.ID}, Message: "希望合作"})
		if err != nil {
			t.Fatalf("ProposePairing: %v", err)
		}
		moves := []app.TransitionInput{{To: app.PairingAccepted}, {To: app.PairingDeclined, Reason: "no_capacity"}}
		answered := make([]*app.Pairing, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, who := range []*app.Actor{b1, b2} {
			wg.Go(func() {
				<-start
				answered[i], errs[i] = svc.TransitionPairing(ctx, who, p.ID, moves[(i+round)%2])
			})
		}
		close(start)
		wg.Wait()
		var winner *app.Pairing
		for i, err := range errs {
			switch app.ErrorCode(err) {
			case "":
				if winner != nil {
					t.Fatalf("round %d: both answers landed", round)
				}
				winner = answered[i]
			case app.ECONFLICT:
			default:
				t.Fatalf("round %d: TransitionPairing: %v, want nil or ECONFLICT", round, err)
			}
		}
		if winner == nil {
			t.Fatalf("round %d: no answer landed: %v", round, errs)
		}
		got := mustFindPairing(t, s, p.ID)
		if got.Status != winner.Status {
			t.Errorf("round %d: stored status %s, the winner set %s", round, got.Status, winner.Status)
		}
		answers := 0
		for _, ev := range got.History {
			if ev.From == app.PairingInterested {
				answers++
			}
		}
		if answers != 1 {
			t.Errorf("round %d: history holds %d answers, want 1: %+v", round, answers, got.History)
		}
	}
}

// BenchOpenRequests measures the congestion discount's feed: it stores n
// pairings among n/5 organisations (a tenth of them pending, the rest in
// other states), then counts the requests waiting for random organisations,
// 500 at a time as one Match of a need asks for its 500 deepest candidates.
// It reports "p50-us" and "p99-us" per count, "match-ms", the time of 500
// counts, and "bulk-ms", the time of OpenIncomingCounts, which reads every
// organisation's count at once (what the service keeps for the engine).
func BenchOpenRequests(b *testing.B, s app.Store, n int) {
	ctx := b.Context()
	orgs := make([]*app.Org, max(2, n/5))
	for i := range orgs {
		orgs[i] = &app.Org{ID: app.NewID(), Name: "机构", Region: "330206", RegionKeys: []string{"33", "3302", "330206"}}
	}
	statuses := []app.PairingStatus{app.PairingAccepted, app.PairingDeclined, app.PairingAgreed, app.PairingClosed, app.PairingExpired}
	for i := range n {
		a, c := orgs[i%len(orgs)], orgs[(i*7+1)%len(orgs)]
		st, req := statuses[i%len(statuses)], app.SideA
		if i%10 == 0 {
			st = app.PairingInterested
		}
		MustCreatePairing(b, s, newPairing(a, c, st, req))
	}
	now := t0
	var lat, bulk []time.Duration
	b.ResetTimer()
	for i := range b.N {
		t := time.Now()
		if _, err := s.OpenIncomingCounts(ctx, now); err != nil {
			b.Fatal(err)
		}
		bulk = append(bulk, time.Since(t))
		for j := range 500 {
			o := orgs[(i*500+j*31)%len(orgs)]
			t := time.Now()
			if _, err := s.CountOpenIncoming(ctx, o.ID, now); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
	}
	b.StopTimer()
	var total time.Duration
	for _, d := range lat {
		total += d
	}
	slices.Sort(lat)
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds()), "p50-us")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-us")
	b.ReportMetric(ms(total)/float64(len(lat))*500, "match-ms")
	slices.Sort(bulk)
	b.ReportMetric(ms(percentile(bulk, 0.50)), "bulk-ms")
}
