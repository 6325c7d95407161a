// Package benchdata makes the data set the matching benchmarks run on: lead
// enterprises with supply-chain needs, and SMEs with two capabilities each
// in 23 product families (a GB/T 4754 class, products, processes), spread
// over Zhejiang's counties, saved into a SQLite store that is kept in the
// temporary directory between runs. It serves benchmarks only.
package benchdata

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
	"github.com/rongtong/rongtong/store/sqlite"
)

// Version changes whenever the generated data would.
const Version = "m1"

// BaseNeeds is how many needs every data set has: 50 lead enterprises with
// four needs each.
const BaseNeeds = 200

// Options size a data set.
type Options struct {
	SMEs int // SMEs, each with two capabilities
	// Needs is the number of supply-chain needs, at least BaseNeeds (0
	// means BaseNeeds). Needs beyond BaseNeeds come from further lead
	// enterprises, four each, drawn after the SMEs, so that the first
	// BaseNeeds needs and the SMEs are the same whatever Needs is.
	Needs int
}

// Open makes (or reopens) the store of a data set in the temporary
// directory, keyed by Version and the options, and returns it with the IDs
// of its needs in ID order. Making 100,000 SMEs takes a minute or two;
// logf, if not nil, reports it.
func Open(ctx context.Context, o Options, logf func(format string, args ...any)) (*sqlite.Store, []string, error) {
	if o.Needs == 0 {
		o.Needs = BaseNeeds
	}
	if o.SMEs < 1 || o.Needs < BaseNeeds {
		return nil, nil, fmt.Errorf("benchdata: %d SMEs and %d needs asked for, need at least 1 and %d", o.SMEs, o.Needs, BaseNeeds)
	}
	name := fmt.Sprintf("rongtong-match-bench-%s-%d", Version, o.SMEs)
	if o.Needs != BaseNeeds {
		name += fmt.Sprintf("-n%d", o.Needs)
	}
	dir := filepath.Join(os.TempDir(), name)
	path := filepath.Join(dir, "rongtong.db")
	done := filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err != nil {
		if err := create(ctx, dir, path, o); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			return nil, nil, err
		}
		if logf != nil {
			logf("made %d SMEs with %d capabilities and %d needs", o.SMEs, 2*o.SMEs, o.Needs)
		}
	}
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	needs, err := NeedIDs(ctx, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, needs, nil
}

// create writes a new data set into dir.
func create(ctx context.Context, dir, path string, o Options) error {
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	if err := Fill(ctx, st, o); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}

// NeedIDs returns the IDs of the needs in a store, in ID order.
func NeedIDs(ctx context.Context, st app.Store) ([]string, error) {
	var needs []string
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		ls, err := st.ListListings(ctx, app.ListingFilter{Kinds: []app.Kind{app.KindNeed}}, p)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			needs = append(needs, l.ID)
		}
		if len(ls) < p.Limit {
			return needs, nil
		}
		p.After = ls[len(ls)-1].ID
	}
}

// families are product families: a GB/T 4754 class, products and the
// processes their makers use.
var families = []struct {
	class     string
	products  []string
	processes []string
}{
	{"3391", []string{"球墨铸铁件", "阀体铸件"}, []string{"砂型铸造", "消失模铸造", "调质", "数控加工", "抛丸"}},
	{"3392", []string{"铝合金压铸件", "电机壳体"}, []string{"压铸", "数控加工", "浸渗", "抛丸", "去毛刺"}},
	{"3393", []string{"精密锻件", "法兰"}, []string{"模锻", "冷锻", "热处理", "数控加工"}},
	{"3441", []string{"离心泵", "潜水泵"}, []string{"砂型铸造", "数控加工", "装配", "动平衡"}},
	{"3443", []string{"球阀", "闸阀"}, []string{"模锻", "数控加工", "堆焊", "压力测试"}},
	{"3446", []string{"气缸", "电磁阀"}, []string{"压铸", "数控加工", "阳极氧化", "装配"}},
	{"3451", []string{"深沟球轴承", "圆锥滚子轴承"}, []string{"车削", "磨削", "超精加工", "热处理"}},
	{"3453", []string{"齿轮减速机", "行星减速机"}, []string{"滚齿", "磨齿", "渗碳", "装配"}},
	{"3482", []string{"螺栓", "螺母"}, []string{"冷镦", "搓丝", "热处理", "电镀"}},
	{"3484", []string{"精密零件", "轴类零件"}, []string{"数控加工", "车削", "磨削", "五轴加工"}},
	{"3523", []string{"注塑机", "伺服注塑机"}, []string{"数控加工", "装配", "焊接"}},
	{"3525", []string{"注塑模具", "冲压模具"}, []string{"模具设计", "电火花加工", "线切割", "试模"}},
	{"3670", []string{"制动卡钳", "电驱壳体"}, []string{"压铸", "砂型铸造", "数控加工", "粉末喷涂"}},
	{"3823", []string{"断路器", "接触器"}, []string{"冲压", "注塑", "触头焊接", "装配"}},
	{"3825", []string{"光伏组件", "光伏逆变器"}, []string{"串焊", "层压", "smt贴片", "老化测试"}},
	{"3841", []string{"锂离子电池", "储能电池包"}, []string{"极片涂布", "卷绕", "化成", "pack组装"}},
	{"2929", []string{"注塑件", "塑料外壳"}, []string{"注塑", "双色注塑", "超声波焊接", "喷漆"}},
	{"1751", []string{"化纤面料", "涤纶布"}, []string{"喷水织造", "整经", "定型"}},
	{"1752", []string{"印染布", "数码印花面料"}, []string{"染色", "印花", "定型", "功能整理"}},
	{"3584", []string{"输液器", "医用导管"}, []string{"洁净注塑", "挤出", "灭菌", "装配"}},
	{"3982", []string{"印制电路板", "多层板"}, []string{"pcb制板", "smt贴片", "aoi检测"}},
	{"3983", []string{"压力传感器", "温度传感器"}, []string{"mems工艺", "标定", "封装"}},
	{"6513", []string{"MES系统", "工业软件"}, []string{"软件开发", "系统集成", "运维"}},
}

