package app_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/demo"
	"github.com/rongtong/rongtong/store/sqlite"
)

// MustService returns a service on a fresh SQLite store in a temp dir.
func MustService(tb testing.TB) *app.Service {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "rongtong.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return app.NewService(st, nil, nil)
}

func demoFile(tb testing.TB, orgs int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := demo.Write(&b, demo.Options{Seed: 3, Orgs: orgs}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestImportIdempotentAndExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	sys := app.SystemActor()
	data := demoFile(t, 150)
	lines := bytes.Count(data, []byte("\n"))

	svc := MustService(t)
	run, err := svc.Import(ctx, sys, bytes.NewReader(data), "demo")
	if err != nil {
		t.Fatal(err)
	}
	if run.Counts.Created != lines || run.Counts.Failed != 0 {
		t.Fatalf("first import: %+v, want %d created", run.Counts, lines)
	}
	seq1, _ := svc.Store.LastSeq(ctx)
	run, err = svc.Import(ctx, sys, bytes.NewReader(data), "demo again")
	if err != nil {
		t.Fatal(err)
	}
	if run.Counts.Unchanged != lines || run.Counts.Created+run.Counts.Updated+run.Counts.Failed != 0 {
		t.Fatalf("second import: %+v, want all %d unchanged", run.Counts, lines)
	}
	if seq2, _ := svc.Store.LastSeq(ctx); seq2 != seq1 {
		t.Fatalf("the second import wrote: sequence %d → %d", seq1, seq2)
	}

	var first bytes.Buffer
	if err := svc.Export(ctx, sys, &first, app.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	other := MustService(t)
	run, err = other.Import(ctx, sys, bytes.NewReader(first.Bytes()), "export")
	if err != nil {
		t.Fatal(err)
	}
	if run.Counts.Failed != 0 || run.Counts.Created != lines {
		t.Fatalf("import of the export: %+v, errors %v", run.Counts, run.Errors)
	}
	var second bytes.Buffer
	if err := other.Export(ctx, sys, &second, app.ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		a, b := strings.Split(first.String(), "\n"), strings.Split(second.String(), "\n")
		for i := range a {
			if i >= len(b) || a[i] != b[i] {
				t.Fatalf("export → import → export differs at line %d:\n%s\n%s", i+1, a[i], b[min(i, len(b)-1)])
			}
		}
		t.Fatalf("exports differ in length: %d and %d lines", len(a), len(b))
	}
}

func TestImportReportsBadLines(t *testing.T) {
	ctx := context.Background()
	svc := MustService(t)
	file := strings.Join([]string{
		`{"kind":"org","ref":"o1","name":"宁波好压铸有限公司","uscc":"913304024877934U6H","orgType":"sme","region":"330206","industry":"3392"}`,
		`{"kind":"org","ref":"o2","name":"坏代码有限公司","uscc":"913304024877934U6J","orgType":"sme","region":"330206"}`,
		`{"kind":"org","ref":"o3","name":"未知地区","orgType":"investor","region":"339999"}`,
		`not json`,
		`{"kind":"capability","ref":"c1","org":"o1","title":"压铸","processes":["压铸"],"capacity":{"value":-5,"unit":"件"}}`,
		`{"kind":"capability","ref":"c2","org":"o2","title":"压铸"}`,
		`{"kind":"capability","ref":"c3","org":"nobody","title":"压铸"}`,
		`{"kind":"need","ref":"n1","org":"o1","title":"采购"}`,
		`{"kind":"capability","ref":"c4","org":"o1","title":"铝合金压铸件","processes":["压铸"],"unknownField":1}`,
		`{"kind":"capability","ref":"c4","org":"o1","title":"again"}`,
		`{"kind":"capability","ref":"c5","org":"o1","title":` + `"` + strings.Repeat("铸", 121) + `"}`,
		`{"kind":"offer","ref":"x1"}`,
		`{"kind":"org","ref":"o4","name":"负数","orgType":"investor","employees":-3}`,
		`{"kind":"org","ref":"o5","name":{"$gt":""},"orgType":"investor"}`,
		`{"kind":"capability","ref":"c6","org":"o1","title":"压铸","capacity":{"value":"lots","unit":"件"}}`,
	}, "\n")
	run, err := svc.Import(ctx, app.SystemActor(), strings.NewReader(file), "bad")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{2: "uscc", 3: "region", 4: "", 5: "capacity.value", 6: "org", 7: "org", 8: "org", 10: "ref", 11: "title", 12: "kind", 13: "employees", 14: "name", 15: "capacity.value"}
	got := map[int]string{}
	for _, e := range run.Errors {
		if _, seen := got[e.Line]; !seen {
			got[e.Line] = e.Field
		}
	}
	for line, field := range want {
		if f, ok := got[line]; !ok || f != field {
			t.Errorf("line %d: got field %q (reported %v), want %q", line, f, ok, field)
		}
	}
	if run.Counts.Created != 2 || run.Counts.Failed != len(want) {
		t.Errorf("counts %+v, want 2 created (o1, c4) and %d failed", run.Counts, len(want))
	}
	if _, err := svc.Store.FindOrgByRef(ctx, "o2"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a bad organisation was stored: %v", err)
	}
}

// BenchmarkImport measures import through the use case into the embedded
// store: records per second, including validation, ref resolution and the
// idempotence check.
func BenchmarkImport(b *testing.B) {
	data := demoFile(b, 3000)
	lines := bytes.Count(data, []byte("\n"))
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		svc := MustService(b)
		b.StartTimer()
		start := time.Now()
		run, err := svc.Import(context.Background(), app.SystemActor(), bytes.NewReader(data), "bench")
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		if run.Counts.Created != lines {
			b.Fatalf("created %d of %d", run.Counts.Created, lines)
		}
	}
	b.ReportMetric(float64(lines*b.N)/total.Seconds(), "records/s")
}
