package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

var (
	benchRegions    = []string{"330106", "330206", "330212", "320106"}
	benchIndustries = []string{"3484", "3451", "3981", "6513"}
)

// BenchRecords returns nOrgs organisations and nListings listings spread
// evenly over them in order, shaped like real ones (Chinese text, about 1 KB
// of JSON a listing), with new IDs, ready for SaveBatch.
func BenchRecords(nOrgs, nListings int) ([]*app.Org, []*app.Listing) {
	r := rand.New(rand.NewPCG(uint64(nOrgs), uint64(nListings)))
	orgs := make([]*app.Org, nOrgs)
	for i := range orgs {
		o := newOrg(fmt.Sprintf("浙江省第%d精密制造有限公司", i), benchRegions[r.IntN(len(benchRegions))], benchIndustries[r.IntN(len(benchIndustries))])
		o.Verified = r.IntN(4) != 0
		o.Tier = app.Tiers[r.IntN(len(app.Tiers))]
		o.Certifications = []string{"ISO9001", "IATF16949"}
		orgs[i] = o
	}
	ls := make([]*app.Listing, nListings)
	for i := range ls {
		o := orgs[i*nOrgs/nListings] // consecutive listings share an owner, so batches can be cut anywhere
		l := newListing(o, app.KindCapability, fmt.Sprintf("高精度数控加工能力第%d项", i),
			benchIndustries[r.IntN(len(benchIndustries))], benchIndustries[r.IntN(len(benchIndustries))])
		l.Industries = slices.Compact(l.Industries)
		setOwner(l, o)
		l.Description = "公司拥有五轴联动加工中心二十余台、三坐标测量仪等精密检测设备，可承接铝合金、不锈钢、钛合金等材料的复杂结构件加工，" +
			"尺寸精度可达±0.005mm，表面粗糙度Ra0.4。已通过汽车行业质量管理体系认证，长期为新能源汽车、工业机器人、医疗器械企业配套。"
		l.Materials = []string{"铝合金", "不锈钢", "钛合金"}
		l.Certifications = []string{"ISO9001", "IATF16949"}
		l.LeadTimeDays = 7 + r.IntN(30)
		l.RegionsServed = []string{"330000", "320000", "310000"}
		if r.IntN(5) == 0 {
			l.Status = app.StatusDraft
		}
		ls[i] = l
	}
	return orgs, ls
}

// benchBatch is how many listings one SaveBatch call of a load carries, as
// an import does.
const benchBatch = 5000

// load saves orgs and listings in batches, each batch's organisations first.
func load(b *testing.B, s app.Store, orgs []*app.Org, ls []*app.Listing) {
	b.Helper()
	perOrg := max(1, len(ls)/max(1, len(orgs)))
	orgsPer := max(1, benchBatch/perOrg)
	for i, j := 0, 0; i < len(orgs) || j < len(ls); {
		oEnd := min(len(orgs), i+orgsPer)
		lEnd := min(len(ls), j+benchBatch)
		if err := s.SaveBatch(b.Context(), orgs[i:oEnd], ls[j:lEnd]); err != nil {
			b.Fatalf("SaveBatch: %v", err)
		}
		i, j = oEnd, lEnd
	}
}

// BenchFindListing loads n listings owned by n/5 organisations (in batches of
// 5,000 through SaveBatch), then looks listings up by random ID. One
// benchmark op is a run of lookups: up to 10,000, at least 50, stopping after
// 3 s, so a slow store still finishes. It reports the lookups' latency
// percentiles ("p50-ms", "p99-ms"), "lookups/s" and "load-records/s".
func BenchFindListing(b *testing.B, s app.Store, n int) {
	orgs, ls := BenchRecords(max(1, n/5), n)
	start := time.Now()
	load(b, s, orgs, ls)
	loadRate := float64(len(orgs)+len(ls)) / time.Since(start).Seconds()
	r := rand.New(rand.NewPCG(1, 2))
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		opStart := time.Now()
		for i := 0; i < 10_000 && (i < 50 || time.Since(opStart) < 3*time.Second); i++ {
			want := ls[r.IntN(len(ls))]
			t := time.Now()
			got, err := s.FindListing(b.Context(), want.ID)
			lat = append(lat, time.Since(t))
			if err != nil {
				b.Fatalf("FindListing: %v", err)
			}
			if got.ID != want.ID {
				b.Fatalf("FindListing(%s) returned %s", want.ID, got.ID)
			}
		}
	}
	b.StopTimer()
	var total time.Duration
	for _, d := range lat {
		total += d
	}
	slices.Sort(lat)
	b.ReportMetric(ms(percentile(lat, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
	b.ReportMetric(float64(len(lat))/total.Seconds(), "lookups/s")
	b.ReportMetric(loadRate, "load-records/s")
}

// BenchSaveBatch measures SaveBatch: one op creates 1,000 organisations and
// 4,000 listings in one call, then saves the same records again, which
// replaces them. It reports "records/s" for creating and "replace-records/s"
// for replacing.
func BenchSaveBatch(b *testing.B, s app.Store) {
	var created, replaced time.Duration
	records := 0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		orgs, ls := BenchRecords(1000, 4000)
		b.StartTimer()
		t := time.Now()
		if err := s.SaveBatch(b.Context(), orgs, ls); err != nil {
			b.Fatalf("SaveBatch: %v", err)
		}
		created += time.Since(t)
		t = time.Now()
		if err := s.SaveBatch(b.Context(), orgs, ls); err != nil {
			b.Fatalf("SaveBatch (replace): %v", err)
		}
		replaced += time.Since(t)
		records += len(orgs) + len(ls)
	}
	b.StopTimer()
	b.ReportMetric(float64(records)/created.Seconds(), "records/s")
	b.ReportMetric(float64(records)/replaced.Seconds(), "replace-records/s")
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
