package ref

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestIndustryCounts(t *testing.T) {
	var got [5]int
	for _, in := range Industries() {
		got[in.Level]++
	}
	// 20 sections, 97 divisions, 473 groups (199 of them single-class groups
	// that the flattened source adds) and 1,381 classes.
	want := [5]int{0, 20, 97, 473, 1381}
	if got != want {
		t.Errorf("industries per level = %v, want %v", got[1:], want[1:])
	}
}

func TestRegionCounts(t *testing.T) {
	tests := []struct {
		name    string
		keep    func(Region) bool
		want    int
		wantLvl [4]int
	}{
		// 2,978 county rows in the source, less the three that repeat their
		// city's code (东莞市, 中山市, 儋州市: cities without counties).
		{"China", func(Region) bool { return true }, 3348, [4]int{0, 31, 342, 2975}},
		{"Zhejiang", func(r Region) bool { return strings.HasPrefix(r.Code, "33") }, 102, [4]int{0, 1, 11, 90}},
		{"Ningbo", func(r Region) bool { return RegionCovers("330200", r.Code) }, 11, [4]int{0, 0, 1, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n int
			var lvl [4]int
			for _, r := range Regions() {
				if tt.keep(r) {
					n++
					lvl[r.Level]++
				}
			}
			if n != tt.want || lvl != tt.wantLvl {
				t.Errorf("got %d regions, per level %v; want %d, %v", n, lvl[1:], tt.want, tt.wantLvl[1:])
			}
		})
	}
}

func TestIndustryAncestors(t *testing.T) {
	tests := []struct {
		code string
		want []string
	}{
		{"3392", []string{"C", "33", "339", "3392"}},
		{"339", []string{"C", "33", "339"}},
		{"33", []string{"C", "33"}},
		{"C", []string{"C"}},
		{"0111", []string{"A", "01", "011", "0111"}},
		{"0190", []string{"A", "01", "019", "0190"}}, // a single-class group
		{"6513", []string{"I", "65", "651", "6513"}},
		{"9700", []string{"T", "97", "970", "9700"}},
		{"", nil},
		{"c", nil},
		{"3390", nil},
		{"33920", nil},
		{" 3392", nil},
		{"330206", nil},
	}
	for _, tt := range tests {
		if got := IndustryAncestors(tt.code); !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("IndustryAncestors(%q) = %#v, want %#v", tt.code, got, tt.want)
		}
	}
}

func TestRegionAncestors(t *testing.T) {
	tests := []struct {
		code string
		want []string
	}{
		{"330206", []string{"330000", "330200", "330206"}},
		{"330200", []string{"330000", "330200"}},
		{"330000", []string{"330000"}},
		{"331083", []string{"330000", "331000", "331083"}}, // 玉环市
		{"110101", []string{"110000", "110100", "110101"}}, // 市辖区 kept as the city
		{"419001", []string{"410000", "419000", "419001"}}, // 省直辖县级行政区划
		{"441900", []string{"440000", "441900"}},           // 东莞市, a city without counties
		{"", nil},
		{"33", nil},
		{"3302", nil},
		{"330299", nil},
		{"3392", nil},
	}
	for _, tt := range tests {
		if got := RegionAncestors(tt.code); !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("RegionAncestors(%q) = %#v, want %#v", tt.code, got, tt.want)
		}
	}
}

