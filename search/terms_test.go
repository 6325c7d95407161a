package search

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestSynonymTableInvariants guards the hand-kept synonym table: a term in
// two groups would expand to whichever group was indexed first, a stop word
// would turn a query's filler into a concept, and a term that is not in its
// folded form could never match a folded query.
func TestSynonymTableInvariants(t *testing.T) {
	seen := map[string]int{}
	for g, group := range synonymGroups {
		if len(group) < 2 {
			t.Errorf("group %d %q has fewer than two terms", g, group)
		}
		for _, term := range group {
			switch {
			case strings.TrimSpace(term) == "":
				t.Errorf("group %d %q has an empty term", g, group)
				continue
			case term != strings.TrimSpace(term) || strings.Contains(term, "  "):
				t.Errorf("term %q has stray spaces", term)
			case term != strings.ToLower(term):
				t.Errorf("term %q is not lower case", term)
			case term != foldString(term):
				t.Errorf("term %q is not in folded form (%q)", term, foldString(term))
			case stopWords[term]:
				t.Errorf("term %q is a stop word", term)
			}
			if prev, dup := seen[term]; dup {
				t.Errorf("term %q is in group %d %q and group %d %q", term, prev, synonymGroups[prev], g, group)
			}
			seen[term] = g
		}
	}
}

// TestDomainTermsUnique keeps the domain word list free of repeats, which
// would hide that a word was meant to be added for another reason.
func TestDomainTermsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, w := range domainTerms {
		if f := foldString(w); seen[f] {
			t.Errorf("domain term %q is listed twice", w)
		} else {
			seen[f] = true
		}
	}
}

// TestSynonymTermsStayWhole checks that every Chinese synonym-table term the
// dictionary holds is segmented as one word, so the index keeps it whole
// rather than as generic sub-words (设备, 加工) that match unrelated records.
func TestSynonymTermsStayWhole(t *testing.T) {
	seg := segmenter()
	for _, group := range synonymGroups {
		for _, term := range group {
			if !isHan(term) || utf8.RuneCountInString(term) > 12 {
				continue
			}
			ws := segmentWords(seg, []byte(term))
			if len(ws) != 1 || ws[0].text != term {
				var got []string
				for _, w := range ws {
					got = append(got, w.text)
				}
				t.Errorf("%q segments as %q", term, got)
			}
		}
	}
}

// isHan reports whether s is written in Chinese characters only.
func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// TestFindSynonyms checks how query text meets the table: a wording of a
// group finds its group, and a term that only begins a longer domain word
// does not cut that word short.
func TestFindSynonyms(t *testing.T) {
	groupOf := func(term string) int {
		g, ok := synonymIndex()[term]
		if !ok {
			t.Fatalf("%q is not in the synonym table", term)
		}
		return g
	}
	cases := []struct {
		query string
		want  []string // a term of the group each match must find, in order
	}{
		{"伺服马达", []string{"伺服电机"}},
		{"servo motor", []string{"伺服电机"}},
		{"变频调速器 维修", []string{"变频器"}},
		{"可编程控制器", []string{"plc"}},
		{"注射成型机", []string{"注塑机"}},
		{"储能变流器", nil},             // a domain word: not 储能 + 变流器
		{"铸铁件", nil},               // not 铸铁 + 件
		{"储能", []string{"储能"}},     // the term on its own still matches
		{"印刷电路板", []string{"pcb"}}, // not 印刷 (printing) + 电路板
		{"轮毂电机", nil},
		{"supply chain", []string{"供应链"}},
		{"pvdf", nil}, // pv does not continue into a longer Latin word
	}
	for _, c := range cases {
		got := findSynonyms([]byte(foldString(c.query)))
		if len(got) != len(c.want) {
			t.Errorf("%q: %d matches %v, want %d", c.query, len(got), got, len(c.want))
			continue
		}
		for i, m := range got {
			if m.group != groupOf(c.want[i]) {
				t.Errorf("%q: match %q is in group %q, want the group of %q",
					c.query, m.term, synonymGroups[m.group], c.want[i])
			}
		}
	}
}
