package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
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
// matches, and more for matching more of them (bleve's disjunction
// coordination factor). A common concept (see markCommon) only adds to the
// score of records the others match, by its main wording.
//
// dfs, when set, leaves out common sub-words and, unless the search is
// filtered, the common synonyms of a common word (see rareAlts).
func (ix *Index) textQuery(cs []concept, dfs *docFreqs, filtered bool) query.Query {
	var conceptQs, commonQs []query.Query
	for _, c := range cs {
		var altQs []query.Query
		alts := c.alts
		switch {
		case c.common:
			// a common word only adds to the score: its wordings are
			// not worth reading more of the index for
			alts = []alt{{text: alts[0].text, weight: alts[0].weight}}
		case !filtered && len(alts) > 1 && ix.altCommon(alts[0], dfs):
			alts = ix.rareAlts(alts, dfs)
		}
		for _, a := range alts {
			if c.process {
				a.weight *= processWeight
			}
			if q := ix.altQuery(a, dfs); q != nil {
				altQs = append(altQs, q)
			}
		}
		var q query.Query
		switch len(altQs) {
		case 0:
			continue
		case 1:
			q = altQs[0]
		default:
			q = bleve.NewDisjunctionQuery(altQs...)
		}
		if c.common {
			commonQs = append(commonQs, q)
		} else {
			conceptQs = append(conceptQs, q)
		}
	}
	if len(conceptQs) == 0 {
		conceptQs, commonQs = commonQs, nil
	}
	if len(conceptQs) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	var match query.Query = bleve.NewDisjunctionQuery(conceptQs...)
	if len(conceptQs) == 1 {
		match = conceptQs[0]
	}
	if len(commonQs) == 0 {
		return match
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(match)
	bq.AddShould(commonQs...)
	return bq
}

// commonShare is the share of documents containing a word above which the
// word is common: as a concept of a query with rarer ones (see
// concept.common), or as a sub-word, which is then not searched (合金 in
// 铝合金, 材料 in 医用材料).
const commonShare = 0.02

// docFreqs tells how many documents of one index snapshot hold a term.
// A search keeps it, and so its snapshot, open to the end: exec.go runs
// the query on the same snapshot, reusing the postings lists looked up here,
// and hydrate reads the hits' stored fields from it.
type docFreqs struct {
	ctx   context.Context
	r     index.IndexReader
	n     uint64 // documents
	limit uint64 // above it a word is common
	seen  map[string]uint64
	err   error // the first error met

	// with a scorch snapshot: its segments, their dictionaries by field
	// and the postings lists of the terms looked up
	snap  *scorch.IndexSnapshot
	segs  []*scorch.SegmentSnapshot
	dicts map[string][]segment.TermDictionary
	pls   map[string][]segment.PostingsList
}

func newDocFreqs(ctx context.Context, bi bleve.Index) (*docFreqs, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	n, err := r.DocCount()
	if err != nil {
		r.Close()
		return nil, err
	}
	d := &docFreqs{ctx: ctx, r: r, n: n, limit: uint64(commonShare * float64(n)), seen: map[string]uint64{}}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		d.snap, d.segs = snap, snap.Segments()
		d.dicts = map[string][]segment.TermDictionary{}
		d.pls = map[string][]segment.PostingsList{}
	}
	return d, nil
}

func (d *docFreqs) close() error { return d.r.Close() }

// of returns the number of documents holding term in field.
func (d *docFreqs) of(field, term string) uint64 {
	key := field + "\x00" + term
	if n, ok := d.seen[key]; ok {
		return n
	}
	var n uint64
	if d.snap != nil {
		pls, err := d.postings(field, term)
		if err != nil {
			if d.err == nil {
				d.err = err
			}
			return 0
		}
		for _, pl := range pls {
			n += pl.Count()
		}
	} else {
		tfr, err := d.r.TermFieldReader(d.ctx, []byte(term), field, false, false, false)
		if err != nil {
			if d.err == nil {
				d.err = err
			}
			return 0
		}
		n = tfr.Count()
		if err := tfr.Close(); err != nil && d.err == nil {
			d.err = err
		}
	}
	d.seen[key] = n
	return n
}

