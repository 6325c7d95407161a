// Package demo writes Rongtong's demo data set: a deterministic, realistic
// Zhejiang economy of SMEs, lead enterprises (龙头企业), investors, universities
// and institutes and event organizers, with every kind of listing, in the
// interchange format (JSON Lines). `rongtong seed --demo` feeds it through the
// normal importer, so it must pass the platform's own validation.
//
// Every name, 统一社会信用代码 and patent number is invented (with correct check
// characters); the GB/T 4754-2017 industry codes and 行政区划 region codes are
// real, taken from package ref.
package demo

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// DefaultOrgs is the number of organisations Write makes when Options.Orgs is 0.
const DefaultOrgs = 1200

// minOrgs is the smallest data set with one organisation of every type.
const minOrgs = 5

// Options say how big a demo to make.
type Options struct {
	Seed int64 // Seed picks the data set: the same seed and size give the same bytes
	Orgs int   // Orgs: total organisations, default 1200
}

// Write writes a deterministic demo data set in the interchange format (JSON Lines, ../shared/IMPORT_FORMAT.md) to w.
func Write(w io.Writer, o Options) error {
	if o.Orgs == 0 {
		o.Orgs = DefaultOrgs
	}
	if o.Orgs < minOrgs {
		return fmt.Errorf("demo: %d organisations asked for, need at least %d (one of each type)", o.Orgs, minOrgs)
	}
	g, err := newGenerator(o.Seed)
	if err != nil {
		return err
	}
	g.makeOrgs(o.Orgs)
	g.makeListings()

	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, rec := range g.orgLines {
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	for _, rec := range g.listingLines {
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// orgLine is a kind=org record; fields in the order of the format.
type orgLine struct {
	Kind           string   `json:"kind"`
	Ref            string   `json:"ref"`
	Name           string   `json:"name"`
	USCC           string   `json:"uscc,omitempty"`
	OrgType        string   `json:"orgType"`
	Region         string   `json:"region,omitempty"`
	Industry       string   `json:"industry,omitempty"`
	Tier           string   `json:"tier,omitempty"`
	Founded        int      `json:"founded,omitempty"`
	Employees      int      `json:"employees,omitempty"`
	RevenueWan     float64  `json:"revenueWan,omitempty"`
	RDRatio        float64  `json:"rdRatio,omitempty"`
	Patents        int      `json:"patents,omitempty"`
	Certifications []string `json:"certifications,omitempty"`
	Products       []string `json:"products,omitempty"`
	Description    string   `json:"description,omitempty"`
}

// amount is a capacity or quantity.
type amount struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Per   string  `json:"per"`
}

// listingLine is any listing record; each kind fills its own fields.
type listingLine struct {
	Kind  string `json:"kind"`
	Ref   string `json:"ref"`
	Org   string `json:"org"`
	Title string `json:"title"`

	Description string `json:"description,omitempty"`
	Abstract    string `json:"abstract,omitempty"`
	Industry    string `json:"industry,omitempty"`

	Industries             []string `json:"industries,omitempty"`
	Processes              []string `json:"processes,omitempty"`
	Materials              []string `json:"materials,omitempty"`
	Certifications         []string `json:"certifications,omitempty"`
	CertificationsRequired []string `json:"certificationsRequired,omitempty"`
	Capacity               *amount  `json:"capacity,omitempty"`
	LeadTimeDays           int      `json:"leadTimeDays,omitempty"`
	RegionsServed          []string `json:"regionsServed,omitempty"`
	Quantity               *amount  `json:"quantity,omitempty"`
	RegionsPreferred       []string `json:"regionsPreferred,omitempty"`
	Deadline               string   `json:"deadline,omitempty"`
	BudgetWan              float64  `json:"budgetWan,omitempty"`
	Hard                   []string `json:"hard,omitempty"`

	IPC           []string `json:"ipc,omitempty"`
	Patents       []string `json:"patents,omitempty"`
	TRL           int      `json:"trl,omitempty"`
	TransferModes []string `json:"transferModes,omitempty"`
	PriceWan      float64  `json:"priceWan,omitempty"`

	Stages          []string `json:"stages,omitempty"`
	TicketMinWan    float64  `json:"ticketMinWan,omitempty"`
	TicketMaxWan    float64  `json:"ticketMaxWan,omitempty"`
	Regions         []string `json:"regions,omitempty"`
	MinRevenueWan   float64  `json:"minRevenueWan,omitempty"`
	Tiers           []string `json:"tiers,omitempty"`
	MinHoldingYears float64  `json:"minHoldingYears,omitempty"`

	AmountWan    float64 `json:"amountWan,omitempty"`
	Stage        string  `json:"stage,omitempty"`
	Instrument   string  `json:"instrument,omitempty"`
	ValuationWan float64 `json:"valuationWan,omitempty"`
	UseOfFunds   string  `json:"useOfFunds,omitempty"`
}

// county is a Zhejiang county-level region with the short forms used in names.
type county struct {
	code, name, short         string
	city, cityName, cityShort string
}

// org is an organisation being made, with what its listings draw on.
type org struct {
	line  *orgLine
	where county
	brand string
	fam   *family    // an SME's main product family
	fam2  *family    // an SME's second family, if any
	ch    *chain     // a lead enterprise's industry chain
	dir   *direction // an institution's research direction
	fund  *fundStyle // an investor's style

	mainProducts []string // an SME's products of its main family
}

// generator holds the random source and everything made so far.
type generator struct {
	r          *rand.Rand
	counties   []county
	byCode     map[string]county
	cityCodes  []string
	cycle      []int // a shuffled order of counties, so every county is used
	cyclePos   int
	names      map[string]bool
	usccs      map[string]bool
	patentNums map[string]bool

	smes, ents, insts, vcs, hosts []*org
	orgLines                      []*orgLine
	listingLines                  []*listingLine
	refCount                      map[string]int
}

func newGenerator(seed int64) (*generator, error) {
	g := &generator{
		r:          rand.New(rand.NewPCG(uint64(seed), 0x726f6e67746f6e67)), // "rongtong"
		byCode:     map[string]county{},
		names:      map[string]bool{},
		usccs:      map[string]bool{},
		patentNums: map[string]bool{},
		refCount:   map[string]int{},
	}
	for _, city := range ref.RegionChildren(zhejiang) {
		g.cityCodes = append(g.cityCodes, city.Code)
		for _, c := range ref.RegionChildren(city.Code) {
			ct := county{code: c.Code, name: c.Name, short: shortPlace(c.Name),
				city: city.Code, cityName: city.Name, cityShort: shortPlace(city.Name)}
			g.counties = append(g.counties, ct)
			g.byCode[c.Code] = ct
		}
	}
	if len(g.counties) == 0 {
		return nil, errors.New("demo: no Zhejiang counties in the reference tables")
	}
	check := func(what string, codes []string, regions bool) error {
		for _, c := range codes {
			if regions {
				if _, ok := g.byCode[c]; !ok {
					return fmt.Errorf("demo: %s: %s is not a Zhejiang county", what, c)
				}
			} else if _, ok := ref.LookupIndustry(c); !ok {
				return fmt.Errorf("demo: %s: %s is not a GB/T 4754 code", what, c)
			}
		}
		return nil
	}
	for _, f := range families {
		if err := errors.Join(check(f.key, f.home, true), check(f.key, append([]string{f.class}, f.serves...), false)); err != nil {
			return nil, err
		}
	}
	for _, c := range chains {
		if err := errors.Join(check(c.word, c.home, true), check(c.word, []string{c.class}, false)); err != nil {
			return nil, err
		}
		for _, k := range c.suppliers {
			if familyByKey(k) == nil {
				return nil, fmt.Errorf("demo: chain %s: no family %q", c.word, k)
			}
		}
	}
	for _, d := range directions {
		for _, k := range d.families {
			if familyByKey(k) == nil {
				return nil, fmt.Errorf("demo: direction %s: no family %q", d.name, k)
			}
		}
	}
	g.cycle = g.r.Perm(len(g.counties))
	return g, nil
}

const zhejiang = "330000"

// shortPlace drops the administrative suffix of a place name as company names
// do: 宁波市 → 宁波, 北仑区 → 北仑, 景宁畲族自治县 → 景宁; two-character names stay.
func shortPlace(name string) string {
	if i := strings.Index(name, "畲族自治县"); i > 0 {
		return name[:i]
	}
	if utf8.RuneCountInString(name) <= 2 {
		return name
	}
	for _, suf := range []string{"市", "区", "县"} {
		if s, ok := strings.CutSuffix(name, suf); ok {
			return s
		}
	}
	return name
}

// ---- random helpers ----

func (g *generator) intn(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func (g *generator) float(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g *generator, xs []T) T { return xs[g.r.IntN(len(xs))] }

// pickN returns n distinct items of xs (all of them if n ≥ len(xs)) in their
// original order.
func pickN[T any](g *generator, xs []T, n int) []T {
	if n >= len(xs) {
		return append([]T(nil), xs...)
	}
	idx := g.r.Perm(len(xs))[:n]
	keep := make([]bool, len(xs))
	for _, i := range idx {
		keep[i] = true
	}
	out := make([]T, 0, n)
	for i, x := range xs {
		if keep[i] {
			out = append(out, x)
		}
	}
	return out
}

// logUniform draws between lo and hi with small values more likely, as firm
// sizes are.
func (g *generator) logUniform(lo, hi float64) float64 {
	return math.Exp(g.float(math.Log(lo), math.Log(hi)))
}

// sig rounds x to n significant digits, as people quote figures.
func sig(x float64, n int) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// num formats a number without trailing zeros.
func num(x float64) string { return fmt.Sprintf("%g", x) }

// wan formats an amount of 万元 as people write it: 3500万元, 1.2亿元.
func wan(x float64) string {
	if x >= 10000 {
		return num(sig(x/10000, 2)) + "亿元"
	}
	return num(sig(x, 2)) + "万元"
}

func list(xs []string) string { return strings.Join(xs, "、") }

func (g *generator) deadline2027() string {
	return fmt.Sprintf("2027-%02d-%02d", g.intn(1, 12), g.intn(1, 28))
}

func (g *generator) ref(prefix string, width int) string {
	g.refCount[prefix]++
	return fmt.Sprintf("demo-%s-%0*d", prefix, width, g.refCount[prefix])
}

// nextCounty returns the next county of a shuffled cycle through all of them.
func (g *generator) nextCounty() county {
	if g.cyclePos == len(g.cycle) {
		g.cycle, g.cyclePos = g.r.Perm(len(g.counties)), 0
	}
	c := g.counties[g.cycle[g.cyclePos]]
	g.cyclePos++
	return c
}

// nearCounty returns one of the counties, or with probability pCity another
// county of the same city as one of them.
func (g *generator) nearCounty(codes []string, pCity float64) county {
	c := g.byCode[pick(g, codes)]
	if g.chance(pCity) {
		var same []county
		for _, x := range g.counties {
			if x.city == c.city {
				same = append(same, x)
			}
		}
		return pick(g, same)
	}
	return c
}

// ---- identifiers ----

// orgCode returns a 9-character 组织机构代码: eight digits and the GB 11714-1997
// check character.
func (g *generator) orgCode() string {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	var b [9]byte
	sum := 0
	for i := range 8 {
		d := g.r.IntN(10)
		b[i] = byte('0' + d)
		sum += d * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		b[8] = 'X'
	case 11:
		b[8] = '0'
	default:
		b[8] = byte('0' + c)
	}
	return string(b[:])
}

// uscc returns a new 统一社会信用代码: the registration authority and type
// ("91" a company, "12" a public institution), the county code, an
// organisation code and the GB 32100-2015 check character.
func (g *generator) uscc(kind, county string) string {
	for {
		first17 := kind + county + g.orgCode()
		code := first17 + string(app.USCCCheckChar(first17))
		if !g.usccs[code] {
			g.usccs[code] = true
			return code
		}
	}
}

// patentNumber returns a granted patent number ZL + the 12-digit application
// number (year, type 1 invention or 2 utility model, serial) + "." + its check
// digit (weights 2…9,2…5, modulo 11, 10 written X).
func (g *generator) patentNumber(invention bool) string {
	for {
		typ := 1
		if !invention {
			typ = 2
		}
		appNo := fmt.Sprintf("%d%d%07d", g.intn(2016, 2024), typ, g.r.IntN(1_000_000))
		weights := [12]int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}
		sum := 0
		for i := range 12 {
			sum += int(appNo[i]-'0') * weights[i]
		}
		check := "X"
		if c := sum % 11; c < 10 {
			check = fmt.Sprint(c)
		}
		n := "ZL" + appNo + "." + check
		if !g.patentNums[n] {
			g.patentNums[n] = true
			return n
		}
	}
}

var brandFirst = []rune("恒华鑫宏泰瑞丰盛嘉永金腾顺佳荣昌正明新海天中东汇联精博创远兴德诚信立达宇昊晟捷锐星辰欧亚凯越万美宝富光长力安通益航科甬瓯禾钱")

var brandSecond = []rune("泰达华盛丰源隆兴昌宇通力诚信瑞升鼎威凯祥发利润安辉顺邦成远鸿域强能特驰恒捷锋晨峰锦航科云川")

// brand returns an invented two-character trade name (字号).
func (g *generator) brand() string {
	for {
		a, b := pick(g, brandFirst), pick(g, brandSecond)
		if a != b {
			return string([]rune{a, b})
		}
	}
}

// uniqueName calls build until it returns a name not used before.
func (g *generator) uniqueName(build func() string) string {
	for {
		if n := build(); !g.names[n] {
			g.names[n] = true
			return n
		}
	}
}

// companyPrefix returns the place part of a company name: the province for
// larger firms, otherwise the city, the county or both.
func (g *generator) companyPrefix(c county, large bool) string {
	if large && g.chance(0.6) {
		return "浙江"
	}
	switch x := g.r.Float64(); {
	case x < 0.4:
		return c.cityShort
	case x < 0.7 && utf8.RuneCountInString(c.short) >= 2:
		return c.short
	case strings.HasSuffix(c.name, "区"):
		return c.cityName + c.name
	default:
		return c.name
	}
}

// ---- organisations ----

func (g *generator) makeOrgs(n int) {
	hosts := max(1, int(math.Round(float64(n)*0.01)))
	vcs := max(1, n*6/100)
	insts := max(1, n*4/100)
	ents := max(1, n*8/100)
	smes := n - hosts - vcs - insts - ents

	for _, t := range g.tiers(smes) {
		g.smes = append(g.smes, g.makeSME(t))
	}
	for range ents {
		g.ents = append(g.ents, g.makeEnterprise())
	}
	for range insts {
		g.insts = append(g.insts, g.makeInstitution())
	}
	for range vcs {
		g.vcs = append(g.vcs, g.makeInvestor())
	}
	for range hosts {
		g.hosts = append(g.hosts, g.makeOrganizer())
	}
	for _, group := range [][]*org{g.smes, g.ents, g.insts, g.vcs, g.hosts} {
		for _, o := range group {
			g.orgLines = append(g.orgLines, o.line)
		}
	}
}

// tierShare is the 专精特新 pyramid: most SMEs have no tier, a few are
// national 小巨人.
var tierShare = []struct {
	tier  app.Tier
	share float64
}{
	{app.TierLittleGiant, 0.03},
	{app.TierHiddenChampion, 0.05},
	{app.TierSpecialized, 0.15},
	{app.TierInnovative, 0.27},
}

// tiers returns n tiers in a shuffled order following tierShare.
func (g *generator) tiers(n int) []app.Tier {
	out := make([]app.Tier, 0, n)
	for _, ts := range tierShare {
		for range int(math.Round(float64(n) * ts.share)) {
			out = append(out, ts.tier)
		}
	}
	for len(out) < n {
		out = append(out, app.TierNone)
	}
	out = out[:n]
	g.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// tierRank orders tiers from none (0) to little giant (4).
func tierRank(t app.Tier) int {
	for i, x := range app.Tiers {
		if x == t {
			return i
		}
	}
	return 0
}

var tierSentences = map[app.Tier][]string{
	app.TierInnovative:  {"已入库浙江省创新型中小企业。", "%d年评为创新型中小企业。"},
	app.TierSpecialized: {"%d年被认定为浙江省专精特新中小企业。", "系省级专精特新中小企业。"},
	app.TierHiddenChampion: {"系浙江省隐形冠军企业，主导产品细分市场占有率居全国前列。",
		"%d年入选浙江省隐形冠军企业培育名单，并已通过认定。"},
	app.TierLittleGiant: {"为国家级专精特新“小巨人”企业。", "%d年入选工业和信息化部专精特新“小巨人”企业名单。"},
}

func (g *generator) tierSentence(t app.Tier) string {
	s, ok := tierSentences[t]
	if !ok {
		return ""
	}
	f := pick(g, s)
	if strings.Contains(f, "%d") {
		return fmt.Sprintf(f, g.intn(2020, 2024))
	}
	return f
}

// familyForCounty picks a family weighted by share, preferring families with a
// cluster in the county's city.
func (g *generator) familyForCounty(c county) *family {
	var local []*family
	for i := range families {
		for _, h := range families[i].home {
			if g.byCode[h].city == c.city {
				local = append(local, &families[i])
				break
			}
		}
	}
	if len(local) > 0 && g.chance(0.7) {
		return pick(g, local)
	}
	return g.weightedFamily()
}

func (g *generator) weightedFamily() *family {
	total := 0
	for _, f := range families {
		total += f.weight
	}
	x := g.r.IntN(total)
	for i := range families {
		if x -= families[i].weight; x < 0 {
			return &families[i]
		}
	}
	return &families[len(families)-1]
}

func (g *generator) makeSME(tier app.Tier) *org {
	i := len(g.smes)
	var f *family
	var c county
	if i%10 >= 7 {
		// Three SMEs in ten take the next county of the cycle, so that every
		// county of the province has firms.
		c = g.nextCounty()
		f = g.familyForCounty(c)
	} else {
		f = g.weightedFamily()
		c = g.nearCounty(f.home, 0.2)
	}
	rank := tierRank(tier)
	o := &org{where: c, fam: f}
	if g.chance(0.25) && len(f.related) > 0 {
		o.fam2 = familyByKey(pick(g, f.related))
	}
	large := rank >= 2
	o.line = &orgLine{Kind: "org", Ref: g.ref("sme", 4), OrgType: string(app.OrgSME), Region: c.code,
		Industry: f.class, Tier: string(tier)}
	o.line.Name = g.uniqueName(func() string {
		o.brand = g.brand()
		suffix := "有限公司"
		if (large && g.chance(0.4)) || g.chance(0.05) {
			suffix = "股份有限公司"
		}
		return g.companyPrefix(c, large) + o.brand + pick(g, f.words) + suffix
	})
	o.line.USCC = g.uscc("91", c.code)

	// Size grows with the tier: employees, revenue per head, R&D and patents.
	empLo := []float64{8, 20, 50, 90, 150}[rank]
	empHi := []float64{220, 350, 700, 1200, 1800}[rank]
	emp := int(g.logUniform(empLo, empHi))
	perHead := g.float(35, 110)
	o.line.Employees = emp
	o.line.RevenueWan = sig(float64(emp)*perHead*(1+0.15*float64(rank)), 3)
	rdLo := []float64{0.005, 0.03, 0.035, 0.04, 0.05}[rank]
	rdHi := []float64{0.03, 0.06, 0.08, 0.09, 0.12}[rank]
	if f.software {
		rdLo, rdHi = rdLo+0.06, rdHi+0.12
	}
	o.line.RDRatio = round(g.float(rdLo, rdHi), 3)
	o.line.Patents = g.intn([]int{0, 0, 2, 5, 10}[rank], []int{2, 6, 15, 30, 60}[rank])
	o.line.Founded = g.intn([]int{1995, 1993, 1990, 1988, 1985}[rank], []int{2022, 2021, 2019, 2017, 2015}[rank])

	var certs []string
	if !f.software || g.chance(0.5) {
		if g.chance(0.88 + 0.03*float64(rank)) {
			certs = append(certs, "ISO9001")
		}
	}
	for _, ct := range f.certs {
		if g.chance(0.3 + 0.12*float64(rank)) {
			certs = append(certs, ct)
		}
	}
	if g.chance(0.2 + 0.12*float64(rank)) {
		certs = append(certs, "ISO14001")
	}
	if rank >= 2 && g.chance(0.3) {
		certs = append(certs, "GB/T29490") // 知识产权管理体系
	}
	o.line.Certifications = dedupe(certs)
	o.line.Products = pickN(g, f.parts, g.intn(2, 4))
	o.mainProducts = o.line.Products
	if o.fam2 != nil {
		o.line.Products = append(o.line.Products, pick(g, o.fam2.parts))
	}
	o.line.Description = g.smeDescription(o, tier)
	return o
}

func dedupe(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func (g *generator) smeDescription(o *org, tier app.Tier) string {
	l, f, c := o.line, o.fam, o.where
	var b strings.Builder
	years := 2025 - l.Founded
	switch g.r.IntN(4) {
	case 0:
		fmt.Fprintf(&b, "%s成立于%d年，位于%s%s，专业从事%s的研发、生产与销售。", l.Name, l.Founded, c.cityName, c.name, list(l.Products))
	case 1:
		fmt.Fprintf(&b, "公司地处%s，深耕%s领域%d年，主要产品有%s。", c.name, f.name, years, list(l.Products))
	case 2:
		fmt.Fprintf(&b, "%s%s是%s一家%s企业，创办于%d年，产品以%s为主。", c.short, o.brand, c.cityName, f.name, l.Founded, list(l.Products))
	default:
		fmt.Fprintf(&b, "专注%s%d年，%s的主营业务为%s，工厂位于%s%s。", f.name, years, l.Name, list(l.Products), c.cityName, c.name)
	}
	procs := pickN(g, f.processes, g.intn(2, 4))
	if f.software {
		fmt.Fprintf(&b, "团队具备%s能力，", list(procs))
	} else {
		fmt.Fprintf(&b, "掌握%s等工艺，", list(procs))
	}
	fmt.Fprintf(&b, "拥有%s，", g.equipment(f, l.Employees))
	if g.chance(0.5) {
		fmt.Fprintf(&b, "现有员工%d人，其中研发人员%d人。", l.Employees, max(1, int(float64(l.Employees)*g.float(0.08, 0.3))))
	} else {
		fmt.Fprintf(&b, "员工%d人，上年度营业收入约%s。", l.Employees, wan(l.RevenueWan))
	}
	if g.chance(0.7) {
		fmt.Fprintf(&b, pick(g, []string{"产品主要配套%s等领域客户。", "客户覆盖%s等行业。", "长期为%s企业提供配套。"}), list(pickN(g, f.markets, g.intn(1, 3))))
	}
	if len(l.Certifications) > 0 {
		fmt.Fprintf(&b, pick(g, []string{"已通过%s认证。", "质量与管理体系：%s。", "持有%s等体系证书。"}), list(l.Certifications))
	}
	if l.Patents > 0 && g.chance(0.6) {
		fmt.Fprintf(&b, "拥有授权发明专利%d项。", l.Patents)
	}
	b.WriteString(g.tierSentence(tier))
	return b.String()
}

// equipment names some of the family's equipment, with counts that grow with
// the firm's head count.
func (g *generator) equipment(f *family, employees int) string {
	scale := math.Min(1, float64(employees)/800)
	var parts []string
	for _, k := range pickN(g, f.equip, g.intn(1, 2)) {
		n := max(1, int(math.Round(float64(k.most)*scale*g.float(0.5, 1))))
		parts = append(parts, fmt.Sprintf("%s%d%s", k.name, n, k.unit))
	}
	return list(parts)
}

func (g *generator) makeEnterprise() *org {
	ch := &chains[len(g.ents)%len(chains)]
	if len(g.ents) >= len(chains) {
		ch = &chains[g.r.IntN(len(chains))]
	}
	c := g.nearCounty(ch.home, 0.3)
	o := &org{where: c, ch: ch}
	o.line = &orgLine{Kind: "org", Ref: g.ref("ent", 3), OrgType: string(app.OrgEnterprise), Region: c.code, Industry: ch.class}
	o.line.Name = g.uniqueName(func() string {
		o.brand = g.brand()
		prefix := "浙江"
		if g.chance(0.35) {
			prefix = c.cityShort
		}
		if g.chance(0.3) {
			return o.brand + "集团股份有限公司"
		}
		return prefix + o.brand + ch.word + pick(g, []string{"股份有限公司", "集团有限公司", "股份有限公司"})
	})
	o.line.USCC = g.uscc("91", c.code)
	o.line.Founded = g.intn(1978, 2012)
	o.line.Employees = int(sig(g.logUniform(800, 20000), 2))
	o.line.RevenueWan = sig(float64(o.line.Employees)*g.float(80, 250), 2)
	o.line.RDRatio = round(g.float(0.025, 0.07), 3)
	o.line.Patents = g.intn(30, 600)
	o.line.Certifications = append([]string{"ISO9001", "ISO14001", "ISO45001"}, pickN(g, ch.certs, g.intn(1, len(ch.certs)))...)
	o.line.Products = pickN(g, ch.products, g.intn(2, 4))
	var b strings.Builder
	switch g.r.IntN(3) {
	case 0:
		fmt.Fprintf(&b, "%s是%s%s产业链龙头企业，主营%s，", o.line.Name, c.cityName, ch.word, list(o.line.Products))
	case 1:
		fmt.Fprintf(&b, "公司创建于%d年，总部位于%s%s，是国内%s行业的骨干企业，产品涵盖%s，", o.line.Founded, c.cityName, c.name, ch.word, list(o.line.Products))
	default:
		fmt.Fprintf(&b, "%s集团以%s为核心业务，", o.brand, list(o.line.Products))
	}
	fmt.Fprintf(&b, "年营业收入约%s，员工%d人。", wan(o.line.RevenueWan), o.line.Employees)
	fmt.Fprintf(&b, pick(g, []string{"公司建有省级企业技术中心，带动省内配套企业%d余家。",
		"现有一级供应商%d余家，正持续推进供应链本地化。",
		"近年推行“链主”带动计划，与%d多家中小企业建立长期协作。"}), g.intn(5, 40)*10)
	fmt.Fprintf(&b, "重点采购品类包括%s。", g.supplierNames(ch))
	o.line.Description = b.String()
	return o
}

func (g *generator) supplierNames(ch *chain) string {
	var names []string
	for _, k := range pickN(g, ch.suppliers, min(4, len(ch.suppliers))) {
		names = append(names, familyByKey(k).name)
	}
	return list(names)
}

func (g *generator) makeInstitution() *org {
	d := &directions[len(g.insts)%len(directions)]
	if len(g.insts) >= len(directions) {
		d = &directions[g.r.IntN(len(directions))]
	}
	// Institutes sit near the clusters they serve, universities mostly in cities.
	f := familyByKey(pick(g, d.families))
	c := g.nearCounty(f.home, 0.5)
	o := &org{where: c, dir: d}
	industry := "7320" // 工程和技术研究和试验发展
	kind := g.r.IntN(3)
	o.line = &orgLine{Kind: "org", Ref: g.ref("ins", 3), OrgType: string(app.OrgInstitution), Region: c.code}
	o.line.Name = g.uniqueName(func() string {
		o.brand = g.brand()
		switch kind {
		case 0:
			return o.brand + pick(g, []string{"理工大学", "工业大学", "科技大学"}) + c.cityShort + "研究院"
		case 1:
			return c.cityShort + o.brand + d.name + "研究院"
		default:
			industry = "8341" // 普通高等教育
			return c.cityShort + o.brand + pick(g, []string{"职业技术学院", "理工学院"})
		}
	})
	o.line.Industry = industry
	o.line.USCC = g.uscc("12", c.code)
	o.line.Founded = []int{g.intn(2012, 2022), g.intn(2000, 2021), g.intn(1958, 2005)}[kind]
	o.line.Employees = g.intn(60, 1500)
	o.line.Patents = g.intn(20, 400)
	var topics []string
	for _, k := range pickN(g, d.families, 3) {
		topics = append(topics, pick(g, familyByKey(k).topics))
	}
	o.line.Products = topics
	var b strings.Builder
	if kind == 2 {
		fmt.Fprintf(&b, "%s是%s的一所高校，设有%s相关专业和研究所，", o.line.Name, c.cityName, d.name)
	} else {
		fmt.Fprintf(&b, "%s是面向%s领域的新型研发机构，", o.line.Name, d.name)
	}
	fmt.Fprintf(&b, "现有科研人员%d人，建有省级以上创新平台%d个。研究方向包括%s。", o.line.Employees/2, g.intn(2, 9), list(topics))
	fmt.Fprintf(&b, pick(g, []string{"已与%d家企业开展产学研合作，提供中试验证、检测分析和技术转移服务。",
		"近三年完成成果转化项目%d项，可提供联合研发与人才培养服务。"}), g.intn(20, 300))
	o.line.Description = b.String()
	return o
}

// fundStyle is an investor's kind: what it is called and what it funds.
type fundStyle struct {
	suffix  string
	class   string
	stages  [][]string
	label   string
	tierPct float64
	aum     [2]int // 管理规模, 亿元
}

var fundStyles = []fundStyle{
	{"创业投资合伙企业（有限合伙）", "6731", [][]string{{"angel", "A"}, {"A", "B"}, {"seed", "angel"}, {"A"}}, "创业投资机构", 0.3, [2]int{5, 60}},
	{"股权投资基金管理有限公司", "6760", [][]string{{"B", "C"}, {"B", "C", "pre-IPO"}, {"C", "pre-IPO"}, {"A", "B"}}, "私募股权投资机构", 0.5, [2]int{20, 300}},
	{"产业投资有限公司", "6760", [][]string{{"A", "B", "C"}, {"B", "C"}, {"angel", "A", "B"}}, "国有产业投资平台", 0.7, [2]int{50, 500}},
	{"天使投资合伙企业（有限合伙）", "6732", [][]string{{"seed", "angel"}, {"angel"}, {"seed", "angel", "A"}}, "天使投资机构", 0.1, [2]int{1, 10}},
}

// fundHomes are where investors sit: the financial districts of the big cities.
var fundHomes = []string{"330102", "330106", "330108", "330106", "330102", "330212", "330203", "330302", "330402", "330602"}

func (g *generator) makeInvestor() *org {
	fs := &fundStyles[g.r.IntN(len(fundStyles))]
	c := g.byCode[pick(g, fundHomes)]
	o := &org{where: c, fund: fs}
	o.line = &orgLine{Kind: "org", Ref: g.ref("vc", 3), OrgType: string(app.OrgInvestor), Region: c.code, Industry: fs.class}
	o.line.Name = g.uniqueName(func() string {
		o.brand = g.brand()
		prefix := c.cityShort
		if g.chance(0.3) {
			prefix = "浙江"
		}
		return prefix + o.brand + fs.suffix
	})
	o.line.USCC = g.uscc("91", c.code)
	o.line.Founded = g.intn(2005, 2022)
	o.line.Employees = g.intn(8, 90)
	aum := g.intn(fs.aum[0], fs.aum[1])
	o.line.Description = fmt.Sprintf("%s是一家%s，成立于%d年，管理基金规模约%d亿元，已投项目%d个，其中%d家已登陆科创板、创业板或北交所。团队长期跟踪浙江制造业细分赛道，擅长陪伴专精特新企业从技术验证走向规模化。",
		o.line.Name, fs.label, o.line.Founded, aum, g.intn(15, 180), g.intn(1, 20))
	return o
}

func (g *generator) makeOrganizer() *org {
	c := g.byCode[pick(g, []string{"330106", "330108", "330212", "330302", "330382", "331002", "330402", "330782", "330602", "330206"})]
	o := &org{where: c}
	f := g.familyForCounty(c)
	industry := "7281" // 科技会展服务
	o.line = &orgLine{Kind: "org", Ref: g.ref("org", 3), OrgType: string(app.OrgOrganizer), Region: c.code}
	o.line.Name = g.uniqueName(func() string {
		o.brand = g.brand()
		switch g.r.IntN(3) {
		case 0:
			return c.cityShort + o.brand + "会展服务有限公司"
		case 1:
			industry = "7530" // 科技中介服务
			return "浙江" + o.brand + "产业对接服务有限公司"
		default:
			industry = "7530"
			return c.short + f.name + "产业联盟"
		}
	})
	o.line.Industry = industry
	o.line.Founded = g.intn(2008, 2022)
	o.line.Employees = g.intn(6, 60)
	o.line.Products = pickN(g, []string{"供需对接会", "产融对接会", "技术成果路演", "链主企业采购洽谈会", "专精特新企业培训"}, 3)
	o.line.Description = fmt.Sprintf("%s每年承办%d场产业链供需对接和产融对接活动，服务%s等产业集群，提供一对一洽谈排期、现场签约和会后跟踪服务。",
		o.line.Name, g.intn(6, 40), f.name)
	return o
}

// ---- listings ----

func (g *generator) makeListings() {
	for _, o := range g.smes {
		for i := range g.intn(1, 3) {
			g.add(g.capability(o, i))
		}
	}
	for _, o := range g.ents {
		for range g.intn(2, 3) {
			g.add(g.need(o))
		}
	}
	for _, o := range g.insts {
		for range g.intn(3, 4) {
			g.add(g.tech(o, familyByKey(pick(g, o.dir.families))))
		}
	}
	// Leading SMEs list some of their own technology too.
	for _, o := range g.smes {
		if tierRank(app.Tier(o.line.Tier)) >= 3 && g.chance(0.5) {
			g.add(g.tech(o, o.fam))
		}
	}
	// The first SME, the demo's SME account, shows every kind an SME can post.
	for i, o := range g.smes {
		if i == 0 || g.chance(0.08+0.05*float64(tierRank(app.Tier(o.line.Tier)))) {
			g.add(g.techNeed(o))
		}
	}
	for _, o := range g.vcs {
		g.add(g.investorPrefs(o))
	}
	for i, o := range g.smes {
		if i == 0 || g.chance(0.18+0.06*float64(tierRank(app.Tier(o.line.Tier)))) {
			g.add(g.financing(o))
		}
	}
}

func (g *generator) add(l *listingLine) { g.listingLines = append(g.listingLines, l) }

// regionsNear returns region codes an organisation in c serves or prefers.
func (g *generator) regionsNear(c county) []string {
	switch x := g.r.Float64(); {
	case x < 0.3:
		return []string{c.city}
	case x < 0.55:
		return []string{zhejiang}
	case x < 0.75:
		others := pickN(g, g.cityCodes, 3)
		out := []string{c.city}
		for _, o := range others {
			if o != c.city && len(out) < 3 {
				out = append(out, o)
			}
		}
		return out
	case x < 0.9:
		return []string{zhejiang, "310000", "320000"} // 长三角
	default:
		return []string{c.code}
	}
}

func regionNames(codes []string) string {
	var names []string
	for _, c := range codes {
		names = append(names, ref.RegionName(c))
	}
	return list(names)
}

// capability makes an SME's i-th capability; the first is of its main family.
func (g *generator) capability(o *org, i int) *listingLine {
	f := o.fam
	if i > 0 && o.fam2 != nil && g.chance(0.6) {
		f = o.fam2
	}
	part := pick(g, f.parts)
	procs := append([]string{f.processes[0]}, pickN(g, f.processes[1:], g.intn(1, 3))...)
	if g.chance(0.3) {
		procs = procs[1:] // not every capability lists the family's core process
	}
	l := &listingLine{Kind: string(app.KindCapability), Ref: g.ref("cap", 4), Org: o.line.Ref}
	if len(f.materials) > 0 {
		l.Materials = pickN(g, f.materials, g.intn(1, 3))
	}
	for _, ct := range o.line.Certifications {
		if g.chance(0.8) {
			l.Certifications = append(l.Certifications, ct)
		}
	}
	share := g.float(0.3, 0.9)
	perYear := math.Max(1, o.line.RevenueWan*share/f.priceMid())
	l.Capacity = g.amount(perYear, f.unit)
	l.LeadTimeDays = g.intn(f.lead[0], f.lead[1])
	l.Industries = dedupe(append([]string{f.class}, pickN(g, f.serves, g.intn(0, 2))...))
	l.RegionsServed = g.regionsNear(o.where)

	switch g.r.IntN(8) {
	case 0:
		l.Title = part + procs[0]
		if !strings.HasSuffix(procs[0], "加工") {
			l.Title += "加工"
		}
	case 1:
		l.Title = fmt.Sprintf("承接%s订单（%s）", part, list(procs[:min(2, len(procs))]))
	case 2:
		if len(l.Materials) > 0 {
			l.Title = l.Materials[0] + part + "批量供货"
		} else {
			l.Title = part + "定制开发与实施"
		}
	case 3:
		l.Title = strings.Join(procs[:min(2, len(procs))], "+") + "一站式配套：" + part
	case 4:
		l.Title = o.where.short + part + "产能开放"
	case 5:
		l.Title = o.brand + f.name + "：" + part + "配套"
	case 6:
		if f.software {
			l.Title = part + "二次开发服务"
		} else {
			l.Title = "承接" + part + "定制"
		}
	default:
		per := map[string]string{"year": "年", "month": "月"}[l.Capacity.Per]
		l.Title = fmt.Sprintf("%s%s%s%s供货能力", per, num(l.Capacity.Value), l.Capacity.Unit, part)
	}
	l.Processes = procs

	var b strings.Builder
	openers := []string{"可承接%[1]s等产品的%[2]s，", "主要为%[3]s客户提供%[1]s，工艺涵盖%[2]s，", "本厂长期生产%[1]s，熟练掌握%[2]s，"}
	capWord := "产能"
	if f.software {
		openers = []string{"可为%[3]s企业提供%[1]s，服务内容包括%[2]s，", "%[1]s已在%[3]s行业落地，团队擅长%[2]s，"}
		capWord = "交付能力"
	}
	fmt.Fprintf(&b, pick(g, openers), part, list(procs), list(pickN(g, f.markets, 2)))
	if l.Capacity.Per == "month" {
		fmt.Fprintf(&b, "月%s约%s%s。", capWord, num(l.Capacity.Value), l.Capacity.Unit)
	} else {
		fmt.Fprintf(&b, "年%s约%s%s，目前尚有约%d%%富余。", capWord, num(l.Capacity.Value), l.Capacity.Unit, g.intn(10, 40))
	}
	if len(l.Materials) > 0 {
		fmt.Fprintf(&b, pick(g, []string{"常用材料有%s。", "可加工%s等材料。", "材料以%s为主，也可按客户指定采购。"}), list(l.Materials))
	}
	fmt.Fprintf(&b, "配备%s和%s，", g.equipment(f, o.line.Employees), pick(g, f.qc))
	if g.chance(0.5) {
		fmt.Fprintf(&b, "打样周期约%d天，批量交期%d天。", max(3, l.LeadTimeDays/2), l.LeadTimeDays)
	} else {
		fmt.Fprintf(&b, "常规交期%d天，急单可协商。", l.LeadTimeDays)
	}
	if len(l.Certifications) > 0 {
		fmt.Fprintf(&b, "体系认证：%s。", list(l.Certifications))
	}
	fmt.Fprintf(&b, pick(g, []string{"服务范围：%s。", "优先对接%s的客户，可上门交流。", "已为%s多家企业稳定供货。"}), regionNames(l.RegionsServed))
	if g.chance(0.05) {
		b.WriteString("车间已上线MES系统，生产进度和质量数据可实时共享给客户。")
	}
	l.Description = b.String()
	return l
}

// amount states a yearly figure per year or, one time in four, per month,
// rounded as people quote it.
func (g *generator) amount(perYear float64, unit string) *amount {
	if g.chance(0.25) && perYear >= 24 {
		return &amount{Value: sig(perYear/12, 2), Unit: unit, Per: "month"}
	}
	return &amount{Value: sig(perYear, 2), Unit: unit, Per: "year"}
}

func (g *generator) need(o *org) *listingLine {
	ch := o.ch
	f := familyByKey(pick(g, ch.suppliers))
	part := pick(g, ch.fit(f.parts))
	product := pick(g, o.line.Products)
	l := &listingLine{Kind: string(app.KindNeed), Ref: g.ref("need", 3), Org: o.line.Ref, Industry: f.class}
	l.Processes = append([]string{f.processes[0]}, pickN(g, f.processes[1:], g.intn(0, 2))...)
	if len(f.materials) > 0 {
		l.Materials = pickN(g, f.materials, g.intn(1, 2))
	}
	l.CertificationsRequired = []string{"ISO9001"}
	if g.chance(0.7) {
		l.CertificationsRequired = append(l.CertificationsRequired, pick(g, ch.certs))
	}
	if g.chance(0.25) {
		l.CertificationsRequired = append(l.CertificationsRequired, "ISO14001")
	}
	l.CertificationsRequired = dedupe(l.CertificationsRequired)
	// A typical supplier of the family sells a few thousand 万元 a year; a lead
	// enterprise buys a good share of that.
	perYear := math.Max(1, g.float(0.1, 0.7)*5000/f.priceMid())
	l.Quantity = g.amount(perYear, f.unit)
	l.BudgetWan = sig(perYear*f.priceMid()*g.float(0.85, 1.15), 2)
	if g.chance(0.7) {
		l.RegionsPreferred = g.regionsNear(o.where)
	}
	l.Deadline = g.deadline2027()
	if g.chance(0.25) {
		l.Hard = []string{"certificationsRequired"}
	}

	switch g.r.IntN(6) {
	case 0:
		l.Title = part + "配套采购"
	case 1:
		l.Title = "寻找" + part + "合格供应商"
	case 2:
		l.Title = "2027年度" + part + "二供开发"
	case 3:
		l.Title = product + "项目" + part + "定点需求"
	case 4:
		l.Title = fmt.Sprintf("%s%s采购%s", o.where.cityShort, o.brand, part)
	default:
		if len(l.Materials) > 0 {
			l.Title = fmt.Sprintf("%s（%s）长期采购", part, l.Materials[0])
		} else {
			l.Title = product + "配套" + part + "询价"
		}
	}
	var b strings.Builder
	b.WriteString(pick(g, []string{
		fmt.Sprintf("因%s产能扩张，现需新增%s供应商。", product, part),
		fmt.Sprintf("我司%s新项目计划于2027年量产，面向省内公开征集%s配套企业。", product, part),
		fmt.Sprintf("为降低单一来源风险，拟为%s开发第二家%s供应商。", product, part),
		fmt.Sprintf("%s国产化替代项目启动，寻求%s本地配套。", product, part),
	}))
	if len(l.Materials) > 0 {
		fmt.Fprintf(&b, pick(g, []string{"材料要求%s，", "指定材料为%s，"}), list(l.Materials))
	}
	fmt.Fprintf(&b, "需具备%s能力，", list(l.Processes))
	if l.Quantity.Per == "month" {
		fmt.Fprintf(&b, "月需求约%s%s。", num(l.Quantity.Value), l.Quantity.Unit)
	} else {
		fmt.Fprintf(&b, "预计年用量%s%s。", num(l.Quantity.Value), l.Quantity.Unit)
	}
	fmt.Fprintf(&b, pick(g, []string{"供应商须通过%s认证。", "要求具备%s体系。"}), list(l.CertificationsRequired))
	if len(l.RegionsPreferred) > 0 {
		fmt.Fprintf(&b, "同等条件下优先考虑%s的企业。", regionNames(l.RegionsPreferred))
	}
	b.WriteString(pick(g, []string{"样件认可后签订年度框架协议，月结60天。", "可提供模具费分摊和技术支持。",
		"首批订单后视质量表现逐步放量。", "需配合我司进行现场审核和PPAP提交。"}))
	fmt.Fprintf(&b, "年度采购预算约%s，请于%s前完成报价。", wan(l.BudgetWan), l.Deadline)
	l.Description = b.String()
	return l
}

var pains = []string{"良品率不稳定", "能耗偏高", "人工依赖度高", "关键工艺参数靠经验设定", "核心材料依赖进口", "在线检测效率低", "换型时间长"}

var approaches = []string{"通过工艺仿真与正交试验优化了关键参数", "构建了基于机器视觉的在线检测模型",
	"开发了专用工装和闭环控制软件", "形成了新的材料配方与制备工艺", "建立了工艺数据库和质量预测模型"}

var modeNames = map[string]string{"transfer": "转让", "license": "许可", "equity": "作价入股", "co-develop": "合作开发"}

func (g *generator) tech(o *org, f *family) *listingLine {
	topic := pick(g, f.topics)
	l := &listingLine{Kind: string(app.KindTech), Ref: g.ref("tech", 3), Org: o.line.Ref}
	l.Industries = []string{f.class}
	if g.chance(0.4) {
		l.Industries = append(l.Industries, pick(g, f.serves))
	}
	l.Industries = dedupe(l.Industries)
	l.IPC = pickN(g, f.ipc, g.intn(1, 2))
	for range g.intn(1, 3) {
		l.Patents = append(l.Patents, g.patentNumber(g.chance(0.8)))
	}
	if o.line.OrgType == string(app.OrgSME) {
		l.TRL = g.intn(6, 9)
	} else {
		l.TRL = g.intn(3, 7)
	}
	l.TransferModes = pickN(g, app.TransferModes, g.intn(1, 3))
	if g.chance(0.85) {
		l.PriceWan = sig(g.logUniform(20, 150)*float64(l.TRL)/3, 2)
	}
	switch g.r.IntN(4) {
	case 0:
		l.Title = topic + "技术"
	case 1:
		l.Title = topic + "关键技术及装备"
	case 2:
		l.Title = "面向" + f.name + "的" + topic + "方法"
	default:
		l.Title = topic + "成套工艺"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "针对%s生产中%s的问题，团队%s，研发了%s技术。", f.name, pick(g, pains), pick(g, approaches), topic)
	a := g.intn(80, 94)
	fmt.Fprintf(&b, pick(g, []string{"在%[1]d家企业验证，产品合格率由%[2]d%%提升至%[3]d%%。",
		"经%[1]d家企业试用，单位能耗降低%[4]d%%。", "在%[1]d条产线应用后，生产节拍缩短%[4]d%%。"}),
		g.intn(1, 6), a, a+g.intn(3, 5), g.intn(8, 30))
	switch {
	case l.TRL <= 3:
		b.WriteString("目前处于实验室原理验证阶段，寻求有应用场景的企业共同推进。")
	case l.TRL <= 5:
		b.WriteString("已完成实验室样机和小批量试制。")
	case l.TRL <= 7:
		b.WriteString("已完成中试，具备产业化条件。")
	default:
		b.WriteString("已在企业产线稳定应用。")
	}
	fmt.Fprintf(&b, "相关专利%d项，IPC分类%s。", len(l.Patents), list(l.IPC))
	var modes []string
	for _, m := range l.TransferModes {
		modes = append(modes, modeNames[m])
	}
	fmt.Fprintf(&b, "可采用%s方式合作", list(modes))
	if l.PriceWan > 0 {
		fmt.Fprintf(&b, "，参考价格%s。", wan(l.PriceWan))
	} else {
		b.WriteString("，价格面议。")
	}
	l.Abstract = b.String()
	return l
}

func (g *generator) techNeed(o *org) *listingLine {
	f := o.fam
	topic := pick(g, f.topics)
	part := pick(g, o.mainProducts)
	l := &listingLine{Kind: string(app.KindTechNeed), Ref: g.ref("tn", 3), Org: o.line.Ref}
	l.Industries = []string{f.class}
	l.BudgetWan = sig(g.logUniform(10, 500), 2)
	l.Deadline = g.deadline2027()
	pain := pick(g, pains)
	switch g.r.IntN(3) {
	case 0:
		l.Title = topic + "技术需求"
	case 1:
		l.Title = "寻求" + topic + "解决方案"
	default:
		l.Title = part + pain + "问题攻关"
	}
	goal := pick(g, []string{
		fmt.Sprintf("将不良率降至%d%%以下", g.intn(1, 3)),
		fmt.Sprintf("单件成本降低%d%%", g.intn(10, 25)),
		"实现关键工序自动化", "替代进口设备和材料", "通过主机厂新项目认证"})
	l.Description = fmt.Sprintf("公司%s生产中存在%s的问题，希望引进%s相关技术，目标是%s。合作方式可为技术转让、委托开发或共建研发中心，预算约%s，希望在%s前完成验证。",
		part, pain, topic, goal, wan(l.BudgetWan), l.Deadline)
	return l
}

var stageTickets = map[string][2]float64{
	"seed": {50, 300}, "angel": {200, 1000}, "A": {1000, 5000}, "B": {3000, 15000}, "C": {5000, 30000}, "pre-IPO": {10000, 50000},
}

var stageNames = map[string]string{"seed": "种子轮", "angel": "天使轮", "A": "A轮", "B": "B轮", "C": "C轮", "pre-IPO": "Pre-IPO轮"}

// investorFocus are industry codes investors state, at the level they think in.
var investorFocus = [][]string{
	{"33", "34"}, {"382", "384"}, {"398", "397"}, {"358"}, {"36", "37"}, {"65"}, {"17", "18"},
	{"26", "29"}, {"34", "35"}, {"38", "39"}, {"C"}, {"3825", "3841"}, {"651", "398"}, {"345", "344", "348"},
}

func (g *generator) investorPrefs(o *org) *listingLine {
	fs := o.fund
	l := &listingLine{Kind: string(app.KindInvestor), Ref: g.ref("pref", 3), Org: o.line.Ref}
	l.Industries = append([]string(nil), pick(g, investorFocus)...)
	if g.chance(0.3) {
		l.Industries = dedupe(append(l.Industries, pick(g, investorFocus)...))
	}
	l.Stages = pick(g, fs.stages)
	l.TicketMinWan = stageTickets[l.Stages[0]][0]
	l.TicketMaxWan = stageTickets[l.Stages[len(l.Stages)-1]][1]
	switch x := g.r.Float64(); {
	case x < 0.4:
		l.Regions = []string{zhejiang}
	case x < 0.7:
		l.Regions = pickN(g, g.cityCodes, g.intn(1, 3))
	}
	if l.Stages[0] != "seed" && l.Stages[0] != "angel" {
		l.MinRevenueWan = sig(g.logUniform(2000, 30000), 1)
	}
	if g.chance(fs.tierPct) {
		l.Tiers = pick(g, [][]string{{"specialized", "hidden_champion", "little_giant"}, {"little_giant"},
			{"innovative", "specialized"}, {"hidden_champion", "little_giant"}})
	}
	l.MinHoldingYears = float64(g.intn(3, 7))

	var focus, stages []string
	for _, c := range l.Industries {
		focus = append(focus, ref.IndustryName(c))
	}
	for _, s := range l.Stages {
		stages = append(stages, stageNames[s])
	}
	l.Title = fmt.Sprintf("%s：%s%s投资", strings.TrimSuffix(o.line.Name, fs.suffix), focus[0], strings.Join(stages, "/"))
	var b strings.Builder
	fmt.Fprintf(&b, "重点关注%s领域的%s项目，单笔投资%s至%s。", list(focus), list(stages), wan(l.TicketMinWan), wan(l.TicketMaxWan))
	if len(l.Regions) > 0 {
		fmt.Fprintf(&b, "优先投资注册在%s的企业。", regionNames(l.Regions))
	} else {
		b.WriteString("投资地域不限，长三角项目优先。")
	}
	if l.MinRevenueWan > 0 {
		fmt.Fprintf(&b, "要求上年度营业收入不低于%s。", wan(l.MinRevenueWan))
	}
	if len(l.Tiers) > 0 {
		b.WriteString("优先考虑已获专精特新相关认定的企业。")
	}
	fmt.Fprintf(&b, "一般持有%d年以上，可提供供应链协同、上市辅导和后续融资支持。", int(l.MinHoldingYears))
	l.Description = b.String()
	return l
}

func (g *generator) financing(o *org) *listingLine {
	f := o.fam
	rank := tierRank(app.Tier(o.line.Tier))
	stages := [][]string{{"seed", "angel", "A"}, {"angel", "A"}, {"A", "B"}, {"B", "C"}, {"B", "C", "pre-IPO"}}[rank]
	l := &listingLine{Kind: string(app.KindFinancing), Ref: g.ref("fin", 3), Org: o.line.Ref}
	l.Stage = pick(g, stages)
	switch x := g.r.Float64(); {
	case x < 0.6:
		l.Instrument = "equity"
	case x < 0.85:
		l.Instrument = "debt"
	default:
		l.Instrument = "convertible"
	}
	if l.Instrument == "debt" {
		l.AmountWan = sig(math.Max(100, o.line.RevenueWan*g.float(0.05, 0.3)), 2)
	} else {
		t := stageTickets[l.Stage]
		l.AmountWan = sig(math.Max(t[0], math.Min(g.logUniform(t[0], t[1]), o.line.RevenueWan*g.float(0.2, 0.8))), 2)
		l.ValuationWan = sig(l.AmountWan/g.float(0.08, 0.25), 2)
	}
	var uses []string
	for _, u := range pickN(g, []string{
		fmt.Sprintf("新建%s产线%d条", f.processes[0], g.intn(1, 4)),
		"购置" + pick(g, f.equip).name,
		"建设研发中心和检测实验室", "补充流动资金", "数字化车间改造", "拓展海外市场",
	}, g.intn(2, 3)) {
		uses = append(uses, strings.TrimSpace(u))
	}
	l.UseOfFunds = strings.Join(uses, "；")
	product := pick(g, o.line.Products)
	instrument := map[string]string{"equity": "股权", "debt": "债权", "convertible": "可转债"}[l.Instrument]
	switch g.r.IntN(3) {
	case 0:
		l.Title = product + "扩产项目" + stageNames[l.Stage] + "融资"
	case 1:
		l.Title = fmt.Sprintf("%s%s%s融资需求", o.where.short, o.brand, instrument)
	default:
		l.Title = "寻求" + wan(l.AmountWan) + instrument + "融资用于" + uses[0]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "公司主营%s，上年度营业收入%s，研发投入占比%s%%。", list(o.line.Products), wan(o.line.RevenueWan), num(round(o.line.RDRatio*100, 1)))
	if s := g.tierSentence(app.Tier(o.line.Tier)); s != "" {
		b.WriteString(s)
	}
	fmt.Fprintf(&b, "本轮计划以%s方式融资%s，资金用于%s。", instrument, wan(l.AmountWan), strings.Join(uses, "、"))
	if l.ValuationWan > 0 {
		fmt.Fprintf(&b, "投前估值约%s。", wan(l.ValuationWan))
	}
	fmt.Fprintf(&b, "项目达产后预计新增年产值%s。", wan(sig(l.AmountWan*g.float(1.5, 4), 2)))
	l.Description = b.String()
	return l
}

// ---- vocabulary ----

// kit is a piece of equipment named in descriptions, with its counting word
// and the most a firm of the family would have.
type kit struct {
	name, unit string
	most       int
}

// family is a product family of Zhejiang's industrial clusters: what its firms
// make, how, from what, where, and for whom.
type family struct {
	key       string
	name      string   // the family as buyers name it
	class     string   // GB/T 4754-2017 class
	words     []string // product words in company names
	parts     []string // products and parts
	processes []string // the first is the family's core process
	materials []string
	certs     []string // certifications typical of the family besides ISO9001
	equip     []kit
	qc        []string // inspection equipment
	unit      string   // the unit capacities and quantities are counted in
	price     [2]float64
	lead      [2]int   // lead times in days
	home      []string // cluster counties
	weight    int      // relative share of SMEs
	serves    []string // customers' GB/T 4754 classes
	markets   []string // customers as the firms describe them
	related   []string // families an SME of this one often also makes
	ipc       []string
	topics    []string // technology topics
	software  bool
}

// priceMid is the family's typical price in 万元 per unit.
func (f *family) priceMid() float64 { return (f.price[0] + f.price[1]) / 2 }

var families = []family{
	{key: "diecast", name: "铝合金压铸件", class: "3392", words: []string{"压铸", "精密压铸", "金属制品", "铝业"},
		parts:     []string{"新能源汽车电机壳体", "铝合金变速箱壳体", "5G基站散热器壳体", "电动工具齿轮箱壳体", "LED灯具散热器", "锌合金卫浴配件"},
		processes: []string{"压铸", "数控加工", "去毛刺", "真空浸渗", "阳极氧化", "喷粉"},
		materials: []string{"ADC12铝合金", "A380铝合金", "AlSi10MnMg", "锌合金Zamak3", "镁合金AZ91D"},
		certs:     []string{"IATF16949"}, equip: []kit{{"冷室压铸机", "台", 30}, {"立式加工中心", "台", 60}, {"压铸取件机器人", "套", 20}},
		qc: []string{"X射线探伤机", "三坐标测量机", "直读光谱仪"}, unit: "吨", price: [2]float64{3, 6}, lead: [2]int{15, 45},
		home: []string{"330206", "330226", "330281"}, weight: 5, serves: []string{"3670", "3612", "3465", "3921"},
		markets: []string{"新能源汽车", "电动工具", "通信设备", "照明"}, related: []string{"mould", "machining"},
		ipc: []string{"B22D17/00", "B22D17/20", "B22D21/04", "C22C21/02"}, topics: []string{"一体化压铸", "高真空压铸", "免热处理压铸铝合金", "压铸模温智能控制"}},
	{key: "castiron", name: "铸铁件", class: "3391", words: []string{"铸造", "机械", "铸业"},
		parts:     []string{"球墨铸铁泵体", "灰铁阀体", "风电轮毂铸件", "机床床身铸件", "制动盘毛坯"},
		processes: []string{"砂型铸造", "消失模铸造", "树脂砂造型", "中频炉熔炼", "热处理", "抛丸清理"},
		materials: []string{"QT450-10球墨铸铁", "HT250灰铸铁", "QT600-3球墨铸铁", "ZG270-500铸钢"},
		certs:     []string{"ISO45001", "IATF16949"}, equip: []kit{{"中频感应电炉", "台", 8}, {"树脂砂生产线", "条", 4}, {"抛丸机", "台", 10}},
		qc: []string{"直读光谱仪", "金相显微镜", "超声波探伤仪"}, unit: "吨", price: [2]float64{0.8, 1.6}, lead: [2]int{20, 45},
		home: []string{"330213", "330109", "330881"}, weight: 3, serves: []string{"3441", "3443", "3421", "4415"},
		markets: []string{"泵阀", "机床", "风电", "工程机械"}, related: []string{"machining", "forging"},
		ipc: []string{"B22C9/02", "B22D27/04", "C22C37/04"}, topics: []string{"铸件缩松缺陷仿真", "铸造旧砂再生", "球化处理在线控制"}},
	{key: "forging", name: "精密锻件", class: "3393", words: []string{"锻造", "锻压", "精锻"},
		parts:     []string{"汽车半轴锻件", "法兰锻件", "齿轮锻坯", "粉末冶金齿轮", "阀门锻件"},
		processes: []string{"热模锻", "温锻", "冷镦", "粉末冶金压制烧结", "调质热处理", "数控加工"},
		materials: []string{"42CrMo", "20CrMnTi", "45#钢", "304不锈钢", "Fe-Cu-C预混粉"},
		certs:     []string{"IATF16949"}, equip: []kit{{"电动螺旋压力机", "台", 12}, {"热模锻压力机", "台", 8}, {"网带烧结炉", "台", 6}},
		qc: []string{"磁粉探伤机", "洛氏硬度计", "金相显微镜"}, unit: "吨", price: [2]float64{1.2, 3}, lead: [2]int{20, 40},
		home: []string{"330225", "330281", "331082"}, weight: 2, serves: []string{"3670", "3453", "3443"},
		markets: []string{"汽车", "工程机械", "阀门", "风电"}, related: []string{"castiron", "machining"},
		ipc: []string{"B21J5/02", "B21K1/30", "B22F3/16"}, topics: []string{"精密冷温锻复合成形", "高密度粉末冶金成形", "锻造余热利用"}},
	{key: "mould", name: "模具", class: "3525", words: []string{"模具", "模塑", "精密模具"},
		parts:     []string{"汽车保险杠注塑模具", "家电外壳注塑模具", "一体化压铸模具", "电机铁芯级进模", "汽车覆盖件冲压模具", "多腔瓶坯模具"},
		processes: []string{"模具设计", "数控加工", "电火花加工", "慢走丝线切割", "真空热处理", "抛光", "试模"},
		materials: []string{"H13模具钢", "P20模具钢", "S136不锈模具钢", "SKD11", "硬质合金"},
		certs:     []string{"IATF16949"}, equip: []kit{{"高速加工中心", "台", 30}, {"慢走丝线切割机", "台", 15}, {"合模机", "台", 4}},
		qc: []string{"三坐标测量机", "蓝光扫描仪"}, unit: "套", price: [2]float64{5, 80}, lead: [2]int{30, 90},
		home: []string{"331003", "330226", "330281", "330225"}, weight: 5, serves: []string{"3670", "2929", "3392", "3854"},
		markets: []string{"汽车", "家电", "包装", "电子"}, related: []string{"plastic", "diecast", "machining"},
		ipc: []string{"B29C45/26", "B22D17/22", "B21D37/10"}, topics: []string{"随形冷却水路增材制造", "热流道温控", "模具寿命智能监测"}},
	{key: "plastic", name: "注塑件", class: "2929", words: []string{"塑业", "塑胶", "塑料制品"},
		parts:     []string{"汽车内饰注塑件", "家电塑料外壳", "医用注塑件", "电器开关塑料件", "精密塑料齿轮"},
		processes: []string{"注塑", "双色注塑", "嵌件注塑", "超声波焊接", "喷涂", "装配"},
		materials: []string{"PP", "ABS", "PC/ABS", "PA66+GF30", "POM", "PBT"},
		certs:     []string{"IATF16949", "UL"}, equip: []kit{{"注塑机", "台", 80}, {"取件机械手", "台", 60}, {"无尘注塑车间", "间", 3}},
		qc: []string{"影像测量仪", "熔融指数仪", "色差仪"}, unit: "万件", price: [2]float64{5, 40}, lead: [2]int{10, 30},
		home: []string{"331003", "330281", "330282"}, weight: 5, serves: []string{"3670", "3854", "3823", "3581"},
		markets: []string{"汽车", "小家电", "电气", "医疗器械"}, related: []string{"mould"},
		ipc: []string{"B29C45/00", "B29C45/16", "C08L23/12"}, topics: []string{"微发泡注塑", "免喷涂美学材料", "再生塑料改性"}},
	{key: "bearing", name: "滚动轴承", class: "3451", words: []string{"轴承", "精密轴承"},
		parts:     []string{"深沟球轴承", "圆锥滚子轴承", "汽车轮毂轴承", "电机轴承", "滚针轴承", "机床主轴轴承"},
		processes: []string{"车加工", "热处理", "磨削", "超精研", "装配", "清洗检测"},
		materials: []string{"GCr15轴承钢", "GCr15SiMn", "440C不锈钢", "氮化硅陶瓷球"},
		certs:     []string{"IATF16949"}, equip: []kit{{"全自动磨超生产线", "条", 20}, {"网带式淬火炉", "台", 6}},
		qc: []string{"圆度仪", "轴承振动测量仪", "轮廓仪"}, unit: "万套", price: [2]float64{10, 150}, lead: [2]int{15, 40},
		home: []string{"330624", "330282", "330822"}, weight: 4, serves: []string{"3670", "3812", "3421", "3465"},
		markets: []string{"汽车", "电机", "机床", "电动工具"}, related: []string{"machining", "gear"},
		ipc: []string{"F16C33/58", "F16C19/06", "F16C33/66"}, topics: []string{"轴承低噪声设计", "套圈精密磨削", "轴承寿命预测"}},
	{key: "gear", name: "齿轮减速机", class: "3453", words: []string{"齿轮", "传动", "减速机"},
		parts:     []string{"行星减速机", "蜗轮蜗杆减速机", "汽车变速箱齿轮", "机器人RV减速器", "电动车轮毂齿轮"},
		processes: []string{"滚齿", "插齿", "磨齿", "渗碳淬火", "数控加工", "装配"},
		materials: []string{"20CrMnTi", "42CrMo", "17CrNiMo6", "QT600球铁"},
		certs:     []string{"IATF16949"}, equip: []kit{{"数控滚齿机", "台", 30}, {"成形磨齿机", "台", 10}, {"可控气氛渗碳炉", "台", 4}},
		qc: []string{"齿轮测量中心", "噪声测试台"}, unit: "万台", price: [2]float64{300, 2000}, lead: [2]int{20, 45},
		home: []string{"331081", "330212"}, weight: 2, serves: []string{"3670", "3491", "3770", "3421"},
		markets: []string{"汽车", "工业机器人", "电动车", "机床"}, related: []string{"bearing", "machining"},
		ipc: []string{"F16H1/32", "F16H57/02", "B23F5/16"}, topics: []string{"精密RV减速器", "齿轮修形降噪", "齿面喷丸强化"}},
	{key: "pump", name: "水泵", class: "3441", words: []string{"泵业", "机电", "水泵"},
		parts:     []string{"家用增压泵", "深井潜水泵", "化工离心泵", "屏蔽泵", "光伏水泵", "汽车电子水泵"},
		processes: []string{"数控加工", "冲压", "焊接", "绕线", "动平衡", "装配", "性能测试"},
		materials: []string{"304不锈钢", "HT200铸铁", "漆包铜线", "PPS工程塑料"},
		certs:     []string{"CE", "UL"}, equip: []kit{{"水泵性能试验台", "套", 6}, {"自动绕线机", "台", 40}, {"激光焊接机", "台", 10}},
		qc: []string{"水泵综合性能测试台", "耐压测试仪"}, unit: "万台", price: [2]float64{150, 1200}, lead: [2]int{10, 30},
		home: []string{"331081", "331004"}, weight: 4, serves: []string{"3670", "3854", "3734"},
		markets: []string{"农业灌溉", "建筑供水", "化工", "新能源汽车"}, related: []string{"motor", "castiron"},
		ipc: []string{"F04D13/06", "F04D29/22", "F04D15/00"}, topics: []string{"永磁变频水泵", "水泵智能控制", "叶轮水力模型优化"}},
	{key: "valve", name: "阀门", class: "3443", words: []string{"阀门", "流体", "阀业"},
		parts:     []string{"球阀", "蝶阀", "闸阀", "截止阀", "安全阀", "铜截止阀", "超低温阀门"},
		processes: []string{"铸造", "锻造", "数控加工", "堆焊", "研磨", "压力试验", "装配"},
		materials: []string{"WCB铸钢", "CF8M不锈钢", "HPb59-1黄铜", "F51双相钢"},
		certs:     []string{"API6D", "CE"}, equip: []kit{{"数控车床", "台", 50}, {"等离子堆焊机", "台", 6}, {"阀门压力试验台", "台", 12}},
		qc: []string{"阀门压力试验台", "光谱仪", "逸散性检测装置"}, unit: "万台", price: [2]float64{80, 1500}, lead: [2]int{15, 45},
		home: []string{"330303", "330324", "331083"}, weight: 4, serves: []string{"2614", "3737", "3734"},
		markets: []string{"石油化工", "LNG", "船舶", "建筑给排水"}, related: []string{"castiron", "forging", "machining"},
		ipc: []string{"F16K1/22", "F16K5/06", "F16K27/06"}, topics: []string{"超低温阀门密封", "阀门逸散性控制", "智能阀门定位器"}},
	{key: "pneumatic", name: "气动元件", class: "3446", words: []string{"气动", "液压", "流体控制"},
		parts:     []string{"标准气缸", "电磁阀", "气源处理元件", "气动接头", "液压油缸"},
		processes: []string{"数控加工", "珩磨", "阳极氧化", "装配", "气密测试"},
		materials: []string{"6063铝合金型材", "304不锈钢", "丁腈橡胶密封件", "黄铜"},
		certs:     []string{"CE"}, equip: []kit{{"走心机", "台", 40}, {"自动装配线", "条", 8}},
		qc: []string{"气密性检测仪", "寿命试验台"}, unit: "万件", price: [2]float64{30, 200}, lead: [2]int{7, 25},
		home: []string{"330213"}, weight: 2, serves: []string{"3421", "3553", "3491"},
		markets: []string{"自动化设备", "机床", "纺织机械", "包装机械"}, related: []string{"machining"},
		ipc: []string{"F15B15/14", "F16K31/06"}, topics: []string{"气动元件节能", "比例阀精密控制", "密封件长寿命设计"}},
	{key: "fastener", name: "紧固件", class: "3482", words: []string{"紧固件", "标准件", "五金"},
		parts:     []string{"高强度螺栓", "汽车紧固件", "不锈钢自攻螺钉", "铆钉", "膨胀螺栓", "光伏支架螺栓"},
		processes: []string{"冷镦", "搓丝", "热处理", "达克罗涂覆", "电镀锌", "光学分选"},
		materials: []string{"10B21冷镦钢", "SCM435", "304不锈钢", "35K"},
		certs:     []string{"IATF16949"}, equip: []kit{{"多工位冷镦机", "台", 60}, {"网带热处理线", "条", 4}, {"光学筛选机", "台", 20}},
		qc: []string{"盐雾试验箱", "拉力试验机"}, unit: "吨", price: [2]float64{1, 2.5}, lead: [2]int{7, 30},
		home: []string{"330424", "330482"}, weight: 4, serves: []string{"3670", "3825", "3734", "3311"},
		markets: []string{"汽车", "光伏支架", "钢结构", "船舶"}, related: []string{"forging"},
		ipc: []string{"F16B35/00", "F16B25/10", "B21K1/46"}, topics: []string{"高强度螺栓氢脆控制", "紧固件视觉分选", "无铬达克罗涂层"}},
	{key: "machining", name: "精密机械零部件", class: "3484", words: []string{"精密机械", "机械", "精工"},
		parts:     []string{"精密轴类零件", "半导体设备零部件", "液压阀块", "医疗器械精密零件", "机器人关节零件"},
		processes: []string{"数控加工", "五轴加工", "车铣复合", "磨削", "线切割", "表面处理", "三坐标检测"},
		materials: []string{"6061铝合金", "7075铝合金", "316L不锈钢", "TC4钛合金", "45#钢"},
		certs:     []string{"AS9100", "ISO13485", "IATF16949"}, equip: []kit{{"五轴加工中心", "台", 20}, {"车铣复合机床", "台", 20}, {"数控磨床", "台", 15}},
		qc: []string{"三坐标测量机", "粗糙度仪", "影像测量仪"}, unit: "万件", price: [2]float64{50, 500}, lead: [2]int{7, 30},
		home: []string{"330281", "330212", "330109"}, weight: 5, serves: []string{"3670", "3562", "3581", "3491", "3741"},
		markets: []string{"汽车", "半导体设备", "医疗器械", "航空航天"}, related: []string{"diecast", "mould"},
		ipc: []string{"B23P15/00", "B23C3/00", "B23Q3/06"}, topics: []string{"五轴加工工艺优化", "难加工材料高效切削", "加工误差在线补偿"}},
	{key: "lowvolt", name: "低压电器", class: "3823", words: []string{"电气", "电器", "开关"},
		parts:     []string{"小型断路器", "塑壳断路器", "交流接触器", "热继电器", "双电源自动转换开关", "光伏直流隔离开关"},
		processes: []string{"冲压", "注塑", "铆接", "自动化装配", "焊接", "电气性能测试"},
		materials: []string{"银氧化锡触头", "T2紫铜", "阻燃PA66", "电工钢"},
		certs:     []string{"CCC", "CE", "CQC", "UL"}, equip: []kit{{"自动装配线", "条", 20}, {"高速冲床", "台", 40}, {"注塑机", "台", 40}},
		qc: []string{"短路分断试验站", "温升试验台", "耐压测试仪"}, unit: "万只", price: [2]float64{15, 200}, lead: [2]int{7, 30},
		home: []string{"330382", "330303"}, weight: 5, serves: []string{"3825", "3841", "4420"},
		markets: []string{"电力配网", "光伏储能", "建筑", "工业控制"}, related: []string{"plastic", "mould"},
		ipc: []string{"H01H71/10", "H01H73/04", "H01H50/54"}, topics: []string{"断路器灭弧室优化", "智能断路器物联网", "直流电弧抑制"}},
	{key: "pv", name: "光伏组件", class: "3825", words: []string{"光伏", "新能源", "光电"},
		parts:     []string{"N型TOPCon组件", "单晶硅光伏组件", "光伏接线盒", "组串式逆变器", "光伏支架", "储能变流器"},
		processes: []string{"串焊", "层压", "EL检测", "装框", "SMT贴片", "老化测试"},
		materials: []string{"单晶硅片", "光伏玻璃", "EVA胶膜", "铝边框", "焊带"},
		certs:     []string{"TÜV", "CE", "UL"}, equip: []kit{{"串焊机", "台", 40}, {"层压机", "台", 20}, {"组件自动化产线", "条", 8}},
		qc: []string{"EL测试仪", "IV测试仪", "湿冻试验箱"}, unit: "MW", price: [2]float64{70, 120}, lead: [2]int{15, 45},
		home: []string{"330411", "330481", "330782"}, weight: 3, serves: []string{"4416", "3825"},
		markets: []string{"分布式光伏", "地面电站", "储能", "海外市场"}, related: []string{"film", "lowvolt"},
		ipc: []string{"H02S40/34", "H01L31/048", "H02S20/30"}, topics: []string{"TOPCon电池效率提升", "组件抗隐裂封装", "退役光伏组件回收"}},
	{key: "film", name: "光伏胶膜", class: "2921", words: []string{"新材料", "薄膜", "高分子"},
		parts:     []string{"EVA光伏胶膜", "POE胶膜", "BOPET薄膜", "共挤型EPE胶膜"},
		processes: []string{"流延", "双向拉伸", "分切", "交联度检测"},
		materials: []string{"EVA树脂", "POE树脂", "PET切片", "交联剂"},
		certs:     []string{"TÜV", "UL"}, equip: []kit{{"流延生产线", "条", 20}, {"分切机", "台", 20}},
		qc: []string{"交联度测试仪", "透光率测试仪"}, unit: "万平方米", price: [2]float64{5, 15}, lead: [2]int{7, 20},
		home: []string{"330411", "330604"}, weight: 1, serves: []string{"3825", "3841"},
		markets: []string{"光伏组件", "锂电池", "包装"}, related: []string{"plastic"},
		ipc: []string{"C08J5/18", "B32B27/08", "H01L31/048"}, topics: []string{"抗PID胶膜", "共挤POE胶膜", "薄膜表面电晕处理"}},
	{key: "battery", name: "锂离子电池", class: "3841", words: []string{"电池", "新能源", "能源科技"},
		parts:     []string{"磷酸铁锂电芯", "储能电池包", "两轮车锂电池", "动力电池模组", "电池管理系统"},
		processes: []string{"涂布", "卷绕", "叠片", "化成分容", "PACK组装", "激光焊接"},
		materials: []string{"磷酸铁锂正极材料", "人造石墨负极", "电解液", "隔膜", "铝壳"},
		certs:     []string{"UL", "CE", "IATF16949"}, equip: []kit{{"涂布机", "台", 10}, {"卷绕机", "台", 40}, {"化成分容柜", "组", 200}},
		qc: []string{"电池内阻测试仪", "针刺挤压试验机", "高低温试验箱"}, unit: "MWh", price: [2]float64{40, 90}, lead: [2]int{15, 45},
		home: []string{"330522", "330502"}, weight: 3, serves: []string{"3770", "3612", "3825", "3465"},
		markets: []string{"电动两轮车", "储能", "电动工具", "新能源汽车"}, related: []string{"pcb"},
		ipc: []string{"H01M10/0525", "H01M10/42", "H01M50/20"}, topics: []string{"电池热失控预警", "钠离子电池", "电芯一致性分选"}},
	{key: "ebike", name: "电动自行车", class: "3770", words: []string{"车业", "电动车", "车辆"},
		parts:     []string{"电动自行车", "电动三轮车", "电动滑板车", "轮毂电机", "电动车控制器"},
		processes: []string{"车架焊接", "喷涂", "整车装配", "整车检测", "注塑"},
		materials: []string{"Q235钢管", "6061铝合金车架", "锂电池", "PP塑料件"},
		certs:     []string{"CCC", "CE"}, equip: []kit{{"机器人焊接工作站", "套", 30}, {"静电喷涂线", "条", 4}, {"整车装配线", "条", 8}},
		qc: []string{"整车路试台", "制动性能测试台"}, unit: "万辆", price: [2]float64{1500, 4000}, lead: [2]int{15, 40},
		home: []string{"330703", "330784", "331004"}, weight: 3, serves: []string{"3770"},
		markets: []string{"国内零售", "外卖配送", "海外市场"}, related: []string{"battery", "motor"},
		ipc: []string{"B62K11/00", "B62M7/12", "B60L50/20"}, topics: []string{"电动车智能中控", "轮毂电机效率提升", "车架轻量化"}},
	{key: "handtool", name: "五金工具", class: "3322", words: []string{"工贸", "工具", "五金"},
		parts:     []string{"扳手", "钳子", "螺丝刀套装", "园林剪", "五金工具组套"},
		processes: []string{"锻造", "热处理", "磨削", "电镀", "注塑包胶", "装配"},
		materials: []string{"铬钒钢", "S2工具钢", "碳钢", "TPR包胶"},
		certs:     []string{"GS", "CE"}, equip: []kit{{"摩擦压力机", "台", 20}, {"自动抛光机", "台", 30}},
		qc: []string{"扭力测试仪", "盐雾试验箱"}, unit: "万件", price: [2]float64{5, 50}, lead: [2]int{15, 45},
		home: []string{"330784", "330723"}, weight: 3, serves: []string{"3322"},
		markets: []string{"五金批发", "跨境电商", "商超"}, related: []string{"forging"},
		ipc: []string{"B25B13/46", "B25B7/02", "B25G1/10"}, topics: []string{"工具钢热处理变形控制", "手工具人机工程设计"}},
	{key: "etool", name: "电动工具", class: "3465", words: []string{"电动工具", "机电", "电器"},
		parts:     []string{"锂电冲击钻", "角磨机", "电圆锯", "园林修枝机", "无刷电锤"},
		processes: []string{"注塑", "压铸", "电机装配", "整机装配", "老化测试"},
		materials: []string{"锂电池包", "无刷电机", "PA6+GF", "压铸铝"},
		certs:     []string{"CE", "GS", "UL", "CCC"}, equip: []kit{{"整机装配线", "条", 12}, {"注塑机", "台", 40}},
		qc: []string{"寿命试验台", "EMC测试室"}, unit: "万台", price: [2]float64{150, 600}, lead: [2]int{15, 40},
		home: []string{"330784", "330723"}, weight: 3, serves: []string{"3465"},
		markets: []string{"欧美品牌商", "跨境电商", "建筑装修"}, related: []string{"motor", "battery", "plastic"},
		ipc: []string{"B25F5/00", "B25D16/00", "H02K7/14"}, topics: []string{"无刷电机驱动控制", "电动工具电池管理"}},
	{key: "weaving", name: "化纤面料", class: "1751", words: []string{"纺织", "织造", "化纤"},
		parts:     []string{"涤纶面料", "春亚纺", "雪纺面料", "功能性户外面料", "锦纶面料", "窗帘面料"},
		processes: []string{"整经", "喷水织造", "喷气织造", "剑杆织造", "定型"},
		materials: []string{"涤纶FDY", "涤纶DTY", "锦纶6", "再生涤纶"},
		certs:     []string{"OEKO-TEX", "GRS"}, equip: []kit{{"喷水织机", "台", 300}, {"喷气织机", "台", 200}},
		qc: []string{"织物强力仪", "色牢度测试仪"}, unit: "万米", price: [2]float64{5, 20}, lead: [2]int{7, 30},
		home: []string{"330603", "330109", "330483"}, weight: 4, serves: []string{"1811", "1819"},
		markets: []string{"服装", "家纺", "户外用品"}, related: []string{"dyeing"},
		ipc: []string{"D03D15/00", "D03D13/00"}, topics: []string{"再生纤维面料开发", "织造车间节能", "面料功能性整理"}},
	{key: "dyeing", name: "印染", class: "1752", words: []string{"印染", "染整", "纺织"},
		parts:     []string{"涤纶面料染色", "数码印花", "功能性后整理", "防水透湿涂层面料"},
		processes: []string{"前处理", "染色", "数码印花", "定型", "涂层", "后整理"},
		materials: []string{"分散染料", "活性染料", "印染助剂", "涤纶坯布"},
		certs:     []string{"OEKO-TEX", "GRS"}, equip: []kit{{"高温高压溢流染色机", "台", 80}, {"数码印花机", "台", 20}, {"拉幅定型机", "台", 10}},
		qc: []string{"色差仪", "色牢度测试仪"}, unit: "万米", price: [2]float64{1, 4}, lead: [2]int{5, 20},
		home: []string{"330603", "330604"}, weight: 3, serves: []string{"1811", "1819"},
		markets: []string{"服装品牌", "家纺", "箱包"}, related: []string{"weaving"},
		ipc: []string{"D06P1/16", "D06P5/30", "D06B3/28"}, topics: []string{"印染废水回用", "少水染色", "数码印花墨水"}},
	{key: "knit", name: "袜业针织品", class: "1763", words: []string{"针织", "袜业", "服饰"},
		parts:     []string{"棉袜", "运动袜", "无缝针织内衣", "医用压力袜"},
		processes: []string{"织袜", "缝头", "定型", "包装"},
		materials: []string{"精梳棉", "锦纶", "氨纶", "莫代尔"},
		certs:     []string{"OEKO-TEX"}, equip: []kit{{"电脑袜机", "台", 300}, {"自动缝头机", "台", 40}},
		qc: []string{"弹力测试仪", "色牢度测试仪"}, unit: "万双", price: [2]float64{2, 10}, lead: [2]int{7, 30},
		home: []string{"330681", "330782"}, weight: 2, serves: []string{"1763"},
		markets: []string{"服装品牌", "商超", "跨境电商"}, related: []string{"weaving"},
		ipc: []string{"D04B9/46", "D04B1/26"}, topics: []string{"无缝针织成形", "抗菌纤维应用"}},
	{key: "sensor", name: "传感器", class: "3983", words: []string{"传感", "传感科技", "电子"},
		parts:     []string{"压力传感器", "温度传感器", "霍尔电流传感器", "MEMS气体传感器", "胎压传感器", "位移传感器"},
		processes: []string{"SMT贴片", "芯片封装", "激光调阻", "标定", "老化测试"},
		materials: []string{"陶瓷基板", "硅压阻芯片", "不锈钢膜片", "NTC热敏芯片"},
		certs:     []string{"IATF16949", "CE"}, equip: []kit{{"SMT贴片线", "条", 8}, {"自动标定系统", "套", 20}},
		qc: []string{"高低温交变试验箱", "压力标定台"}, unit: "万只", price: [2]float64{20, 300}, lead: [2]int{10, 30},
		home: []string{"330108", "330110", "330402"}, weight: 3, serves: []string{"3670", "3581", "3823"},
		markets: []string{"汽车电子", "医疗", "工业自动化", "智能家居"}, related: []string{"pcb"},
		ipc: []string{"G01L9/00", "G01K7/22", "G01R15/20"}, topics: []string{"MEMS压力芯片", "传感器温度补偿", "无线无源传感"}},
	{key: "pcb", name: "印制电路板", class: "3982", words: []string{"电子", "电路", "线路板"},
		parts:     []string{"多层PCB", "HDI板", "铝基板", "柔性线路板", "汽车电子PCB", "PCBA组件"},
		processes: []string{"钻孔", "沉铜", "图形转移", "电镀", "阻焊", "表面处理", "SMT贴片"},
		materials: []string{"FR-4覆铜板", "铝基覆铜板", "聚酰亚胺", "电解铜箔"},
		certs:     []string{"IATF16949", "UL"}, equip: []kit{{"激光钻孔机", "台", 20}, {"LDI曝光机", "台", 10}, {"SMT贴片线", "条", 12}},
		qc: []string{"AOI光学检测仪", "飞针测试机"}, unit: "万平方米", price: [2]float64{300, 2000}, lead: [2]int{5, 20},
		home: []string{"330110", "330482"}, weight: 3, serves: []string{"3670", "3823", "3581", "3921"},
		markets: []string{"汽车电子", "通信", "工控", "医疗电子"}, related: []string{"sensor"},
		ipc: []string{"H05K3/00", "H05K1/02", "H05K3/46"}, topics: []string{"高频高速板材应用", "任意层互连", "蚀刻废液再生"}},
	{key: "magnetic", name: "磁性材料", class: "3985", words: []string{"磁业", "新材料", "磁电"},
		parts:     []string{"钕铁硼永磁体", "铁氧体磁芯", "软磁粉芯", "电机磁钢"},
		processes: []string{"配料熔炼", "压制成型", "烧结", "磨削", "电镀", "充磁"},
		materials: []string{"镨钕合金", "氧化铁", "铁硅铝粉", "镝铽"},
		certs:     []string{"IATF16949"}, equip: []kit{{"真空烧结炉", "台", 20}, {"磁场成型压机", "台", 30}},
		qc: []string{"磁性能测量仪", "盐雾试验箱"}, unit: "吨", price: [2]float64{15, 50}, lead: [2]int{15, 40},
		home: []string{"330783", "330212"}, weight: 2, serves: []string{"3812", "3813", "3670", "3825"},
		markets: []string{"新能源汽车电机", "风电", "消费电子", "变频家电"}, related: []string{"motor"},
		ipc: []string{"H01F1/057", "H01F41/02", "C22C38/00"}, topics: []string{"晶界扩散重稀土", "高频低损耗铁氧体"}},
	{key: "semi", name: "功率半导体", class: "3972", words: []string{"半导体", "微电子"},
		parts:     []string{"IGBT模块", "MOSFET", "SiC功率器件", "快恢复二极管", "TVS二极管"},
		processes: []string{"晶圆减薄", "划片", "键合", "塑封", "测试"},
		materials: []string{"硅晶圆", "碳化硅衬底", "DBC陶瓷基板", "键合铝线"},
		certs:     []string{"IATF16949"}, equip: []kit{{"全自动键合机", "台", 60}, {"塑封压机", "台", 12}},
		qc: []string{"动态参数测试系统", "功率循环试验机"}, unit: "万只", price: [2]float64{2, 80}, lead: [2]int{20, 60},
		home: []string{"330114", "330481"}, weight: 1, serves: []string{"3670", "3825", "3841"},
		markets: []string{"新能源汽车", "光伏逆变器", "工业变频"}, related: []string{"pcb"},
		ipc: []string{"H01L29/739", "H01L23/495", "H01L21/56"}, topics: []string{"SiC MOSFET", "功率模块散热", "车规级可靠性验证"}},
	{key: "meddev", name: "医疗诊断设备", class: "3581", words: []string{"医疗器械", "医疗科技", "医学影像"},
		parts:     []string{"电子内窥镜", "多参数监护仪", "便携超声诊断仪", "输液泵", "电子血压计"},
		processes: []string{"电子装配", "注塑", "嵌入式软件开发", "可靠性测试", "洁净装配"},
		materials: []string{"医用级ABS", "光学镜片", "CMOS图像传感器", "医用硅胶"},
		certs:     []string{"ISO13485", "CE"}, equip: []kit{{"洁净装配车间", "间", 4}, {"光学校准平台", "套", 10}},
		qc: []string{"电磁兼容测试系统", "生物安全柜"}, unit: "台", price: [2]float64{0.5, 5}, lead: [2]int{15, 60},
		home: []string{"330122", "330110"}, weight: 2, serves: []string{"8411"},
		markets: []string{"医院", "基层医疗机构", "家庭健康"}, related: []string{"medcons", "sensor"},
		ipc: []string{"A61B1/00", "A61B5/021", "A61M5/142"}, topics: []string{"4K荧光内窥镜", "AI辅助诊断", "可穿戴生命体征监测"}},
	{key: "medcons", name: "医用耗材", class: "3584", words: []string{"医疗用品", "医疗器械", "医用材料"},
		parts:     []string{"一次性注射器", "输液器", "医用导管", "缝合针", "采血针"},
		processes: []string{"注塑", "挤出", "组装", "环氧乙烷灭菌", "洁净包装"},
		materials: []string{"医用PVC", "医用PP", "医用TPU", "304不锈钢针管"},
		certs:     []string{"ISO13485", "CE"}, equip: []kit{{"十万级洁净车间", "间", 4}, {"全自动组装机", "台", 40}},
		qc: []string{"微粒检测仪", "无菌检验室"}, unit: "万支", price: [2]float64{0.5, 5}, lead: [2]int{10, 30},
		home: []string{"330114", "331082"}, weight: 2, serves: []string{"8411"},
		markets: []string{"医院", "疾控", "海外医疗"}, related: []string{"plastic", "meddev"},
		ipc: []string{"A61M5/32", "A61M25/00"}, topics: []string{"可降解医用材料", "抗菌涂层导管"}},
	{key: "glasses", name: "眼镜", class: "3587", words: []string{"眼镜", "光学"},
		parts:     []string{"光学镜架", "太阳镜", "树脂镜片", "钛架眼镜", "防蓝光镜片"},
		processes: []string{"数控加工", "注塑", "电镀", "抛光", "镀膜", "装配"},
		materials: []string{"纯钛", "醋酸纤维板材", "TR90", "树脂单体"},
		certs:     []string{"CE"}, equip: []kit{{"数控雕刻机", "台", 40}, {"真空镀膜机", "台", 8}},
		qc: []string{"焦度计", "盐雾试验箱"}, unit: "万副", price: [2]float64{20, 300}, lead: [2]int{15, 40},
		home: []string{"330304"}, weight: 2, serves: []string{"3587"},
		markets: []string{"眼镜品牌", "连锁零售", "跨境电商"}, related: []string{"plastic"},
		ipc: []string{"G02C5/00", "G02C7/02", "G02C5/22"}, topics: []string{"钛合金镜架激光焊接", "镜片防蓝光膜层"}},
	{key: "software", name: "工业软件", class: "6513", words: []string{"软件", "信息技术", "智能科技", "数字科技"},
		parts:     []string{"MES制造执行系统", "APS高级排产软件", "设备数据采集平台", "质量追溯系统", "数字孪生平台", "WMS仓储管理系统"},
		processes: []string{"需求调研", "定制开发", "系统集成", "实施运维", "数据采集"},
		certs:     []string{"CMMI3", "ISO27001", "ISO20000"}, equip: []kit{{"研发团队", "支", 8}, {"实施服务团队", "支", 6}},
		qc: []string{"自动化测试平台", "等保三级测评环境"}, unit: "套", price: [2]float64{20, 200}, lead: [2]int{30, 120},
		home: []string{"330108", "330106", "330212"}, weight: 3, serves: []string{"3392", "3525", "3670", "3823", "1752"},
		markets: []string{"汽车零部件", "模具", "电气", "纺织印染"}, related: []string{"iot"},
		ipc: []string{"G06Q10/06", "G05B19/418", "G06Q50/04"}, topics: []string{"工业大模型应用", "排产优化算法", "设备预测性维护"}, software: true},
	{key: "iot", name: "工业物联网", class: "6532", words: []string{"物联科技", "智能科技", "信息技术"},
		parts:     []string{"工业网关", "能耗监测系统", "设备远程运维平台", "5G工业专网方案"},
		processes: []string{"系统集成", "嵌入式开发", "现场实施", "数据采集"},
		certs:     []string{"ISO27001", "CMMI3"}, equip: []kit{{"研发团队", "支", 6}, {"物联网测试实验室", "个", 2}},
		qc: []string{"物联网测试实验室", "网络安全测评环境"}, unit: "套", price: [2]float64{5, 80}, lead: [2]int{15, 60},
		home: []string{"330108", "330110"}, weight: 2, serves: []string{"3392", "3441", "3823", "1751"},
		markets: []string{"机械制造", "纺织", "泵阀", "电气"}, related: []string{"software"},
		ipc: []string{"H04L67/12", "G05B19/418", "H04W4/70"}, topics: []string{"5G工业互联网", "边缘计算网关", "能耗数字化管理"}, software: true},
	{key: "marine", name: "船舶配套设备", class: "3734", words: []string{"船舶设备", "海洋装备", "船舶配件"},
		parts:     []string{"船用锚链", "甲板机械", "船用舱口盖", "船用空压机", "舵机", "海上风电导管架"},
		processes: []string{"焊接", "大型构件加工", "涂装", "船检试验", "装配"},
		materials: []string{"CCS船用钢板", "DH36海工钢", "ZG铸钢", "316L不锈钢"},
		certs:     []string{"CCS", "DNV"}, equip: []kit{{"龙门加工中心", "台", 10}, {"大型焊接机器人", "套", 20}, {"百吨级行车", "台", 8}},
		qc: []string{"超声波探伤仪", "拉力试验机"}, unit: "台套", price: [2]float64{5, 50}, lead: [2]int{30, 90},
		home: []string{"330902", "330903", "330921"}, weight: 2, serves: []string{"3731", "3737", "4415"},
		markets: []string{"造船", "海工", "海上风电"}, related: []string{"machining", "valve"},
		ipc: []string{"B63B21/20", "B63H25/00", "B63B19/12"}, topics: []string{"船舶尾气脱硫", "甲板机械电动化", "船用LNG供气系统"}},
	{key: "auto", name: "汽车零部件", class: "3670", words: []string{"汽车部件", "汽配", "汽车零部件"},
		parts:     []string{"汽车制动卡钳", "刹车片", "座椅骨架", "热管理阀", "汽车线束", "雨刮器"},
		processes: []string{"冲压", "焊接", "数控加工", "装配", "电泳涂装", "注塑"},
		materials: []string{"冷轧钢板", "HT250灰铸铁", "6061铝合金", "PA66"},
		certs:     []string{"IATF16949"}, equip: []kit{{"伺服冲压线", "条", 8}, {"机器人焊接工作站", "套", 40}, {"电泳涂装线", "条", 3}},
		qc: []string{"三坐标测量机", "耐久试验台", "盐雾试验箱"}, unit: "万套", price: [2]float64{50, 500}, lead: [2]int{15, 45},
		home: []string{"330381", "331083", "330282"}, weight: 5, serves: []string{"3612", "3611", "3670"},
		markets: []string{"整车厂", "售后市场", "新能源汽车"}, related: []string{"diecast", "plastic", "mould"},
		ipc: []string{"B60T1/06", "F16D65/00", "B60N2/68"}, topics: []string{"线控制动", "热管理集成模块", "车身轻量化"}},
	{key: "motor", name: "微特电机", class: "3813", words: []string{"电机", "机电", "马达"},
		parts:     []string{"无刷直流电机", "步进电机", "伺服电机", "汽车微电机", "家电电机"},
		processes: []string{"冲片", "绕线", "嵌线", "浸漆", "动平衡", "装配"},
		materials: []string{"无取向硅钢片", "漆包铜线", "钕铁硼磁钢", "微型轴承"},
		certs:     []string{"IATF16949", "UL", "CE"}, equip: []kit{{"全自动绕线机", "台", 60}, {"电机装配线", "条", 12}},
		qc: []string{"电机测功机", "耐压测试仪"}, unit: "万台", price: [2]float64{30, 400}, lead: [2]int{10, 30},
		home: []string{"331081", "330282", "330212"}, weight: 3, serves: []string{"3854", "3465", "3670", "3770"},
		markets: []string{"家电", "电动工具", "汽车", "电动车"}, related: []string{"magnetic", "pump"},
		ipc: []string{"H02K1/27", "H02K21/14", "H02K15/02"}, topics: []string{"扁线电机绕组", "少稀土永磁电机", "电机NVH优化"}},
	{key: "appliance", name: "小家电", class: "3854", words: []string{"电器", "家电", "电器科技"},
		parts:     []string{"空气炸锅", "电饭煲", "破壁机", "电热水壶", "咖啡机"},
		processes: []string{"注塑", "冲压", "拉伸", "喷涂", "总装", "安规测试"},
		materials: []string{"食品级PP", "304不锈钢", "铝合金内胆", "发热盘"},
		certs:     []string{"CCC", "CE", "UL"}, equip: []kit{{"总装线", "条", 20}, {"注塑机", "台", 60}, {"油压拉伸机", "台", 20}},
		qc: []string{"安规综合测试仪", "跌落试验机"}, unit: "万台", price: [2]float64{80, 400}, lead: [2]int{20, 45},
		home: []string{"330282", "330281", "330784"}, weight: 4, serves: []string{"3854"},
		markets: []string{"国内电商", "海外品牌", "商超"}, related: []string{"plastic", "motor"},
		ipc: []string{"A47J37/06", "A47J27/00", "A47J43/04"}, topics: []string{"智能温控算法", "低糖电饭煲工艺"}},
	{key: "fluoro", name: "含氟精细化学品", class: "2614", words: []string{"化工", "新材料", "氟化学"},
		parts:     []string{"含氟精细化学品", "电子级氢氟酸", "含氟医药中间体", "电子氟化液"},
		processes: []string{"氟化反应", "精馏", "结晶", "提纯", "分析检测"},
		materials: []string{"萤石", "无水氟化氢", "氯代烃原料"},
		certs:     []string{"ISO45001"}, equip: []kit{{"氟化反应釜", "台", 30}, {"精馏塔", "座", 12}},
		qc: []string{"ICP-MS", "气相色谱仪"}, unit: "吨", price: [2]float64{2, 20}, lead: [2]int{10, 30},
		home: []string{"330802", "330803", "330604"}, weight: 2, serves: []string{"3985", "2651", "2710"},
		markets: []string{"半导体", "医药", "新能源"}, related: []string{"film"},
		ipc: []string{"C07C17/20", "C01B7/19", "C07C19/08"}, topics: []string{"电子级化学品提纯", "含氟废气资源化"}},
	{key: "chair", name: "办公椅", class: "2130", words: []string{"家具", "座椅", "椅业"},
		parts:     []string{"办公椅", "电竞椅", "五星脚", "气压棒"},
		processes: []string{"钢管折弯", "焊接", "喷涂", "海绵发泡", "装配"},
		materials: []string{"焊接钢管", "尼龙玻纤", "高回弹海绵", "网布"},
		certs:     []string{"BIFMA"}, equip: []kit{{"弯管机", "台", 20}, {"自动发泡线", "条", 4}},
		qc: []string{"椅类耐久试验机", "甲醛检测仪"}, unit: "万把", price: [2]float64{150, 800}, lead: [2]int{15, 40},
		home: []string{"330523"}, weight: 2, serves: []string{"2130"},
		markets: []string{"办公家具品牌", "跨境电商", "酒店工程"}, related: []string{"plastic"},
		ipc: []string{"A47C7/00", "A47C3/026"}, topics: []string{"人体工学座椅设计", "家具阻燃面料"}},
	{key: "machinetool", name: "数控机床", class: "3421", words: []string{"机床", "数控机床", "精工"},
		parts:     []string{"数控车床", "立式加工中心", "五轴加工中心", "数控磨床"},
		processes: []string{"铸件时效", "导轨磨削", "刮研", "装配", "精度检测"},
		materials: []string{"树脂砂铸件", "滚珠丝杠", "直线导轨", "电主轴"},
		certs:     []string{"CE"}, equip: []kit{{"龙门导轨磨床", "台", 6}, {"恒温装配车间", "间", 3}},
		qc: []string{"激光干涉仪", "球杆仪"}, unit: "台", price: [2]float64{10, 150}, lead: [2]int{30, 90},
		home: []string{"331083", "330624"}, weight: 2, serves: []string{"3670", "3392", "3484"},
		markets: []string{"汽车零部件", "模具", "3C电子"}, related: []string{"machining"},
		ipc: []string{"B23Q1/01", "B23Q11/00", "B23B3/00"}, topics: []string{"机床热误差补偿", "五轴联动精度提升"}},
	{key: "sewing", name: "缝制机械", class: "3553", words: []string{"缝纫机", "机械", "缝制设备"},
		parts:     []string{"工业平缝机", "包缝机", "自动模板机", "电脑绣花机"},
		processes: []string{"精密铸造", "数控加工", "热处理", "装配", "调试"},
		materials: []string{"灰铸铁", "压铸铝", "轴承钢"},
		certs:     []string{"CE"}, equip: []kit{{"卧式加工中心", "台", 30}, {"整机装配线", "条", 8}},
		qc: []string{"噪声测试室", "缝纫性能测试台"}, unit: "万台", price: [2]float64{1000, 4000}, lead: [2]int{15, 40},
		home: []string{"331002", "331004"}, weight: 2, serves: []string{"1811", "1819"},
		markets: []string{"服装厂", "箱包", "海外经销"}, related: []string{"machining", "castiron"},
		ipc: []string{"D05B69/00", "D05B19/12"}, topics: []string{"缝纫机直驱电机", "智能缝制单元"}},
}

var familyIndex = func() map[string]*family {
	m := make(map[string]*family, len(families))
	for i := range families {
		m[families[i].key] = &families[i]
	}
	return m
}()

// familyByKey returns the family with the key, or nil.
func familyByKey(key string) *family { return familyIndex[key] }

// chain is a lead enterprise's industry chain: what it makes and the families
// it buys from.
type chain struct {
	word      string // the industry word in its name
	class     string
	products  []string
	suppliers []string
	certs     []string // what it requires of suppliers besides ISO9001
	home      []string
	markets   []string // market words its parts may carry (see fit)
}

// marketWords mark a part as made for one market (汽车紧固件, 光伏支架螺栓).
var marketWords = []string{"汽车", "新能源", "动力", "光伏", "储能", "医用", "医疗", "家电", "家用", "电动工具", "电动车",
	"两轮车", "5G", "机器人", "LED", "卫浴", "船用", "风电", "机床", "半导体", "瓶坯", "化工", "深井", "屏蔽", "窗帘", "户外"}

// fit returns the parts a chain would buy: those naming no market or only its
// own markets; all of them if none fits.
func (c *chain) fit(parts []string) []string {
	var out []string
	for _, p := range parts {
		ok := true
		for _, w := range marketWords {
			if strings.Contains(p, w) && !slices.Contains(c.markets, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return parts
	}
	return out
}

var chains = []chain{
	{"汽车", "3612", []string{"纯电动乘用车", "插电混动SUV", "电驱动总成", "新能源商用车"},
		[]string{"diecast", "forging", "mould", "bearing", "fastener", "pcb", "sensor", "battery", "auto", "plastic", "motor", "semi"},
		[]string{"IATF16949"}, []string{"330282", "330703", "330110"}, []string{"汽车", "动力", "新能源"}},
	{"汽车零部件", "3670", []string{"汽车热管理系统", "底盘悬架系统", "内外饰系统", "转向系统"},
		[]string{"diecast", "castiron", "forging", "mould", "plastic", "fastener", "machining", "sensor", "pcb"},
		[]string{"IATF16949"}, []string{"330206", "330212", "330381"}, []string{"汽车", "新能源"}},
	{"电气", "3823", []string{"智能断路器", "成套开关设备", "智能电能表", "光储电气设备"},
		[]string{"mould", "plastic", "fastener", "pcb", "magnetic", "semi", "machining"},
		[]string{"CCC", "CQC"}, []string{"330382"}, []string{"光伏", "储能"}},
	{"光伏", "3825", []string{"N型TOPCon组件", "光伏电池片", "工商业储能系统"},
		[]string{"film", "fastener", "semi", "pcb", "lowvolt", "diecast"},
		[]string{"TÜV", "UL"}, []string{"330411", "330782", "330481"}, []string{"光伏", "储能"}},
	{"能源", "3841", []string{"储能电池系统", "动力电池", "两轮车电池"},
		[]string{"machining", "lowvolt", "pcb", "sensor", "fluoro", "semi", "plastic"},
		[]string{"IATF16949", "UL"}, []string{"330522"}, []string{"储能", "动力", "两轮车", "汽车", "新能源"}},
	{"电器", "3854", []string{"厨房小家电", "生活电器", "智能家居产品"},
		[]string{"plastic", "mould", "motor", "pcb", "fastener", "sensor"},
		[]string{"CCC", "UL"}, []string{"330282", "330281"}, []string{"家电", "家用"}},
	{"工具", "3465", []string{"锂电工具", "园林工具", "专业电动工具"},
		[]string{"motor", "battery", "diecast", "gear", "plastic", "pcb"},
		[]string{"CE", "GS"}, []string{"330784", "330702"}, []string{"电动工具"}},
	{"车业", "3770", []string{"电动自行车", "电动摩托车", "电动三轮车"},
		[]string{"motor", "battery", "diecast", "plastic", "fastener", "pcb"},
		[]string{"CCC"}, []string{"330703", "331004"}, []string{"电动车", "两轮车"}},
	{"泵业", "3441", []string{"工业泵", "家用水泵", "流体输送系统"},
		[]string{"castiron", "forging", "machining", "bearing", "motor", "fastener"},
		[]string{"CE"}, []string{"331081", "330303"}, []string{"化工", "家用", "深井"}},
	{"船舶", "3731", []string{"散货船", "化学品船", "海工辅助船"},
		[]string{"marine", "valve", "pump", "fastener", "castiron"},
		[]string{"CCS", "DNV"}, []string{"330902", "330903"}, []string{"船用"}},
	{"医疗", "3581", []string{"内窥镜系统", "监护设备", "体外诊断设备"},
		[]string{"plastic", "pcb", "sensor", "machining", "mould", "medcons"},
		[]string{"ISO13485"}, []string{"330110", "330122"}, []string{"医用", "医疗"}},
	{"服饰", "1811", []string{"运动服装", "户外服装", "休闲服饰"},
		[]string{"weaving", "dyeing", "knit"},
		[]string{"OEKO-TEX", "GRS"}, []string{"330603", "330681"}, []string{"户外"}},
	{"缝制设备", "3553", []string{"智能缝制设备", "工业缝纫机"},
		[]string{"castiron", "diecast", "machining", "motor", "bearing"},
		[]string{"CE"}, []string{"331002"}, []string{}},
	{"装备", "3421", []string{"数控机床", "智能产线", "工业机器人"},
		[]string{"castiron", "bearing", "gear", "pneumatic", "machining", "pcb", "software"},
		[]string{"CE"}, []string{"331083", "330212"}, []string{"机床", "机器人", "半导体"}},
}

// direction is an institution's research direction and the families it serves.
type direction struct {
	name     string
	families []string
}

var directions = []direction{
	{"先进制造", []string{"diecast", "mould", "machining", "machinetool", "gear"}},
	{"新材料", []string{"film", "magnetic", "fluoro", "forging", "castiron"}},
	{"新能源", []string{"pv", "battery", "lowvolt", "semi"}},
	{"电子信息", []string{"pcb", "sensor", "semi", "software", "iot"}},
	{"生物医学工程", []string{"meddev", "medcons", "glasses"}},
	{"现代纺织", []string{"weaving", "dyeing", "knit", "sewing"}},
	{"海洋装备", []string{"marine", "valve", "pump"}},
	{"流体机械", []string{"pump", "valve", "pneumatic"}},
	{"智能家电", []string{"appliance", "motor", "etool"}},
	{"汽车零部件", []string{"auto", "diecast", "bearing", "fastener"}},
}
