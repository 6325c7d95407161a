package app_test

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// figuresWorld is a few hundred organisations of every type in several
// regions, their listings, memberships of some SMEs, and pairings made and
// moved on through the Service at times spread over 2024–2025.
type figuresWorld struct {
	svc      *app.Service
	clock    *testClock
	rng      *rand.Rand
	byType   map[app.OrgType][]*app.Org
	listings []*app.Listing
	made     int
}

func newFiguresWorld(t *testing.T) *figuresWorld {
	t.Helper()
	ctx := context.Background()
	svc := MustService(t)
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	clk := &testClock{t: time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)}
	svc.Clock = clk.now
	w := &figuresWorld{svc: svc, clock: clk, rng: rand.New(rand.NewPCG(17, 29)), byType: map[app.OrgType][]*app.Org{}}
	regions := []string{"330106", "330108", "330206", "330212", "330302", "330200"}
	types := []struct {
		t app.OrgType
		n int
	}{{app.OrgSME, 150}, {app.OrgEnterprise, 50}, {app.OrgInvestor, 50}, {app.OrgInstitution, 50}}
	var orgs []*app.Org
	for _, ty := range types {
		for range ty.n {
			first := fmt.Sprintf("91330000MB%07d", len(orgs))
			o := &app.Org{ID: app.NewID(), Name: fmt.Sprintf("对接企业%d", len(orgs)), USCC: first + string(app.USCCCheckChar(first)),
				Type: ty.t, Region: regions[w.rng.IntN(len(regions))], Industry: "3484", Verified: true, CreatedAt: clk.now(), UpdatedAt: clk.now()}
			o.Normalize()
			orgs = append(orgs, o)
			w.byType[ty.t] = append(w.byType[ty.t], o)
		}
	}
	if err := svc.Store.SaveBatch(ctx, orgs, nil); err != nil {
		t.Fatal(err)
	}
	for i, o := range w.byType[app.OrgSME] {
		if i%3 == 0 {
			m := &app.Membership{OrgID: o.ID, Level: app.LevelCity, Since: "2023-05-01", Office: "宁波市经信局", UpdatedAt: clk.now()}
			if err := svc.Store.PutMembership(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
	}
	listings := []struct {
		owner app.OrgType
		kind  app.Kind
		n     int
	}{{app.OrgEnterprise, app.KindNeed, 50}, {app.OrgSME, app.KindCapability, 50}, {app.OrgSME, app.KindFinancing, 50},
		{app.OrgInvestor, app.KindInvestor, 30}, {app.OrgInstitution, app.KindTech, 40}, {app.OrgSME, app.KindTechNeed, 20}}
	for _, ls := range listings {
		owners := w.byType[ls.owner]
		for i := range ls.n {
			in := &app.Listing{Kind: ls.kind, Status: app.StatusPublished, Title: fmt.Sprintf("%s 第%d项", ls.kind, i)}
			switch ls.kind {
			case app.KindFinancing:
				in.AmountWan = 500
			case app.KindNeed:
				in.Industry = "3484"
			}
			l, err := svc.CreateListing(ctx, app.SystemActor(), owners[i%len(owners)].ID, in)
			if err != nil {
				t.Fatalf("listing %s %d: %v", ls.kind, i, err)
			}
			w.listings = append(w.listings, l)
		}
	}
	return w
}

// targetTypes are the types of organisation a record's pairings mostly go to.
var targetTypes = map[string]app.OrgType{
	string(app.KindNeed): app.OrgSME, string(app.KindCapability): app.OrgEnterprise, string(app.KindFinancing): app.OrgInvestor,
	string(app.KindInvestor): app.OrgSME, string(app.KindTech): app.OrgSME, string(app.KindTechNeed): app.OrgInstitution, "org": app.OrgSME,
}

// outcomeKinds is the outcome a pairing of a kind mostly agrees on.
var outcomeKinds = map[app.PairingKind]app.OutcomeKind{
	app.PairingSupply: app.OutcomeContract, app.PairingFinancing: app.OutcomeInvestment,
	app.PairingTechnology: app.OutcomeLicence, app.PairingCollaboration: app.OutcomeContract,
}

// pick returns a random element.
func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// pairing makes one pairing at a random time between the start and the
// end of the span and moves it on along a random legal path, a few days a
// step. A pair that already has an open pairing is skipped.
func (w *figuresWorld) pairing(t *testing.T, start time.Time, span time.Duration) {
	t.Helper()
	ctx := context.Background()
	w.clock.mu.Lock()
	w.clock.t = start.Add(time.Duration(w.rng.Int64N(int64(span)))).Truncate(time.Millisecond)
	w.clock.mu.Unlock()
	src := app.RecordRef{Kind: "org"}
	var srcOrg string
	if w.rng.IntN(6) == 0 {
		srcOrg = pick(w.rng, w.byType[app.OrgSME]).ID
		src.ID = srcOrg
	} else {
		l := pick(w.rng, w.listings)
		src, srcOrg = app.RecordRef{Kind: string(l.Kind), ID: l.ID}, l.OrgID
	}
	ty := targetTypes[src.Kind]
	if w.rng.IntN(5) == 0 {
		ty = pick(w.rng, []app.OrgType{app.OrgSME, app.OrgEnterprise, app.OrgInvestor, app.OrgInstitution})
	}
	dst := pick(w.rng, w.byType[ty])
	if dst.ID == srcOrg {
		return
	}
	in := app.ProposeInput{Source: src, Target: app.RecordRef{Kind: "org", ID: dst.ID}, Origin: app.OriginEngine, Score: 60}
	asker := app.SystemActor()
	if w.rng.IntN(3) == 0 {
		in.Origin, in.Message = app.OriginUser, "盼洽谈"
		asker = member(srcOrg)
	}
	p, err := w.svc.ProposePairing(ctx, asker, in)
	if app.ErrorCode(err) == app.ECONFLICT {
		return
	} else if err != nil {
		t.Fatalf("propose %+v: %v", in, err)
	}
	w.made++
	// The path: how far the pairing gets, and whether it ends declined or closed.
	path := []app.PairingStatus{app.PairingInterested, app.PairingAccepted, app.PairingMeeting, app.PairingNegotiating, app.PairingAgreed}
	if p.Status == app.PairingInterested {
		path = path[1:]
	}
	steps := w.rng.IntN(len(path) + 1)
	for i, to := range path[:steps] {
		w.clock.advance(time.Duration(1+w.rng.IntN(96)) * time.Hour)
		side := p.Requester
		switch {
		case side == "":
			side = pick(w.rng, []app.Side{app.SideA, app.SideB})
		case to == app.PairingAccepted:
			side = map[app.Side]app.Side{app.SideA: app.SideB, app.SideB: app.SideA}[side]
		}
		in := app.TransitionInput{To: to, Message: "好的"}
		if i == steps-1 && w.rng.IntN(4) == 0 && to != app.PairingInterested && to != app.PairingMeeting {
			if to == app.PairingAccepted {
				in.To, in.Reason = app.PairingDeclined, "timing"
			} else {
				in.To = app.PairingClosed
			}
		}
		if in.To == app.PairingAgreed {
			k := outcomeKinds[p.Kind]
			if w.rng.IntN(8) == 0 {
				k = app.OutcomeLicence
			}
			in.Outcome = &app.Outcome{Kind: k, ValueYuan: 10_000 + w.rng.Int64N(50_000_000)}
		}
		if p, err = w.svc.TransitionPairing(ctx, member(p.Party(side).OrgID), p.ID, in); err != nil {
			t.Fatalf("move to %s: %v", in.To, err)
		}
	}
}

// member is a member of the organisation.
func member(orgID string) *app.Actor {
	return &app.Actor{UserID: app.NewID(), Role: app.RoleSME, OrgID: orgID, OrgRole: app.MemberMember}
}

// expectedFigures computes the funnel and the pairing targets straight from
// the stored pairings, organisations and memberships, independently of
// app.PairingFigures.
func expectedFigures(t *testing.T, svc *app.Service, year int, region string) ([]app.FunnelCount, map[string]float64) {
	t.Helper()
	ctx := context.Background()
	var rows []*app.Pairing
	for p := (app.Page{Limit: app.MaxPageLimit}); ; {
		page, err := svc.Store.ListPairings(ctx, app.PairingFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, page...)
		if len(page) < p.Limit {
			break
		}
		p.After = page[len(page)-1].ID
	}
	orgs := map[string]*app.Org{}
	for p := (app.Page{Limit: app.MaxPageLimit}); ; {
		page, err := svc.Store.ListOrgs(ctx, app.OrgFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page {
			orgs[o.ID] = o
		}
		if len(page) < p.Limit {
			break
		}
		p.After = page[len(page)-1].ID
	}
	members, err := svc.Store.ListMemberships(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("UTC+8", 8*3600)
	ever := func(p *app.Pairing, s app.PairingStatus) bool {
		for _, e := range p.History {
			if e.To == s {
				return true
			}
		}
		return false
	}
	type key struct {
		kind  string
		month int
	}
	funnel, yuan := map[key]*app.FunnelCount{}, map[key]int64{}
	smes, firms := map[string]bool{}, map[string]bool{}
	var licence int64
	for _, p := range rows {
		a, b := orgs[p.A.OrgID], orgs[p.B.OrgID]
		if region != "" && !slices.Contains(a.RegionKeys, region) && !slices.Contains(b.RegionKeys, region) {
			continue
		}
		if made := p.CreatedAt.In(cst); made.Year() == year {
			k := key{string(p.Kind), int(made.Month())}
			if funnel[k] == nil {
				funnel[k] = &app.FunnelCount{Kind: k.kind, Month: k.month}
			}
			f := funnel[k]
			f.Proposed++
			if ever(p, app.PairingAccepted) {
				f.Accepted++
			}
			if ever(p, app.PairingAgreed) {
				f.Agreed++
				yuan[k] += p.Outcome.ValueYuan
			}
		}
		if p.Status != app.PairingAgreed || p.AgreedAt.In(cst).Year() != year {
			continue
		}
		for _, pair := range [][2]*app.Org{{a, b}, {b, a}} {
			if p.Kind == app.PairingSupply && pair[0].Type == app.OrgSME && pair[1].Type == app.OrgEnterprise {
				smes[pair[0].ID] = true
			}
			if members[pair[0].ID] != nil && pair[1].Type == app.OrgInvestor {
				firms[pair[0].ID] = true
			}
		}
		if p.Outcome.Kind == app.OutcomeLicence {
			licence += p.Outcome.ValueYuan
		}
	}
	rowsOut := []app.FunnelCount{}
	for k, f := range funnel {
		f.ValueWan = math.Round(float64(yuan[k])) / 1e4
		rowsOut = append(rowsOut, *f)
	}
	slices.SortFunc(rowsOut, func(a, b app.FunnelCount) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Month, b.Month))
	})
	return rowsOut, map[string]float64{app.TargetLeadPairings: float64(len(smes)), app.TargetInvestorMatches: float64(len(firms)),
		app.TargetTechTransferWan: math.Round(float64(licence)) / 1e4}
}

