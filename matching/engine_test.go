package matching

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/store/sqlite"
)

// world is a small data set imported through app.Service.Import into a
// fresh SQLite store, with the engine over it (no search index: text
// relevance is 0, candidates come from the store).
type world struct {
	t   *testing.T
	st  *sqlite.Store
	svc *app.Service
	eng *Engine
}

// rec is one interchange record.
type rec map[string]any

var usccSeq atomic.Int64

// newUSCC returns a valid 统一社会信用代码 in a region.
func newUSCC(region string) string {
	first := fmt.Sprintf("91%s%09d", region, 100000000+usccSeq.Add(1))
	return first + string(app.USCCCheckChar(first))
}

// sme, enterprise, investorOrg and institution make organisation records.
func org(ref string, typ app.OrgType, region, industry string, more rec) rec {
	r := rec{"kind": "org", "ref": ref, "name": "测试" + ref, "orgType": string(typ), "region": region, "industry": industry}
	if typ == app.OrgSME || typ == app.OrgEnterprise {
		r["uscc"] = newUSCC(region)
	}
	maps.Copy(r, more)
	return r
}

func listing(kind app.Kind, ref, owner string, more rec) rec {
	r := rec{"kind": string(kind), "ref": ref, "org": owner, "title": "测试" + ref}
	maps.Copy(r, more)
	return r
}

var fixedNow = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, cfg Config, recs ...rec) *world {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w := &world{t: t, st: st, svc: svc, eng: New(st, nil, cfg)}
	w.eng.SetClock(func() time.Time { return fixedNow })
	svc.Matcher = w.eng
	w.load(recs...)
	return w
}

