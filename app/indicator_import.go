package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/rongtong/rongtong/ref"
)

// IndicatorRow is one data row of an uploaded indicator workbook, as the
// workbook reader found it. The organisation is named by its USCC.
type IndicatorRow struct {
	Row    int    // the row number in the sheet, for the report
	USCC   string // 统一社会信用代码
	Region string // optional; checked against the organisation's
	Indicator
	// Errors are the cells the reader could not read (a word where a number
	// belongs); the row fails with them.
	Errors []FieldError
}

// IndicatorImport is the report of an indicator import: good rows are kept,
// bad rows listed with their row number and field.
type IndicatorImport struct {
	Rows      int                    `json:"rows"`
	Created   int                    `json:"created"`
	Updated   int                    `json:"updated"`
	Unchanged int                    `json:"unchanged"`
	Failed    int                    `json:"failed"`
	Errors    []IndicatorImportError `json:"errors"`
}

// IndicatorImportError is what is wrong with one cell of a row.
type IndicatorImportError struct {
	Row     int    `json:"row"`
	USCC    string `json:"uscc,omitempty"`
	Year    int    `json:"year,omitempty"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// FieldDuplicate marks a row whose organisation and year another row of the
// same file also gives; neither is imported, since which is right is unknown.
const FieldDuplicate = "duplicate"

// ImportIndicators checks the rows of an indicator workbook and creates or
// replaces the good ones by organisation and year. Rows whose figures equal
// the stored ones are left alone, so importing a file twice writes nothing
// the second time. Admins only; an admin scoped to a region can import only
// organisations there (the others are reported as unknown). The rows are
// normalised in place.
func (s *Service) ImportIndicators(ctx context.Context, a *Actor, rows []IndicatorRow) (*IndicatorImport, error) {
	if !a.Admin() {
		return nil, errForbidden
	}
	rep := &IndicatorImport{Rows: len(rows), Errors: []IndicatorImportError{}}
	if len(rows) == 0 {
		return rep, nil
	}
	byUSCC, err := s.orgsByUSCC(ctx, a, rows)
	if err != nil {
		return nil, err
	}
	now := s.now()
	good := make([]*Indicator, 0, len(rows))
	seen := map[string][]int{} // key → indexes of rows with it
	bad := make([]Fields, len(rows))
	for i := range rows {
		r := &rows[i]
		bad[i] = checkIndicatorRow(r, byUSCC, now)
		if r.OrgID != "" {
			seen[r.Key()] = append(seen[r.Key()], i)
		}
	}
	markDuplicates(rows, seen, bad)
	for i := range rows {
		r := &rows[i]
		if len(bad[i]) > 0 {
			rep.Failed++
			for _, fe := range bad[i] {
				rep.Errors = append(rep.Errors, IndicatorImportError{Row: r.Row, USCC: r.USCC, Year: r.Year, Field: fe.Field, Code: fe.Code, Message: fe.Message})
			}
			continue
		}
		in := r.Indicator
		good = append(good, &in)
	}
	changed, err := s.changedIndicators(ctx, good, rep)
	if err != nil {
		return nil, err
	}
	for start := 0; start < len(changed); start += s.importBatch() {
		if err := s.Store.PutIndicators(ctx, changed[start:min(start+s.importBatch(), len(changed))]); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// markDuplicates fails every row whose organisation and year another row
// also gives; seen maps each key to the indexes of its rows.
func markDuplicates(rows []IndicatorRow, seen map[string][]int, bad []Fields) {
	for _, idx := range seen {
		if len(idx) < 2 {
			continue
		}
		nums := make([]string, len(idx))
		for j, i := range idx {
			nums[j] = strconv.Itoa(rows[i].Row)
		}
		for _, i := range idx {
			bad[i].Add("year", FieldDuplicate, "the organisation's year appears in rows %s", strings.Join(nums, ", "))
		}
	}
}

func (s *Service) importBatch() int {
	if s.Config.ImportBatch > 0 {
		return s.Config.ImportBatch
	}
	return DefaultConfig().ImportBatch
}

// checkIndicatorRow resolves a row's organisation and checks its cells.
func checkIndicatorRow(r *IndicatorRow, byUSCC map[string]*Org, now time.Time) Fields {
	f := Fields(append([]FieldError(nil), r.Errors...))
	r.USCC = NormalizeUSCC(r.USCC)
	r.Region = strings.TrimSpace(FoldWidth(r.Region))
	r.OrgID = ""
	switch {
	case r.USCC == "":
		f.Add("uscc", FieldRequired, "is required")
	case !ValidUSCC(r.USCC):
		f.Add("uscc", FieldFormat, "is not a valid 统一社会信用代码 (18 characters with a GB 32100-2015 check character)")
	case byUSCC[r.USCC] == nil:
		f.Add("uscc", FieldUnknown, "no organisation with this 统一社会信用代码 in your region")
	default:
		o := byUSCC[r.USCC]
		r.OrgID = o.ID
		if r.Region != "" && r.Region != o.Region {
			if _, ok := ref.LookupRegion(r.Region); !ok {
				f.Add("region", FieldUnknown, "%q is not a 行政区划 region code", truncate(r.Region, 20))
			} else {
				f.Add("region", FieldNotAllow, "is not the organisation's region %s", o.Region)
			}
		}
	}
	if r.OrgID == "" && r.Region != "" {
		regionCode(&f, "region", r.Region)
	}
	r.Normalize()
	if err := r.Indicator.Validate(now); err != nil {
		f = append(f, err.(*Error).Fields...)
	}
	r.UpdatedAt = now
	return f
}

// orgsByUSCC finds the organisations the rows name that the actor may
// import for: those in the actor's region.
func (s *Service) orgsByUSCC(ctx context.Context, a *Actor, rows []IndicatorRow) (map[string]*Org, error) {
	var codes []string
	for _, r := range rows {
		if u := NormalizeUSCC(r.USCC); ValidUSCC(u) {
			codes = append(codes, u)
		}
	}
	out := map[string]*Org{}
	for _, ch := range chunks(uniqueStrings(codes), 1000) {
		found, err := s.Store.FindOrgsByUSCC(ctx, ch)
		if err != nil {
			return nil, err
		}
		for u, o := range found {
			if a.AdminOf(o.Region) {
				out[u] = o
			}
		}
	}
	return out, nil
}

// changedIndicators returns the rows that differ from the stored ones and
// counts the report's created, updated and unchanged rows.
func (s *Service) changedIndicators(ctx context.Context, rows []*Indicator, rep *IndicatorImport) ([]*Indicator, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(rows))
	lo, hi := rows[0].Year, rows[0].Year
	for _, r := range rows {
		ids = append(ids, r.OrgID)
		lo, hi = min(lo, r.Year), max(hi, r.Year)
	}
	ids = uniqueStrings(ids)
	stored := map[string]*Indicator{}
	for _, ch := range chunks(ids, 500) {
		old, err := s.allIndicators(ctx, IndicatorFilter{OrgIDs: ch, FromYear: lo, ToYear: hi})
		if err != nil {
			return nil, err
		}
		for _, o := range old {
			stored[o.Key()] = o
		}
	}
	var changed []*Indicator
	for _, r := range rows {
		old := stored[r.Key()]
		switch {
		case old == nil:
			rep.Created++
		case sameFigures(old, r):
			rep.Unchanged++
			continue
		default:
			rep.Updated++
		}
		changed = append(changed, r)
	}
	return changed, nil
}

func uniqueStrings(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// IndicatorExportFilter selects the organisations of an indicator export.
type IndicatorExportFilter struct {
	Region   string
	Industry string
	Tiers    []Tier
	// Year, when set, takes each organisation's latest row up to that year.
	Year int
}

// IndicatorExportRow is one organisation of an indicator export: its latest
// indicators with derived figures, the tier they meet and its membership.
type IndicatorExportRow struct {
	Org        *Org
	Membership *Membership    // nil if not a member
	Latest     *IndicatorYear // nil if it has no indicators
	Eligible   Tier
}

// ExportIndicators calls fn with every organisation of the filter that is in
// the cultivation database (a member, or with indicators), in ID order.
// Admins only, within their region.
func (s *Service) ExportIndicators(ctx context.Context, a *Actor, f IndicatorExportFilter, fn func(IndicatorExportRow) error) error {
	region, err := adminRegion(a, f.Region)
	if err != nil {
		return err
	}
	if err := checkFilterCodes("", f.Industry); err != nil {
		return err
	}
	rules := s.tierRules()
	p := Page{Limit: MaxPageLimit}
	for {
		os, err := s.Store.ListOrgs(ctx, OrgFilter{Region: region, Industry: f.Industry, Tiers: f.Tiers}, p)
		if err != nil {
			return err
		}
		if err := s.exportPage(ctx, os, f.Year, rules, fn); err != nil {
			return err
		}
		if len(os) < p.Limit {
			return nil
		}
		p.After = os[len(os)-1].ID
	}
}

func (s *Service) exportPage(ctx context.Context, os []*Org, year int, rules TierRules, fn func(IndicatorExportRow) error) error {
	if len(os) == 0 {
		return nil
	}
	ids := make([]string, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	rows, err := s.allIndicators(ctx, IndicatorFilter{OrgIDs: ids, ToYear: year})
	if err != nil {
		return err
	}
	byOrg := map[string][]*Indicator{}
	for _, r := range rows {
		byOrg[r.OrgID] = append(byOrg[r.OrgID], r)
	}
	ms, err := s.Store.ListMemberships(ctx, ids)
	if err != nil {
		return err
	}
	for _, o := range os {
		m, own := ms[o.ID], byOrg[o.ID]
		if m == nil && len(own) == 0 {
			continue
		}
		row := IndicatorExportRow{Org: o, Membership: m, Eligible: TierNone}
		if cur, prev := latestTwo(own); cur != nil {
			row.Latest = &IndicatorYear{Indicator: *cur, Derived: Derive(cur, prev)}
			row.Eligible = rules.Evaluate(cur, prev).Tier
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// CheckIndicatorImport returns EFORBIDDEN unless the actor may import
// indicator workbooks (admins), so that a caller can refuse an upload before
// reading it.
func (s *Service) CheckIndicatorImport(a *Actor) error {
	if !a.Admin() {
		return errForbidden
	}
	return nil
}
