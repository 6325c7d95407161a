package cultivation

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// Sheet names of the workbooks.
const (
	IndicatorSheet = "指标"
	ReportSheet    = "错误报告"
	ExportSheet    = "培育库"
)

// column is one column of the indicator workbook: its headers in Chinese and
// English, the JSON field it fills (named in error reports) and how a cell
// is read into a row and written from one.
type column struct {
	zh, en, field string
	read          func(r *app.IndicatorRow, cell string) error
	write         func(in *app.Indicator) any
}

var errNumber = errors.New("must be a number")

func number(cell string) (float64, error) {
	s := strings.ReplaceAll(strings.TrimSpace(app.FoldWidth(cell)), ",", "")
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, errNumber
	}
	return v, nil
}

func whole(cell string) (int, error) {
	v, err := number(cell)
	if err != nil || v != float64(int(v)) {
		return 0, errors.New("must be a whole number")
	}
	return int(v), nil
}

func floatCol(zh, en, field string, p func(in *app.Indicator) *float64) column {
	return column{zh: zh, en: en, field: field,
		read: func(r *app.IndicatorRow, cell string) (err error) {
			*p(&r.Indicator), err = number(cell)
			return err
		},
		write: func(in *app.Indicator) any { return *p(in) }}
}

func intCol(zh, en, field string, p func(in *app.Indicator) *int) column {
	return column{zh: zh, en: en, field: field,
		read: func(r *app.IndicatorRow, cell string) (err error) {
			*p(&r.Indicator), err = whole(cell)
			return err
		},
		write: func(in *app.Indicator) any { return *p(in) }}
}

// Words accepted for the yes/no and safety columns, in both languages.
var (
	yesWords    = map[string]bool{"是": true, "有": true, "yes": true, "true": true, "1": true, "否": false, "无": false, "no": false, "false": false, "0": false, "": false}
	safetyWords = map[string]app.Safety{"无事故": app.SafetyClean, "一般事故": app.SafetyMinor, "重大事故": app.SafetyMajor,
		"clean": app.SafetyClean, "minor": app.SafetyMinor, "major": app.SafetyMajor, "": app.SafetyClean}
	safetyNames = map[app.Safety]string{app.SafetyClean: "无事故", app.SafetyMinor: "一般事故", app.SafetyMajor: "重大事故"}
)

// columns lists the indicator workbook's columns in template order. The
// reader finds them by header, so a file may order them differently.
var columns = []column{
	{zh: "统一社会信用代码", en: "USCC", field: "uscc",
		read:  func(r *app.IndicatorRow, cell string) error { r.USCC = cell; return nil },
		write: nil},
	{zh: "企业名称", en: "Name", field: "name", read: func(*app.IndicatorRow, string) error { return nil }},
	{zh: "行政区划代码", en: "Region code", field: "region",
		read: func(r *app.IndicatorRow, cell string) error { r.Region = cell; return nil }},
	intCol("年度", "Year", "year", func(in *app.Indicator) *int { return &in.Year }),
	floatCol("产值（万元）", "Output value (10k yuan)", "outputWan", func(in *app.Indicator) *float64 { return &in.OutputWan }),
	floatCol("营业收入（万元）", "Revenue (10k yuan)", "revenueWan", func(in *app.Indicator) *float64 { return &in.RevenueWan }),
	floatCol("实缴税金（万元）", "Tax paid (10k yuan)", "taxWan", func(in *app.Indicator) *float64 { return &in.TaxWan }),
	floatCol("用地面积（亩）", "Land (mu)", "landMu", func(in *app.Indicator) *float64 { return &in.LandMu }),
	floatCol("综合能耗（吨标准煤）", "Energy use (tce)", "energyTce", func(in *app.Indicator) *float64 { return &in.EnergyTce }),
	floatCol("研发投入（万元）", "R&D spend (10k yuan)", "rdSpendWan", func(in *app.Indicator) *float64 { return &in.RDSpendWan }),
	intCol("有效发明专利（项）", "Invention patents", "inventionPatents", func(in *app.Indicator) *int { return &in.InventionPatents }),
	{zh: "自主商标（是/否）", en: "Own trademark (yes/no)", field: "ownTrademark",
		read: func(r *app.IndicatorRow, cell string) error {
			v, ok := yesWords[strings.ToLower(strings.TrimSpace(cell))]
			if !ok {
				return errors.New("must be 是 or 否 (yes or no)")
			}
			r.OwnTrademark = v
			return nil
		},
		write: func(in *app.Indicator) any {
			if in.OwnTrademark {
				return "是"
			}
			return "否"
		}},
	floatCol("采标率（%）", "Standards share (%)", "standardsShare", func(in *app.Indicator) *float64 { return &in.StandardsShare }),
	floatCol("产品质量合格率（%）", "Quality pass rate (%)", "qualityPassRate", func(in *app.Indicator) *float64 { return &in.QualityPassRate }),
	floatCol("数控化率（%）", "NC equipment share (%)", "ncShare", func(in *app.Indicator) *float64 { return &in.NCShare }),
	{zh: "安全环保状况", en: "Safety and environment", field: "safety",
		read: func(r *app.IndicatorRow, cell string) error {
			v, ok := safetyWords[strings.ToLower(strings.TrimSpace(cell))]
			if !ok {
				return errors.New("must be 无事故, 一般事故 or 重大事故 (clean, minor, major)")
			}
			r.Safety = v
			return nil
		},
		write: func(in *app.Indicator) any { return safetyNames[in.Safety] }},
	{zh: "信用等级", en: "Credit rating", field: "creditRating",
		read: func(r *app.IndicatorRow, cell string) error {
			r.CreditRating = strings.ToUpper(strings.TrimSpace(cell))
			return nil
		},
		write: func(in *app.Indicator) any { return in.CreditRating }},
	floatCol("资产负债率（%）", "Debt ratio (%)", "debtRatio", func(in *app.Indicator) *float64 { return &in.DebtRatio }),
	floatCol("主营业务收入占比（%）", "Main-business share (%)", "mainBusinessShare", func(in *app.Indicator) *float64 { return &in.MainBusinessShare }),
	intCol("从事细分市场年限（年）", "Years in the niche", "nicheYears", func(in *app.Indicator) *int { return &in.NicheYears }),
}