// load imports records.
func (w *world) load(recs ...rec) {
	w.t.Helper()
	var b strings.Builder
	for _, r := range recs {
		j, err := json.Marshal(r)
		if err != nil {
			w.t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	run, err := w.svc.Import(context.Background(), app.SystemActor(), strings.NewReader(b.String()), "test")
	if err != nil {
		w.t.Fatal(err)
	}
	if run.Counts.Failed > 0 {
		w.t.Fatalf("import: %+v", run.Errors)
	}
}

// match runs a match from the record with ref as an admin.
func (w *world) match(ref, target string) *app.MatchResult {
	w.t.Helper()
	return w.matchAs(app.SystemActor(), ref, target)
}

func (w *world) matchAs(a *app.Actor, ref, target string) *app.MatchResult {
	w.t.Helper()
	res, err := w.svc.Matches(context.Background(), a, w.query(ref, target))
	if err != nil {
		w.t.Fatalf("match from %s: %v", ref, err)
	}
	return res
}

func (w *world) query(ref, target string) app.MatchQuery {
	w.t.Helper()
	ctx := context.Background()
	ls, err := w.st.FindListingsByRef(ctx, []string{ref})
	if err != nil {
		w.t.Fatal(err)
	}
	if l := ls[ref]; l != nil {
		return app.MatchQuery{FromKind: string(l.Kind), FromID: l.ID, Target: target, Limit: 50}
	}
	o, err := w.st.FindOrgByRef(ctx, ref)
	if err != nil {
		w.t.Fatalf("no record %s: %v", ref, err)
	}
	return app.MatchQuery{FromKind: "org", FromID: o.ID, Target: target, Limit: 50}
}

// find returns the match whose record (or, for organisations, whose
// matched listing) has the ref.
func find(res *app.MatchResult, ref string) *app.Match {
	for i := range res.Items {
		m := &res.Items[i]
		if m.Ref == ref || m.Listing != nil && m.Listing.Ref == ref {
			return m
		}
	}
	return nil
}

func codes(rs []app.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

// weightsOnly returns the defaults with the weights of one view replaced.
func weightsOnly(view string, ws Weights) Config {
	cfg := DefaultConfig()
	cfg.Weights = maps.Clone(cfg.Weights)
	cfg.Weights[view] = Weights{}
	for _, p := range Views[view] {
		cfg.Weights[view][p] = ws[p]
	}
	return cfg
}

// TestHardRequirements shows, for every field that can be a hard
// requirement, that a candidate violating it ranks below one that does
// not although it scores higher, is marked with the violation, and ranks
// first again once the field is soft.
func TestHardRequirements(t *testing.T) {
	ent := org("ent", app.OrgEnterprise, "330206", "3612", nil)
	type tc struct {
		name      string
		field     string // the hard field
		cfg       Config
		recs      []rec
		from      string
		target    string
		good, bad string // refs of the passing and the violating candidate
		code      string // the violation's reason code
		soften    func(recs []rec) []rec
		// describes: the field describes the candidate rather than asks of
		// the other side, so once soft it is not an unmet requirement
		describes bool
	}
	// need → org: the violating SME is better on every soft part.
	need := func(more rec) rec {
		r := listing(app.KindNeed, "need", "ent", rec{"industry": "3392", "processes": []string{"压铸"},
			"certificationsRequired": []string{"IATF16949"}, "quantity": rec{"value": 10, "unit": "万件", "per": "year"},
			"regionsPreferred": []string{"330200"}, "deadline": "2026-06-30"})
		maps.Copy(r, more)
		return r
	}
	goodSME := org("sme-good", app.OrgSME, "330212", "3392", rec{"tier": "none", "certifications": []string{"IATF16949"}})
	goodCap := listing(app.KindCapability, "cap-good", "sme-good", rec{"processes": []string{"抛丸"},
		"capacity": rec{"value": 100, "unit": "万件", "per": "year"}})
	badSME := func(region, industry string, certs []string) rec {
		return org("sme-bad", app.OrgSME, region, industry, rec{"tier": "little_giant", "certifications": certs})
	}
	badCap := func(more rec) rec {
		r := listing(app.KindCapability, "cap-bad", "sme-bad", rec{"processes": []string{"压力铸造", "数控加工"},
			"capacity": rec{"value": 50, "unit": "万件", "per": "year"}})
		maps.Copy(r, more)
		return r
	}
	supply := func(n rec, sme, c rec) []rec { return []rec{ent, n, goodSME, goodCap, sme, c} }
	hard := func(fields ...string) rec { return rec{"hard": fields} }
	soft := func(i int, fields ...string) func([]rec) []rec {
		return func(rs []rec) []rec {
			out := slices.Clone(rs)
			r := maps.Clone(out[i])
			r["hard"] = fields
			out[i] = r
			return out
		}
	}

	// financing ↔ investor: the SME's financing need, an investor that
	// fits its every preference but one hard field, and one that passes
	// it but misses soft preferences.
	sme := org("sme", app.OrgSME, "330206", "3392", rec{"tier": "specialized", "revenueWan": 8000})
	fin := func(amount float64) rec {
		return listing(app.KindFinancing, "fin", "sme", rec{"amountWan": amount, "stage": "A", "instrument": "equity"})
	}
	vcBad, vcGood := org("vc-bad", app.OrgInvestor, "330106", "6760", nil), org("vc-good", app.OrgInvestor, "330106", "6760", nil)
	inv := func(ref, owner string, more rec) rec {
		r := listing(app.KindInvestor, ref, owner, rec{"industries": []string{"33"}, "stages": []string{"A"},
			"ticketMinWan": 1000, "ticketMaxWan": 5000, "regions": []string{"330000"}, "tiers": []string{"specialized"}, "minRevenueWan": 1000})
		maps.Copy(r, more)
		return r
	}
	// the passing investor misses stage, region and tier preferences
	weak := rec{"stages": []string{"C"}, "regions": []string{"110000"}, "tiers": []string{"little_giant"}}
	financing := func(amount float64, bad, good rec) []rec {
		return []rec{sme, fin(amount), vcBad, vcGood, inv("inv-bad", "vc-bad", bad), inv("inv-good", "vc-good", merge(weak, good))}
	}

	// technology: a need for a technology and two listings.
	ins := org("ins", app.OrgInstitution, "330106", "7320", nil)
	techNeed := func(more rec) rec {
		r := listing(app.KindTechNeed, "tn", "sme", rec{"industries": []string{"3392"}, "budgetWan": 100, "deadline": "2026-06-30"})
		maps.Copy(r, more)
		return r
	}
	tech := func(ref string, more rec) rec {
		r := listing(app.KindTech, ref, "ins", rec{"industries": []string{"3392"}, "trl": 5, "priceWan": 50})
		maps.Copy(r, more)
		return r
	}
	techWeights := weightsOnly(ViewTechnology, Weights{PartTRL: 10, PartBudget: 1, PartIndustry: 1})
	budgetWeights := weightsOnly(ViewTechnology, Weights{PartTRL: 10, PartIndustry: 1})

	tests := []tc{
		{name: "need: required certifications (default)", field: "certificationsRequired", cfg: DefaultConfig(),
			recs: supply(need(nil), badSME("330206", "3392", []string{"ISO9001"}), badCap(nil)),
			from: "need", target: "org", good: "sme-good", bad: "sme-bad", code: ReasonCertsMissing,
			soften: soft(1, "deadline")},
		{name: "need: preferred regions", field: "regionsPreferred", cfg: DefaultConfig(),
			recs: supply(need(merge(hard("regionsPreferred"), rec{"certificationsRequired": nil})), badSME("330106", "3392", nil), badCap(nil)),
			from: "need", target: "org", good: "sme-good", bad: "sme-bad", code: ReasonRegionOutside, soften: soft(1)},
		{name: "need: quantity", field: "quantity", cfg: DefaultConfig(),
			recs: supply(need(merge(hard("quantity"), rec{"certificationsRequired": nil})), badSME("330206", "3392", nil),
				badCap(rec{"capacity": rec{"value": 5000, "unit": "件", "per": "month"}})),
			from: "need", target: "org", good: "sme-good", bad: "sme-bad", code: ReasonCapacityShort, soften: soft(1)},
		{name: "need: industry", field: "industry", cfg: DefaultConfig(),
			recs: supply(need(merge(hard("industry"), rec{"certificationsRequired": nil})), badSME("330206", "3391", nil), badCap(nil)),
			from: "need", target: "org", good: "sme-good", bad: "sme-bad", code: ReasonIndustryOutside, soften: soft(1)},
		{name: "capability: industries served", field: "industries", cfg: DefaultConfig(),
			recs: supply(need(rec{"certificationsRequired": nil}), badSME("330206", "3392", nil),
				badCap(merge(hard("industries"), rec{"industries": []string{"1761"}}))),
			from: "need", target: "org", good: "sme-good", bad: "sme-bad", code: ReasonIndustryOutside, soften: soft(5), describes: true},
		{name: "need: deadline (default)", field: "deadline", cfg: weightsOnly(ViewSupply, Weights{PartProcess: 1}),
			recs: []rec{ent, sme, listing(app.KindCapability, "cap", "sme", rec{"processes": []string{"压铸"}}),
				listing(app.KindNeed, "need-bad", "ent", rec{"industry": "3392", "processes": []string{"压铸"}, "deadline": "2025-12-31"}),
				listing(app.KindNeed, "need-good", "ent", rec{"industry": "3392", "processes": []string{"抛光"}, "deadline": "2026-12-31"})},
			from: "cap", target: "need", good: "need-good", bad: "need-bad", code: ReasonDeadlinePassed, soften: soft(3, "quantity")},
		{name: "investor: industries (default)", field: "industries", cfg: DefaultConfig(),
			recs: financing(3000, rec{"industries": []string{"17"}}, nil),
			from: "fin", target: "investor", good: "inv-good", bad: "inv-bad", code: ReasonIndustryOutside, soften: soft(4, "stages")},
		{name: "investor: minimum ticket (default, with tolerance)", field: "ticketMinWan", cfg: DefaultConfig(),
			recs: financing(1000, rec{"ticketMinWan": 2500, "ticketMaxWan": 9000}, rec{"ticketMinWan": 300, "ticketMaxWan": 600}),
			from: "fin", target: "investor", good: "inv-good", bad: "inv-bad", code: ReasonTicketOutside, soften: soft(4, "stages")},
		{name: "investor: maximum ticket (default, with tolerance)", field: "ticketMaxWan", cfg: DefaultConfig(),
			recs: financing(9000, rec{"ticketMinWan": 1000, "ticketMaxWan": 4000}, rec{"ticketMinWan": 1000, "ticketMaxWan": 5000}),
			from: "fin", target: "investor", good: "inv-good", bad: "inv-bad", code: ReasonTicketOutside, soften: soft(4, "stages")},
		{name: "investor: stages", field: "stages", cfg: DefaultConfig(),
			recs: financing(3000, merge(hard("stages"), rec{"stages": []string{"B"}}), rec{"stages": []string{"A"}}),
			from: "fin", target: "investor", good: "inv-good", bad: "inv-bad", code: ReasonStageMismatch, soften: soft(4)},
		{name: "investor: regions", field: "regions", cfg: DefaultConfig(),
			recs: financing(3000, merge(hard("regions"), rec{"regions": []string{"320000"}}), rec{"regions": []string{"330200"}}),
			from: "fin", target: "investor", good: "inv-good", bad: "inv-bad", code: ReasonRegionOutside, soften: soft(4)},
		{name: "investor: minimum revenue", field: "minRevenueWan", cfg: DefaultConfig(),
			recs: financing(3000, merge(hard("minRevenueWan"), rec{"minRevenueWan": 20000}), nil),
			from: "fin", target: "investor", good: "inv-good", bad: "inv-bad", code: ReasonRevenueShort, soften: soft(4)},
		{name: "investor: tiers", field: "tiers", cfg: DefaultConfig(),
			recs: financing(3000, merge(hard("tiers"), rec{"tiers": []string{"hidden_champion"}}), rec{"tiers": []string{"specialized"}}),
			from: "fin", target: "investor", good: "inv-good", bad: "inv-bad", code: ReasonTierOutside, soften: soft(4)},
		{name: "investor: maximum ticket, from the investor (default)", field: "ticketMaxWan", cfg: DefaultConfig(),
			recs: []rec{sme, org("sme2", app.OrgSME, "330206", "3392", rec{"tier": "none", "revenueWan": 100}), vcBad, inv("inv", "vc-bad", nil),
				listing(app.KindFinancing, "fin-good", "sme2", rec{"amountWan": 3000, "stage": "C"}),
				listing(app.KindFinancing, "fin-bad", "sme", rec{"amountWan": 20000, "stage": "A"})},
			from: "inv", target: "financing", good: "fin-good", bad: "fin-bad", code: ReasonTicketOutside, soften: soft(3, "stages")},
		{name: "technology need: industries", field: "industries", cfg: techWeights,
			recs: []rec{sme, ins, techNeed(hard("industries")), tech("tech-good", rec{"trl": 2}),
				tech("tech-bad", rec{"industries": []string{"3391"}, "trl": 9})},
			from: "tn", target: "tech", good: "tech-good", bad: "tech-bad", code: ReasonIndustryOutside, soften: soft(2)},
		{name: "technology need: budget", field: "budgetWan", cfg: budgetWeights,
			recs: []rec{sme, ins, techNeed(hard("budgetWan")), tech("tech-good", rec{"trl": 2}), tech("tech-bad", rec{"trl": 9, "priceWan": 500})},
			from: "tn", target: "tech", good: "tech-good", bad: "tech-bad", code: ReasonBudgetOver, soften: soft(2)},
		{name: "technology need: deadline (default)", field: "deadline", cfg: techWeights,
			recs: []rec{sme, org("sme2", app.OrgSME, "330206", "3392", nil), ins, tech("tech", nil),
				techNeed(rec{"ref": "tn-bad", "deadline": "2025-12-31", "budgetWan": 100}),
				listing(app.KindTechNeed, "tn-good", "sme2", rec{"industries": []string{"3391"}, "budgetWan": 10, "deadline": "2026-12-31"})},
			from: "tech", target: "technead", good: "tn-good", bad: "tn-bad", code: ReasonDeadlinePassed, soften: soft(4, "budgetWan")},
		{name: "technology: industries", field: "industries", cfg: weightsOnly(ViewAdoption, Weights{PartTier: 1, PartIndustry: 0.1}),
			recs: []rec{ins, tech("tech", hard("industries")), org("sme-good", app.OrgSME, "330206", "3392", rec{"tier": "none"}),
				org("sme-bad", app.OrgSME, "330206", "3391", rec{"tier": "little_giant"})},
			from: "tech", target: "org", good: "sme-good", bad: "sme-bad", code: ReasonIndustryOutside, soften: soft(1), describes: true},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			covered[tt.field] = true
			w := newWorld(t, tt.cfg, tt.recs...)
			res := w.match(tt.from, tt.target)
			good, bad := find(res, tt.good), find(res, tt.bad)
			if good == nil || bad == nil {
				t.Fatalf("good %v, bad %v in %d matches", good != nil, bad != nil, len(res.Items))
			}
			if good.Rank > bad.Rank {
				t.Errorf("%s (rank %d) violates the hard %s yet ranks above %s (rank %d)", tt.bad, bad.Rank, tt.field, tt.good, good.Rank)
			}
			if !slices.Contains(codes(bad.Violations), tt.code) {
				t.Errorf("%s violations %v, want %s", tt.bad, codes(bad.Violations), tt.code)
			}
			if len(good.Violations) > 0 {
				t.Errorf("%s violations %v, want none", tt.good, codes(good.Violations))
			}
			if bad.Score <= good.Score {
				t.Errorf("the test shows nothing: %s scores %.1f, %s %.1f", tt.bad, bad.Score, tt.good, good.Score)
			}
			if tt.soften == nil {
				return
			}
			w2 := newWorld(t, tt.cfg, tt.soften(tt.recs)...)
			res = w2.match(tt.from, tt.target)
			good, bad = find(res, tt.good), find(res, tt.bad)
			if good == nil || bad == nil || bad.Rank > good.Rank || len(bad.Violations) > 0 {
				t.Errorf("with %s soft: good %+v, bad %+v", tt.field, good, bad)
			} else if !tt.describes && !slices.Contains(codes(bad.Unmet), tt.code) {
				t.Errorf("with %s soft: unmet %v, want %s", tt.field, codes(bad.Unmet), tt.code)
			}
		})
	}
	for _, f := range app.HardFields {
		if !covered[f] {
			t.Errorf("hard field %s has no test", f)
		}
	}
}

// merge joins records, later ones winning; a nil value writes null.
func merge(rs ...rec) rec {
	out := rec{}
	for _, r := range rs {
		maps.Copy(out, r)
	}
	return out
}

// TestVisibility: a member of the source's organisation sees only verified
// organisations' published listings; an admin sees the unverified too;
// drafts and closed listings are never candidates.
func TestVisibility(t *testing.T) {
	recs := []rec{
		org("ent", app.OrgEnterprise, "330206", "3612", nil),
		listing(app.KindNeed, "need", "ent", rec{"industry": "3392", "processes": []string{"压铸"}}),
		org("sme-ok", app.OrgSME, "330206", "3392", nil),
		listing(app.KindCapability, "cap-ok", "sme-ok", rec{"processes": []string{"压铸"}}),
		org("sme-unverified", app.OrgSME, "330206", "3392", rec{"verified": false}),
		listing(app.KindCapability, "cap-unverified", "sme-unverified", rec{"processes": []string{"压铸"}}),
		org("sme-draft", app.OrgSME, "330206", "3392", nil),
		listing(app.KindCapability, "cap-draft", "sme-draft", rec{"processes": []string{"压铸"}, "status": "draft"}),
		listing(app.KindCapability, "cap-closed", "sme-draft", rec{"processes": []string{"压铸"}, "status": "closed"}),
	}
	w := newWorld(t, DefaultConfig(), recs...)
	ent, err := w.st.FindOrgByRef(context.Background(), "ent")
	if err != nil {
		t.Fatal(err)
	}
	member := &app.Actor{UserID: "u1", Role: app.RoleEnterprise, OrgID: ent.ID, OrgRole: app.MemberMember, OrgType: app.OrgEnterprise, OrgVerified: true}
	got := func(res *app.MatchResult) []string {
		var out []string
		for _, m := range res.Items {
			out = append(out, m.Listing.Ref)
		}
		slices.Sort(out)
		return out
	}
	if g := got(w.matchAs(member, "need", "org")); !reflect.DeepEqual(g, []string{"cap-ok"}) {
		t.Errorf("member sees %v, want [cap-ok]", g)
	}
	if g := got(w.match("need", "org")); !reflect.DeepEqual(g, []string{"cap-ok", "cap-unverified"}) {
		t.Errorf("admin sees %v, want [cap-ok cap-unverified]", g)
	}
	// An outsider may not ask at all.
	outsider := &app.Actor{UserID: "u2", Role: app.RoleSME}
	if _, err := w.svc.Matches(context.Background(), outsider, w.query("need", "org")); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("outsider: %v, want forbidden", err)
	}
}

