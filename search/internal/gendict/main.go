// Command gendict derives the search package's THUOCL word list from the THUOCL
// lexicons (清华大学开放中文词库, MIT licence). It keeps the words the segmenter
// can use — two to ten characters of Chinese, Latin letters and digits — folds
// them to lower case, scales THUOCL's document frequencies to gse's range and
// writes them sorted, one "word<TAB>frequency" a line, so the output is the same
// on every run. Run it through go generate in package search:
//
//	go generate ./search
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lexicons are the THUOCL files read, each with the smallest document
// frequency a word needs to be kept; the place-name list is long and its rare
// entries mostly villages, so it is cut harder.
var lexicons = []struct {
	file  string
	minDF int
}{
	{"THUOCL_IT.txt", 50},
	{"THUOCL_caijing.txt", 50},
	{"THUOCL_car.txt", 50},
	{"THUOCL_medical.txt", 50},
	{"THUOCL_diming.txt", 500},
}

func main() {
	src := flag.String("src", "", "directory holding THUOCL_*.txt and LICENSE")
	out := flag.String("out", "dict", "output directory")
	flag.Parse()
	if *src == "" {
		log.Fatal("gendict: -src is required")
	}
	words := map[string]int{}
	for _, lx := range lexicons {
		if err := read(filepath.Join(*src, lx.file), lx.minDF, words); err != nil {
			log.Fatal(err)
		}
	}
	keys := make([]string, 0, len(words))
	for w := range words {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, w := range keys {
		fmt.Fprintf(&b, "%s\t%d\n", w, words[w])
	}
	if err := os.WriteFile(filepath.Join(*out, "thuocl.txt"), []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	lic, err := os.ReadFile(filepath.Join(*src, "LICENSE"))
	if err != nil {
		log.Fatal(err)
	}
	notice := "The word list thuocl.txt in this directory is derived from THUOCL\n" +
		"(THU Open Chinese Lexicon, https://github.com/thunlp/THUOCL) and is\n" +
		"distributed under its licence:\n\n" + string(lic)
	if err := os.WriteFile(filepath.Join(*out, "THUOCL_LICENSE"), []byte(notice), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("gendict: %d words", len(keys))
}

func read(path string, minDF int, words map[string]int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		word, dfText, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		word = strings.ToLower(strings.TrimSpace(word))
		df, err := strconv.Atoi(strings.TrimSpace(dfText))
		if err != nil || df < minDF || !usable(word) {
			continue
		}
		if f := scale(df); f > words[word] {
			words[word] = f
		}
	}
	return sc.Err()
}

// usable reports whether a word is 2–10 characters of Han, Latin letters and
// digits with at least one Han character.
func usable(w string) bool {
	n := utf8.RuneCountInString(w)
	if n < 2 || n > 10 {
		return false
	}
	han := false
	for _, r := range w {
		switch {
		case unicode.Is(unicode.Han, r):
			han = true
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		default:
			return false
		}
	}
	return han
}

// scale maps a THUOCL document frequency (50 … 2,000,000) onto 20 … 2,000, the
// range of common words in gse's dictionary, so THUOCL words win over
// character-by-character splits without outweighing everyday words.
func scale(df int) int {
	f := 20 * math.Pow(float64(df)/50, 0.4)
	return int(math.Min(2000, math.Max(20, f)))
}
