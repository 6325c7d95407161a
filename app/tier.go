package app

import (
	"fmt"
	"strconv"
	"strings"
)

// TierRules are the criteria of each cultivation tier, lowest tier first.
// configs/tiers.yaml holds them; DefaultTierRules is the same.
type TierRules struct {
	Tiers []TierRule `json:"tiers" yaml:"tiers"`
}

// TierRule is one tier's criteria; a firm meets the tier when it meets every
// criterion.
type TierRule struct {
	Tier     Tier        `json:"tier" yaml:"tier"`
	Criteria []Criterion `json:"criteria" yaml:"criteria"`
}

// Criterion is a bound on one metric: at least Min, at most Max (either may
// be absent), or for credit_rating at least the rating Rating.
type Criterion struct {
	Metric Metric   `json:"metric" yaml:"metric"`
	Min    *float64 `json:"min,omitempty" yaml:"min,omitempty"`
	Max    *float64 `json:"max,omitempty" yaml:"max,omitempty"`
	Rating string   `json:"rating,omitempty" yaml:"rating,omitempty"`
}

// Metric names a figure tier criteria can bound.
type Metric string

// Metrics. Booleans are 1 for yes and 0 for no.
const (
	MetricRevenue         Metric = "revenue_wan"
	MetricRDSpend         Metric = "rd_spend_wan"
	MetricRDRatio         Metric = "rd_ratio"
	MetricNicheYears      Metric = "niche_years"
	MetricDebtRatio       Metric = "debt_ratio"
	MetricCreditRating    Metric = "credit_rating"
	MetricMainBusiness    Metric = "main_business_share"
	MetricPatents         Metric = "invention_patents"
	MetricRevenueGrowth   Metric = "revenue_growth"
	MetricTaxPerMu        Metric = "tax_per_mu"
	MetricQualityPass     Metric = "quality_pass_rate"
	MetricNCShare         Metric = "nc_share"
	MetricStandardsShare  Metric = "standards_share"
	MetricOwnTrademark    Metric = "own_trademark"
	MetricNoMajorIncident Metric = "no_major_incident"
)

// metricInfo is how a metric is read and shown.
type metricInfo struct {
	zh, en string
	unit   unit
	value  func(in *Indicator, d Derived) (float64, bool)
}

type unit int

const (
	unitPercent unit = iota
	unitWan
	unitYears
	unitCount
	unitWanPerMu
	unitBool
	unitRating
)

func plain(f func(in *Indicator) float64) func(*Indicator, Derived) (float64, bool) {
	return func(in *Indicator, _ Derived) (float64, bool) { return f(in), true }
}

