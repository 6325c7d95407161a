package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Weights inside the text query.
const (
	// subwordWeight is the weight of a dictionary word found inside a query
	// word (压铸 in 压铸件) relative to the word itself.
	subwordWeight = 0.3
	// processWeight is the weight of a process concept (数控加工) beside a
	// product one: in 数控加工的阀门厂家 the valves say what is wanted.
	processWeight = 0.4
	// cjkWeight is the weight of the bigram fields in the "both" variant.
	cjkWeight = 0.5
)

// termSet is what one wording analyses to: its words and, per word, the
// sub-words inside it.
type termSet struct {
	words [][]weighted
}

type weighted struct {
	term   string
	weight float64
}

// gseTerms analyses text into words; with subs, each word also matches the
// dictionary words inside it at subwordWeight.
func gseTerms(text string, subs bool) termSet {
	var ts termSet
	for _, w := range segmentWords(segmenter(), []byte(text)) {
		group := []weighted{{w.text, 1}}
		for _, s := range w.subs {
			if subs && !stopWords[s.text] {
				group = append(group, weighted{s.text, subwordWeight})
			}
		}
		ts.words = append(ts.words, group)
	}
	return ts
}

var cjkQueryAnalyzer = &analysis.DefaultAnalyzer{
	Tokenizer:    foldTokenizer{unicode.NewUnicodeTokenizer()},
	TokenFilters: []analysis.TokenFilter{cjk.NewCJKBigramFilter(false)},
}

// cjkTerms analyses text into bigrams; all of them together are one word.
func cjkTerms(text string) termSet {
	var group []weighted
	seen := map[string]bool{}
	for _, t := range cjkQueryAnalyzer.Analyze([]byte(text)) {
		if s := string(t.Term); !seen[s] {
			seen[s] = true
			group = append(group, weighted{s, 1})
		}
	}
	if len(group) == 0 {
		return termSet{}
	}
	// each bigram is its own "word" so that all of them count (coord)
	var ts termSet
	for _, g := range group {
		ts.words = append(ts.words, []weighted{g})
	}
	return ts
}

// textQuery matches the concepts: a record scores for each concept it
// matches in any of its text fields, weighted by field, and more for
// matching more of them (bleve's disjunction coordination factor).
func (ix *Index) textQuery(cs []concept) query.Query {
	var conceptQs []query.Query
	for _, c := range cs {
		var altQs []query.Query
		for _, a := range c.alts {
			if c.process {
				a.weight *= processWeight
			}
			if q := ix.altQuery(a); q != nil {
				altQs = append(altQs, q)
			}
		}
		switch len(altQs) {
		case 0:
		case 1:
			conceptQs = append(conceptQs, altQs[0])
		default:
			conceptQs = append(conceptQs, bleve.NewDisjunctionQuery(altQs...))
		}
	}
	if len(conceptQs) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	if len(conceptQs) == 1 {
		return conceptQs[0]
	}
	return bleve.NewDisjunctionQuery(conceptQs...)
}

// altQuery matches one wording: all of its words (a conjunction when it
// has several), each in any text field.
func (ix *Index) altQuery(a alt) query.Query {
	var parts []query.Query
	add := func(ts termSet, suffix string, weight float64) {
		var words []query.Query
		for _, group := range ts.words {
			var qs []query.Query
			for _, f := range textFields {
				for _, t := range group {
					tq := bleve.NewTermQuery(t.term)
					tq.SetField(f.name + suffix)
					tq.SetBoost(f.boost * t.weight * a.weight * weight)
					qs = append(qs, tq)
				}
			}
			words = append(words, bleve.NewDisjunctionQuery(qs...))
		}
		switch {
		case len(words) == 0:
		case len(words) == 1:
			parts = append(parts, words[0])
		case suffix == cjkSuffix || ix.opt.Analyzer == AnalyzerCJK:
			parts = append(parts, bleve.NewDisjunctionQuery(words...))
		default:
			parts = append(parts, bleve.NewConjunctionQuery(words...))
		}
	}
	switch ix.opt.Analyzer {
	case AnalyzerGSE:
		add(gseTerms(a.text, a.typed), "", 1)
	case AnalyzerCJK:
		add(cjkTerms(a.text), "", 1)
	default:
		add(gseTerms(a.text, a.typed), "", 1)
		add(cjkTerms(a.text), cjkSuffix, cjkWeight)
	}
	switch len(parts) {
	case 0:
		return nil
	case 1:
		return parts[0]
	}
	return bleve.NewDisjunctionQuery(parts...)
}