var certs = []string{"ISO9001", "ISO14001", "IATF16949", "ISO13485", "ISO45001", "CE", "UL"}

// zhejiangCounties are the county-level regions of Zhejiang.
func zhejiangCounties() []string {
	var out []string
	for _, r := range ref.Regions() {
		if r.Level == 3 && r.Code[:2] == "33" {
			out = append(out, r.Code)
		}
	}
	return out
}

// Fill writes a data set into a store: 50 lead enterprises with four
// needs each, the SMEs with two capabilities each, then the needs beyond
// BaseNeeds. The same options give the same records (but new IDs).
func Fill(ctx context.Context, st app.Store, o Options) error {
	if o.Needs == 0 {
		o.Needs = BaseNeeds
	}
	rng := rand.New(rand.NewPCG(20261127, 1))
	counties := zhejiangCounties()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	some := func(xs []string, n int) []string {
		p := rng.Perm(len(xs))[:min(n, len(xs))]
		out := make([]string, len(p))
		for i, j := range p {
			out[i] = xs[j]
		}
		return out
	}
	uscc := func(region string, n int) string {
		first := fmt.Sprintf("91%s%09d", region, n)
		return first + string(app.USCCCheckChar(first))
	}
	newOrg := func(o *app.Org) *app.Org {
		o.ID, o.Verified, o.CreatedAt, o.UpdatedAt, o.VerifiedAt = app.NewID(), true, now, now, &now
		o.Normalize()
		return o
	}
	newListing := func(owner *app.Org, l *app.Listing) *app.Listing {
		l.ID, l.Status, l.CreatedAt, l.UpdatedAt, l.PublishedAt = app.NewID(), app.StatusPublished, now, now, &now
		l.Normalize()
		l.SetOwner(owner)
		return l
	}
	var orgs []*app.Org
	var listings []*app.Listing
	flush := func() error {
		if err := st.SaveBatch(ctx, orgs, listings); err != nil {
			return err
		}
		orgs, listings = orgs[:0], listings[:0]
		return nil
	}
	needs := 0
	enterprise := func(i, n int) {
		region := pick(counties)
		ent := newOrg(&app.Org{Ref: fmt.Sprintf("bench-ent-%03d", i), Name: fmt.Sprintf("基准龙头企业%03d", i), Type: app.OrgEnterprise,
			USCC: uscc(region, 900000000+i), Region: region, Industry: "3612"})
		orgs = append(orgs, ent)
		for j := 0; j < n; j++ {
			f := families[rng.IntN(len(families))]
			n := &app.Listing{Ref: fmt.Sprintf("bench-need-%03d-%d", i, j), Kind: app.KindNeed,
				Title: "寻求" + pick(f.products) + "配套供应商", Industry: f.class, Processes: some(f.processes, 1+rng.IntN(2)),
				CertificationsRequired: some(certs[:3], rng.IntN(2)),
				Quantity:               &app.Amount{Value: float64(1 + rng.IntN(50)), Unit: "万件", Per: "year"},
				RegionsPreferred:       []string{region[:4] + "00", "330000"}[rng.IntN(2):]}
			listings = append(listings, newListing(ent, n))
			needs++
		}
	}
	for i := 0; i < BaseNeeds/4; i++ {
		enterprise(i, 4)
	}
	for i := 0; i < o.SMEs; i++ {
		f := families[rng.IntN(len(families))]
		region := pick(counties)
		s := newOrg(&app.Org{Ref: fmt.Sprintf("bench-sme-%06d", i), Name: fmt.Sprintf("基准%s企业%06d", f.products[0], i), Type: app.OrgSME,
			USCC: uscc(region, 100000000+i), Region: region, Industry: f.class, Tier: app.Tiers[rng.IntN(len(app.Tiers))],
			Certifications: some(certs, 1+rng.IntN(3)), Products: f.products, RevenueWan: float64(500 + rng.IntN(20000))})
		orgs = append(orgs, s)
		for j := 0; j < 2; j++ {
			cf := f
			if rng.IntN(5) == 0 { // one capability in five is of another family
				cf = families[rng.IntN(len(families))]
			}
			product, procs := pick(cf.products), some(cf.processes, 1+rng.IntN(3))
			c := &app.Listing{Ref: fmt.Sprintf("bench-cap-%06d-%d", i, j), Kind: app.KindCapability,
				Title: product + "生产能力（" + procs[0] + "）", Description: "专业生产" + product + "，擅长" + procs[0] + "。",
				Processes: procs, Certifications: some(s.Certifications, 1),
				Capacity:   &app.Amount{Value: float64(1 + rng.IntN(100)), Unit: "万件", Per: []string{"year", "month"}[rng.IntN(2)]},
				Industries: []string{"3670", "3612", "3823"}[:1+rng.IntN(3)], RegionsServed: []string{"330000"}}
			listings = append(listings, newListing(s, c))
		}
		if len(orgs) >= 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	for i := BaseNeeds / 4; needs < o.Needs; i++ {
		enterprise(i, min(4, o.Needs-needs))
		if len(orgs) >= 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// CPUTime is the process's user and system CPU time so far. On a shared
// machine it says more about the work done than wall-clock time, which
// includes waiting for other processes; it includes the garbage
// collector's work on the other cores.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
