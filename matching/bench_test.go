package matching

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
	"github.com/rongtong/rongtong/store/sqlite"
)

// Benchmarks (docs/benchmarks.md, section Matching, has the numbers):
//
//	go test ./matching -run '^$' -bench BenchmarkNeedToSMEs -benchtime 400x
//
// BenchmarkNeedToSMEs ranks the top 20 SMEs for a need among 100,000 SMEs
// with 200,000 capabilities (RONGTONG_BENCH_SMES changes the SME count;
// each has two capabilities) through app.Service.Matches as an admin, with
// reasons, as GET /api/v1/matches runs it, and reports p50, p95 and p99
// latency. The data is generated here (benchFamilies), saved into a SQLite
// store in the temporary directory and kept there between runs, keyed by
// benchVersion and size (rongtong-match-bench-…); the first run takes a
// minute or two to make it. There is no search index: the bleve search
// has its own benchmark (search/bench_test.go), and its latency adds to
// this one where text retrieval is on.

// benchVersion changes whenever the generated data would.
const benchVersion = "m1"

// benchFamilies are product families: a GB/T 4754 class, products and the
// processes their makers use.
var benchFamilies = []struct {
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

var benchCerts = []string{"ISO9001", "ISO14001", "IATF16949", "ISO13485", "ISO45001", "CE", "UL"}

// benchCounties are the county-level regions of Zhejiang.
func benchCounties() []string {
	var out []string
	for _, r := range ref.Regions() {
		if r.Level == 3 && r.Code[:2] == "33" {
			out = append(out, r.Code)
		}
	}
	return out
}

// benchStore makes (or reopens) the benchmark store with smes SMEs and
// returns it with the IDs of the needs to match from.
func benchStore(b *testing.B, smes int) (*sqlite.Store, []string) {
	b.Helper()
	ctx := context.Background()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("rongtong-match-bench-%s-%d", benchVersion, smes))
	path := filepath.Join(dir, "rongtong.db")
	done := filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if err := benchFill(ctx, st, smes); err != nil {
			b.Fatal(err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Logf("made %d SMEs with %d capabilities in %v", smes, 2*smes, time.Since(start).Round(time.Second))
	}
	// Kept open for the whole run: the benchmark function runs several
	// times with a growing b.N and reuses it.
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	var needs []string
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		ls, err := st.ListListings(ctx, app.ListingFilter{Kinds: []app.Kind{app.KindNeed}}, p)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range ls {
			needs = append(needs, l.ID)
		}
		if len(ls) < p.Limit {
			break
		}
		p.After = ls[len(ls)-1].ID
	}
	return st, needs
}

