package app

import (
	"fmt"
	"math"
	"time"
)

// Indicator is one organisation's yearly figures in the cultivation database
// (培育库). Money is in 万元 (ten thousand yuan), shares and rates in percent
// (0–100). Indicators are sensitive: only the organisation's members and the
// admins whose region covers it may read them, and they never enter the
// search index, matching or the interchange export.
type Indicator struct {
	OrgID string `json:"orgId" bson:"orgId"`
	Year  int    `json:"year" bson:"year"`

	OutputWan        float64 `json:"outputWan" bson:"outputWan"`               // 产值
	RevenueWan       float64 `json:"revenueWan" bson:"revenueWan"`             // 营业收入
	TaxWan           float64 `json:"taxWan" bson:"taxWan"`                     // 实缴税金
	LandMu           float64 `json:"landMu" bson:"landMu"`                     // 用地面积 (亩)
	EnergyTce        float64 `json:"energyTce" bson:"energyTce"`               // 综合能耗 (吨标准煤)
	RDSpendWan       float64 `json:"rdSpendWan" bson:"rdSpendWan"`             // 研发投入
	InventionPatents int     `json:"inventionPatents" bson:"inventionPatents"` // 有效发明专利
	OwnTrademark     bool    `json:"ownTrademark" bson:"ownTrademark"`         // 自主品牌（注册商标）
	StandardsShare   float64 `json:"standardsShare" bson:"standardsShare"`     // 主要产品采标率
	QualityPassRate  float64 `json:"qualityPassRate" bson:"qualityPassRate"`   // 产品质量合格率
	NCShare          float64 `json:"ncShare" bson:"ncShare"`                   // 关键工序数控化率
	// Safety is the safety and environmental status (安全环保状况) of the year.
	Safety Safety `json:"safety" bson:"safety"`
	// CreditRating is the enterprise credit rating (信用等级), AAA to C; "" if none.
	CreditRating      string  `json:"creditRating,omitempty" bson:"creditRating,omitempty"`
	DebtRatio         float64 `json:"debtRatio" bson:"debtRatio"`                 // 资产负债率
	MainBusinessShare float64 `json:"mainBusinessShare" bson:"mainBusinessShare"` // 主营业务收入占比
	NicheYears        int     `json:"nicheYears" bson:"nicheYears"`               // 从事细分市场年限

	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
}

// Safety is a year's safety and environmental status.
type Safety string

// Safety statuses: no incident, a minor one, a major one (重大安全环保事故),
// which rules a firm out of every tier.
const (
	SafetyClean Safety = "clean"
	SafetyMinor Safety = "minor"
	SafetyMajor Safety = "major"
)

// SafetyStatuses lists every status.
var SafetyStatuses = []Safety{SafetyClean, SafetyMinor, SafetyMajor}

// CreditRatings lists the credit ratings, best first.
var CreditRatings = []string{"AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"}

// RatingRank returns a rating's rank, higher for better (AAA is 9, C is 1),
// and 0 for none or an unknown rating.
func RatingRank(r string) int {
	for i, v := range CreditRatings {
		if v == r {
			return len(CreditRatings) - i
		}
	}
	return 0
}

// IndicatorKey is the key of an organisation's row for a year; keys sort by
// organisation, then year.
func IndicatorKey(orgID string, year int) string { return fmt.Sprintf("%s:%04d", orgID, year) }

// Key returns the row's IndicatorKey.
func (in *Indicator) Key() string { return IndicatorKey(in.OrgID, in.Year) }

// MinIndicatorYear is the earliest year the database keeps.
const MinIndicatorYear = 2000

// maxMoneyWan bounds money fields: 10¹⁰ 万元 is far above any firm.
const maxMoneyWan = 1e10

// Normalize folds the credit rating and fills the default safety status.
func (in *Indicator) Normalize() {
	in.CreditRating = FoldWidth(cleanText(in.CreditRating))
	if in.Safety == "" {
		in.Safety = SafetyClean
	}
}

// Validate checks the row's ranges; now is the current time, for the year,
// which may not lie in the future.
func (in *Indicator) Validate(now time.Time) error {
	var f Fields
	if in.Year < MinIndicatorYear || in.Year > now.Year() {
		f.Add("year", FieldRange, "must be a year between %d and %d (not in the future)", MinIndicatorYear, now.Year())
	}
	for _, m := range []struct {
		field string
		v     float64
	}{{"outputWan", in.OutputWan}, {"revenueWan", in.RevenueWan}, {"taxWan", in.TaxWan},
		{"landMu", in.LandMu}, {"energyTce", in.EnergyTce}, {"rdSpendWan", in.RDSpendWan}} {
		nonNeg(&f, m.field, m.v, maxMoneyWan)
	}
	nonNegInt(&f, "inventionPatents", in.InventionPatents, 1_000_000)
	for _, p := range []struct {
		field string
		v     float64
	}{{"standardsShare", in.StandardsShare}, {"qualityPassRate", in.QualityPassRate}, {"ncShare", in.NCShare},
		{"debtRatio", in.DebtRatio}, {"mainBusinessShare", in.MainBusinessShare}} {
		percent(&f, p.field, p.v)
	}
	if !contains(SafetyStatuses, in.Safety) {
		f.Add("safety", FieldUnknown, "must be one of clean, minor, major")
	}
	if in.CreditRating != "" && RatingRank(in.CreditRating) == 0 {
		f.Add("creditRating", FieldUnknown, "must be one of AAA, AA, A, BBB, BB, B, CCC, CC, C")
	}
	nonNegInt(&f, "nicheYears", in.NicheYears, 200)
	return f.Err()
}