func derived(f func(d Derived) *float64) func(*Indicator, Derived) (float64, bool) {
	return func(_ *Indicator, d Derived) (float64, bool) {
		if p := f(d); p != nil {
			return *p, true
		}
		return 0, false
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var metrics = map[Metric]metricInfo{
	MetricRevenue:      {"营业收入", "revenue", unitWan, plain(func(in *Indicator) float64 { return in.RevenueWan })},
	MetricRDSpend:      {"研发投入", "R&D spend", unitWan, plain(func(in *Indicator) float64 { return in.RDSpendWan })},
	MetricRDRatio:      {"研发投入占比", "R&D ratio", unitPercent, derived(func(d Derived) *float64 { return d.RDRatio })},
	MetricNicheYears:   {"从事细分市场年限", "years in the niche", unitYears, plain(func(in *Indicator) float64 { return float64(in.NicheYears) })},
	MetricDebtRatio:    {"资产负债率", "debt ratio", unitPercent, plain(func(in *Indicator) float64 { return in.DebtRatio })},
	MetricCreditRating: {"信用等级", "credit rating", unitRating, plain(func(in *Indicator) float64 { return float64(RatingRank(in.CreditRating)) })},
	MetricMainBusiness: {"主营业务收入占比", "main-business share", unitPercent, plain(func(in *Indicator) float64 { return in.MainBusinessShare })},
	MetricPatents:      {"有效发明专利", "invention patents", unitCount, plain(func(in *Indicator) float64 { return float64(in.InventionPatents) })},
	MetricRevenueGrowth: {"营业收入增长率", "revenue growth", unitPercent,
		derived(func(d Derived) *float64 { return d.RevenueGrowth })},
	MetricTaxPerMu:        {"亩均税收", "tax per mu", unitWanPerMu, derived(func(d Derived) *float64 { return d.TaxPerMu })},
	MetricQualityPass:     {"产品质量合格率", "quality pass rate", unitPercent, plain(func(in *Indicator) float64 { return in.QualityPassRate })},
	MetricNCShare:         {"数控化率", "NC equipment share", unitPercent, plain(func(in *Indicator) float64 { return in.NCShare })},
	MetricStandardsShare:  {"采标率", "standards share", unitPercent, plain(func(in *Indicator) float64 { return in.StandardsShare })},
	MetricOwnTrademark:    {"自主商标", "own trademark", unitBool, plain(func(in *Indicator) float64 { return boolValue(in.OwnTrademark) })},
	MetricNoMajorIncident: {"无重大安全环保事故", "no major safety or environmental incident", unitBool, plain(func(in *Indicator) float64 { return boolValue(in.Safety != SafetyMajor) })},
}

// Validate checks that the tiers are known, in ladder order without
// repeats, and that every criterion names a metric with a sensible bound.
func (r TierRules) Validate() error {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if len(r.Tiers) == 0 {
		add("tiers: at least one tier is needed")
	}
	last := 0
	for i, t := range r.Tiers {
		at := fmt.Sprintf("tiers[%d]", i)
		rank := tierRank(t.Tier)
		switch {
		case rank <= 0:
			add("%s.tier: %q must be one of innovative, specialized, hidden_champion, little_giant", at, t.Tier)
		case rank <= last:
			add("%s.tier: %s must come after the tier before it, lowest first", at, t.Tier)
		}
		last = max(last, rank)
		if len(t.Criteria) == 0 {
			add("%s.criteria: at least one criterion is needed", at)
		}
		for j, c := range t.Criteria {
			if msg := c.check(); msg != "" {
				add("%s.criteria[%d]: %s", at, j, msg)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("tiers: %s", strings.Join(errs, "; "))
	}
	return nil
}

func (c Criterion) check() string {
	info, ok := metrics[c.Metric]
	if !ok {
		return fmt.Sprintf("metric %q is not known", c.Metric)
	}
	if info.unit == unitRating {
		if RatingRank(c.Rating) == 0 || c.Min != nil || c.Max != nil {
			return "credit_rating takes a rating (AAA to C) and no min or max"
		}
		return ""
	}
	switch {
	case c.Rating != "":
		return "only credit_rating takes a rating"
	case c.Min == nil && c.Max == nil:
		return "give min, max or both"
	case c.Min != nil && c.Max != nil && *c.Min > *c.Max:
		return "min is above max"
	case info.unit == unitPercent && c.Metric != MetricRevenueGrowth && (outside(c.Min, 0, 100) || outside(c.Max, 0, 100)):
		// Growth may be negative or above 100%; shares and ratios may not.
		return "a percentage bound must lie between 0 and 100"
	}
	return ""
}

// outside reports whether a bound is set and lies outside [lo, hi].
func outside(p *float64, lo, hi float64) bool { return p != nil && (*p < lo || *p > hi) }

func tierRank(t Tier) int {
	for i, v := range Tiers {
		if v == t {
			return i
		}
	}
	return -1
}

// Eligibility is which tier an organisation's latest figures meet and how
// far it is from the next one.
type Eligibility struct {
	OrgID string `json:"orgId"`
	// Year is the year of the figures judged; 0 when there are none.
	Year int `json:"year"`
	// Tier is the highest tier whose criteria (and those of every tier below
	// it) are all met; none if not even the lowest.
	Tier Tier `json:"tier"`
	// Next is the tier above Tier; absent at the top.
	Next *TierGap `json:"next,omitempty"`
}

// TierGap lists a tier's criteria with whether each is met and, if not,
// the gap in words.
type TierGap struct {
	Tier     Tier           `json:"tier"`
	Criteria []CriterionGap `json:"criteria"`
}

// CriterionGap is one criterion judged against a firm's figures. Text is
// set for unmet criteria, e.g. "研发投入占比 3.1%，需达到 4.0%".
type CriterionGap struct {
	Metric Metric            `json:"metric"`
	Met    bool              `json:"met"`
	Value  *float64          `json:"value"`
	Text   map[string]string `json:"text,omitempty"` // by language: zh-CN, en
}

// Evaluate judges a row (nil for none) against the rules; prev is the row
// of the year before, for growth.
func (r TierRules) Evaluate(cur, prev *Indicator) Eligibility {
	e := Eligibility{Tier: TierNone}
	if cur != nil {
		e.OrgID, e.Year = cur.OrgID, cur.Year
	}
	var d Derived
	if cur != nil {
		d = Derive(cur, prev)
	}
	for _, t := range r.Tiers {
		gap := TierGap{Tier: t.Tier}
		met := cur != nil
		for _, c := range t.Criteria {
			g := c.judge(cur, d)
			met = met && g.Met
			gap.Criteria = append(gap.Criteria, g)
		}
		if !met {
			e.Next = &gap
			return e
		}
		e.Tier = t.Tier
	}
	return e
}

// judge judges one criterion; a missing figure fails it.
func (c Criterion) judge(in *Indicator, d Derived) CriterionGap {
	info := metrics[c.Metric]
	g := CriterionGap{Metric: c.Metric}
	var v float64
	ok := in != nil
	if ok {
		v, ok = info.value(in, d)
	}
	if ok {
		g.Value = &v
	}
	switch {
	case !ok:
	case info.unit == unitRating:
		g.Met = v >= float64(RatingRank(c.Rating))
	default:
		g.Met = (c.Min == nil || v >= *c.Min) && (c.Max == nil || v <= *c.Max)
	}
	if !g.Met {
		g.Text = map[string]string{"zh-CN": c.text(info, v, ok, true), "en": c.text(info, v, ok, false)}
	}
	return g
}

// text words an unmet criterion: the figure, then the bound it misses.
func (c Criterion) text(info metricInfo, v float64, ok, zh bool) string {
	shown := "no data"
	if zh {
		shown = "无数据"
	}
	if ok {
		shown = info.format(v, zh)
	}
	var need string
	switch {
	case info.unit == unitRating:
		need = pick(zh, "需达到 "+c.Rating, "needs "+c.Rating)
	case info.unit == unitBool:
		need = pick(zh, "需具备", "needs yes")
	case c.Max != nil && ok && v > *c.Max:
		need = pick(zh, "需不高于 ", "needs at most ") + info.format(*c.Max, zh)
	case c.Min != nil:
		need = pick(zh, "需达到 ", "needs ") + info.format(*c.Min, zh)
	default:
		need = pick(zh, "需不高于 ", "needs at most ") + info.format(*c.Max, zh)
	}
	if zh {
		return info.zh + " " + shown + "，" + need
	}
	return info.en + " " + shown + ", " + need
}

func pick(zh bool, a, b string) string {
	if zh {
		return a
	}
	return b
}

// format shows a value in the metric's unit.
func (info metricInfo) format(v float64, zh bool) string {
	switch info.unit {
	case unitPercent:
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	case unitWan:
		return num(v) + pick(zh, "万元", " wan yuan")
	case unitWanPerMu:
		return num(v) + pick(zh, "万元/亩", " wan yuan per mu")
	case unitYears:
		return num(v) + pick(zh, "年", " years")
	case unitCount:
		return num(v) + pick(zh, "项", "")
	case unitBool:
		if v >= 1 {
			return pick(zh, "是", "yes")
		}
		return pick(zh, "否", "no")
	case unitRating:
		if r := int(v); r >= 1 && r <= len(CreditRatings) {
			return CreditRatings[len(CreditRatings)-r]
		}
		return pick(zh, "无评级", "unrated")
	}
	return num(v)
}

// num prints a number with at most two decimals and no trailing zeros.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func fp(v float64) *float64 { return &v }

// DefaultTierRules returns the built-in criteria, the same as
// configs/tiers.yaml (see its comments for where the numbers come from).
func DefaultTierRules() TierRules {
	return TierRules{Tiers: []TierRule{
		{Tier: TierInnovative, Criteria: []Criterion{
			{Metric: MetricRevenue, Max: fp(40000)},
			{Metric: MetricRDRatio, Min: fp(3)},
			{Metric: MetricPatents, Min: fp(1)},
			{Metric: MetricNoMajorIncident, Min: fp(1)},
		}},
		{Tier: TierSpecialized, Criteria: []Criterion{
			{Metric: MetricRevenue, Min: fp(1000), Max: fp(40000)},
			{Metric: MetricRDSpend, Min: fp(100)},
			{Metric: MetricRDRatio, Min: fp(3)},
			{Metric: MetricNicheYears, Min: fp(2)},
			{Metric: MetricMainBusiness, Min: fp(70)},
			{Metric: MetricDebtRatio, Max: fp(70)},
			{Metric: MetricCreditRating, Rating: "BBB"},
			{Metric: MetricNoMajorIncident, Min: fp(1)},
		}},
		{Tier: TierHiddenChampion, Criteria: []Criterion{
			{Metric: MetricRevenue, Min: fp(5000), Max: fp(400000)},
			{Metric: MetricRDRatio, Min: fp(3)},
			{Metric: MetricNicheYears, Min: fp(5)},
			{Metric: MetricMainBusiness, Min: fp(80)},
			{Metric: MetricDebtRatio, Max: fp(65)},
			{Metric: MetricCreditRating, Rating: "A"},
			{Metric: MetricPatents, Min: fp(2)},
			{Metric: MetricNoMajorIncident, Min: fp(1)},
		}},
		{Tier: TierLittleGiant, Criteria: []Criterion{
			{Metric: MetricRevenue, Min: fp(10000), Max: fp(400000)},
			{Metric: MetricRDRatio, Min: fp(4)},
			{Metric: MetricNicheYears, Min: fp(3)},
			{Metric: MetricMainBusiness, Min: fp(70)},
			{Metric: MetricRevenueGrowth, Min: fp(5)},
			{Metric: MetricDebtRatio, Max: fp(60)},
			{Metric: MetricCreditRating, Rating: "A"},
			{Metric: MetricPatents, Min: fp(2)},
			{Metric: MetricNoMajorIncident, Min: fp(1)},
		}},
	}}
}