// postings returns the postings lists of term in field, one per segment,
// without the deleted documents; the snapshot must be a scorch one.
func (d *docFreqs) postings(field, term string) ([]segment.PostingsList, error) {
	key := field + "\x00" + term
	if pls, ok := d.pls[key]; ok {
		return pls, nil
	}
	dicts, ok := d.dicts[field]
	if !ok {
		dicts = make([]segment.TermDictionary, len(d.segs))
		for i, s := range d.segs {
			var err error
			if dicts[i], err = s.Segment().Dictionary(field); err != nil {
				return nil, err
			}
		}
		d.dicts[field] = dicts
	}
	pls := make([]segment.PostingsList, len(d.segs))
	for i, dict := range dicts {
		var err error
		if pls[i], err = dict.PostingsList([]byte(term), d.segs[i].Deleted(), nil); err != nil {
			return nil, err
		}
	}
	d.pls[key] = pls
	return pls, nil
}

// common reports whether term is in more than commonShare of the documents.
func (d *docFreqs) common(field, term string) bool {
	return d != nil && d.of(field, term) > d.limit
}

// markCommon marks the concepts of a query whose words are common, when it
// has rarer ones. Such a word (检测 in 交联度检测) matches a large part of
// the index; as a match of its own it would rank low anyway, yet every
// search would read, score and count all of those documents.
func (ix *Index) markCommon(cs []concept, dfs *docFreqs) {
	if len(cs) < 2 {
		return
	}
	rare := 0
	for i := range cs {
		c := &cs[i]
		c.common = ix.altCommon(c.alts[0], dfs)
		if !c.common {
			rare++
		}
	}
	if rare == 0 {
		for i := range cs {
			cs[i].common = false
		}
	}
}

// altCommon reports whether a wording is common: it is all of its words,
// so common when its rarest word is.
func (ix *Index) altCommon(a alt, dfs *docFreqs) bool {
	ts := gseTerms(a.text, false)
	if ix.opt.Analyzer == AnalyzerCJK {
		ts = cjkTerms(a.text)
	}
	common := len(ts.words) > 0
	for _, group := range ts.words {
		common = common && dfs.common(fText, group[0].term)
	}
	return common
}

// rareAlts keeps the wording typed and the synonyms that are not common,
// for searches without filters. When the word typed is common it fills
// every page a user reads by itself (its matches outrank a synonym's); a
// common synonym would double the documents read, scored and counted, for
// matches that rank below, while a rare one still brings the records that
// only use it. The total and the facet counts are then those of the word
// typed and the rare synonyms. A filtered search keeps every synonym, as
// the filter may leave few of the typed word's matches.
func (ix *Index) rareAlts(alts []alt, dfs *docFreqs) []alt {
	out := alts[:1:1]
	for _, a := range alts[1:] {
		if !ix.altCommon(a, dfs) {
			out = append(out, a)
		}
	}
	return out
}

// altQuery matches one wording: all of its words (a conjunction when it
// has several), each in text with the sub-words of a typed word.
func (ix *Index) altQuery(a alt, dfs *docFreqs) query.Query {
	var parts []query.Query
	add := func(ts termSet, suffix string, weight float64) {
		var words []query.Query
		for _, group := range ts.words {
			var qs []query.Query
			for i, t := range group {
				if i > 0 && dfs.common(fText+suffix, t.term) {
					continue
				}
				tq := bleve.NewTermQuery(t.term)
				tq.SetField(fText + suffix)
				tq.SetBoost(t.weight * a.weight * weight)
				qs = append(qs, tq)
			}
			if len(qs) == 1 {
				words = append(words, qs[0])
			} else {
				words = append(words, bleve.NewDisjunctionQuery(qs...))
			}
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
