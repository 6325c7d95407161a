package app

import "strings"

const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeUSCC upper-cases a 统一社会信用代码 (unified social credit code) and
// folds full-width characters, so that input typed on a Chinese keyboard checks.
func NormalizeUSCC(s string) string {
	return strings.ToUpper(FoldWidth(strings.TrimSpace(s)))
}

// ValidUSCC reports whether s is an 18-character 统一社会信用代码 whose last
// character is the GB 32100-2015 check character of the first seventeen.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, s[i])
		if v < 0 {
			return false
		}
		sum += v * usccWeights[i]
	}
	c := (31 - sum%31) % 31
	return s[17] == usccAlphabet[c]
}

// USCCCheckChar returns the check character for the first 17 characters of a
// code, or 0 if they hold a character outside the code's alphabet.
func USCCCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, first17[i])
		if v < 0 {
			return 0
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31]
}

// FoldWidth maps full-width ASCII forms (ＡＢＣ１２３, the ideographic space)
// to their half-width equivalents and leaves everything else alone.
func FoldWidth(s string) string {
	needs := false
	for _, r := range s {
		if r == 0x3000 || (r >= 0xFF01 && r <= 0xFF5E) {
			needs = true
			break
		}
	}
	if !needs {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == 0x3000:
			b.WriteRune(' ')
		case r >= 0xFF01 && r <= 0xFF5E:
			b.WriteRune(r - 0xFEE0)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
