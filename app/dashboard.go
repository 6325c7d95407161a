package app

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/rongtong/rongtong/ref"
)

// Targets are the department's policy targets for a year, e.g. 500 SMEs
// paired with lead enterprises. configs/targets.yaml holds them;
// DefaultTargets is the same.
type Targets struct {
	Targets []Target `json:"targets" yaml:"targets"`
}

// Target is one policy target. Value applies every year unless ByYear gives
// the year its own value.
type Target struct {
	Key    string          `json:"key" yaml:"key"`
	Zh     string          `json:"zh" yaml:"zh"`
	En     string          `json:"en" yaml:"en"`
	Unit   string          `json:"unit" yaml:"unit"` // count or wan (万元)
	Value  float64         `json:"value" yaml:"value"`
	ByYear map[int]float64 `json:"byYear,omitempty" yaml:"by_year,omitempty"`
}

// Target keys the pairing workflow reports progress on.
const (
	TargetLeadPairings    = "sme_lead_pairings" // SMEs paired with lead enterprises (agreed)
	TargetInvestorMatches = "investor_matches"  // cultivated firms matched with equity investors (agreed)
	TargetTechTransferWan = "tech_transfer_wan" // value of technology transferred, 万元
)

// DefaultTargets returns the built-in targets, the same as configs/targets.yaml.
func DefaultTargets() Targets {
	return Targets{Targets: []Target{
		{Key: TargetLeadPairings, Zh: "中小企业与龙头企业配对", En: "SMEs paired with lead enterprises", Unit: "count", Value: 500},
		{Key: TargetInvestorMatches, Zh: "培育企业与股权投资机构对接", En: "cultivated firms matched with equity investors", Unit: "count", Value: 500},
		{Key: TargetTechTransferWan, Zh: "科技成果转化金额", En: "value of technology transferred", Unit: "wan", Value: 100000},
	}}
}

// Validate checks that keys are unique and set, units known and values positive.
func (t Targets) Validate() error {
	seen := map[string]bool{}
	for i, x := range t.Targets {
		at := fmt.Sprintf("targets[%d]", i)
		switch {
		case x.Key == "" || seen[x.Key]:
			return fmt.Errorf("targets: %s.key must be set and unique", at)
		case x.Zh == "" || x.En == "":
			return fmt.Errorf("targets: %s needs zh and en names", at)
		case x.Unit != "count" && x.Unit != "wan":
			return fmt.Errorf("targets: %s.unit must be count or wan", at)
		case x.Value <= 0:
			return fmt.Errorf("targets: %s.value must be positive", at)
		}
		for y, v := range x.ByYear {
			if y < MinIndicatorYear || v <= 0 {
				return fmt.Errorf("targets: %s.by_year.%d must be a year from %d with a positive value", at, y, MinIndicatorYear)
			}
		}
		seen[x.Key] = true
	}
	return nil
}

func (x Target) valueFor(year int) float64 {
	if v, ok := x.ByYear[year]; ok {
		return v
	}
	return x.Value
}

// PairingCounter reports the pairing workflow's figures for the dashboard.
// Until the workflow is wired in, Service.Pairings is nil and the dashboard
// shows the funnel and the pairing targets as unavailable.
type PairingCounter interface {
	// TargetProgress returns the achieved value of each target key it
	// knows, for a year in a region ("" for all).
	TargetProgress(ctx context.Context, year int, region string) (map[string]float64, error)
	// Funnel returns pairing counts by kind and month of a year in a region.
	Funnel(ctx context.Context, year int, region string) ([]FunnelCount, error)
}

// FunnelCount is the pairing funnel of one kind in one month: proposed →
// accepted → agreed, and the value agreed (contracts, investment, licences).
type FunnelCount struct {
	Kind     string  `json:"kind"`
	Month    int     `json:"month"`
	Proposed int     `json:"proposed"`
	Accepted int     `json:"accepted"`
	Agreed   int     `json:"agreed"`
	ValueWan float64 `json:"valueWan"`
}

// DashboardFilter selects the dashboard's figures: a region (admins scoped
// to a region get theirs when it is empty) and a year (default: last year,
// the newest complete one).
type DashboardFilter struct {
	Region string
	Year   int
}

// Dashboard is the government dashboard of the cultivation database. The
// counts are of the organisations with indicators for the year.
type Dashboard struct {
	Region     string           `json:"region"`
	Year       int              `json:"year"`
	Firms      int              `json:"firms"`
	ByCity     []Bucket         `json:"byCity"`
	ByCounty   []Bucket         `json:"byCounty"`
	ByIndustry []Bucket         `json:"byIndustry"`
	ByTier     []Bucket         `json:"byTier"`
	Trends     []TrendYear      `json:"trends"`
	Targets    []TargetProgress `json:"targets"`
	Funnel     FunnelData       `json:"funnel"`
}