// WriteTemplate writes the indicator workbook's template: Chinese headers,
// English headers in the second row, a note on each header and drop-down
// lists for the columns that take words.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", IndicatorSheet); err != nil {
		return err
	}
	for i, c := range columns {
		cell, err := excelize.CoordinatesToCellName(i+1, 1)
		if err != nil {
			return err
		}
		if err := f.SetCellValue(IndicatorSheet, cell, c.zh); err != nil {
			return err
		}
		en, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellValue(IndicatorSheet, en, c.en); err != nil {
			return err
		}
		if err := f.AddComment(IndicatorSheet, excelize.Comment{Cell: cell, Author: "Rongtong", Text: c.en + " (" + c.field + ")"}); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(columns))
	if err := f.SetColWidth(IndicatorSheet, "A", last, 18); err != nil {
		return err
	}
	lists := map[string][]string{"ownTrademark": {"是", "否"}, "safety": {"无事故", "一般事故", "重大事故"}, "creditRating": app.CreditRatings}
	for i, c := range columns {
		keys, ok := lists[c.field]
		if !ok {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s3:%s100000", col, col))
		if err := dv.SetDropList(keys); err != nil {
			return err
		}
		if err := f.AddDataValidation(IndicatorSheet, dv); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

// ReadIndicators reads the first sheet of an indicator workbook row by row.
// The first row holds the headers (Chinese or English, as in the template);
// a second row of English headers is skipped, as are empty rows. Cells that
// cannot be read are reported on their row; an unusable file (not .xlsx, no
// USCC or year column) is an EINVALID error about the field "file".
func ReadIndicators(r io.Reader) ([]app.IndicatorRow, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, app.Invalid("file", app.FieldFormat, "is not an Excel workbook (.xlsx)")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, app.Invalid("file", app.FieldFormat, "has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, app.Invalid("file", app.FieldFormat, "cannot be read")
	}
	defer rows.Close()
	var (
		out   []app.IndicatorRow
		index []int // column position → index into columns, -1 for none
		n     int
	)
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, app.Invalid("file", app.FieldFormat, "row %d cannot be read", n)
		}
		if index == nil {
			if index, err = headerIndex(cells); err != nil {
				return nil, err
			}
			continue
		}
		if blank(cells) || isHeader(cells) {
			continue
		}
		out = append(out, readRow(n, cells, index))
	}
	if err := rows.Error(); err != nil {
		return nil, app.Invalid("file", app.FieldFormat, "cannot be read")
	}
	if index == nil {
		return nil, app.Invalid("file", app.FieldRequired, "has no header row")
	}
	return out, nil
}

// headerIndex maps the header row's cells to columns.
func headerIndex(cells []string) ([]int, error) {
	index := make([]int, len(cells))
	found := map[string]bool{}
	for i, h := range cells {
		index[i] = -1
		h = strings.TrimSpace(h)
		for j, c := range columns {
			if h == c.zh || strings.EqualFold(h, c.en) || h == c.field {
				index[i] = j
				found[c.field] = true
			}
		}
	}
	if !found["uscc"] || !found["year"] {
		return nil, app.Invalid("file", app.FieldRequired, "needs the columns 统一社会信用代码 (USCC) and 年度 (Year) in its first row")
	}
	return index, nil
}

