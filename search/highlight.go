package search

import (
	"html"
	"strings"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// highlighterName is the package's highlighter: fragments of about
// snippetRunes characters, HTML escaped, matches in <mark>. Unlike bleve's
// html formatter it merges overlapping matches, which search-mode
// segmentation produces (压铸件 and 压铸 at the same place), into one mark.
const highlighterName = "rongtong_mark"

const snippetRunes = 80

func init() {
	err := registry.RegisterHighlighter(highlighterName,
		func(map[string]any, *registry.Cache) (highlight.Highlighter, error) {
			return simplehl.NewHighlighter(simple.NewFragmenter(snippetRunes), markFormatter{}, " … "), nil
		})
	if err != nil {
		panic(err)
	}
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
