package search

import (
	"bytes"
	"slices"
	"sync"
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
	// orig[i] is the original offset of text[i], with len(text)+1
	// entries; nil when every offset is the same in both, as for most
	// Chinese text
	orig []int
	// foldInto's buffers, kept for its next fold
	textBuf []byte
	origBuf []int
}

// at returns the original offset of text offset i.
func (f folded) at(i int) int {
	if f.orig == nil {
		return i
	}
	return f.orig[i]
}

// fold normalises text for matching: full-width forms to half-width
// (app.FoldWidth's rule), lower case, and common traditional characters to
// simplified ones. Invalid UTF-8 bytes become spaces.
func fold(in []byte) folded {
	var out folded
	foldInto(&out, in)
	return out
}

// foldInto is fold into out, reusing the buffers of its earlier folds.
func foldInto(out *folded, in []byte) {
	text := slices.Grow(out.textBuf[:0], len(in))
	orig := out.origBuf[:0]
	mapped := false
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(in); {
		r, size := utf8.DecodeRune(in[i:])
		r = foldRune(r)
		n := utf8.EncodeRune(buf[:], r)
		if !mapped && n != size {
			// offsets part from here on: record them
			mapped = true
			orig = slices.Grow(orig, len(in)+1)
			for k := range len(text) {
				orig = append(orig, k)
			}
		}
		if mapped {
			for k := 0; k < n; k++ {
				orig = append(orig, i)
			}
		}
		text = append(text, buf[:n]...)
		i += size
	}
	out.text, out.orig = text, nil
	if mapped {
		out.orig = append(orig, len(in))
	}
	out.textBuf, out.origBuf = text, orig
}

// foldNoCopy is fold, except that text folding leaves as it was is
// returned itself rather than copied.
func foldNoCopy(in []byte) folded {
	var out folded
	foldNoCopyInto(&out, in)
	return out
}

// foldNoCopyInto is foldNoCopy into out, as foldInto.
func foldNoCopyInto(out *folded, in []byte) {
	for i := 0; i < len(in); {
		r, size := utf8.DecodeRune(in[i:])
		if foldRune(r) != r || r == utf8.RuneError {
			foldInto(out, in)
			return
		}
		i += size
	}
	out.text, out.orig = in, nil
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
	if r >= 0x3400 && r <= 0x9FFF {
		// CJK ideographs: no case; a few traditional ones to map
		if r <= 0xFFFF && tradBits[r>>6]&(1<<(r&63)) != 0 {
			return tradToSimp[r]
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

// tradBits marks the runes of the Basic Multilingual Plane that tradToSimp
// maps, so that most characters are folded without a map look-up.
var tradBits = func() *[1 << 10]uint64 {
	var b [1 << 10]uint64
	for r := range tradToSimp {
		if r <= 0xFFFF {
			b[r>>6] |= 1 << (r & 63)
		}
	}
	return &b
}()

// foldTokenizer is bleve's Unicode word tokenizer over folded text; with the
// cjk_bigram filter it makes the "cjk" variant.
type foldTokenizer struct{ inner analysis.Tokenizer }

func (t foldTokenizer) Tokenize(input []byte) analysis.TokenStream {
	f := fold(input)
	ts := t.inner.Tokenize(f.text)
	for _, tok := range ts {
		tok.Start, tok.End = f.at(tok.Start), f.at(tok.End)
	}
	return ts
}

// gseTokenizer segments folded text with the gse dictionary (see
// segmenter) in search mode: every word, then the dictionary words inside it,
// so that 压铸件 is found by 压铸 and 新能源汽车 by 汽车. Sub-words share their
// word's position. Text is segmented line by line; the words of short lines
// are cached, as documents repeat them (processes, materials, industry
// names, listing titles).
type gseTokenizer struct{ seg *gse.Segmenter }

func (t gseTokenizer) Tokenize(input []byte) analysis.TokenStream {
	f := fold(input)
	var ts analysis.TokenStream
	pos := 0
	for start := 0; start < len(f.text); {
		end := bytes.IndexByte(f.text[start:], '\n')
		if end < 0 {
			end = len(f.text)
		} else {
			end += start
		}
		for _, w := range lineWords(t.seg, f.text[start:end]) {
			ts = append(ts, &analysis.Token{Term: []byte(w.text), Start: f.at(start + w.start),
				End: f.at(start + w.end), Position: pos + w.pos, Type: w.typ})
		}
		if n := len(ts); n > 0 {
			pos = ts[n-1].Position
		}
		start = end + 1
	}
	return ts
}

// lineToken is a word of a line: its offsets in the line, and its position
// counted from 1 at the line's first word.
type lineToken struct {
	text       string
	start, end int
	pos        int
	typ        analysis.TokenType
}

// maxCachedLine is the longest line, in bytes, whose words are cached.
const maxCachedLine = 120

// maxCachedLines bounds the cache; it is emptied when full.
const maxCachedLines = 30_000

var lineCache struct {
	sync.RWMutex
	m map[string][]lineToken
}

// dropLineCache empties the cache, after a rebuild: live writes are few.
func dropLineCache() {
	lineCache.Lock()
	lineCache.m = nil
	lineCache.Unlock()
}

// lineWords returns the words of a folded line and their sub-words.
func lineWords(seg *gse.Segmenter, line []byte) []lineToken {
	cache := len(line) <= maxCachedLine
	if cache {
		lineCache.RLock()
		toks, ok := lineCache.m[string(line)]
		lineCache.RUnlock()
		if ok {
			return toks
		}
	}
	var toks []lineToken
	pos := 0
	for _, w := range segmentWords(seg, line) {
		pos++
		toks = append(toks, lineToken{text: w.text, start: w.start, end: w.end, pos: pos, typ: w.typ})
		for _, sw := range w.subs {
			toks = append(toks, lineToken{text: sw.text, start: sw.start, end: sw.end, pos: pos, typ: sw.typ})
		}
	}
	if cache {
		lineCache.Lock()
		if lineCache.m == nil || len(lineCache.m) >= maxCachedLines {
			lineCache.m = map[string][]lineToken{}
		}
		lineCache.m[string(line)] = toks
		lineCache.Unlock()
	}
	return toks
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