// TestCatalogFollowsStore: a capability published, changed or closed after
// the first match shows in the next one as it is now.
func TestCatalogFollowsStore(t *testing.T) {
	w := newWorld(t, DefaultConfig(),
		org("ent", app.OrgEnterprise, "330206", "3612", nil),
		listing(app.KindNeed, "need", "ent", rec{"industry": "3392", "processes": []string{"压铸"}}),
		org("sme", app.OrgSME, "330206", "3392", nil),
		listing(app.KindCapability, "cap-1", "sme", rec{"processes": []string{"抛光"}}),
	)
	refs := func() []string {
		var out []string
		for _, m := range w.match("need", "capability").Items {
			out = append(out, m.Ref)
		}
		return out
	}
	if g := refs(); !reflect.DeepEqual(g, []string{"cap-1"}) {
		t.Fatalf("before: %v", g)
	}
	w.load(listing(app.KindCapability, "cap-2", "sme", rec{"processes": []string{"压铸"}}))
	if g := refs(); !reflect.DeepEqual(g, []string{"cap-2", "cap-1"}) {
		t.Errorf("after publishing cap-2: %v, want [cap-2 cap-1]", g)
	}
	w.load(listing(app.KindCapability, "cap-2", "sme", rec{"processes": []string{"压铸"}, "status": "closed"}),
		listing(app.KindCapability, "cap-1", "sme", rec{"processes": []string{"压力铸造"}}))
	res := w.match("need", "capability")
	if len(res.Items) != 1 || res.Items[0].Ref != "cap-1" || !slices.Contains(codes(res.Items[0].Reasons), ReasonProcesses) {
		t.Errorf("after closing cap-2 and changing cap-1: %+v", res.Items)
	}
}

