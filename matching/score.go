package matching

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// Score parts by index, for scoring without maps; partNames gives their
// names as in Config.Weights.
const (
	pText = iota
	pIndustry
	pProcess
	pMaterial
	pCerts
	pCapacity
	pRegion
	pTier
	pVerified
	pResponsiveness
	pTicket
	pStage
	pRevenue
	pBudget
	pTRL
	pComplement
	numParts
)

var partNames = [numParts]string{PartText, PartIndustry, PartProcess, PartMaterial, PartCerts, PartCapacity, PartRegion,
	PartTier, PartVerified, PartResponsiveness, PartTicket, PartStage, PartRevenue, PartBudget, PartTRL, PartComplement}

func partIndex(name string) int {
	for i, n := range partNames {
		if n == name {
			return i
		}
	}
	return -1
}

// weights are one view's weights by part index, with their sum.
type weights struct {
	view  string
	parts []int // the view's parts in order
	w     [numParts]float64
	sum   float64
}

// viewWeights indexes a configuration's weights.
func viewWeights(cfg Config) map[string]*weights {
	out := map[string]*weights{}
	for view, names := range Views {
		vw := &weights{view: view}
		for _, n := range names {
			i := partIndex(n)
			vw.parts = append(vw.parts, i)
			vw.w[i] = cfg.Weights[view][n]
			vw.sum += vw.w[i]
		}
		out[view] = vw
	}
	return out
}

// card collects the part values of one pair while it is scored, and,
// when explaining, the reasons behind them and the requirements not met.
// Ranking many candidates scores them without explaining; the page shown
// is scored again with explain set.
type card struct {
	explain    bool
	v          [numParts]float64
	why        [numParts]*app.Reason
	unmet      []app.Reason
	violations []app.Reason
	nViolated  int
}

// set records a part's value, clamped to 0–1.
func (k *card) set(p int, v float64) { k.v[p] = math.Max(0, math.Min(1, v)) }

// put records a part's value and, when explaining, the reason it gives.
func (k *card) put(p int, v float64, why *app.Reason) {
	k.set(p, v)
	if why != nil && k.explain {
		k.why[p] = why
	}
}

// report counts a requirement not met and, when explaining, records why.
func (k *card) report(hard bool, r *app.Reason) {
	if k.miss(hard) {
		k.note(hard, r)
	}
}

// because records the reason a part gives; call it only when explaining.
func (k *card) because(p int, r *app.Reason) { k.why[p] = r }

// miss counts a requirement the candidate does not meet and reports
// whether to record its reason (with note): when explaining.
func (k *card) miss(hard bool) bool {
	if hard {
		k.nViolated++
	}
	return k.explain
}

// note records the reason of a requirement not met: a violation when it
// is hard, an unmet soft requirement otherwise.
func (k *card) note(hard bool, r *app.Reason) {
	if hard {
		k.violations = append(k.violations, *r)
	} else {
		k.unmet = append(k.unmet, *r)
	}
}

// scoredPair is a card weighed: the score (0–100), whether it violates a
// hard requirement, and when explained the parts in the view's order and
// the reasons ordered by the points they add.
type scoredPair struct {
	score      float64
	violated   bool
	parts      []app.ScorePart
	reasons    []app.Reason
	unmet      []app.Reason
	violations []app.Reason
}

// total weighs a card.
func (k *card) total(w *weights) scoredPair {
	out := scoredPair{violated: k.nViolated > 0}
	if w.sum <= 0 {
		return out
	}
	for _, p := range w.parts {
		out.score += 100 * w.w[p] * k.v[p] / w.sum
	}
	if !k.explain {
		return out
	}
	out.unmet, out.violations = k.unmet, k.violations
	type contrib struct {
		r      app.Reason
		points float64
		order  int
	}
	var cs []contrib
	for i, p := range w.parts {
		points := 100 * w.w[p] * k.v[p] / w.sum
		out.parts = append(out.parts, app.ScorePart{Name: partNames[p], Value: round(k.v[p], 3), Weight: w.w[p], Points: round(points, 2)})
		if r := k.why[p]; r != nil && k.v[p] > 0 {
			cs = append(cs, contrib{*r, points, i})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].points != cs[j].points {
			return cs[i].points > cs[j].points
		}
		return cs[i].order < cs[j].order
	})
	for _, x := range cs {
		out.reasons = append(out.reasons, x.r)
	}
	return out
}

// harmonic combines two views' scores where both sides choose.
func harmonic(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return 2 * a * b / (a + b)
}

func round(f float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(f*p) / p
}

// reason builds a reason with parameters given as name, value pairs.
func reason(code string, kv ...any) *app.Reason {
	r := &app.Reason{Code: code}
	if len(kv) > 0 {
		r.Params = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			r.Params[kv[i].(string)] = kv[i+1]
		}
	}
	return r
}

// Industry proximity (GB/T 4754): the value of the deepest level two codes
// share. A code covers everything under it, so an investor's 35 or a
// need's 339 is met in full by 3525 or 3392.
var industryLevels = []struct {
	name  string
	value float64
}{
	{"", 0}, {"section", 0.15}, {"division", 0.4}, {"group", 0.7}, {"class", 1},
}

