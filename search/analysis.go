package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/go-ego/gse"
)

// Names under which the package registers its analysis parts with bleve.
const (
	gseTokenizerName  = "rongtong_gse"
	foldTokenizerName = "rongtong_unicode_fold"
	gseAnalyzerName   = "rongtong_zh_gse"
	cjkAnalyzerName   = "rongtong_zh_cjk"
)

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenizer(gseTokenizerName,
		func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
			return gseTokenizer{seg: segmenter()}, nil
		}))
	must(registry.RegisterTokenizer(foldTokenizerName,
		func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
			return foldTokenizer{unitok.NewUnicodeTokenizer()}, nil
		}))
}

// folded is text after fold, with a map from its byte offsets back to the
// original's so that token offsets (and so highlights) point into the
// stored text.
type folded struct {
	text []byte
	orig []int // orig[i] is the original offset of text[i]; len(text)+1 entries
}

// fold normalises text for matching: full-width forms to half-width
// (app.FoldWidth's rule), lower case, and common traditional characters to
// simplified ones. Invalid UTF-8 bytes become spaces.
func fold(in []byte) folded {
	out := folded{text: make([]byte, 0, len(in)), orig: make([]int, 0, len(in)+1)}
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(in); {
		r, size := utf8.DecodeRune(in[i:])
		r = foldRune(r)
		n := utf8.EncodeRune(buf[:], r)
		for k := 0; k < n; k++ {
			out.orig = append(out.orig, i)
		}
		out.text = append(out.text, buf[:n]...)
		i += size
	}
	out.orig = append(out.orig, len(in))
	return out
}

// foldString is fold for query text.
func foldString(s string) string { return string(fold([]byte(s)).text) }

func foldRune(r rune) rune {
	switch {
	case r == utf8.RuneError:
		return ' '
	case r == 0x3000:
		return ' '
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if s, ok := tradToSimp[r]; ok {
		return s
	}
	if unicode.IsUpper(r) {
		return unicode.ToLower(r)
	}
	return r
}

// foldTokenizer is bleve's Unicode word tokenizer over folded text; with the
// cjk_bigram filter it makes the "cjk" variant.
type foldTokenizer struct{ inner analysis.Tokenizer }

func (t foldTokenizer) Tokenize(input []byte) analysis.TokenStream {
	f := fold(input)
	ts := t.inner.Tokenize(f.text)
	for _, tok := range ts {
		tok.Start, tok.End = f.orig[tok.Start], f.orig[tok.End]
	}
	return ts
}

// gseTokenizer segments folded text with the gse dictionary (see
// segmenter) in search mode: every word, then the dictionary words inside it,
// so that 压铸件 is found by 压铸 and 新能源汽车 by 汽车. Sub-words share their
// word's position.
type gseTokenizer struct{ seg *gse.Segmenter }

func (t gseTokenizer) Tokenize(input []byte) analysis.TokenStream {
	f := fold(input)
	var ts analysis.TokenStream
	pos := 0
	for _, w := range segmentWords(t.seg, f.text) {
		pos++
		ts = append(ts, &analysis.Token{Term: []byte(w.text), Start: f.orig[w.start], End: f.orig[w.end],
			Position: pos, Type: w.typ})
		for _, s := range w.subs {
			ts = append(ts, &analysis.Token{Term: []byte(s.text), Start: f.orig[s.start], End: f.orig[s.end],
				Position: pos, Type: s.typ})
		}
	}
	return ts
}

// word is one segment of folded text: byte offsets into it, and the
// dictionary words found inside it.
type word struct {
	text       string
	start, end int
	typ        analysis.TokenType
	subs       []word
}

// maxSubwordRunes bounds the words searched for sub-words (the search is
// quadratic in the word's length).
const maxSubwordRunes = 16

// segmentWords cuts folded text into words, dropping punctuation and space.
func segmentWords(seg *gse.Segmenter, text []byte) []word {
	var out []word
	for _, s := range seg.Segment(text) {
		w := word{text: string(text[s.Start():s.End()]), start: s.Start(), end: s.End()}
		if !hasWordRune(w.text) {
			continue
		}
		w.typ = tokenType(w.text)
		w.subs = subwords(seg, w)
		out = append(out, w)
	}
	return out
}

// subwords returns the dictionary words of two or more runes strictly inside w.
func subwords(seg *gse.Segmenter, w word) []word {
	n := utf8.RuneCountInString(w.text)
	if n < 3 || n > maxSubwordRunes || w.typ != analysis.Ideographic && w.typ != analysis.Double {
		return nil
	}
	// byte offset of every rune boundary
	bounds := make([]int, 0, n+1)
	for i := range w.text {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(w.text))
	var subs []word
	for i := 0; i < n; i++ {
		for j := i + 2; j <= n; j++ {
			if i == 0 && j == n {
				continue
			}
			sub := w.text[bounds[i]:bounds[j]]
			if !hasWordRune(sub) {
				continue
			}
			if freq, _, ok := seg.Find(sub); ok && freq > 0 {
				subs = append(subs, word{text: sub, start: w.start + bounds[i], end: w.start + bounds[j],
					typ: tokenType(sub)})
			}
		}
	}
	return subs
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// tokenType tells Han words (Ideographic), Latin/digit words
// (AlphaNumeric) and mixed ones (Double) apart.
func tokenType(s string) analysis.TokenType {
	han, other := false, false
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han = true
		} else {
			other = true
		}
	}
	switch {
	case han && other:
		return analysis.Double
	case han:
		return analysis.Ideographic
	}
	return analysis.AlphaNumeric
}