// TestCongestion: an SME with many open requests is proposed less, and
// says why.
func TestCongestion(t *testing.T) {
	w := newWorld(t, DefaultConfig(),
		org("ent", app.OrgEnterprise, "330206", "3612", nil),
		listing(app.KindNeed, "need", "ent", rec{"industry": "3392", "processes": []string{"压铸"}}),
		org("sme-busy", app.OrgSME, "330206", "3392", nil),
		listing(app.KindCapability, "cap-busy", "sme-busy", rec{"processes": []string{"压铸"}}),
		org("sme-free", app.OrgSME, "330206", "3392", nil),
		listing(app.KindCapability, "cap-free", "sme-free", rec{"processes": []string{"压铸"}}),
	)
	before := w.match("need", "org")
	busy, err := w.st.FindOrgByRef(context.Background(), "sme-busy")
	if err != nil {
		t.Fatal(err)
	}
	w.eng.SetOpenRequests(func(_ context.Context, orgID string) (int, error) {
		if orgID == busy.ID {
			return 10, nil
		}
		return 0, nil
	})
	after := w.match("need", "org")
	b0, b1 := find(before, "sme-busy"), find(after, "sme-busy")
	if b1.Score >= b0.Score || b1.Rank != 2 {
		t.Errorf("busy SME: score %.1f → %.1f, rank %d", b0.Score, b1.Score, b1.Rank)
	}
	if !slices.Contains(codes(b1.Unmet), ReasonCongested) {
		t.Errorf("busy SME unmet %v, want %s", codes(b1.Unmet), ReasonCongested)
	}
	if want := b0.Score * (1 - 0.2); math.Abs(b1.Score-want) > 0.05 {
		t.Errorf("discounted score %.2f, want %.2f", b1.Score, want)
	}
}

