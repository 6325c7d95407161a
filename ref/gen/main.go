// Command gen writes Rongtong's own reference tables, ref/data/industries.csv
// and ref/data/regions.csv, from the published code lists in the shared data
// folder. Run it from the repository root:
//
//	go run ./ref/gen -src ../shared/data -out ref/data
//
// Both tables have the columns code,parent,name,level and nothing else: codes
// and names are facts, while the standard's explanatory sentences are not ours
// to copy, so the description column of the GB/T 4754 list is never read.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// record is one row of an output table.
type record struct {
	code, parent, name string
	level              int
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("ref/gen: ")
	src := flag.String("src", "../shared/data", "the shared data folder holding gbt4754_2017/ and admin_divisions/")
	out := flag.String("out", "ref/data", "the folder to write industries.csv and regions.csv to")
	flag.Parse()

	industries, err := readIndustries(filepath.Join(*src, "gbt4754_2017", "gbt4754_2017.csv"))
	if err != nil {
		log.Fatal(err)
	}
	regions, err := readRegions(filepath.Join(*src, "admin_divisions"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for name, recs := range map[string][]record{"industries.csv": industries, "regions.csv": regions} {
		if err := writeTable(filepath.Join(*out, name), recs); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("industries: %s", levelCounts(industries))
	log.Printf("regions: %s", levelCounts(regions))
}

var industryCodeRE = [5]*regexp.Regexp{
	1: regexp.MustCompile(`^[A-T]$`),
	2: regexp.MustCompile(`^[0-9]{2}$`),
	3: regexp.MustCompile(`^[0-9]{3}$`),
	4: regexp.MustCompile(`^[0-9]{4}$`),
}

// readIndustries reads the flattened GB/T 4754-2017 list and returns its
// records depth first: each section, then its divisions, each division followed
// by its groups, each group by its classes.
func readIndustries(path string) ([]record, error) {
	rows, err := readCSV(path, "level", "section", "code", "parent", "name")
	if err != nil {
		return nil, err
	}
	recs := make([]record, 0, len(rows))
	section := map[string]string{} // code → its section letter, for ordering
	for i, row := range rows {
		line := i + 2
		level, err := strconv.Atoi(row["level"])
		if err != nil || level < 1 || level > 4 {
			return nil, fmt.Errorf("%s:%d: bad level %q", path, line, row["level"])
		}
		r := record{code: row["code"], parent: row["parent"], name: row["name"], level: level}
		if !industryCodeRE[level].MatchString(r.code) {
			return nil, fmt.Errorf("%s:%d: %q is not a level-%d code", path, line, r.code, level)
		}
		if r.name == "" {
			return nil, fmt.Errorf("%s:%d: %s has no name", path, line, r.code)
		}
		switch {
		case level == 1 && r.parent != "":
			return nil, fmt.Errorf("%s:%d: section %s has parent %q", path, line, r.code, r.parent)
		case level > 2 && r.parent != r.code[:level-1]:
			return nil, fmt.Errorf("%s:%d: %s has parent %q, want %q", path, line, r.code, r.parent, r.code[:level-1])
		}
		if level == 1 {
			section[r.code] = r.code
		} else {
			section[r.code] = row["section"]
		}
		recs = append(recs, r)
	}
	if err := checkTree(recs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, r := range recs {
		if r.level > 1 && section[r.parent] != section[r.code] {
			return nil, fmt.Errorf("%s: %s is in section %q but its parent %s in %q", path, r.code, section[r.code], r.parent, section[r.parent])
		}
	}
	// Within a section the numeric codes sort depth first as strings
	// ("01" < "011" < "0111" < "012" < "02"); the section row comes first.
	key := func(r record) string {
		if r.level == 1 {
			return r.code
		}
		return section[r.code] + " " + r.code
	}
	slices.SortFunc(recs, func(a, b record) int { return strings.Compare(key(a), key(b)) })
	return recs, nil
}

// readRegions reads the province, city and county lists and returns six-digit
// region records in code order. Provinces (two digits in the source) and cities
// (four) are padded with zeros. Grouping rows such as 市辖区 or 省直辖县级行政区划
// are kept as cities under their own names, so every county has its city as
// parent; a county whose city is missing from the list hangs under its province.
// A county row with its city's own code (东莞市 441900 under city 4419, a city
// without counties) is the city itself and is not repeated.
func readRegions(dir string) ([]record, error) {
	provinces, err := readCSV(filepath.Join(dir, "provinces.csv"), "code", "name")
	if err != nil {
		return nil, err
	}
	cities, err := readCSV(filepath.Join(dir, "cities.csv"), "code", "name", "provinceCode")
	if err != nil {
		return nil, err
	}
	areas, err := readCSV(filepath.Join(dir, "areas.csv"), "code", "name", "cityCode", "provinceCode")
	if err != nil {
		return nil, err
	}
	digits := func(s string, n int) bool {
		if len(s) != n {
			return false
		}
		for i := 0; i < n; i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	var recs []record
	have := map[string]bool{}
	for _, p := range provinces {
		if !digits(p["code"], 2) {
			return nil, fmt.Errorf("provinces.csv: bad code %q", p["code"])
		}
		code := p["code"] + "0000"
		recs = append(recs, record{code: code, name: p["name"], level: 1})
		have[code] = true
	}
	for _, c := range cities {
		if !digits(c["code"], 4) || c["code"][:2] != c["provinceCode"] {
			return nil, fmt.Errorf("cities.csv: bad code %q in province %q", c["code"], c["provinceCode"])
		}
		code := c["code"] + "00"
		recs = append(recs, record{code: code, parent: c["provinceCode"] + "0000", name: c["name"], level: 2})
		have[code] = true
	}
	for _, a := range areas {
		code, city, province := a["code"], a["cityCode"]+"00", a["provinceCode"]+"0000"
		if !digits(code, 6) || code[:2] != a["provinceCode"] {
			return nil, fmt.Errorf("areas.csv: bad code %q in province %q", code, a["provinceCode"])
		}
		if code == city {
			continue
		}
		parent := city
		if !have[city] || code[:4] != a["cityCode"] {
			parent = province
		}
		recs = append(recs, record{code: code, parent: parent, name: a["name"], level: 3})
	}
	slices.SortFunc(recs, func(a, b record) int { return strings.Compare(a.code, b.code) })
	if err := checkTree(recs); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return recs, nil
}

// checkTree checks that codes are unique, names present, and that every parent
// exists at a higher level.
func checkTree(recs []record) error {
	byCode := make(map[string]record, len(recs))
	for _, r := range recs {
		if _, dup := byCode[r.code]; dup {
			return fmt.Errorf("code %s appears twice", r.code)
		}
		if r.name == "" {
			return fmt.Errorf("code %s has no name", r.code)
		}
		byCode[r.code] = r
	}
	var errs []error
	for _, r := range recs {
		if r.parent == "" {
			if r.level != 1 {
				errs = append(errs, fmt.Errorf("level-%d code %s has no parent", r.level, r.code))
			}
			continue
		}
		p, ok := byCode[r.parent]
		if !ok {
			errs = append(errs, fmt.Errorf("code %s: parent %s does not exist", r.code, r.parent))
		} else if p.level >= r.level {
			errs = append(errs, fmt.Errorf("code %s (level %d): parent %s is at level %d", r.code, r.level, p.code, p.level))
		}
	}
	return errors.Join(errs...)
}

// readCSV reads a CSV file with a header row into maps from column name to
// trimmed value, checking that the named columns are present.
func readCSV(path string, columns ...string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", path, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	for _, c := range columns {
		if !slices.Contains(header, c) {
			return nil, fmt.Errorf("%s: no column %q in header %v", path, c, header)
		}
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		row := make(map[string]string, len(columns))
		for i, h := range header {
			if slices.Contains(columns, h) {
				row[h] = strings.TrimSpace(rec[i])
			}
		}
		rows = append(rows, row)
	}
}

// writeTable writes records as code,parent,name,level with a header row.
func writeTable(path string, recs []record) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write([]string{"code", "parent", "name", "level"}); err != nil {
		return err
	}
	for _, r := range recs {
		if err := w.Write([]string{r.code, r.parent, r.name, strconv.Itoa(r.level)}); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func levelCounts(recs []record) string {
	var n [5]int
	for _, r := range recs {
		n[r.level]++
	}
	return fmt.Sprintf("%d records (level 1: %d, 2: %d, 3: %d, 4: %d)", len(recs), n[1], n[2], n[3], n[4])
}