// Bucket is a count under a code (region, GB/T 4754 division or tier).
type Bucket struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// TrendYear sums and medians the indicators of one year.
type TrendYear struct {
	Year             int     `json:"year"`
	Firms            int     `json:"firms"`
	OutputWan        float64 `json:"outputWan"`
	RevenueWan       float64 `json:"revenueWan"`
	TaxWan           float64 `json:"taxWan"`
	RDSpendWan       float64 `json:"rdSpendWan"`
	InventionPatents int     `json:"inventionPatents"`
	MedianRevenueWan float64 `json:"medianRevenueWan"`
	MedianTaxPerMu   float64 `json:"medianTaxPerMu"`
	MedianRDRatio    float64 `json:"medianRdRatio"`
}

// TargetProgress is a target with what has been achieved.
type TargetProgress struct {
	Target
	Year     int     `json:"year"`
	Goal     float64 `json:"goal"`
	Achieved float64 `json:"achieved"`
	Percent  float64 `json:"percent"`
	// Available is false while no pairing workflow reports this target.
	Available bool `json:"available"`
}

// FunnelData is the pairing funnel, unavailable while no workflow is wired in.
type FunnelData struct {
	Available bool          `json:"available"`
	Rows      []FunnelCount `json:"rows"`
}

// TrendYears is how many years the trends cover, ending at the dashboard's year.
const TrendYears = 5

// Dashboard computes the dashboard. Admins only; an admin scoped to a region
// sees only that region.
func (s *Service) Dashboard(ctx context.Context, a *Actor, f DashboardFilter) (*Dashboard, error) {
	region, err := adminRegion(a, f.Region)
	if err != nil {
		return nil, err
	}
	year := f.Year
	if year == 0 {
		year = s.now().Year() - 1
	}
	if year < MinIndicatorYear || year > s.now().Year() {
		return nil, Invalid("year", FieldRange, "must be a year between %d and %d", MinIndicatorYear, s.now().Year())
	}
	rows, err := s.allIndicators(ctx, IndicatorFilter{Region: region, FromYear: year - TrendYears + 1, ToYear: year})
	if err != nil {
		return nil, err
	}
	d := &Dashboard{Region: region, Year: year}
	var ids []string
	for _, r := range rows {
		if r.Year == year {
			ids = append(ids, r.OrgID)
		}
	}
	orgs, err := s.orgsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	d.Firms = len(orgs)
	d.count(orgs)
	d.Trends = trends(rows, year)
	if d.Targets, d.Funnel, err = s.progress(ctx, year, region); err != nil {
		return nil, err
	}
	return d, nil
}

// orgsByID loads organisations by ID, in pages.
func (s *Service) orgsByID(ctx context.Context, ids []string) ([]*Org, error) {
	var out []*Org
	for _, ch := range chunks(ids, MaxPageLimit) {
		os, err := s.Store.ListOrgs(ctx, OrgFilter{IDs: ch}, Page{Limit: MaxPageLimit})
		if err != nil {
			return nil, err
		}
		out = append(out, os...)
	}
	return out, nil
}

// count fills the counts by city, county, industry division and tier.
func (d *Dashboard) count(orgs []*Org) {
	city, county, industry, tier := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, o := range orgs {
		keys := ref.RegionAncestors(o.Region)
		city[keyAt(keys, 1)]++
		county[keyAt(keys, 2)]++
		industry[keyAt(ref.IndustryAncestors(o.Industry), 1)]++
		t := o.Tier
		if t == "" {
			t = TierNone
		}
		tier[string(t)]++
	}
	d.ByCity = buckets(city, ref.RegionName)
	d.ByCounty = buckets(county, ref.RegionName)
	d.ByIndustry = buckets(industry, ref.IndustryName)
	d.ByTier = buckets(tier, func(c string) string { return c })
}

// keyAt returns keys[i], or "" (unknown) when the code is not that deep.
func keyAt(keys []string, i int) string {
	if i < len(keys) {
		return keys[i]
	}
	return ""
}

func buckets(m map[string]int, name func(string) string) []Bucket {
	out := make([]Bucket, 0, len(m))
	for _, code := range slices.Sorted(maps.Keys(m)) {
		n := ""
		if code != "" {
			n = name(code)
		}
		out = append(out, Bucket{Code: code, Name: n, Count: m[code]})
	}
	return out
}

