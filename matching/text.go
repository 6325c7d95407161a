package matching

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rongtong/rongtong/matching/vocab"
	"github.com/rongtong/rongtong/ref"
)

// The search index reads place names and certifications in query text as
// filters (宁波 keeps records in 宁波; ISO 9001 keeps records that hold it).
// A record's text used as a query must not filter the candidates that way:
// regions and certifications are scored, and a hard requirement is checked
// by the engine, which shows the candidates that miss it below the others.
// So queryText removes them, along with figures, before searching.

// maxQueryRunes is the index's limit on query text.
const maxQueryRunes = 200

// certWords are certification marks written as words; certRE catches the
// numbered standards (ISO 9001, IATF16949, AS9100D, IEC 62619, UN38.3 …).
var (
	certWords = []string{"ce", "ul", "ccc", "cqc", "gs", "tüv", "tuv", "etl", "cb", "fda", "nmpa", "oeko-tex",
		"grs", "bluesign", "reach", "rohs", "lwg", "ccs", "abs", "bv", "dnv", "lr", "nk", "atex", "iecex",
		"nsf", "wras", "kc", "pse", "saa", "csa", "vde", "fsc", "haccp", "brc", "cmmi", "sil", "kema"}
	certRE   = regexp.MustCompile(`(?i)\b(iso|iatf|as|iec|en|api|ul|un|aec-?q|cmmi|gb/?t|ts|ohsas|sa)[ -]?\d[\w.\-/]*`)
	figureRE = regexp.MustCompile(`\d+(\.\d+)?%?`)
)

// placeNames are the names of regions, full (北仑区) and short (北仑), longest
// first.
var placeNames = sync.OnceValue(func() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if utf8.RuneCountInString(n) >= 2 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, r := range ref.Regions() {
		if strings.Contains(r.Name, "市辖区") || strings.Contains(r.Name, "直辖") {
			continue
		}
		add(r.Name)
		add(shortPlace(r.Name))
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
})

var placeSuffixes = []string{"特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "新区", "省", "市", "区", "县", "旗", "盟"}

func shortPlace(name string) string {
	for _, s := range placeSuffixes {
		if rest, ok := strings.CutSuffix(name, s); ok && utf8.RuneCountInString(rest) >= 2 {
			return rest
		}
	}
	return name
}

// queryText joins the texts into a query for the search index without
// place names, certifications or figures, at most maxQueryRunes long.
func queryText(texts ...string) string {
	var b strings.Builder
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			b.WriteString(t)
			b.WriteString(" ")
		}
	}
	s := vocab.Fold(b.String())
	s = certRE.ReplaceAllString(s, " ")
	s = removeWords(s, certWords)
	for _, p := range placeNames() {
		if strings.Contains(s, p) {
			s = strings.ReplaceAll(s, p, " ")
		}
	}
	s = figureRE.ReplaceAllString(s, " ")
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxQueryRunes {
		r := []rune(s)
		s = string(r[:maxQueryRunes])
	}
	return s
}

// removeWords blanks whole Latin words of a list in folded text.
func removeWords(s string, words []string) string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') || r == 'ü')
	})
	for _, f := range fields {
		for _, w := range words {
			if f == w {
				s = replaceWord(s, w)
			}
		}
	}
	return s
}

// replaceWord blanks the occurrences of w in s that are whole Latin words.
func replaceWord(s, w string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, w)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(w):])
		whole := (i == 0 || !latin(before)) && (i+len(w) == len(s) || !latin(after))
		b.WriteString(s[:i])
		if whole {
			b.WriteString(" ")
		} else {
			b.WriteString(w)
		}
		s = s[i+len(w):]
	}
}

func latin(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
}
