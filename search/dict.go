package search

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/rongtong/rongtong/ref"
)

//go:generate go run ./internal/gendict -src ../../shared/data/thuocl -out dict

// thuoclWords is the word list derived from the THUOCL lexicons (MIT; the
// notice is in dict/THUOCL_LICENSE), one "word<TAB>frequency" a line.
//
//go:embed dict/thuocl.txt
var thuoclWords string

// Frequencies given to the project's own words. gse's embedded dictionary
// sums to about 5.8e7; a word of frequency f costs log2(5.8e7/f) on the
// segmentation path, so 300–2,000 beats splitting a word into characters
// (about 25 each) without beating everyday words.
const (
	freqDomain   = 2000
	freqIndustry = 300
	freqRegion   = 500
)

// domainDict returns the project's dictionary in gse's "word frequency" line
// format: domain and policy terms, the synonym table, GB/T 4754 industry
// names and their parts, region names with and without their suffix, and the
// THUOCL words. It is sorted, so its hash identifies it.
var domainDict = sync.OnceValue(func() string {
	freq := map[string]int{}
	add := func(w string, f int) {
		w = strings.TrimSpace(foldString(w))
		n := utf8.RuneCountInString(w)
		if n < 2 || n > 12 || strings.ContainsAny(w, " \t\n") {
			return
		}
		if f > freq[w] {
			freq[w] = f
		}
	}
	for _, w := range domainTerms {
		add(w, freqDomain)
	}
	for _, g := range synonymGroups {
		for _, w := range g {
			add(w, freqDomain)
		}
	}
	for _, ind := range ref.Industries() {
		for _, w := range industryWords(ind.Name) {
			add(w, freqIndustry)
		}
	}
	for _, r := range ref.Regions() {
		for _, w := range regionWords(r.Name) {
			add(w, freqRegion)
		}
	}
	for _, line := range strings.Split(thuoclWords, "\n") {
		w, f, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		var n int
		if _, err := fmt.Sscan(f, &n); err == nil {
			add(w, n)
		}
	}
	words := make([]string, 0, len(freq))
	for w := range freq {
		words = append(words, w)
	}
	sort.Strings(words)
	var b strings.Builder
	for _, w := range words {
		fmt.Fprintf(&b, "%s %d\n", w, freq[w])
	}
	return b.String()
})

// dictVersion is a short hash of the dictionary; it is part of the index
// version, so a changed dictionary rebuilds the index.
var dictVersion = sync.OnceValue(func() string {
	h := fnv.New32a()
	h.Write([]byte(gse.Version))
	h.Write([]byte(domainDict()))
	return fmt.Sprintf("%08x", h.Sum32())
})

// segmenter returns the process's one gse segmenter: gse's embedded
// simplified-Chinese dictionary with the domain dictionary in front of it
// (gse keeps the first frequency it reads for a word). Loading takes about
// 1.7 s and 130 MiB on the project's 2-core machine, so it happens once, on
// first use; the segmenter is read-only afterwards and safe for concurrent use.
var segmenter = sync.OnceValue(func() *gse.Segmenter {
	start := time.Now()
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		panic("search: loading the gse dictionary: " + err.Error())
	}
	// gse keeps the first frequency it reads for a word, so the domain words
	// replace the embedded entries rather than being added after them; one
	// CalcToken then recomputes the path costs.
	for _, line := range strings.Split(domainDict(), "\n") {
		w, f, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		var freq float64
		if _, err := fmt.Sscan(f, &freq); err != nil {
			continue
		}
		var err error
		if have, _, _ := seg.Find(w); have > 0 {
			err = seg.ReAddToken(w, freq)
		} else {
			err = seg.AddToken(w, freq)
		}
		if err != nil {
			panic("search: adding " + w + " to the gse dictionary: " + err.Error())
		}
	}
	seg.CalcToken()
	slog.Debug("search: gse dictionary loaded", "words", seg.Dict.NumTokens(), "took", time.Since(start))
	return seg
})

// industryWords returns an industry name and its parts: 齿轮及齿轮减、变速箱制造
// gives itself, 齿轮, 齿轮减 and 变速箱 (the 制造/加工 suffix dropped).
func industryWords(name string) []string {
	out := []string{name}
	trimmed := name
	for _, suf := range []string{"制造业", "制造", "加工业", "加工", "业"} {
		if t := strings.TrimSuffix(trimmed, suf); t != trimmed && utf8.RuneCountInString(t) >= 2 {
			trimmed = t
			break
		}
	}
	out = append(out, trimmed)
	parts := strings.FieldsFunc(trimmed, func(r rune) bool {
		return strings.ContainsRune("、，,及和与（）()", r)
	})
	for _, p := range parts {
		p = strings.TrimPrefix(p, "其他")
		for _, suf := range []string{"制造", "加工", "制品"} {
			if t := strings.TrimSuffix(p, suf); t != p && utf8.RuneCountInString(t) >= 2 {
				out = append(out, t)
			}
		}
		out = append(out, p)
	}
	return out
}

// regionSuffixes are dropped from region names to get the short names people
// write (宁波市 → 宁波, 北仑区 → 北仑), longest first.
var regionSuffixes = []string{"特别行政区", "自治州", "自治县", "自治区", "地区", "新区", "林区", "矿区", "特区", "省", "市", "区", "县", "旗", "盟"}

// regionWords returns a region's name and, when what is left has two or more
// characters, its short name.
func regionWords(name string) []string {
	if name == "市辖区" || name == "县" || strings.Contains(name, "直辖") {
		return nil
	}
	out := []string{name}
	if s := shortRegionName(name); s != "" {
		out = append(out, s)
	}
	return out
}

func shortRegionName(name string) string {
	for _, suf := range regionSuffixes {
		if t := strings.TrimSuffix(name, suf); t != name {
			if utf8.RuneCountInString(t) >= 2 {
				return t
			}
			return ""
		}
	}
	return ""
}
