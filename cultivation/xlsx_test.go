package cultivation

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/store/sqlite"
)

// now is the tests' clock: indicators of 2026 are allowed, 2027 lies ahead.
var now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// newService opens a real SQLite store with a fixed clock.
func newService(tb testing.TB) *app.Service {
	tb.Helper()
	st, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "rongtong.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Error(err)
		}
	})
	svc := app.NewService(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Clock = func() time.Time { return now }
	return svc
}

// uscc returns the n-th valid 统一社会信用代码 of the tests.
func uscc(n int) string {
	first := fmt.Sprintf("91330200MA%07d", n)
	return first + string(app.USCCCheckChar(first))
}

// mustOrgs stores n SMEs in 宁波 (鄞州区 and 北仑区 in turn) in one batch.
func mustOrgs(tb testing.TB, svc *app.Service, n int) []*app.Org {
	tb.Helper()
	orgs := make([]*app.Org, n)
	for i := range orgs {
		region := []string{"330212", "330206"}[i%2]
		o := &app.Org{ID: app.NewID(), Name: fmt.Sprintf("测试企业%d", i), USCC: uscc(i), Type: app.OrgSME, Region: region,
			Industry: []string{"3484", "3451", "3981"}[i%3], Tier: app.TierInnovative, CreatedAt: now, UpdatedAt: now}
		o.Normalize()
		orgs[i] = o
	}
	for start := 0; start < n; start += 1000 {
		if err := svc.Store.SaveBatch(tb.Context(), orgs[start:min(start+1000, n)], nil); err != nil {
			tb.Fatal(err)
		}
	}
	return orgs
}

// figures returns deterministic figures for a firm and year.
func figures(k, year int) app.Indicator {
	base := float64(1000 + k%97*50 + (year-2023)*120)
	return app.Indicator{Year: year, OutputWan: base * 1.2, RevenueWan: base, TaxWan: base / 20, LandMu: float64(10 + k%30),
		EnergyTce: float64(200 + k%50), RDSpendWan: base * 0.04, InventionPatents: k % 5, OwnTrademark: k%2 == 0,
		StandardsShare: 80, QualityPassRate: 99, NCShare: 60, Safety: app.SafetyClean, CreditRating: "A",
		DebtRatio: 40 + float64(k%20), MainBusinessShare: 85, NicheYears: 3 + k%8}
}