// isHeader reports whether a row is the English header row of the template
// or of an export: one of its cells names the USCC column in English
// (an export puts the name first).
func isHeader(cells []string) bool {
	for _, c := range cells {
		if strings.EqualFold(strings.TrimSpace(c), columns[0].en) {
			return true
		}
	}
	return false
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func readRow(n int, cells []string, index []int) app.IndicatorRow {
	r := app.IndicatorRow{Row: n}
	for i, cell := range cells {
		if i >= len(index) || index[i] < 0 {
			continue
		}
		c := columns[index[i]]
		if err := c.read(&r, cell); err != nil {
			r.Errors = append(r.Errors, app.FieldError{Field: c.field, Code: app.FieldFormat, Message: err.Error()})
		}
	}
	return r
}

// WriteReport writes an import report as a workbook: a summary sheet and a
// sheet with one line per bad cell.
func WriteReport(w io.Writer, rep *app.IndicatorImport) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ReportSheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(ReportSheet)
	if err != nil {
		return err
	}
	rows := [][]any{
		{"行数 Rows", rep.Rows}, {"新增 Created", rep.Created}, {"更新 Updated", rep.Updated},
		{"未变 Unchanged", rep.Unchanged}, {"失败 Failed", rep.Failed}, {},
		{"行号 Row", "统一社会信用代码 USCC", "年度 Year", "字段 Field", "错误 Code", "说明 Message"},
	}
	for _, e := range rep.Errors {
		rows = append(rows, []any{e.Row, e.USCC, e.Year, e.Field, e.Code, e.Message})
	}
	if err := writeRows(sw, rows); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func writeRows(sw *excelize.StreamWriter, rows [][]any) error {
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// ExportWriter streams an indicator export into a workbook: one row per
// organisation with its latest indicators, derived figures and tiers.
type ExportWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// NewExportWriter starts an export workbook and writes its headers.
func NewExportWriter() (*ExportWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", ExportSheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(ExportSheet)
	if err != nil {
		return nil, err
	}
	x := &ExportWriter{f: f, sw: sw}
	zh := []any{"企业名称", "统一社会信用代码", "行政区划代码", "行政区划", "行业代码", "梯度", "符合梯度", "培育层级", "入库时间", "入库单位"}
	en := []any{"Name", "USCC", "Region code", "Region", "Industry", "Tier", "Eligible tier", "Level", "Since", "Office"}
	for _, c := range columns[3:] {
		zh, en = append(zh, c.zh), append(en, c.en)
	}
	zh = append(zh, "亩均税收（万元/亩）", "单位能耗产值（万元/吨标准煤）", "研发投入占比（%）", "营业收入增长率（%）")
	en = append(en, "Tax per mu", "Output per tce", "R&D ratio (%)", "Revenue growth (%)")
	if err := x.add(zh); err != nil {
		return nil, err
	}
	return x, x.add(en)
}

func (x *ExportWriter) add(values []any) error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, values)
}

// Write adds one organisation.
func (x *ExportWriter) Write(r app.IndicatorExportRow) error {
	o := r.Org
	v := []any{o.Name, o.USCC, o.Region, ref.RegionFullName(o.Region), o.Industry, string(o.Tier), string(r.Eligible)}
	if m := r.Membership; m != nil {
		v = append(v, string(m.Level), m.Since, m.Office)
	} else {
		v = append(v, "", "", "")
	}
	if r.Latest == nil {
		return x.add(v)
	}
	for _, c := range columns[3:] {
		v = append(v, c.write(&r.Latest.Indicator))
	}
	d := r.Latest.Derived
	for _, p := range []*float64{d.TaxPerMu, d.OutputPerTce, d.RDRatio, d.RevenueGrowth} {
		if p == nil {
			v = append(v, "")
		} else {
			v = append(v, *p)
		}
	}
	return x.add(v)
}

// Finish writes the workbook to w.
func (x *ExportWriter) Finish(w io.Writer) error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(w)
	return err
}

// WriteTable writes rows of text (a header first) as a one-sheet workbook,
// for a dashboard chart's download.
func WriteTable(w io.Writer, sheet string, table [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	rows := make([][]any, len(table))
	for i, r := range table {
		rows[i] = make([]any, len(r))
		for j, c := range r {
			rows[i][j] = c
		}
	}
	if err := writeRows(sw, rows); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