func TestIndustryCovers(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"C", "3392", true},
		{"33", "3392", true},
		{"339", "3392", true},
		{"3392", "3392", true},
		{"C", "C", true},
		{"3392", "339", false}, // a child does not cover its parent
		{"34", "3392", false},
		{"A", "3392", false},
		{"3", "3392", false}, // a string prefix is not an ancestor
		{"", "3392", false},
		{"C", "", false},
		{"X1", "X1", false}, // an unknown code covers nothing, not even itself
		{"C", "3390", false},
	}
	for _, tt := range tests {
		if got := IndustryCovers(tt.a, tt.b); got != tt.want {
			t.Errorf("IndustryCovers(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestRegionCovers(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"330000", "330206", true},
		{"330200", "330206", true},
		{"330206", "330206", true},
		{"330000", "330000", true},
		{"330206", "330200", false},
		{"330100", "330206", false},
		{"320000", "330206", false},
		{"3302", "330206", false},
		{"", "330206", false},
		{"330000", "", false},
		{"330299", "330299", false},
		{"410000", "419001", true},
		{"440000", "441900", true},
	}
	for _, tt := range tests {
		if got := RegionCovers(tt.a, tt.b); got != tt.want {
			t.Errorf("RegionCovers(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	industryTests := []struct {
		code string
		want Industry
		ok   bool
	}{
		{"C", Industry{Code: "C", Name: "制造业", Level: 1}, true},
		{"33", Industry{Code: "33", Parent: "C", Name: "金属制品业", Level: 2}, true},
		{"3392", Industry{Code: "3392", Parent: "339", Name: "有色金属铸造", Level: 4}, true},
		{"3741", Industry{Code: "3741", Parent: "374", Name: "飞机制造", Level: 4}, true},
		{"3390", Industry{}, false},
		{"", Industry{}, false},
	}
	for _, tt := range industryTests {
		got, ok := LookupIndustry(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LookupIndustry(%q) = %+v, %v; want %+v, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
	regionTests := []struct {
		code string
		want Region
		ok   bool
	}{
		{"330000", Region{Code: "330000", Name: "浙江省", Level: 1}, true},
		{"330200", Region{Code: "330200", Parent: "330000", Name: "宁波市", Level: 2}, true},
		{"330206", Region{Code: "330206", Parent: "330200", Name: "北仑区", Level: 3}, true},
		{"110100", Region{Code: "110100", Parent: "110000", Name: "市辖区", Level: 2}, true},
		{"33", Region{}, false},
		{"", Region{}, false},
	}
	for _, tt := range regionTests {
		got, ok := LookupRegion(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LookupRegion(%q) = %+v, %v; want %+v, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		code string
		want string
	}{
		{"IndustryName", IndustryName, "3525", "模具制造"},
		{"IndustryName", IndustryName, "C", "制造业"},
		{"IndustryName", IndustryName, "9999", ""},
		{"RegionName", RegionName, "330206", "北仑区"},
		{"RegionName", RegionName, "110100", "市辖区"},
		{"RegionName", RegionName, "000000", ""},
		{"RegionFullName", RegionFullName, "330206", "浙江省宁波市北仑区"},
		{"RegionFullName", RegionFullName, "330200", "浙江省宁波市"},
		{"RegionFullName", RegionFullName, "330000", "浙江省"},
		{"RegionFullName", RegionFullName, "331083", "浙江省台州市玉环市"},
		{"RegionFullName", RegionFullName, "110101", "北京市东城区"},
		{"RegionFullName", RegionFullName, "500101", "重庆市万州区"},
		{"RegionFullName", RegionFullName, "500229", "重庆市城口县"},
		{"RegionFullName", RegionFullName, "110100", "北京市市辖区"},
		{"RegionFullName", RegionFullName, "419001", "河南省济源市"},
		{"RegionFullName", RegionFullName, "659001", "新疆维吾尔自治区石河子市"},
		{"RegionFullName", RegionFullName, "441900", "广东省东莞市"},
		{"RegionFullName", RegionFullName, "", ""},
		{"RegionFullName", RegionFullName, "330299", ""},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.code); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", tt.name, tt.code, got, tt.want)
		}
	}
}

func TestChildren(t *testing.T) {
	codes := func(xs []Industry) []string {
		var out []string
		for _, x := range xs {
			out = append(out, x.Code)
		}
		return out
	}
	industryTests := []struct {
		code string
		want []string
	}{
		{"339", []string{"3391", "3392", "3393", "3394", "3399"}},
		{"019", []string{"0190"}},
		{"3392", nil},
		{"nope", nil},
	}
	for _, tt := range industryTests {
		if got := codes(IndustryChildren(tt.code)); !slices.Equal(got, tt.want) {
			t.Errorf("IndustryChildren(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
	if got := codes(IndustryChildren("")); len(got) != 20 || got[0] != "A" || got[19] != "T" {
		t.Errorf("IndustryChildren(\"\") = %v, want the 20 sections A…T", got)
	}

	regionTests := []struct {
		code     string
		want     int
		first    string
		firstLvl int
	}{
		{"", 31, "110000", 1},
		{"330000", 11, "330100", 2},
		{"330200", 10, "330203", 3},
		{"441900", 0, "", 0},
		{"330206", 0, "", 0},
		{"nope", 0, "", 0},
	}
	for _, tt := range regionTests {
		got := RegionChildren(tt.code)
		if len(got) != tt.want {
			t.Errorf("RegionChildren(%q) has %d regions, want %d", tt.code, len(got), tt.want)
			continue
		}
		if len(got) > 0 && (got[0].Code != tt.first || got[0].Level != tt.firstLvl) {
			t.Errorf("RegionChildren(%q)[0] = %+v, want code %s level %d", tt.code, got[0], tt.first, tt.firstLvl)
		}
	}
	// Walking the children from the roots reaches every record exactly once.
	var n int
	var walk func(code string)
	walk = func(code string) {
		for _, r := range RegionChildren(code) {
			n++
			walk(r.Code)
		}
	}
	walk("")
	if want := len(Regions()); n != want {
		t.Errorf("walking RegionChildren reached %d regions, want %d", n, want)
	}
}

// TestTree checks every record of both tables: its parent exists one level up
// (or, for a county the source hangs under its province, two), comes before
// it, and the ancestors end with the code.
func TestTree(t *testing.T) {
	type rec struct {
		code, parent string
		level        int
	}
	var ind, reg []rec
	for _, x := range Industries() {
		ind = append(ind, rec{x.Code, x.Parent, x.Level})
	}
	for _, x := range Regions() {
		reg = append(reg, rec{x.Code, x.Parent, x.Level})
	}
	check := func(t *testing.T, recs []rec, ancestors func(string) []string, codeLen func(level int) int) {
		seen := map[string]int{}
		for i, r := range recs {
			if r.level < 1 || len(r.code) != codeLen(r.level) {
				t.Errorf("%s: level %d does not fit the code", r.code, r.level)
			}
			if r.parent == "" {
				if r.level != 1 {
					t.Errorf("%s: level %d without a parent", r.code, r.level)
				}
			} else if p, ok := seen[r.parent]; !ok {
				t.Errorf("%s: parent %s missing or after it", r.code, r.parent)
			} else if recs[p].level >= r.level {
				t.Errorf("%s: parent %s at level %d, not above %d", r.code, r.parent, recs[p].level, r.level)
			}
			if _, dup := seen[r.code]; dup {
				t.Errorf("%s appears twice", r.code)
			}
			seen[r.code] = i
			a := ancestors(r.code)
			if len(a) == 0 || a[len(a)-1] != r.code || (r.parent != "" && a[len(a)-2] != r.parent) {
				t.Errorf("%s: ancestors %v do not end with its parent and itself", r.code, a)
			}
		}
	}
	t.Run("industries", func(t *testing.T) {
		check(t, ind, IndustryAncestors, func(l int) int { return l })
		// Depth first in code order: a numeric code follows the one before it
		// unless a new section starts.
		for i := 1; i < len(ind); i++ {
			prev, cur := ind[i-1], ind[i]
			if cur.level > 1 && prev.level > 1 && prev.code >= cur.code {
				t.Errorf("%s comes after %s", cur.code, prev.code)
			}
			if cur.level > 1 && !strings.HasPrefix(cur.code, cur.parent) && cur.level > 2 {
				t.Errorf("%s does not start with its parent %s", cur.code, cur.parent)
			}
		}
	})
	t.Run("regions", func(t *testing.T) {
		check(t, reg, RegionAncestors, func(int) int { return 6 })
		for i := 1; i < len(reg); i++ {
			if reg[i-1].code >= reg[i].code {
				t.Errorf("%s comes after %s", reg[i].code, reg[i-1].code)
			}
		}
	})
}

// TestCopies checks that callers cannot change the tables through the slices
// they are given.
func TestCopies(t *testing.T) {
	Industries()[0].Name = "x"
	Regions()[0].Name = "x"
	IndustryChildren("")[0].Name = "x"
	RegionChildren("")[0].Name = "x"
	IndustryAncestors("3392")[0] = "x"
	if got := IndustryName("A"); got != "农、林、牧、渔业" {
		t.Errorf("IndustryName(A) = %q after changing a copy", got)
	}
	if got := RegionName("110000"); got != "北京市" {
		t.Errorf("RegionName(110000) = %q after changing a copy", got)
	}
	if got := IndustryAncestors("3392"); got[0] != "C" {
		t.Errorf("IndustryAncestors(3392) = %v after changing a copy", got)
	}
}

// TestRegenerate runs the generator on the shared source lists and requires
// byte-identical tables, so the embedded files never drift from their source
// or their generator.
func TestRegenerate(t *testing.T) {
	src := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(src, "gbt4754_2017")); err != nil {
		t.Skipf("source lists not present: %v", err)
	}
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run the generator")
	}
	out := t.TempDir()
	cmd := exec.Command(goTool, "run", "./gen", "-src", src, "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, b)
	}
	for _, name := range []string{"industries.csv", "regions.csv"} {
		want, err := os.ReadFile(filepath.Join("data", name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("regenerated %s differs from data/%s (%d bytes, want %d): rerun the generator", name, name, len(got), len(want))
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, name := range []string{"data/industries.csv", "data/regions.csv"} {
		data, err := files.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(name), func(b *testing.B) {
			for b.Loop() {
				if _, err := parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIndustryAncestors(b *testing.B) {
	for b.Loop() {
		IndustryAncestors("3392")
	}
}