// workbook writes rows in the template's layout (Chinese and English header
// rows) with the streaming writer.
func workbook(tb testing.TB, rows []app.IndicatorRow) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	zh, en := make([]any, len(columns)), make([]any, len(columns))
	for i, c := range columns {
		zh[i], en[i] = c.zh, c.en
	}
	add := func(n int, v []any) {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, v); err != nil {
			tb.Fatal(err)
		}
	}
	add(1, zh)
	add(2, en)
	for i, r := range rows {
		v := []any{r.USCC, "企业", r.Region}
		for _, c := range columns[3:] {
			v = append(v, c.write(&r.Indicator))
		}
		add(i+3, v)
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// seeded describes the bad rows seeded into every block of 500 rows, by
// position in the block, with the field each must be reported under.
var seeded = map[int]struct{ kind, field, code string }{
	1: {"wrong USCC check character", "uscc", app.FieldFormat},
	2: {"unknown region", "region", app.FieldUnknown},
	3: {"negative tax", "taxWan", app.FieldRange},
	4: {"year in the future", "year", app.FieldRange},
	6: {"duplicate org-year (first)", "year", app.FieldDuplicate},
	7: {"duplicate org-year (second)", "year", app.FieldDuplicate},
	8: {"unknown organisation", "uscc", app.FieldUnknown},
	9: {"a word in a number cell", "landMu", app.FieldFormat},
}

// importRows returns n rows over the organisations, three years each, with
// the seeded bad rows.
func importRows(orgs []*app.Org, n int) []app.IndicatorRow {
	rows := make([]app.IndicatorRow, n)
	for i := range rows {
		k := i / 3
		in := figures(k, 2023+i%3)
		rows[i] = app.IndicatorRow{USCC: orgs[k].USCC, Region: orgs[k].Region, Indicator: in}
		switch i % 500 {
		case 1:
			u := []byte(rows[i].USCC)
			u[17] = map[bool]byte{true: '1', false: '2'}[u[17] != '1']
			rows[i].USCC = string(u)
		case 2:
			rows[i].Region = "999999"
		case 3:
			rows[i].TaxWan = -5
		case 4:
			rows[i].Year = now.Year() + 1
		case 7:
			rows[i].USCC, rows[i].Region, rows[i].Year = rows[i-1].USCC, rows[i-1].Region, rows[i-1].Year
		case 8:
			rows[i].USCC = uscc(9_000_000 + i)
		}
	}
	return rows
}

// TestImport10k imports a 10,000-row workbook with seeded bad rows: every
// bad row is reported under its field and no other, the good rows are
// stored, and importing the same file again writes nothing.
func TestImport10k(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 rows")
	}
	ctx := context.Background()
	svc := newService(t)
	orgs := mustOrgs(t, svc, 3334)
	const n = 10_000
	rows := importRows(orgs, n)
	file := workbook(t, rows)
	// Row 9 of each block: the land cell holds a word.
	file = replaceCells(t, file, func(row int) bool { return (row-3)%500 == 9 }, "H", "很多")

	start := time.Now()
	read, err := ReadIndicators(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	readTime := time.Since(start)
	rep, err := svc.ImportIndicators(ctx, app.SystemActor(), read)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d rows (%d KiB workbook) in %s: reading %s, checking and storing %s", n, len(file)>>10,
		time.Since(start).Round(time.Millisecond), readTime.Round(time.Millisecond), (time.Since(start) - readTime).Round(time.Millisecond))

	blocks := n / 500
	wantFailed := blocks * len(seeded)
	if rep.Rows != n || rep.Failed != wantFailed || rep.Created != n-wantFailed || rep.Updated != 0 || rep.Unchanged != 0 {
		t.Fatalf("report rows %d created %d updated %d unchanged %d failed %d; want %d, %d, 0, 0, %d",
			rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Failed, n, n-wantFailed, wantFailed)
	}
	got := map[int][]app.IndicatorImportError{}
	for _, e := range rep.Errors {
		got[e.Row] = append(got[e.Row], e)
	}
	for i := range rows {
		want, bad := seeded[i%500]
		errs := got[i+3]
		if !bad {
			if len(errs) > 0 {
				t.Errorf("good row %d reported: %+v", i+3, errs)
			}
			continue
		}
		if len(errs) != 1 || errs[0].Field != want.field || errs[0].Code != want.code {
			t.Errorf("row %d (%s): reported %+v, want one error on %s (%s)", i+3, want.kind, errs, want.field, want.code)
		}
	}
	stored, err := svc.Store.ListIndicators(ctx, app.IndicatorFilter{}, app.Page{Limit: app.MaxPageLimit})
	if err != nil || len(stored) == 0 {
		t.Fatalf("stored %d rows: %v", len(stored), err)
	}
	if k := orgs[0].ID; stored[0].OrgID == k && stored[0].Year == 2023 {
		want := figures(0, 2023)
		want.OrgID, want.UpdatedAt = k, now
		if *stored[0] != want {
			t.Errorf("stored %+v, want %+v", stored[0], want)
		}
	}

	t.Run("the report as a workbook", func(t *testing.T) {
		var b bytes.Buffer
		if err := WriteReport(&b, rep); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		all, err := f.GetRows(ReportSheet)
		if err != nil {
			t.Fatal(err)
		}
		if lines := len(all) - 7; lines != len(rep.Errors) {
			t.Errorf("report workbook has %d error lines, want %d", lines, len(rep.Errors))
		}
	})

	t.Run("a second import writes nothing", func(t *testing.T) {
		later := now.Add(time.Hour)
		svc.Clock = func() time.Time { return later }
		defer func() { svc.Clock = func() time.Time { return now } }()
		read, err := ReadIndicators(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		again, err := svc.ImportIndicators(ctx, app.SystemActor(), read)
		if err != nil {
			t.Fatal(err)
		}
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != rep.Created || again.Failed != rep.Failed {
			t.Fatalf("second import %+v", again)
		}
		p := app.Page{Limit: app.MaxPageLimit}
		count := 0
		for {
			page, err := svc.Store.ListIndicators(ctx, app.IndicatorFilter{}, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				count++
				if !r.UpdatedAt.Equal(now) {
					t.Fatalf("row %s rewritten at %s", r.Key(), r.UpdatedAt)
				}
			}
			if len(page) < p.Limit {
				break
			}
			p.After = page[len(page)-1].Key()
		}
		if count != rep.Created {
			t.Errorf("%d rows stored, want %d", count, rep.Created)
		}
	})
}

// replaceCells sets a column's cell to text in the data rows that sel picks.
func replaceCells(tb testing.TB, file []byte, sel func(row int) bool, col, text string) []byte {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	for r := 3; r <= len(rows); r++ {
		if sel(r) {
			if err := f.SetCellValue("Sheet1", fmt.Sprintf("%s%d", col, r), text); err != nil {
				tb.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestTemplateReadsBack checks that the template's headers are what the
// reader finds, in Chinese or English, and that an empty template imports
// no rows.
func TestTemplateReadsBack(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTemplate(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadIndicators(bytes.NewReader(b.Bytes()))
	if err != nil || len(rows) != 0 {
		t.Fatalf("template read as %d rows: %v", len(rows), err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := f.GetRows(IndicatorSheet)
	if err != nil || len(all) != 2 || all[0][0] != "统一社会信用代码" || all[1][0] != "USCC" {
		t.Fatalf("template rows %v: %v", all, err)
	}
	dvs, err := f.GetDataValidations(IndicatorSheet)
	if err != nil || len(dvs) != 3 {
		t.Errorf("template has %d drop-down lists, want 3: %v", len(dvs), err)
	}
	for _, bad := range []string{"not a workbook", ""} {
		if _, err := ReadIndicators(strings.NewReader(bad)); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("ReadIndicators(%q) = %v, want EINVALID", bad, err)
		}
	}
}

// TestExport writes the cultivated organisations of a filter to a workbook
// and reads it back: one row per member or reporting firm, with the latest
// indicators up to the asked year and the tier they meet.
func TestExport(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	orgs := mustOrgs(t, svc, 6) // 鄞州区 and 北仑区 in turn
	var rows []*app.Indicator
	for k, o := range orgs[:4] {
		for _, y := range []int{2024, 2025} {
			in := figures(k, y)
			in.OrgID, in.UpdatedAt = o.ID, now
			rows = append(rows, &in)
		}
	}
	if err := svc.Store.PutIndicators(ctx, rows); err != nil {
		t.Fatal(err)
	}
	// orgs[4] is a member without indicators; orgs[5] is neither.
	if _, err := svc.PutMembership(ctx, app.SystemActor(), orgs[4].ID, &app.Membership{Level: app.LevelCounty, Since: "2025-01-02", Office: "鄞州区经信局"}); err != nil {
		t.Fatal(err)
	}
	export := func(f app.IndicatorExportFilter) [][]string {
		t.Helper()
		x, err := NewExportWriter()
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.ExportIndicators(ctx, app.SystemActor(), f, x.Write); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := x.Finish(&b); err != nil {
			t.Fatal(err)
		}
		wb, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		all, err := wb.GetRows(ExportSheet)
		if err != nil {
			t.Fatal(err)
		}
		return all[2:] // after the two header rows
	}
	all := export(app.IndicatorExportFilter{})
	if len(all) != 5 {
		t.Fatalf("exported %d organisations, want 5 (four reporting, one member)", len(all))
	}
	byUSCC := map[string][]string{}
	for _, r := range all {
		byUSCC[r[1]] = r
	}
	if r := byUSCC[orgs[0].USCC]; len(r) < 11 || r[10] != "2025" || r[6] == "" {
		t.Errorf("row of the first firm %v: want its 2025 figures and an eligible tier", r)
	}
	if r := byUSCC[orgs[4].USCC]; len(r) != 10 || r[7] != "county" {
		t.Errorf("member without indicators exported as %v", r)
	}
	if _, ok := byUSCC[orgs[5].USCC]; ok {
		t.Error("an organisation outside the cultivation database was exported")
	}
	if got := export(app.IndicatorExportFilter{Region: "330206"}); len(got) != 2 {
		t.Errorf("北仑区: %d rows, want 2", len(got))
	}
	if got := export(app.IndicatorExportFilter{Year: 2024}); len(got) != 5 || byRow(got, orgs[1].USCC)[10] != "2024" {
		t.Errorf("up to 2024: %v", got)
	}
	scoped := &app.Actor{UserID: app.NewID(), Role: app.RoleAdmin, RegionScope: "330212"}
	if err := svc.ExportIndicators(ctx, scoped, app.IndicatorExportFilter{Region: "330206"}, func(app.IndicatorExportRow) error { return nil }); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("scoped admin exporting another county: %v", err)
	}
}

func byRow(rows [][]string, uscc string) []string {
	for _, r := range rows {
		if len(r) > 10 && r[1] == uscc {
			return r
		}
	}
	return make([]string, 11)
}

// TestExportReimports reads an exported workbook back: its English header
// row (second, after the Chinese one) is a header, not a failed data row.
func TestExportReimports(t *testing.T) {
	x, err := NewExportWriter()
	if err != nil {
		t.Fatal(err)
	}
	in := figures(1, 2025)
	o := &app.Org{Name: "甲公司", USCC: uscc(1), Region: "330212"}
	if err := x.Write(app.IndicatorExportRow{Org: o, Latest: &app.IndicatorYear{Indicator: in}}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := x.Finish(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadIndicators(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].USCC != o.USCC || rows[0].Year != 2025 || len(rows[0].Errors) != 0 {
		t.Fatalf("rows read back: %+v", rows)
	}
}
