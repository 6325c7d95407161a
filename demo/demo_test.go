package demo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// record is one decoded line with the fields the checks need.
type record struct {
	line int
	raw  []byte
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
	Org  string `json:"org"`

	OrgType  string `json:"orgType"`
	USCC     string `json:"uscc"`
	Region   string `json:"region"`
	Industry string `json:"industry"`
	Tier     string `json:"tier"`

	Industries       []string `json:"industries"`
	RegionsServed    []string `json:"regionsServed"`
	RegionsPreferred []string `json:"regionsPreferred"`
	Regions          []string `json:"regions"`
	Deadline         string   `json:"deadline"`
}

// mustWrite runs Write and decodes every line, failing on a line that is not
// a JSON object with a kind and a ref.
func mustWrite(tb testing.TB, o Options) ([]byte, []record) {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, o); err != nil {
		tb.Fatalf("Write(%+v): %v", o, err)
	}
	var recs []record
	sc := bufio.NewScanner(bytes.NewReader(buf.Bytes()))
	sc.Buffer(make([]byte, 64*1024), app.MaxImportLine)
	for n := 1; sc.Scan(); n++ {
		r := record{line: n, raw: append([]byte(nil), sc.Bytes()...)}
		if err := json.Unmarshal(r.raw, &r); err != nil {
			tb.Fatalf("line %d is not a JSON object: %v\n%s", n, err, r.raw)
		}
		if r.Kind == "" || r.Ref == "" {
			tb.Fatalf("line %d has no kind or ref: %s", n, r.raw)
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), recs
}

func TestDeterministic(t *testing.T) {
	tests := []struct {
		name     string
		a, b     Options
		wantSame bool
	}{
		{"same seed", Options{Seed: 1}, Options{Seed: 1}, true},
		{"default size spelled out", Options{Seed: 3}, Options{Seed: 3, Orgs: DefaultOrgs}, true},
		{"small, same seed", Options{Seed: 42, Orgs: 50}, Options{Seed: 42, Orgs: 50}, true},
		{"other seed", Options{Seed: 1}, Options{Seed: 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := mustWrite(t, tt.a)
			b, _ := mustWrite(t, tt.b)
			if got := bytes.Equal(a, b); got != tt.wantSame {
				t.Errorf("outputs equal = %v, want %v (%d and %d bytes)", got, tt.wantSame, len(a), len(b))
			}
		})
	}
}

func TestBadOptions(t *testing.T) {
	for _, n := range []int{-1, 1, minOrgs - 1} {
		if err := Write(&bytes.Buffer{}, Options{Orgs: n}); err == nil {
			t.Errorf("Write with Orgs=%d: no error", n)
		}
	}
}

// TestDataSet checks the default data set and a few other sizes against the
// interchange format and the platform's own validation.
func TestDataSet(t *testing.T) {
	tests := []struct {
		opts         Options
		wantOrgs     int
		wantCounties bool // every Zhejiang county has an organisation
	}{
		{Options{Seed: 1}, DefaultOrgs, true},
		{Options{Seed: 7, Orgs: 3000}, 3000, true},
		{Options{Seed: 9, Orgs: minOrgs}, minOrgs, false},
		{Options{Seed: 9, Orgs: 100}, 100, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("seed=%d,orgs=%d", tt.opts.Seed, tt.wantOrgs), func(t *testing.T) {
			_, recs := mustWrite(t, tt.opts)
			checkRecords(t, recs, tt.wantOrgs, tt.wantCounties)
		})
	}
}

