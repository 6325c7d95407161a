package app

import (
	"fmt"
	"testing"
)

// setMetric sets one metric of a firm's figures to v.
func setMetric(t *testing.T, m Metric, v float64, in *Indicator, d *Derived) {
	t.Helper()
	switch m {
	case MetricRevenue:
		in.RevenueWan = v
	case MetricRDSpend:
		in.RDSpendWan = v
	case MetricRDRatio:
		d.RDRatio = &v
	case MetricNicheYears:
		in.NicheYears = int(v)
	case MetricDebtRatio:
		in.DebtRatio = v
	case MetricCreditRating:
		in.CreditRating = ""
		if r := int(v); r >= 1 && r <= len(CreditRatings) {
			in.CreditRating = CreditRatings[len(CreditRatings)-r]
		}
	case MetricMainBusiness:
		in.MainBusinessShare = v
	case MetricPatents:
		in.InventionPatents = int(v)
	case MetricRevenueGrowth:
		d.RevenueGrowth = &v
	case MetricTaxPerMu:
		d.TaxPerMu = &v
	case MetricQualityPass:
		in.QualityPassRate = v
	case MetricNCShare:
		in.NCShare = v
	case MetricStandardsShare:
		in.StandardsShare = v
	case MetricOwnTrademark:
		in.OwnTrademark = v >= 1
	case MetricNoMajorIncident:
		in.Safety = SafetyMajor
		if v >= 1 {
			in.Safety = SafetyClean
		}
	default:
		t.Fatalf("no setter for metric %s", m)
	}
}

// step is the smallest change of a metric's value: 1 for counts, years,
// ratings and booleans, a hundredth otherwise.
func step(m Metric) float64 {
	switch metrics[m].unit {
	case unitYears, unitCount, unitRating, unitBool:
		return 1
	}
	return 0.01
}

// TestTierRuleBoundaries judges every criterion of every default tier just
// below, at and just above each of its bounds.
func TestTierRuleBoundaries(t *testing.T) {
	for _, tier := range DefaultTierRules().Tiers {
		for _, c := range tier.Criteria {
			type bound struct {
				at       float64
				belowOK  bool
				aboveOK  bool
				boundStr string
			}
			var bounds []bound
			if c.Min != nil {
				bounds = append(bounds, bound{*c.Min, false, c.Max == nil || *c.Min+step(c.Metric) <= *c.Max, "min"})
			}
			if c.Max != nil {
				bounds = append(bounds, bound{*c.Max, c.Min == nil || *c.Max-step(c.Metric) >= *c.Min, false, "max"})
			}
			if c.Rating != "" {
				bounds = append(bounds, bound{float64(RatingRank(c.Rating)), false, true, "rating"})
			}
			for _, b := range bounds {
				for _, x := range []struct {
					name string
					v    float64
					want bool
				}{
					{"below", b.at - step(c.Metric), b.belowOK},
					{"at", b.at, true},
					{"above", b.at + step(c.Metric), b.aboveOK},
				} {
					t.Run(fmt.Sprintf("%s/%s/%s/%s", tier.Tier, c.Metric, b.boundStr, x.name), func(t *testing.T) {
						in, d := &Indicator{Safety: SafetyClean}, Derived{}
						setMetric(t, c.Metric, x.v, in, &d)
						g := c.judge(in, d)
						if g.Met != x.want {
							t.Errorf("value %v: met = %v, want %v (%v)", x.v, g.Met, x.want, g.Text)
						}
						if g.Met == (g.Text != nil) {
							t.Errorf("met %v with text %v", g.Met, g.Text)
						}
						if !g.Met && (g.Text["zh-CN"] == "" || g.Text["en"] == "") {
							t.Errorf("an unmet criterion lacks a text: %v", g.Text)
						}
					})
				}
			}
		}
	}
}

// strong returns figures that meet every default tier, with the year before
// at 10% less revenue.
func strong() (cur, prev *Indicator) {
	cur = &Indicator{OrgID: "o", Year: 2025, OutputWan: 22000, RevenueWan: 20000, TaxWan: 900, LandMu: 50, EnergyTce: 3000,
		RDSpendWan: 1000, InventionPatents: 6, OwnTrademark: true, StandardsShare: 90, QualityPassRate: 99.5, NCShare: 75,
		Safety: SafetyClean, CreditRating: "AA", DebtRatio: 45, MainBusinessShare: 90, NicheYears: 12}
	p := *cur
	p.Year, p.RevenueWan = 2024, 18000
	return cur, &p
}