// industryProximity returns the proximity (0–1) of two codes, the level
// they share and that level's code.
func industryProximity(a, b string) (float64, string, string) {
	la, lb := industryLevel(a), industryLevel(b)
	if la == 0 || lb == 0 {
		return 0, "", ""
	}
	if a == b {
		return 1, industryLevels[la].name, a
	}
	if la >= 2 && lb >= 2 {
		// digit codes: an ancestor is a prefix
		n := 0
		for n < len(a) && n < len(b) && a[n] == b[n] {
			n++
		}
		switch {
		case n == len(a):
			return 1, "covers", a
		case n == len(b):
			return 1, "covers", b
		case n >= 2:
			l := industryLevels[n]
			return l.value, l.name, a[:n]
		}
		sa, sb := sectionOf(a[:2]), sectionOf(b[:2])
		if sa != "" && sa == sb {
			return industryLevels[1].value, industryLevels[1].name, sa
		}
		return 0, "", ""
	}
	// a section letter and a code
	switch {
	case la == 1 && lb >= 2 && sectionOf(b[:2]) == a:
		return 1, "covers", a
	case lb == 1 && la >= 2 && sectionOf(a[:2]) == b:
		return 1, "covers", b
	}
	return 0, "", ""
}

// sectionOf returns the section letter of a division.
func sectionOf(division string) string { return sections()[division] }

var sections = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, in := range ref.Industries() {
		if in.Level == 2 {
			m[in.Code] = in.Parent
		}
	}
	return m
})

// bestIndustry is industryProximity over two lists of codes.
func bestIndustry(as, bs []string) (float64, string, string) {
	var best float64
	var level, code string
	for _, a := range as {
		for _, b := range bs {
			if v, l, c := industryProximity(a, b); v > best {
				best, level, code = v, l, c
			}
		}
	}
	return best, level, code
}

// industryLevel is 1 for a section letter, 2 for a division and so on.
func industryLevel(code string) int {
	switch {
	case len(code) == 1 && code[0] >= 'A' && code[0] <= 'Z':
		return 1
	case len(code) >= 2 && len(code) <= 4 && code[0] >= '0' && code[0] <= '9':
		return len(code)
	}
	return 0
}

// industryCovers reports whether code a is b or an ancestor of b.
func industryCovers(a, b string) bool {
	la, lb := industryLevel(a), industryLevel(b)
	switch {
	case la == 0 || lb == 0:
		return false
	case la == 1:
		return a == b || lb >= 2 && sectionOf(b[:2]) == a
	case lb == 1:
		return false
	}
	return strings.HasPrefix(b, a)
}

// coveredBy reports whether some code of covers is code or an ancestor of it.
func coveredBy(code string, covers []string) bool {
	for _, c := range covers {
		if industryCovers(c, code) {
			return true
		}
	}
	return false
}

// group returns the three-digit group of a class or group code, or the code.
func group(code string) string {
	if industryLevel(code) >= 3 {
		return code[:3]
	}
	return code
}

// Region proximity (行政区划): county, city, province, and the Yangtze
// River Delta (上海, 江苏, 浙江, 安徽) as one wider circle.
var yrd = []string{"31", "32", "33", "34"}

// regionProximity returns the proximity (0–1) of two region codes and
// the level they share.
func regionProximity(a, b string) (float64, string) {
	if len(a) != 6 || len(b) != 6 {
		return 0, ""
	}
	switch {
	case a == b:
		return 1, "county"
	case a[:4] == b[:4]:
		return 0.8, "city"
	case a[:2] == b[:2]:
		return 0.6, "province"
	case slices.Contains(yrd, a[:2]) && slices.Contains(yrd, b[:2]):
		return 0.4, "yrd"
	}
	return 0, ""
}

// inRegions reports whether a region lies in one of regions.
func inRegions(region string, regions []string) bool {
	for _, r := range regions {
		if regionCovers(r, region) {
			return true
		}
	}
	return false
}

// regionCovers reports whether region code a is b or an ancestor of b. A
// 行政区划 code nests by prefix: a province is xx0000, a city xxxx00.
func regionCovers(a, b string) bool {
	if len(a) != 6 || len(b) != 6 {
		return false
	}
	switch {
	case a[2:] == "0000":
		return a[:2] == b[:2]
	case a[4:] == "00":
		return a[:4] == b[:4]
	}
	return a == b
}

// nearest returns the proximity of a region to the closest of regions.
func nearest(region string, regions []string) (float64, string, string) {
	var best float64
	var level, at string
	for _, r := range regions {
		if v, l := regionProximity(region, r); v > best {
			best, level, at = v, l, r
		}
	}
	return best, level, at
}

// tierValue ranks the 专精特新 tiers 0–1.
func tierValue(t app.Tier) float64 {
	for i, x := range app.Tiers {
		if x == t {
			return float64(i) / float64(len(app.Tiers)-1)
		}
	}
	return 0
}