func checkRecords(t *testing.T, recs []record, wantOrgs int, wantCounties bool) {
	t.Helper()
	orgType := map[string]string{} // org ref → type
	refs := map[string]int{}
	kinds := map[string]int{}
	types := map[string]int{}
	tiers := map[string]int{}
	counties := map[string]bool{}
	seenListing := false
	for _, r := range recs {
		key := r.Kind + " " + r.Ref
		if r.Kind != "org" {
			key = "listing " + r.Ref
		}
		if first, dup := refs[key]; dup {
			t.Errorf("line %d repeats ref %s of line %d", r.line, r.Ref, first)
		}
		refs[key] = r.line
		if !strings.HasPrefix(r.Ref, "demo-") {
			t.Errorf("line %d: ref %q does not start with demo-", r.line, r.Ref)
		}
		if bytes.Contains(r.raw, []byte("%!")) {
			t.Errorf("line %d has a formatting error: %s", r.line, r.raw)
		}
		kinds[r.Kind]++

		if r.Kind == "org" {
			if seenListing {
				t.Errorf("line %d: organisation %s after a listing", r.line, r.Ref)
			}
			orgType[r.Ref] = r.OrgType
			types[r.OrgType]++
			if r.OrgType == "sme" {
				tiers[r.Tier]++
			}
			if _, ok := ref.LookupRegion(r.Region); !ok {
				t.Errorf("line %d: region %q unknown", r.line, r.Region)
			} else if ref.RegionCovers(zhejiang, r.Region) {
				counties[r.Region] = true
			}
			if _, ok := ref.LookupIndustry(r.Industry); !ok {
				t.Errorf("line %d: industry %q unknown", r.line, r.Industry)
			}
			needUSCC := r.OrgType == "sme" || r.OrgType == "enterprise"
			if (needUSCC || r.USCC != "") && !app.ValidUSCC(r.USCC) {
				t.Errorf("line %d: USCC %q is not valid", r.line, r.USCC)
			}
			checkOrg(t, r)
			continue
		}

		seenListing = true
		owner, ok := orgType[r.Org]
		if !ok {
			t.Errorf("line %d: %s %s points at %q, not an earlier organisation", r.line, r.Kind, r.Ref, r.Org)
		} else if k := app.Kind(r.Kind); !ownerAllowed(k, owner) {
			t.Errorf("line %d: %s %s belongs to a %s, want one of %v", r.line, r.Kind, r.Ref, owner, k.OwnerTypes())
		}
		for _, c := range r.Industries {
			if _, ok := ref.LookupIndustry(c); !ok {
				t.Errorf("line %d: industry %q unknown", r.line, c)
			}
		}
		if r.Industry != "" {
			if _, ok := ref.LookupIndustry(r.Industry); !ok {
				t.Errorf("line %d: industry %q unknown", r.line, r.Industry)
			}
		}
		for _, list := range [][]string{r.RegionsServed, r.RegionsPreferred, r.Regions} {
			for _, c := range list {
				if _, ok := ref.LookupRegion(c); !ok {
					t.Errorf("line %d: region %q unknown", r.line, c)
				}
			}
		}
		if (r.Kind == "need" || r.Kind == "technead") && !strings.HasPrefix(r.Deadline, "2027-") {
			t.Errorf("line %d: deadline %q not in 2027", r.line, r.Deadline)
		}
		checkListing(t, r)
	}

	if got := kinds["org"]; got != wantOrgs {
		t.Errorf("%d organisations, want %d", got, wantOrgs)
	}
	for _, ot := range app.OrgTypes {
		if types[string(ot)] == 0 {
			t.Errorf("no organisation of type %s", ot)
		}
	}
	for _, k := range app.Kinds {
		if kinds[string(k)] == 0 {
			t.Errorf("no %s listing", k)
		}
	}
	if wantOrgs >= DefaultOrgs {
		if share := float64(types["sme"]) / float64(wantOrgs); share < 0.75 || share > 0.85 {
			t.Errorf("SMEs are %.0f%% of organisations, want about 80%%", share*100)
		}
		// The tiers form a pyramid, widest at the bottom.
		for i := 1; i < len(app.Tiers); i++ {
			lo, hi := tiers[string(app.Tiers[i-1])], tiers[string(app.Tiers[i])]
			if hi == 0 || hi >= lo {
				t.Errorf("%d SMEs of tier %s and %d of %s: want fewer, but some, higher up", lo, app.Tiers[i-1], hi, app.Tiers[i])
			}
		}
	}
	if wantCounties {
		var missing []string
		for _, city := range ref.RegionChildren(zhejiang) {
			for _, c := range ref.RegionChildren(city.Code) {
				if !counties[c.Code] {
					missing = append(missing, c.Code+" "+c.Name)
				}
			}
		}
		if len(counties) != 90 || len(missing) > 0 {
			t.Errorf("organisations in %d Zhejiang counties, want all 90; missing %v", len(counties), missing)
		}
	}
	t.Logf("%d lines: %v; organisations %v; SME tiers %v", len(recs), kinds, types, tiers)
}

