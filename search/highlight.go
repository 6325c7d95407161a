package search

import (
	"bytes"
	"html"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/highlight"
)

// Highlights: a fragment of about snippetRunes characters of a hit's title
// and body, HTML escaped, with the query's words in <mark>. The searched
// fields keep no term positions (that would make the index larger and the
// build slower for the 20 hits a page shows), so the words are found again
// in the stored text: every wording the query looks for, with its
// sub-words, folded as the index folds. A Latin word counts only as a whole
// word (pp is not marked in support). Overlapping matches, which search-mode
// segmentation produces (压铸件 and 压铸 at the same place), become one mark.

const snippetRunes = 80

// foldPool keeps the buffers of snippet's folds: a page folds the title and
// body of each of its hits.
var foldPool = sync.Pool{New: func() any { return new(folded) }}

// markWords returns the folded words a query's concepts look for, longest
// first.
func markWords(cs []concept) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if w = strings.TrimSpace(w); w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, c := range cs {
		for _, a := range c.alts {
			for _, group := range gseTerms(a.text, a.typed).words {
				for _, t := range group {
					add(t.term)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// snippet returns the best fragment of text with words marked: about
// snippetRunes characters around the run of matches that fits the most of
// them, or the start of the text when nothing matches.
func snippet(text string, words []string) string {
	if text == "" {
		return ""
	}
	orig := []byte(text)
	f := foldPool.Get().(*folded)
	defer foldPool.Put(f)
	foldNoCopyInto(f, orig)
	var locs highlight.TermLocations
	for _, w := range words {
		wb := []byte(w)
		for from := 0; from < len(f.text); {
			i := bytes.Index(f.text[from:], wb)
			if i < 0 {
				break
			}
			i += from
			j := i + len(w)
			_, size := utf8.DecodeRune(f.text[i:])
			from = i + size
			if !latinBoundary(f.text, i, j) {
				continue
			}
			locs = append(locs, &highlight.TermLocation{Term: w, Start: f.at(i), End: f.at(j)})
		}
	}
	sort.Slice(locs, func(i, j int) bool {
		if locs[i].Start != locs[j].Start {
			return locs[i].Start < locs[j].Start
		}
		return locs[i].End > locs[j].End
	})
	return markFormatter{}.Format(window(orig, locs), locs)
}

// window returns the fragment of orig to show: starting snippetRunes
// characters before the end of the text at most, it holds the most matches
// a window of that length can, centred on them.
func window(orig []byte, locs highlight.TermLocations) *highlight.Fragment {
	// rune offsets of the match starts and ends
	runeAt := func() func(int) int {
		pos, runes := 0, 0
		return func(b int) int { // b must not decrease
			runes += utf8.RuneCount(orig[pos:b])
			pos = b
			return runes
		}
	}()
	starts := make([]int, len(locs))
	for i, l := range locs {
		starts[i] = runeAt(l.Start)
	}
	best, bestN := 0, 0
	for i, j := 0, 0; i < len(locs); i++ {
		for j < len(locs) && starts[j] < starts[i]+snippetRunes {
			j++
		}
		if j-i > bestN {
			best, bestN = i, j-i
		}
	}
	begin := 0 // in runes
	if bestN > 0 {
		// centre the matches' span in the window
		last := starts[best+bestN-1] + utf8.RuneCount(orig[locs[best+bestN-1].Start:locs[best+bestN-1].End])
		span := last - starts[best]
		begin = max(0, starts[best]-max(0, snippetRunes-span)/2)
	}
	total := utf8.RuneCount(orig)
	begin = max(0, min(begin, total-snippetRunes))
	// byte offsets of runes begin and begin+snippetRunes
	start, end, r := len(orig), len(orig), 0
	for b := range string(orig) {
		if r == begin {
			start = b
		}
		if r == begin+snippetRunes {
			end = b
			break
		}
		r++
	}
	if begin == 0 {
		start = 0
	}
	return &highlight.Fragment{Orig: orig, Start: start, End: end}
}

type markFormatter struct{}

func (markFormatter) Format(f *highlight.Fragment, locs highlight.TermLocations) string {
	// spans of matches inside the fragment, merged where they overlap
	type span struct{ start, end int }
	var spans []span
	for _, l := range locs {
		if l == nil || !l.ArrayPositions.Equals(f.ArrayPositions) || l.Start < f.Start || l.End > f.End || l.Start >= l.End {
			continue
		}
		spans = append(spans, span{l.Start, l.End})
	}
	// locs are ordered by start; merge
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	var b strings.Builder
	cur := f.Start
	for _, s := range merged {
		if s.start < cur {
			continue
		}
		b.WriteString(html.EscapeString(string(f.Orig[cur:s.start])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(f.Orig[s.start:s.end])))
		b.WriteString("</mark>")
		cur = s.end
	}
	b.WriteString(html.EscapeString(string(f.Orig[cur:f.End])))
	return b.String()
}
