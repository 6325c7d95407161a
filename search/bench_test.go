package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// Benchmarks on generated data (docs/search-quality.md has numbers):
//
//	go test ./search -run '^$' -bench BenchmarkSearch -benchtime 300x
//	go test ./search -run '^$' -bench BenchmarkIndexBuild -benchtime 3x
//
// BenchmarkSearch indexes 20,000 organisations and 100,000 listings once
// (RONGTONG_BENCH_LISTINGS changes the listing count; organisations are a
// fifth of it) and reports p50 and p99 latency of 1–4 word queries with the
// default facets. BenchmarkIndexBuild reports records indexed per second.

// benchVocab is what generated records are made of.
var benchVocab = struct {
	products, processes, materials, regions, industries, certs []string
}{
	products: []string{"铝合金压铸件", "球墨铸铁件", "精密锻件", "压铸模具", "注塑模具", "冲压模具", "注塑机", "滚动轴承",
		"齿轮减速机", "汽车制动系统零部件", "电驱壳体", "水泵", "工业阀门", "水暖阀门", "气动元件", "紧固件", "精密机械零部件",
		"低压电器", "光伏组件", "光伏逆变器", "锂离子电池", "铅蓄电池", "五金工具", "电动工具", "化纤面料", "印染", "经编面料",
		"皮革", "含氟聚合物", "光伏胶膜", "注塑件", "监护仪", "医用耗材", "功率器件", "封装测试", "印制电路板", "传感器",
		"工业软件", "工业物联网", "电动自行车", "船用配套设备", "海洋工程装备"},
	processes: []string{"压铸", "数控加工", "注塑", "冲压", "锻造", "焊接", "热处理", "阳极氧化", "粉末喷涂", "电镀", "线切割",
		"装配", "检测", "抛光", "去毛刺", "SMT贴片", "经编", "染色", "鞣制", "挤出"},
	materials: []string{"铝合金", "不锈钢", "碳钢", "黄铜", "工程塑料", "尼龙", "涤纶", "硅钢", "铜合金"},
	regions: []string{"330206", "330226", "330282", "331003", "331081", "330382", "330402", "330602", "330784",
		"330110", "330114", "330108", "330802", "330902", "331102", "330522"},
	industries: []string{"3392", "3391", "3393", "3525", "3523", "3451", "3453", "3670", "3441", "3443", "3446",
		"3482", "3484", "3823", "3825", "3841", "3843", "3322", "3465", "1751", "1752", "1761", "1910", "2651",
		"2921", "2929", "3581", "3584", "3972", "3973", "3982", "3983", "6513", "6532", "3770", "3734", "3737"},
	certs: []string{"ISO9001", "ISO14001", "IATF16949", "ISO45001", "ISO13485", "CE", "UL", "OEKO-TEX"},
}

// benchCorpus generates orgs and listings with a fixed seed.
func benchCorpus(nOrgs, nListings int) ([]*app.Org, []*app.Listing) {
	r := rand.New(rand.NewPCG(1, 2))
	v := benchVocab
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	now := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	orgs := make([]*app.Org, nOrgs)
	for i := range orgs {
		p1, p2 := pick(v.products), pick(v.products)
		region := pick(v.regions)
		o := &app.Org{ID: fmt.Sprintf("%024x", i+1), Name: fmt.Sprintf("浙江%s%d有限公司", p1, i),
			Type: app.OrgSME, Region: region, Industry: pick(v.industries), Tier: app.Tiers[r.IntN(len(app.Tiers))],
			Certifications: []string{pick(v.certs), pick(v.certs)}, Products: []string{p1, p2},
			Description: fmt.Sprintf("公司专注%s、%s，具备%s、%s能力，常用材料%s。", p1, p2, pick(v.processes),
				pick(v.processes), pick(v.materials)),
			Verified: r.IntN(10) > 0, CreatedAt: now, UpdatedAt: now}
		o.Normalize()
		orgs[i] = o
	}
	kinds := []app.Kind{app.KindCapability, app.KindCapability, app.KindCapability, app.KindNeed, app.KindTech,
		app.KindTechNeed, app.KindFinancing}
	listings := make([]*app.Listing, nListings)
	for i := range listings {
		o := orgs[r.IntN(len(orgs))]
		p, proc := pick(v.products), pick(v.processes)
		l := &app.Listing{ID: fmt.Sprintf("%024x", 1<<40+i), Kind: kinds[r.IntN(len(kinds))],
			Status: []app.Status{app.StatusPublished, app.StatusPublished, app.StatusDraft}[r.IntN(3)],
			Title:  fmt.Sprintf("%s%s配套", p, proc),
			Description: fmt.Sprintf("承接%s，核心工艺%s、%s，材料%s，产能%d件/年。", p, proc, pick(v.processes),
				pick(v.materials), 1000+r.IntN(100000)),
			CreatedAt: now, UpdatedAt: now}
		switch l.Kind {
		case app.KindCapability:
			l.Processes = []string{proc}
			l.Materials = []string{pick(v.materials)}
			l.Certifications = []string{pick(v.certs)}
			l.Industries = []string{pick(v.industries)}
		case app.KindNeed:
			l.Industry = pick(v.industries)
			l.Processes = []string{proc}
			l.CertificationsRequired = []string{pick(v.certs)}
		case app.KindTech, app.KindTechNeed:
			l.Industries = []string{pick(v.industries)}
		case app.KindFinancing:
			l.AmountWan = 1000
		}
		l.Normalize()
		l.SetOwner(o)
		listings[i] = l
	}
	return orgs, listings
}