// TestFinancingHarmonicMean: a financing match scores the harmonic mean of
// the investor's view and the SME's view.
func TestFinancingHarmonicMean(t *testing.T) {
	w := newWorld(t, DefaultConfig(),
		org("sme", app.OrgSME, "330206", "3392", rec{"tier": "none", "revenueWan": 100}),
		listing(app.KindFinancing, "fin", "sme", rec{"amountWan": 3000, "stage": "A"}),
		org("vc", app.OrgInvestor, "330106", "6760", nil),
		listing(app.KindInvestor, "inv", "vc", rec{"industries": []string{"33"}, "stages": []string{"A"}, "ticketMinWan": 1000,
			"ticketMaxWan": 5000, "tiers": []string{"specialized"}, "minRevenueWan": 1000}),
	)
	m := find(w.match("fin", "investor"), "inv")
	if m == nil {
		t.Fatal("no match")
	}
	var iv, sv float64
	for _, p := range m.Parts {
		if strings.HasPrefix(p.Name, ViewInvestor+".") {
			iv += p.Points
		} else if strings.HasPrefix(p.Name, ViewSME+".") {
			sv += p.Points
		}
	}
	if iv >= sv {
		t.Fatalf("investor view %.1f should be below the SME's %.1f (tier and revenue missed)", iv, sv)
	}
	if want := 2 * iv * sv / (iv + sv); math.Abs(m.Score-want) > 0.1 {
		t.Errorf("score %.2f, want the harmonic mean %.2f of %.1f and %.1f", m.Score, want, iv, sv)
	}
	if !slices.Contains(codes(m.Unmet), ReasonTierOutside) || !slices.Contains(codes(m.Unmet), ReasonRevenueShort) {
		t.Errorf("unmet %v", codes(m.Unmet))
	}
	// the SME's revenue is its own to show
	for _, r := range m.Unmet {
		if _, ok := r.Params["revenue"]; ok {
			t.Errorf("reason %s shows the revenue", r.Code)
		}
	}
}