// TestEvaluateLadder checks the tier a firm meets and the next tier's gaps.
func TestEvaluateLadder(t *testing.T) {
	rules := DefaultTierRules()
	tests := []struct {
		name   string
		edit   func(cur, prev *Indicator) *Indicator // returns the prev row to use
		want   Tier
		next   Tier
		unmet  []Metric
		zh, en string // the first unmet criterion's texts
	}{
		{"meets every tier", func(c, p *Indicator) *Indicator { return p }, TierLittleGiant, "", nil, "", ""},
		{"R&D ratio short of the little giant", func(c, p *Indicator) *Indicator { c.RDSpendWan = 620; return p },
			TierHiddenChampion, TierLittleGiant, []Metric{MetricRDRatio}, "研发投入占比 3.1%，需达到 4.0%", "R&D ratio 3.1%, needs 4.0%"},
		{"no previous year", func(c, p *Indicator) *Indicator { return nil },
			TierHiddenChampion, TierLittleGiant, []Metric{MetricRevenueGrowth}, "营业收入增长率 无数据，需达到 5.0%", "revenue growth no data, needs 5.0%"},
		{"too much debt for a hidden champion", func(c, p *Indicator) *Indicator { c.DebtRatio = 66.5; return p },
			TierSpecialized, TierHiddenChampion, []Metric{MetricDebtRatio}, "资产负债率 66.5%，需不高于 65.0%", "debt ratio 66.5%, needs at most 65.0%"},
		{"rated BB", func(c, p *Indicator) *Indicator { c.CreditRating = "BB"; return p },
			TierInnovative, TierSpecialized, []Metric{MetricCreditRating}, "信用等级 BB，需达到 BBB", "credit rating BB, needs BBB"},
		{"too large to be an SME", func(c, p *Indicator) *Indicator { c.RevenueWan, c.RDSpendWan = 50000, 2500; return p },
			TierNone, TierInnovative, []Metric{MetricRevenue}, "营业收入 50000万元，需不高于 40000万元", "revenue 50000 wan yuan, needs at most 40000 wan yuan"},
		{"a major incident", func(c, p *Indicator) *Indicator { c.Safety = SafetyMajor; return p },
			TierNone, TierInnovative, []Metric{MetricNoMajorIncident}, "无重大安全环保事故 否，需具备", "no major safety or environmental incident no, needs yes"},
		{"no patents, one year in the niche", func(c, p *Indicator) *Indicator { c.InventionPatents, c.NicheYears = 0, 1; return p },
			TierNone, TierInnovative, []Metric{MetricPatents}, "有效发明专利 0项，需达到 1项", "invention patents 0, needs 1"},
		{"young in the niche", func(c, p *Indicator) *Indicator { c.NicheYears = 1; return p },
			TierInnovative, TierSpecialized, []Metric{MetricNicheYears}, "从事细分市场年限 1年，需达到 2年", "years in the niche 1 years, needs 2 years"},
		{"small R&D budget", func(c, p *Indicator) *Indicator {
			c.RevenueWan, c.RDSpendWan, p.RevenueWan = 2500, 99.5, 2000
			return p
		},
			TierInnovative, TierSpecialized, []Metric{MetricRDSpend}, "研发投入 99.5万元，需达到 100万元", "R&D spend 99.5 wan yuan, needs 100 wan yuan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur, prev := strong()
			prev = tt.edit(cur, prev)
			e := rules.Evaluate(cur, prev)
			if e.Tier != tt.want {
				t.Fatalf("tier %s, want %s (next %+v)", e.Tier, tt.want, e.Next)
			}
			if tt.next == "" {
				if e.Next != nil {
					t.Errorf("next %+v at the top", e.Next)
				}
				return
			}
			if e.Next == nil || e.Next.Tier != tt.next {
				t.Fatalf("next %+v, want %s", e.Next, tt.next)
			}
			var unmet []CriterionGap
			for _, g := range e.Next.Criteria {
				if !g.Met {
					unmet = append(unmet, g)
				}
			}
			if len(unmet) != len(tt.unmet) {
				t.Fatalf("unmet %+v, want %v", unmet, tt.unmet)
			}
			for i, m := range tt.unmet {
				if unmet[i].Metric != m {
					t.Errorf("unmet[%d] = %s, want %s", i, unmet[i].Metric, m)
				}
			}
			if got := unmet[0].Text; got["zh-CN"] != tt.zh || got["en"] != tt.en {
				t.Errorf("texts %q / %q, want %q / %q", got["zh-CN"], got["en"], tt.zh, tt.en)
			}
		})
	}
	t.Run("no figures", func(t *testing.T) {
		e := rules.Evaluate(nil, nil)
		if e.Tier != TierNone || e.Next == nil || e.Next.Tier != TierInnovative {
			t.Fatalf("got %+v", e)
		}
		for _, g := range e.Next.Criteria {
			if g.Met || g.Value != nil || g.Text["en"] == "" {
				t.Errorf("criterion %+v without figures", g)
			}
		}
	})
}

// TestDerive checks the derived figures and their missing divisors.
func TestDerive(t *testing.T) {
	cur := &Indicator{Year: 2025, OutputWan: 3000, RevenueWan: 2500, TaxWan: 150, LandMu: 30, EnergyTce: 600, RDSpendWan: 100}
	prev := &Indicator{Year: 2024, OutputWan: 2400, RevenueWan: 2000, TaxWan: 0}
	d := Derive(cur, prev)
	check := func(name string, got *float64, want float64) {
		t.Helper()
		if got == nil || *got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("taxPerMu", d.TaxPerMu, 5)
	check("outputPerTce", d.OutputPerTce, 5)
	check("rdRatio", d.RDRatio, 4)
	check("outputGrowth", d.OutputGrowth, 25)
	check("revenueGrowth", d.RevenueGrowth, 25)
	if d.TaxGrowth != nil {
		t.Errorf("tax growth from zero = %v, want none", *d.TaxGrowth)
	}
	gap := *prev
	gap.Year = 2023
	if d := Derive(cur, &gap); d.RevenueGrowth != nil {
		t.Errorf("growth against a row two years back: %v", *d.RevenueGrowth)
	}
	if d := Derive(&Indicator{Year: 2025}, nil); d.TaxPerMu != nil || d.RDRatio != nil || d.OutputPerTce != nil {
		t.Errorf("derived figures without divisors: %+v", d)
	}
}