// trends sums and medians rows per year, for the TrendYears ending at year.
func trends(rows []*Indicator, year int) []TrendYear {
	by := map[int][]*Indicator{}
	for _, r := range rows {
		by[r.Year] = append(by[r.Year], r)
	}
	out := make([]TrendYear, 0, TrendYears)
	for y := year - TrendYears + 1; y <= year; y++ {
		t := TrendYear{Year: y, Firms: len(by[y])}
		var rev, taxMu, rd []float64
		for _, r := range by[y] {
			t.OutputWan += r.OutputWan
			t.RevenueWan += r.RevenueWan
			t.TaxWan += r.TaxWan
			t.RDSpendWan += r.RDSpendWan
			t.InventionPatents += r.InventionPatents
			rev = append(rev, r.RevenueWan)
			d := Derive(r, nil)
			if d.TaxPerMu != nil {
				taxMu = append(taxMu, *d.TaxPerMu)
			}
			if d.RDRatio != nil {
				rd = append(rd, *d.RDRatio)
			}
		}
		t.OutputWan, t.RevenueWan, t.TaxWan, t.RDSpendWan = round4(t.OutputWan), round4(t.RevenueWan), round4(t.TaxWan), round4(t.RDSpendWan)
		t.MedianRevenueWan, t.MedianTaxPerMu, t.MedianRDRatio = Median(rev), Median(taxMu), Median(rd)
		out = append(out, t)
	}
	return out
}

// Median returns the median of xs (the mean of the middle two for an even
// count), 0 for none, rounded to four decimals.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return round4(s[m])
	}
	return round4((s[m-1] + s[m]) / 2)
}

// progress reads the targets' progress and the funnel from the pairing
// workflow, when one is wired in.
func (s *Service) progress(ctx context.Context, year int, region string) ([]TargetProgress, FunnelData, error) {
	var got map[string]float64
	funnel := FunnelData{Rows: []FunnelCount{}}
	if s.Pairings != nil {
		var err error
		if got, err = s.Pairings.TargetProgress(ctx, year, region); err != nil {
			return nil, funnel, err
		}
		rows, err := s.Pairings.Funnel(ctx, year, region)
		if err != nil {
			return nil, funnel, err
		}
		funnel = FunnelData{Available: true, Rows: append(funnel.Rows, rows...)}
	}
	var out []TargetProgress
	for _, t := range s.targets().Targets {
		p := TargetProgress{Target: t, Year: year, Goal: t.valueFor(year)}
		p.Achieved, p.Available = got[t.Key]
		p.Percent = round4(p.Achieved / p.Goal * 100)
		out = append(out, p)
	}
	return out, funnel, nil
}

// DashboardCharts names the dashboard's charts whose data Table gives.
var DashboardCharts = []string{"cities", "counties", "industries", "tiers", "trends", "targets", "funnel"}

// Table returns one chart's data as rows of text, a header first, for a
// CSV or spreadsheet download; EINVALID (field chart) for an unknown chart.
func (d *Dashboard) Table(chart string) ([][]string, error) {
	bucketRows := func(bs []Bucket) [][]string {
		out := [][]string{{"code", "name", "count"}}
		for _, b := range bs {
			out = append(out, []string{b.Code, b.Name, strconv.Itoa(b.Count)})
		}
		return out
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch chart {
	case "cities":
		return bucketRows(d.ByCity), nil
	case "counties":
		return bucketRows(d.ByCounty), nil
	case "industries":
		return bucketRows(d.ByIndustry), nil
	case "tiers":
		return bucketRows(d.ByTier), nil
	case "trends":
		out := [][]string{{"year", "firms", "outputWan", "revenueWan", "taxWan", "rdSpendWan", "inventionPatents", "medianRevenueWan", "medianTaxPerMu", "medianRdRatio"}}
		for _, t := range d.Trends {
			out = append(out, []string{strconv.Itoa(t.Year), strconv.Itoa(t.Firms), f(t.OutputWan), f(t.RevenueWan), f(t.TaxWan),
				f(t.RDSpendWan), strconv.Itoa(t.InventionPatents), f(t.MedianRevenueWan), f(t.MedianTaxPerMu), f(t.MedianRDRatio)})
		}
		return out, nil
	case "targets":
		out := [][]string{{"key", "zh", "en", "unit", "year", "goal", "achieved", "percent", "available"}}
		for _, t := range d.Targets {
			out = append(out, []string{t.Key, t.Zh, t.En, t.Unit, strconv.Itoa(t.Year), f(t.Goal), f(t.Achieved), f(t.Percent), strconv.FormatBool(t.Available)})
		}
		return out, nil
	case "funnel":
		out := [][]string{{"kind", "month", "proposed", "accepted", "agreed", "valueWan"}}
		rows := slices.SortedFunc(slices.Values(d.Funnel.Rows), func(a, b FunnelCount) int {
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Month, b.Month))
		})
		for _, r := range rows {
			out = append(out, []string{r.Kind, strconv.Itoa(r.Month), strconv.Itoa(r.Proposed), strconv.Itoa(r.Accepted), strconv.Itoa(r.Agreed), f(r.ValueWan)})
		}
		return out, nil
	}
	return nil, Invalid("chart", FieldUnknown, "must be one of cities, counties, industries, tiers, trends, targets, funnel")
}