func benchSource(orgs []*app.Org, listings []*app.Listing) Source {
	return func(ctx context.Context, w Writer) error {
		for i := 0; i < len(listings); i += 1000 {
			if err := w.IndexListings(ctx, listings[i:min(i+1000, len(listings))]); err != nil {
				return err
			}
		}
		for _, o := range orgs {
			if err := w.IndexOrg(ctx, o); err != nil {
				return err
			}
		}
		return nil
	}
}

var benchIndex = struct {
	once sync.Once
	ix   *Index
	dir  string
	err  error
}{}

func benchListings() int {
	if n, err := strconv.Atoi(os.Getenv("RONGTONG_BENCH_LISTINGS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func BenchmarkSearch(b *testing.B) {
	benchIndex.once.Do(func() {
		nl := benchListings()
		orgs, listings := benchCorpus(nl/5, nl)
		benchIndex.dir, benchIndex.err = os.MkdirTemp("", "rongtong-bench-")
		if benchIndex.err != nil {
			return
		}
		benchIndex.ix, benchIndex.err = Open(benchIndex.dir, Options{})
		if benchIndex.err != nil {
			return
		}
		start := time.Now()
		benchIndex.err = benchIndex.ix.Rebuild(context.Background(), benchSource(orgs, listings))
		fmt.Fprintf(os.Stderr, "bench index: %d records in %v\n", len(orgs)+len(listings), time.Since(start))
	})
	if benchIndex.err != nil {
		b.Fatal(benchIndex.err)
	}
	ix := benchIndex.ix
	queries := map[int][]string{
		1: {"压铸", "轴承", "传感器", "注塑模具", "IATF16949", "宁波", "工业软件", "阀门"},
		2: {"压铸 铝合金", "数控加工 阀门", "宁波 轴承", "注塑 模具", "光伏 逆变器", "经编 面料"},
		3: {"铝合金 压铸件 数控加工", "台州 水泵 装配", "ISO9001 注塑件 汽车", "锂电池 壳体 焊接"},
		4: {"宁波 铝合金 压铸件 阳极氧化", "精密 零部件 数控加工 不锈钢", "光伏 组件 检测 嘉兴", "注塑 模具 抛光 黄岩"},
	}
	for n := 1; n <= 4; n++ {
		b.Run(fmt.Sprintf("terms=%d", n), func(b *testing.B) {
			qs := queries[n]
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := Query{Text: qs[i%len(qs)], VisibleTo: &app.Visibility{}, Limit: 20}
				start := time.Now()
				if _, err := ix.Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

func BenchmarkIndexBuild(b *testing.B) {
	n := 10_000
	if s := os.Getenv("RONGTONG_BENCH_BUILD"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v > 0 {
			n = v
		}
	}
	orgs, listings := benchCorpus(n/6, n-n/6)
	segmenter() // the dictionary load is not part of a build
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		ix, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := ix.Rebuild(context.Background(), benchSource(orgs, listings)); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "records/s")
		b.StopTimer()
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMain removes the benchmark index.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchIndex.ix != nil {
		benchIndex.ix.Close()
	}
	if benchIndex.dir != "" && strings.Contains(benchIndex.dir, "rongtong-bench-") {
		os.RemoveAll(benchIndex.dir)
	}
	os.Exit(code)
}
