package app_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// pairingStub stands in for the pairing workflow, which reports target
// progress and the funnel through app.PairingCounter.
type pairingStub struct{}

func (pairingStub) TargetProgress(_ context.Context, year int, region string) (map[string]float64, error) {
	return map[string]float64{app.TargetLeadPairings: 125, app.TargetTechTransferWan: 25000}, nil
}

func (pairingStub) Funnel(_ context.Context, year int, region string) ([]app.FunnelCount, error) {
	return []app.FunnelCount{{Kind: "supply", Month: 3, Proposed: 10, Accepted: 6, Agreed: 2, ValueWan: 300}}, nil
}

// dashboardData stores n organisations in three cities with indicators for
// some of the years 2021–2025, drawn from a fixed seed.
func dashboardData(t *testing.T, svc *app.Service, n int) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	regions := []string{"330106", "330108", "330206", "330212", "330302", "330200"}
	industries := []string{"3484", "3451", "3981", "6513", "3391"}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	orgs := make([]*app.Org, n)
	for i := range orgs {
		first := fmt.Sprintf("91330000MA%07d", i)
		o := &app.Org{ID: app.NewID(), Name: fmt.Sprintf("看板企业%d", i), USCC: first + string(app.USCCCheckChar(first)), Type: app.OrgSME,
			Region: regions[rng.IntN(len(regions))], Industry: industries[rng.IntN(len(industries))],
			Tier: app.Tiers[rng.IntN(len(app.Tiers))], CreatedAt: now, UpdatedAt: now}
		o.Normalize()
		orgs[i] = o
	}
	if err := svc.Store.SaveBatch(ctx, orgs, nil); err != nil {
		t.Fatal(err)
	}
	var rows []*app.Indicator
	for _, o := range orgs {
		for y := 2021; y <= 2025; y++ {
			if rng.IntN(5) == 0 {
				continue // not every firm reports every year
			}
			rev := float64(500 + rng.IntN(50000))
			rows = append(rows, &app.Indicator{OrgID: o.ID, Year: y, OutputWan: rev * 1.1, RevenueWan: rev, TaxWan: rev * rng.Float64() / 10,
				LandMu: float64(rng.IntN(80)), EnergyTce: float64(100 + rng.IntN(900)), RDSpendWan: rev * rng.Float64() / 10,
				InventionPatents: rng.IntN(6), Safety: app.SafetyClean, UpdatedAt: now})
		}
	}
	if err := svc.Store.PutIndicators(ctx, rows); err != nil {
		t.Fatal(err)
	}
}

