package app

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rongtong/rongtong/ref"
)

func itemField(name string, i int) string { return fmt.Sprintf("%s[%d]", name, i) }

// badText reports a reason why s cannot be stored as text: invalid UTF-8 or
// control characters other than tab and newline.
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return "contains a control character"
		}
	}
	return ""
}

func requiredText(f *Fields, field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		f.Add(field, FieldRequired, "is required")
		return
	}
	optionalText(f, field, s, max)
}

func optionalText(f *Fields, field, s string, max int) {
	if why := badText(s); why != "" {
		f.Add(field, FieldFormat, "%s", why)
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		f.Add(field, FieldTooLong, "must be at most %d characters (has %d)", max, n)
	}
}

func textList(f *Fields, field string, xs []string, max int) {
	if len(xs) > MaxListItems {
		f.Add(field, FieldTooLong, "must have at most %d items", MaxListItems)
		return
	}
	for i, x := range xs {
		requiredText(f, itemField(field, i), x, max)
	}
}

func enumList(f *Fields, field string, xs, allowed []string) {
	for i, x := range xs {
		if !contains(allowed, x) {
			f.Add(itemField(field, i), FieldUnknown, "must be one of %s", strings.Join(allowed, ", "))
		}
	}
}

func regionCode(f *Fields, field, code string) {
	if code == "" {
		return
	}
	if _, ok := ref.LookupRegion(code); !ok {
		f.Add(field, FieldUnknown, "%q is not a 行政区划 region code", truncate(code, 20))
	}
}

func industryCode(f *Fields, field, code string) {
	if code == "" {
		return
	}
	if _, ok := ref.LookupIndustry(code); !ok {
		f.Add(field, FieldUnknown, "%q is not a GB/T 4754-2017 industry code", truncate(code, 20))
	}
}

func codeList(f *Fields, field string, codes []string, check func(*Fields, string, string)) {
	if len(codes) > MaxListItems {
		f.Add(field, FieldTooLong, "must have at most %d items", MaxListItems)
		return
	}
	for i, c := range codes {
		if c == "" {
			f.Add(itemField(field, i), FieldRequired, "must not be empty")
			continue
		}
		check(f, itemField(field, i), c)
	}
}

func nonNeg(f *Fields, field string, v, max float64) {
	if v != v { // NaN cannot arrive through JSON, but guard anyway
		f.Add(field, FieldFormat, "must be a number")
	} else if v < 0 {
		f.Add(field, FieldRange, "must not be negative")
	} else if v > max {
		f.Add(field, FieldRange, "must be at most %g", max)
	}
}

func nonNegInt(f *Fields, field string, v, max int) {
	if v < 0 {
		f.Add(field, FieldRange, "must not be negative")
	} else if v > max {
		f.Add(field, FieldRange, "must be at most %d", max)
	}
}

func amount(f *Fields, field string, a *Amount) {
	if a == nil {
		return
	}
	nonNeg(f, field+".value", a.Value, 1e12)
	requiredText(f, field+".unit", a.Unit, 20)
	if a.Per != "" && !contains(Periods, a.Per) {
		f.Add(field+".per", FieldUnknown, "must be year or month")
	}
}

func contains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func appendUnique(xs []string, ys ...string) []string {
	for _, y := range ys {
		if !contains(xs, y) {
			xs = append(xs, y)
		}
	}
	return xs
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// cleanText trims surrounding white space (including the ideographic space).
func cleanText(s string) string {
	return strings.TrimFunc(s, unicode.IsSpace)
}

func cleanList(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, cleanText(x))
	}
	return out
}

func foldList(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, strings.TrimSpace(FoldWidth(x)))
	}
	return out
}

// NormalizeCert folds a certification's spelling to its canonical form:
// half-width, upper case, no spaces or hyphens between letters and digits
// ("ＩＳＯ ９００１" → "ISO9001", "iatf 16949" → "IATF16949").
func NormalizeCert(s string) string {
	s = strings.ToUpper(FoldWidth(cleanText(s)))
	s = strings.ReplaceAll(s, " ", "")
	return strings.ReplaceAll(s, "TUV", "TÜV")
}

func normalizeCerts(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = appendUnique(out, NormalizeCert(x))
	}
	return out
}

var (
	mobileRE   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRE = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}$`)
	emailRE    = regexp.MustCompile(`^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$`)
)

// ValidPhone reports whether s is a mainland China mobile number (11 digits, 1[3-9]…).
func ValidPhone(s string) bool { return mobileRE.MatchString(s) }

func validLandline(s string) bool { return landlineRE.MatchString(s) }

// ValidEmail reports whether s looks like an e-mail address.
func ValidEmail(s string) bool { return len(s) <= 254 && emailRE.MatchString(s) }

// RegionKeys returns a region code and its ancestors (province, city, county),
// for exact-match prefix filtering; nil for an unknown code.
func RegionKeys(code string) []string { return ref.RegionAncestors(code) }

// IndustryKeys returns an industry code and its ancestors up to its section
// letter ("3392" → C, 33, 339, 3392); nil for an unknown code.
func IndustryKeys(code string) []string { return ref.IndustryAncestors(code) }