// TestMatchQueryErrors covers the engine's answers to queries it cannot run.
func TestMatchQueryErrors(t *testing.T) {
	w := newWorld(t, DefaultConfig(),
		org("sme", app.OrgSME, "330206", "3392", nil),
		listing(app.KindFinancing, "fin", "sme", rec{"amountWan": 3000}),
		org("inst", app.OrgInstitution, "330106", "7320", nil),
	)
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		q     func(app.MatchQuery) app.MatchQuery
		field string
	}{
		{"target", func(q app.MatchQuery) app.MatchQuery { q.Target = "tech"; return q }, "target"},
		{"limit", func(q app.MatchQuery) app.MatchQuery { q.Limit = 1000; return q }, "limit"},
		{"cursor", func(q app.MatchQuery) app.MatchQuery { q.Cursor = "x"; return q }, "cursor"},
		{"lang", func(q app.MatchQuery) app.MatchQuery { q.Lang = "de"; return q }, "lang"},
	} {
		_, err := w.svc.Matches(ctx, app.SystemActor(), tt.q(w.query("fin", "")))
		var e *app.Error
		if !asError(err, &e) || e.Code != app.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
			t.Errorf("%s: %v, want invalid %s", tt.name, err, tt.field)
		}
	}
	if _, err := w.svc.Matches(ctx, app.SystemActor(), w.query("inst", "")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("collaboration for an institute: %v, want invalid", err)
	}
	if _, err := w.svc.Matches(ctx, &app.Actor{}, w.query("fin", "")); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("anonymous: %v, want unauthorized", err)
	}
}