// expectedDashboard computes the counts and trends straight from the store's
// rows, independently of app.Dashboard.
func expectedDashboard(t *testing.T, svc *app.Service, region string, year int) *app.Dashboard {
	t.Helper()
	ctx := context.Background()
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
	var rows []*app.Indicator
	for p := (app.Page{Limit: app.MaxPageLimit}); ; {
		page, err := svc.Store.ListIndicators(ctx, app.IndicatorFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, page...)
		if len(page) < p.Limit {
			break
		}
		p.After = page[len(page)-1].Key()
	}
	inRegion := func(o *app.Org) bool { return region == "" || slices.Contains(o.RegionKeys, region) }
	d := &app.Dashboard{Region: region, Year: year}
	counts := map[string]map[string]int{"city": {}, "county": {}, "industry": {}, "tier": {}}
	type acc struct {
		t              app.TrendYear
		rev, mu, ratio []float64
	}
	trend := map[int]*acc{}
	for y := year - app.TrendYears + 1; y <= year; y++ {
		trend[y] = &acc{t: app.TrendYear{Year: y}}
	}
	for _, r := range rows {
		o := orgs[r.OrgID]
		if !inRegion(o) || trend[r.Year] == nil {
			continue
		}
		a := trend[r.Year]
		a.t.Firms++
		a.t.OutputWan += r.OutputWan
		a.t.RevenueWan += r.RevenueWan
		a.t.TaxWan += r.TaxWan
		a.t.RDSpendWan += r.RDSpendWan
		a.t.InventionPatents += r.InventionPatents
		a.rev = append(a.rev, r.RevenueWan)
		if r.LandMu > 0 {
			a.mu = append(a.mu, r.TaxWan/r.LandMu)
		}
		if r.RevenueWan > 0 {
			a.ratio = append(a.ratio, r.RDSpendWan/r.RevenueWan*100)
		}
		if r.Year != year {
			continue
		}
		d.Firms++
		counts["city"][o.RegionKeys[1]]++
		county := ""
		if len(o.RegionKeys) > 2 {
			county = o.RegionKeys[2]
		}
		counts["county"][county]++
		counts["industry"][o.IndustryKeys[1]]++
		counts["tier"][string(o.Tier)]++
	}
	for y := year - app.TrendYears + 1; y <= year; y++ {
		a := trend[y]
		a.t.MedianRevenueWan, a.t.MedianTaxPerMu, a.t.MedianRDRatio = median(a.rev), median(a.mu), median(a.ratio)
		d.Trends = append(d.Trends, a.t)
	}
	for _, dim := range []struct {
		name string
		out  *[]app.Bucket
	}{{"city", &d.ByCity}, {"county", &d.ByCounty}, {"industry", &d.ByIndustry}, {"tier", &d.ByTier}} {
		m := counts[dim.name]
		for code, n := range m {
			*dim.out = append(*dim.out, app.Bucket{Code: code, Count: n})
		}
		slices.SortFunc(*dim.out, func(a, b app.Bucket) int { return cmp.Compare(a.Code, b.Code) })
	}
	return d
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func near(a, b float64) bool {
	d := a - b
	return d < 1e-3 && d > -1e-3
}

// TestDashboardMatchesStore checks the dashboard's counts and trends against
// the same figures computed from the store's rows, for the whole province,
// a city and a scoped admin, and the targets' progress with and without a
// pairing workflow.
func TestDashboardMatchesStore(t *testing.T) {
	ctx := context.Background()
	svc := MustService(t)
	svc.Clock = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	dashboardData(t, svc, 300)
	scoped := &app.Actor{UserID: app.NewID(), Role: app.RoleAdmin, RegionScope: "330200"}
	tests := []struct {
		name   string
		a      *app.Actor
		f      app.DashboardFilter
		region string
		year   int
	}{
		{"province, last year by default", app.SystemActor(), app.DashboardFilter{}, "", 2025},
		{"宁波 in 2023", app.SystemActor(), app.DashboardFilter{Region: "330200", Year: 2023}, "330200", 2023},
		{"a county", app.SystemActor(), app.DashboardFilter{Region: "330106", Year: 2025}, "330106", 2025},
		{"the scoped admin's own region", scoped, app.DashboardFilter{Year: 2024}, "330200", 2024},
		{"the scoped admin narrows it", scoped, app.DashboardFilter{Region: "330212", Year: 2025}, "330212", 2025},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.Dashboard(ctx, tt.a, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedDashboard(t, svc, tt.region, tt.year)
			if got.Region != want.Region || got.Year != want.Year || got.Firms != want.Firms {
				t.Errorf("region %q year %d firms %d, want %q %d %d", got.Region, got.Year, got.Firms, want.Region, want.Year, want.Firms)
			}
			if got.Firms == 0 {
				t.Fatal("no firms: the data does not test anything")
			}
			for _, c := range []struct {
				name      string
				got, want []app.Bucket
			}{{"city", got.ByCity, want.ByCity}, {"county", got.ByCounty, want.ByCounty}, {"industry", got.ByIndustry, want.ByIndustry}, {"tier", got.ByTier, want.ByTier}} {
				if len(c.got) != len(c.want) {
					t.Errorf("by %s: %+v, want %+v", c.name, c.got, c.want)
					continue
				}
				for i := range c.got {
					if c.got[i].Code != c.want[i].Code || c.got[i].Count != c.want[i].Count {
						t.Errorf("by %s [%d]: %+v, want %+v", c.name, i, c.got[i], c.want[i])
					}
				}
			}
			if len(got.Trends) != len(want.Trends) {
				t.Fatalf("trends %+v, want %+v", got.Trends, want.Trends)
			}
			for i, g := range got.Trends {
				w := want.Trends[i]
				if g.Year != w.Year || g.Firms != w.Firms || g.InventionPatents != w.InventionPatents ||
					!near(g.OutputWan, w.OutputWan) || !near(g.RevenueWan, w.RevenueWan) || !near(g.TaxWan, w.TaxWan) || !near(g.RDSpendWan, w.RDSpendWan) ||
					!near(g.MedianRevenueWan, w.MedianRevenueWan) || !near(g.MedianTaxPerMu, w.MedianTaxPerMu) || !near(g.MedianRDRatio, w.MedianRDRatio) {
					t.Errorf("trend %d: %+v, want %+v", g.Year, g, w)
				}
			}
			for _, chart := range app.DashboardCharts {
				table, err := got.Table(chart)
				if err != nil || len(table) == 0 {
					t.Errorf("chart %s: %v", chart, err)
				}
			}
		})
	}

	t.Run("targets without a pairing workflow", func(t *testing.T) {
		d, err := svc.Dashboard(ctx, app.SystemActor(), app.DashboardFilter{Year: 2025})
		if err != nil {
			t.Fatal(err)
		}
		if d.Funnel.Available || len(d.Targets) != len(app.DefaultTargets().Targets) {
			t.Fatalf("funnel %+v, targets %+v", d.Funnel, d.Targets)
		}
		for _, p := range d.Targets {
			if p.Available || p.Achieved != 0 || p.Goal != p.Value {
				t.Errorf("target %+v without a workflow", p)
			}
		}
	})
	t.Run("targets with a pairing workflow", func(t *testing.T) {
		svc.Pairings = pairingStub{}
		defer func() { svc.Pairings = nil }()
		d, err := svc.Dashboard(ctx, app.SystemActor(), app.DashboardFilter{Year: 2025})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]struct {
			available bool
			percent   float64
		}{app.TargetLeadPairings: {true, 25}, app.TargetInvestorMatches: {false, 0}, app.TargetTechTransferWan: {true, 25}}
		for _, p := range d.Targets {
			if w := want[p.Key]; p.Available != w.available || p.Percent != w.percent {
				t.Errorf("target %s: available %v percent %v, want %v %v", p.Key, p.Available, p.Percent, w.available, w.percent)
			}
		}
		if !d.Funnel.Available || len(d.Funnel.Rows) != 1 {
			t.Errorf("funnel %+v", d.Funnel)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		for _, c := range []struct {
			a    *app.Actor
			f    app.DashboardFilter
			code string
		}{
			{scoped, app.DashboardFilter{Region: "330100"}, app.EFORBIDDEN},
			{scoped, app.DashboardFilter{Region: "330000"}, app.EFORBIDDEN},
			{&app.Actor{UserID: app.NewID(), Role: app.RoleSME}, app.DashboardFilter{}, app.EFORBIDDEN},
			{nil, app.DashboardFilter{}, app.EFORBIDDEN},
			{app.SystemActor(), app.DashboardFilter{Year: 2027}, app.EINVALID},
			{app.SystemActor(), app.DashboardFilter{Region: "999999"}, app.EINVALID},
		} {
			if _, err := svc.Dashboard(ctx, c.a, c.f); app.ErrorCode(err) != c.code {
				t.Errorf("Dashboard(%+v, %+v) = %v, want %s", c.a, c.f, err, c.code)
			}
		}
	})
}
