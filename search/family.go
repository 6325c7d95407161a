package search

import (
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/search"
)

// Industry-family feedback. A buyer who searches 接触器 also wants the other
// makers of low-voltage apparatus, whatever words their records use, and
// after them the makers of related products of the same GB/T 4754 group. So
// Search looks at the industries of its best text matches; when most of them
// share a group (and perhaps a class), the text matches of that family move
// up a little, and records of the family that do not match the text follow
// the good text matches instead of being left out.

// familyFeedback switches the feedback on; the evaluation turns it off to
// measure what it adds (RONGTONG_SEARCH_FEEDBACK=off).
var familyFeedback = true

// feedbackDepth is how many of the best text matches vote.
const feedbackDepth = 10

// Shares of the votes a group and then a class need to be taken as the
// query's family.
const (
	minGroupShare = 0.5
	minClassShare = 0.5
)

// Scores in the merged ranking, where the best text match scores 1.
const (
	bonusClass  = 0.2  // a text match in the family's class
	bonusGroup  = 0.1  // a text match in the family's group
	scoreClass  = 0.3  // a record of the class that does not match the text
	scoreGroup  = 0.15 // one of the group
	scoreJitter = 0.01 // order among those by their bleve score
)

// family is the industry group, and class if one stands out, of a query's
// best matches.
type family struct {
	group string // three digits
	class string // four digits, or ""
}

// famCodes returns the stored exact industry codes of a hit.
func famCodes(h *search.DocumentMatch) []string {
	switch v := h.Fields[fFamX].(type) {
	case string:
		return []string{v}
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// dominantFamily returns the family most of the best hits share, or nil.
// Votes are weighted by score relative to the best hit; a record about
// several families splits its vote; codes broader than a group (an
// investor's 35) do not vote.
func dominantFamily(hits search.DocumentMatchCollection) *family {
	if !familyFeedback || len(hits) == 0 || hits[0].Score <= 0 {
		return nil
	}
	top := hits[0].Score
	groups, classes := map[string]float64{}, map[string]float64{}
	total := 0.0
	for _, h := range hits[:min(feedbackDepth, len(hits))] {
		w := h.Score / top
		total += w
		var codes []string
		for _, c := range famCodes(h) {
			if len(c) >= 3 && c[0] >= '0' && c[0] <= '9' {
				codes = append(codes, c)
			}
		}
		for _, c := range codes {
			share := w / float64(len(codes))
			groups[c[:3]] += share
			if len(c) == 4 {
				classes[c] += share
			}
		}
	}
	g := argmax(groups)
	if g == "" || groups[g] < minGroupShare*total {
		return nil
	}
	f := &family{group: g}
	if c := argmax(classes); c != "" && strings.HasPrefix(c, g) && classes[c] >= minClassShare*groups[g] {
		f.class = c
	}
	return f
}

func argmax(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := ""
	for _, k := range keys {
		if best == "" || m[k] > m[best] {
			best = k
		}
	}
	return best
}

// rank scores a hit's family: 2 in the class, 1 in the group, 0 outside.
// A record whose code is broader than the class (an investor's 35 or 367)
// covers it.
func (f *family) rank(h *search.DocumentMatch) int {
	best := 0
	for _, c := range famCodes(h) {
		best = max(best, f.rankCode(c))
	}
	return best
}

// rankCode is rank for one industry code.
func (f *family) rankCode(c string) int {
	if c == "" || c[0] < '0' || c[0] > '9' {
		return 0
	}
	if f.class != "" && (strings.HasPrefix(c, f.class) || strings.HasPrefix(f.class, c)) {
		return 2
	}
	if strings.HasPrefix(c, f.group) || strings.HasPrefix(f.group, c) {
		return 1
	}
	return 0
}

// merge ranks text matches (scored relative to the best one, with a bonus
// for the family) together with records of the family that do not match
// the text.
func (f *family) merge(text, more search.DocumentMatchCollection) search.DocumentMatchCollection {
	type scored struct {
		h *search.DocumentMatch
		s float64
	}
	all := make([]scored, 0, len(text)+len(more))
	top := 1.0
	if len(text) > 0 && text[0].Score > 0 {
		top = text[0].Score
	}
	for _, h := range text {
		s := h.Score / top
		switch f.rank(h) {
		case 2:
			s += bonusClass
		case 1:
			s += bonusGroup
		}
		all = append(all, scored{h, s})
	}
	moreTop := 1.0
	if len(more) > 0 && more[0].Score > 0 {
		moreTop = more[0].Score
	}
	for _, h := range more {
		s := scoreJitter * h.Score / moreTop
		switch f.rank(h) {
		case 2:
			s += scoreClass
		case 1:
			s += scoreGroup
		}
		all = append(all, scored{h, s})
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].s != all[j].s {
			return all[i].s > all[j].s
		}
		// then index order, which bleve's hits and exec's share
		return all[i].h.IndexInternalID.Compare(all[j].h.IndexInternalID) < 0
	})
	out := make(search.DocumentMatchCollection, len(all))
	for i, x := range all {
		x.h.Score = x.s
		out[i] = x.h
	}
	return out
}