func percent(f *Fields, field string, v float64) {
	if v != v || v < 0 || v > 100 {
		f.Add(field, FieldRange, "must be a percentage between 0 and 100")
	}
}

// sameFigures reports whether two rows hold the same figures, ignoring the
// time they were written: an import that finds equal figures writes nothing.
func sameFigures(a, b *Indicator) bool {
	x, y := *a, *b
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	return x == y
}

// Derived are the figures computed from a row and the row of the year
// before. A figure whose divisor is zero or missing is nil.
type Derived struct {
	// TaxPerMu is 亩均税收, 万元 per 亩.
	TaxPerMu *float64 `json:"taxPerMu"`
	// OutputPerTce is output value per tonne of standard coal, 万元.
	OutputPerTce *float64 `json:"outputPerTce"`
	// RDRatio is R&D spend as a percentage of revenue.
	RDRatio *float64 `json:"rdRatio"`
	// Growth is the year-over-year growth in percent of output, revenue and
	// tax, against the previous year's row; nil without one.
	OutputGrowth  *float64 `json:"outputGrowth"`
	RevenueGrowth *float64 `json:"revenueGrowth"`
	TaxGrowth     *float64 `json:"taxGrowth"`
}

// Derive computes the derived figures of cur; prev is the row of the year
// before or nil.
func Derive(cur, prev *Indicator) Derived {
	d := Derived{
		TaxPerMu:     ratio(cur.TaxWan, cur.LandMu, 1),
		OutputPerTce: ratio(cur.OutputWan, cur.EnergyTce, 1),
		RDRatio:      ratio(cur.RDSpendWan, cur.RevenueWan, 100),
	}
	if prev != nil && prev.Year == cur.Year-1 {
		d.OutputGrowth = growth(cur.OutputWan, prev.OutputWan)
		d.RevenueGrowth = growth(cur.RevenueWan, prev.RevenueWan)
		d.TaxGrowth = growth(cur.TaxWan, prev.TaxWan)
	}
	return d
}

func ratio(a, b, scale float64) *float64 {
	if b <= 0 {
		return nil
	}
	v := round4(a / b * scale)
	return &v
}

func growth(cur, prev float64) *float64 {
	if prev <= 0 {
		return nil
	}
	v := round4((cur - prev) / prev * 100)
	return &v
}

// round4 rounds to four decimals, so derived figures compare and print
// without binary noise.
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// IndicatorYear is a stored row with its derived figures, as the API shows it.
type IndicatorYear struct {
	Indicator
	Derived Derived `json:"derived"`
}

// Level is the level of government at which a firm is cultivated.
type Level string

// Cultivation levels.
const (
	LevelCounty   Level = "county"
	LevelCity     Level = "city"
	LevelProvince Level = "province"
)

// Levels lists the levels, lowest first.
var Levels = []Level{LevelCounty, LevelCity, LevelProvince}

// Membership records that an organisation is in the cultivation database
// (入库培育): at which level, since when and by which office. Admins set it.
type Membership struct {
	OrgID     string    `json:"orgId" bson:"_id"`
	Level     Level     `json:"level" bson:"level"`
	Since     string    `json:"since" bson:"since"` // a date, YYYY-MM-DD
	Office    string    `json:"office" bson:"office"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
}

// Validate checks the membership; since may not lie in the future.
func (m *Membership) Validate(now time.Time) error {
	var f Fields
	if !contains(Levels, m.Level) {
		f.Add("level", FieldUnknown, "must be one of county, city, province")
	}
	if m.Since == "" {
		f.Add("since", FieldRequired, "is required (YYYY-MM-DD)")
	} else if d, err := time.Parse(time.DateOnly, m.Since); err != nil {
		f.Add("since", FieldFormat, "must be a date YYYY-MM-DD")
	} else if d.Year() < MinIndicatorYear || d.After(now) {
		f.Add("since", FieldRange, "must lie between %d and today", MinIndicatorYear)
	}
	requiredText(&f, "office", m.Office, MaxShortRunes)
	return f.Err()
}