func asError(err error, e **app.Error) bool {
	x, ok := err.(*app.Error)
	*e = x
	return ok
}

// TestTargets lists the directions.
func TestTargets(t *testing.T) {
	for _, tt := range []struct {
		kind string
		want []string
	}{
		{"need", []string{"org", "capability"}},
		{"tech", []string{"technead", "org"}},
		{"financing", []string{"investor"}},
		{"event", nil},
	} {
		if got := Targets(tt.kind); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Targets(%s) = %v, want %v", tt.kind, got, tt.want)
		}
	}
}

func TestTopPairs(t *testing.T) {
	orgs := make([]*orgFacts, 50)
	for i := range orgs {
		orgs[i] = &orgFacts{id: fmt.Sprintf("%03d", i)}
	}
	var ps []supplyPair
	for i := 0; i < 300; i++ {
		ps = append(ps, supplyPair{org: orgs[i%50], cap: &capFacts{id: fmt.Sprintf("c%03d", i)}, score: float64((i * 37) % 101), violated: i%7 == 0})
	}
	all := topPairs(slices.Clone(ps), len(ps))
	for i := 1; i < len(all); i++ {
		if all[i].before(&all[i-1]) {
			t.Fatalf("not in order at %d", i)
		}
	}
	for _, k := range []int{1, 10, 299, 300, 400} {
		got := topPairs(slices.Clone(ps), k)
		if want := all[:min(k, len(all))]; !reflect.DeepEqual(got, want) {
			t.Errorf("top %d differs from the first %d of the full order", k, k)
		}
	}
}
