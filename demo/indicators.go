package demo

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// Indicators returns two or three years of yearly indicators (培育库) for
// each SME, ending at lastYear, and a cultivation membership for each SME
// with a tier. The figures follow the organisation's own profile (revenue,
// R&D ratio, patents, founding year, tier) and are drawn from a generator
// seeded by its USCC, so the same organisations give the same rows.
func Indicators(orgs []*app.Org, lastYear int) ([]app.IndicatorRow, []*app.Membership) {
	var rows []app.IndicatorRow
	var ms []*app.Membership
	for _, o := range orgs {
		if o.Type != app.OrgSME || o.USCC == "" {
			continue
		}
		h := fnv.New64a()
		h.Write([]byte(o.USCC))
		g := &generator{r: rand.New(rand.NewPCG(h.Sum64(), 0x7065697975))} // "peiyu"
		rows = append(rows, g.indicators(o, lastYear)...)
		if m := g.membership(o, lastYear); m != nil {
			ms = append(ms, m)
		}
	}
	return rows, ms
}

// indicators makes an SME's rows, oldest first, growing into its profile.
func (g *generator) indicators(o *app.Org, lastYear int) []app.IndicatorRow {
	rank := tierRank(o.Tier)
	years := g.intn(2, 3)
	revenue := o.RevenueWan
	if revenue <= 0 {
		revenue = g.logUniform(800, 30000)
	}
	rd := o.RDRatio
	if rd <= 0 {
		rd = g.float(0.02, 0.06)
	}
	growth := g.float(0.02, 0.18)
	niche := max(1, min(30, lastYear-o.Founded-g.intn(0, 3)))
	if o.Founded == 0 {
		niche = g.intn(2, 15)
	}
	land := round(g.float(8, 25)*math.Sqrt(revenue/1000), 1)
	ratings := [][]string{{"BBB", "BB", "A"}, {"A", "BBB", "AA"}, {"A", "AA", "BBB"}, {"AA", "A", "AAA"}, {"AA", "AAA", "A"}}[max(rank, 0)]
	rating := pick(g, ratings)
	out := make([]app.IndicatorRow, 0, years)
	for i := years - 1; i >= 0; i-- {
		y := lastYear - i
		rev := sig(revenue/math.Pow(1+growth, float64(i)), 4)
		in := app.Indicator{
			Year:              y,
			OutputWan:         sig(rev*g.float(1.02, 1.25), 4),
			RevenueWan:        rev,
			TaxWan:            sig(rev*g.float(0.025, 0.07), 3),
			LandMu:            land,
			EnergyTce:         sig(rev/g.float(4, 18), 3),
			RDSpendWan:        sig(rev*rd*g.float(0.9, 1.1), 3),
			InventionPatents:  max(0, o.Patents/3-i),
			OwnTrademark:      g.chance(0.5 + 0.1*float64(rank)),
			StandardsShare:    round(g.float(55, 98), 1),
			QualityPassRate:   round(g.float(97, 99.9), 1),
			NCShare:           round(g.float(35, 90), 1),
			Safety:            pick(g, []app.Safety{app.SafetyClean, app.SafetyClean, app.SafetyClean, app.SafetyClean, app.SafetyClean, app.SafetyClean, app.SafetyClean, app.SafetyClean, app.SafetyClean, app.SafetyMinor}),
			CreditRating:      rating,
			DebtRatio:         round(g.float(28, 72), 1),
			MainBusinessShare: round(g.float(68, 99), 1),
			NicheYears:        max(1, niche-i),
		}
		out = append(out, app.IndicatorRow{USCC: o.USCC, Region: o.Region, Indicator: in})
	}
	return out
}

// membership enters tiered SMEs into the cultivation database at the level
// their tier suggests, with the office of that level.
func (g *generator) membership(o *app.Org, lastYear int) *app.Membership {
	rank := tierRank(o.Tier)
	if rank <= 0 {
		return nil
	}
	keys := ref.RegionAncestors(o.Region)
	level, office := app.LevelCounty, keys[len(keys)-1]
	switch {
	case rank >= 3:
		level, office = app.LevelProvince, keys[0]
	case rank == 2 && len(keys) > 1:
		level, office = app.LevelCity, keys[1]
	}
	since := lastYear - g.intn(0, 4)
	return &app.Membership{OrgID: o.ID, Level: level, Office: ref.RegionName(office) + "经济和信息化局",
		Since: fmt.Sprintf("%04d-%02d-%02d", since, g.intn(1, 12), g.intn(1, 28))}
}