func ownerAllowed(k app.Kind, owner string) bool {
	for _, t := range k.OwnerTypes() {
		if string(t) == owner {
			return true
		}
	}
	return false
}

// strictDecode decodes a line into v after dropping the named keys, refusing
// any other field the model has no place for.
func strictDecode(raw []byte, v any, drop ...string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	for _, k := range drop {
		delete(m, k)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func checkOrg(t *testing.T, r record) {
	t.Helper()
	var o app.Org
	if err := strictDecode(r.raw, &o, "kind"); err != nil {
		t.Errorf("line %d: decoding into app.Org: %v", r.line, err)
		return
	}
	o.Normalize()
	if err := o.Validate(); err != nil {
		t.Errorf("line %d: org %s does not validate: %v", r.line, r.Ref, err)
	}
}

func checkListing(t *testing.T, r record) {
	t.Helper()
	var l app.Listing
	if err := strictDecode(r.raw, &l, "org"); err != nil {
		t.Errorf("line %d: decoding into app.Listing: %v", r.line, err)
		return
	}
	l.Normalize()
	if err := l.Validate(); err != nil {
		t.Errorf("line %d: %s %s does not validate: %v", r.line, r.Kind, r.Ref, err)
	}
}

// TestEveryField checks that every field of every kind in the interchange
// format appears somewhere in the default data set.
func TestEveryField(t *testing.T) {
	fields := map[string][]string{
		"org": {"name", "uscc", "orgType", "region", "industry", "tier", "founded", "employees", "revenueWan",
			"rdRatio", "patents", "certifications", "products", "description"},
		"capability": {"org", "title", "description", "processes", "materials", "certifications", "capacity",
			"leadTimeDays", "industries", "regionsServed"},
		"need": {"org", "title", "description", "industry", "processes", "materials", "certificationsRequired",
			"quantity", "regionsPreferred", "deadline", "budgetWan"},
		"tech":     {"org", "title", "abstract", "industries", "ipc", "patents", "trl", "transferModes", "priceWan"},
		"technead": {"org", "title", "description", "industries", "budgetWan", "deadline"},
		"investor": {"org", "title", "description", "industries", "stages", "ticketMinWan", "ticketMaxWan", "regions",
			"minRevenueWan", "tiers", "minHoldingYears"},
		"financing": {"org", "title", "description", "amountWan", "stage", "instrument", "valuationWan", "useOfFunds"},
	}
	_, recs := mustWrite(t, Options{Seed: 1})
	seen := map[string]map[string]bool{}
	for _, r := range recs {
		var m map[string]any
		if err := json.Unmarshal(r.raw, &m); err != nil {
			t.Fatal(err)
		}
		if seen[r.Kind] == nil {
			seen[r.Kind] = map[string]bool{}
		}
		for k := range m {
			seen[r.Kind][k] = true
		}
	}
	for kind, want := range fields {
		for _, f := range want {
			if !seen[kind][f] {
				t.Errorf("no %s record has %q", kind, f)
			}
		}
	}
}

// TestShortPlace checks the place names used in company names.
func TestShortPlace(t *testing.T) {
	tests := []struct{ in, want string }{
		{"宁波市", "宁波"},
		{"北仑区", "北仑"},
		{"慈溪市", "慈溪"},
		{"景宁畲族自治县", "景宁"},
		{"浙江省", "浙江省"},
		{"嵊泗县", "嵊泗"},
	}
	for _, tt := range tests {
		if got := shortPlace(tt.in); got != tt.want {
			t.Errorf("shortPlace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/op")
}