// TestPairingFiguresMatchStore checks the dashboard's funnel and pairing
// targets against the figures computed from the stored rows, for the whole
// province, a city and a county, in two years.
func TestPairingFiguresMatchStore(t *testing.T) {
	w := newFiguresWorld(t)
	from := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)
	for range 450 {
		w.pairing(t, from, time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC).Sub(from))
	}
	// Made at 00:30 on 1 January Beijing time: 2025's funnel, month 1.
	for range 5 {
		w.pairing(t, time.Date(2024, 12, 31, 16, 30, 0, 0, time.UTC), time.Minute)
	}
	t.Logf("%d pairings made", w.made)
	if w.made < 300 {
		t.Fatalf("only %d pairings made", w.made)
	}
	w.clock.mu.Lock()
	w.clock.t = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	w.clock.mu.Unlock()
	w.svc.Pairings = w.svc.PairingFigures()
	for _, c := range []struct {
		region string
		year   int
	}{{"", 2025}, {"", 2024}, {"330200", 2025}, {"330206", 2025}, {"330106", 2024}} {
		t.Run(fmt.Sprintf("%s %d", cmp.Or(c.region, "province"), c.year), func(t *testing.T) {
			d, err := w.svc.Dashboard(context.Background(), app.SystemActor(), app.DashboardFilter{Region: c.region, Year: c.year})
			if err != nil {
				t.Fatal(err)
			}
			funnel, targets := expectedFigures(t, w.svc, c.year, c.region)
			if !d.Funnel.Available || !slices.Equal(d.Funnel.Rows, funnel) {
				t.Errorf("funnel:\n got  %+v\n want %+v", d.Funnel.Rows, funnel)
			}
			for _, p := range d.Targets {
				if want, ok := targets[p.Key]; !p.Available || !ok || p.Achieved != want {
					t.Errorf("target %s: achieved %v (available %v), want %v", p.Key, p.Achieved, p.Available, want)
				}
			}
			if c.region == "" && c.year == 2025 {
				checkNonTrivial(t, funnel, targets)
			}
		})
	}
}

// checkNonTrivial guards the test data: every kind in the funnel with
// pairings at every stage, a January with the pairings made just after
// midnight Beijing time, and every target above zero.
func checkNonTrivial(t *testing.T, funnel []app.FunnelCount, targets map[string]float64) {
	t.Helper()
	kinds, january := map[string][3]int{}, 0
	for _, f := range funnel {
		k := kinds[f.Kind]
		kinds[f.Kind] = [3]int{k[0] + f.Proposed, k[1] + f.Accepted, k[2] + f.Agreed}
		if f.Month == 1 {
			january += f.Proposed
		}
	}
	for _, k := range app.PairingKinds {
		if c := kinds[string(k)]; c[2] == 0 || c[1] <= c[2] || c[0] <= c[1] {
			t.Errorf("kind %s: proposed, accepted, agreed %v", k, c)
		}
	}
	if january < 5 {
		t.Errorf("January has %d pairings, want the 5 made at its first hour at least", january)
	}
	for k, v := range targets {
		if v <= 0 {
			t.Errorf("target %s is %v", k, v)
		}
	}
}