// benchFill writes the data: smes SMEs with two capabilities each, 50 lead
// enterprises with four needs each.
func benchFill(ctx context.Context, st app.Store, smes int) error {
	rng := rand.New(rand.NewPCG(20261127, 1))
	counties := benchCounties()
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
	for i := 0; i < 50; i++ {
		region := pick(counties)
		ent := newOrg(&app.Org{Ref: fmt.Sprintf("bench-ent-%03d", i), Name: fmt.Sprintf("基准龙头企业%03d", i), Type: app.OrgEnterprise,
			USCC: uscc(region, 900000000+i), Region: region, Industry: "3612"})
		orgs = append(orgs, ent)
		for j := 0; j < 4; j++ {
			f := benchFamilies[rng.IntN(len(benchFamilies))]
			n := &app.Listing{Ref: fmt.Sprintf("bench-need-%03d-%d", i, j), Kind: app.KindNeed,
				Title: "寻求" + pick(f.products) + "配套供应商", Industry: f.class, Processes: some(f.processes, 1+rng.IntN(2)),
				CertificationsRequired: some(benchCerts[:3], rng.IntN(2)),
				Quantity:               &app.Amount{Value: float64(1 + rng.IntN(50)), Unit: "万件", Per: "year"},
				RegionsPreferred:       []string{region[:4] + "00", "330000"}[rng.IntN(2):]}
			listings = append(listings, newListing(ent, n))
		}
	}
	for i := 0; i < smes; i++ {
		f := benchFamilies[rng.IntN(len(benchFamilies))]
		region := pick(counties)
		o := newOrg(&app.Org{Ref: fmt.Sprintf("bench-sme-%06d", i), Name: fmt.Sprintf("基准%s企业%06d", f.products[0], i), Type: app.OrgSME,
			USCC: uscc(region, 100000000+i), Region: region, Industry: f.class, Tier: app.Tiers[rng.IntN(len(app.Tiers))],
			Certifications: some(benchCerts, 1+rng.IntN(3)), Products: f.products, RevenueWan: float64(500 + rng.IntN(20000))})
		orgs = append(orgs, o)
		for j := 0; j < 2; j++ {
			cf := f
			if rng.IntN(5) == 0 { // one capability in five is of another family
				cf = benchFamilies[rng.IntN(len(benchFamilies))]
			}
			product, procs := pick(cf.products), some(cf.processes, 1+rng.IntN(3))
			c := &app.Listing{Ref: fmt.Sprintf("bench-cap-%06d-%d", i, j), Kind: app.KindCapability,
				Title: product + "生产能力（" + procs[0] + "）", Description: "专业生产" + product + "，擅长" + procs[0] + "。",
				Processes: procs, Certifications: some(o.Certifications, 1),
				Capacity:   &app.Amount{Value: float64(1 + rng.IntN(100)), Unit: "万件", Per: []string{"year", "month"}[rng.IntN(2)]},
				Industries: []string{"3670", "3612", "3823"}[:1+rng.IntN(3)], RegionsServed: []string{"330000"}}
			listings = append(listings, newListing(o, c))
		}
		if len(orgs) >= 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

var benchEnvOnce struct {
	sync.Mutex
	svc   map[int]*app.Service
	needs map[int][]string
}

func BenchmarkNeedToSMEs(b *testing.B) {
	smes := 100_000
	if v, err := strconv.Atoi(os.Getenv("RONGTONG_BENCH_SMES")); err == nil && v > 0 {
		smes = v
	}
	benchEnvOnce.Lock()
	if benchEnvOnce.svc == nil {
		benchEnvOnce.svc, benchEnvOnce.needs = map[int]*app.Service{}, map[int][]string{}
	}
	svc, needs := benchEnvOnce.svc[smes], benchEnvOnce.needs[smes]
	if svc == nil {
		var st *sqlite.Store
		st, needs = benchStore(b, smes)
		svc = app.NewService(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		eng := New(st, nil, DefaultConfig())
		// Wired as the server wires them: the pairing feeds are read per match.
		eng.SetOpenRequests(svc.OpenIncoming)
		eng.SetResponsiveness(svc.Responsiveness)
		svc.Matcher = eng
		// the first match loads the catalog
		start := time.Now()
		if _, err := svc.Matches(context.Background(), app.SystemActor(), app.MatchQuery{FromKind: "need", FromID: needs[0], Limit: 20}); err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.Logf("catalog of %d SMEs loaded in %v; heap %d MiB", smes, time.Since(start).Round(time.Millisecond), ms.HeapAlloc>>20)
		benchEnvOnce.svc[smes], benchEnvOnce.needs[smes] = svc, needs
	}
	benchEnvOnce.Unlock()

	ctx := context.Background()
	admin := app.SystemActor()
	lat := make([]time.Duration, 0, b.N)
	reasons := 0
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := svc.Matches(ctx, admin, app.MatchQuery{FromKind: "need", FromID: needs[i%len(needs)], Limit: 20})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if len(res.Items) != 20 {
			b.Fatalf("%d matches", len(res.Items))
		}
		for _, m := range res.Items {
			reasons += len(m.Reasons)
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(reasons)/float64(b.N*20), "reasons/match")
}

// cpuTime is the process's user and system CPU time so far. On a shared
// machine it says more about the work per match than wall-clock latency,
// which includes waiting for other processes; it includes the garbage
// collector's work on the other core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
