package search

import (
	"strings"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// document is what the index holds for an organisation or a listing. Field
// tags are the index field names (bleve reads the json tags of exported
// fields).
//
// What is searched is one analysed field, text: the title, the tags
// (products, processes, materials), the body, the extra text of an
// organisation and the industry names. One field keeps the number of term
// lookups of a query small; the evaluation found no gain in weighting the
// title and tags above the rest (docs/search-quality.md). Title, body and
// the owner's name are only stored, for display and highlights.
type document struct {
	Kind     string    `json:"kind"`
	Ref      string    `json:"ref,omitempty"`
	OrgID    string    `json:"org_id"`
	OrgName  string    `json:"org_name,omitempty"`
	Title    string    `json:"title"`
	Body     string    `json:"body,omitempty"`
	Text     string    `json:"text,omitempty"`
	FamX     []string  `json:"famx,omitempty"`
	Process  []string  `json:"process,omitempty"`
	Cert     []string  `json:"cert,omitempty"`
	Industry []string  `json:"industry,omitempty"`
	Ind2     []string  `json:"industry2,omitempty"`
	Region   []string  `json:"region,omitempty"`
	Region2  string    `json:"region2,omitempty"`
	Tier     string    `json:"tier,omitempty"`
	Status   string    `json:"status,omitempty"`
	Stage    string    `json:"stage,omitempty"`
	OrgType  string    `json:"org_type,omitempty"`
	Visible  string    `json:"visible"`
	Updated  time.Time `json:"updated"`
	Suggest  []string  `json:"suggest,omitempty"`

	// parts of text (see searchable)
	tags     []string // products, processes, materials
	extra    []string // an organisation's published listings' text
	indNames []string // names of the industries it is about
}

// searchable fills text from the parts, one line each: a field of one
// value is analysed in one go, and the analysis of short lines,
// which repeat (processes, materials, industry names, a listing's title in
// its owner's extra text), is cached (see gseTokenizer).
func (d *document) searchable() {
	var b strings.Builder
	line := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(s)
		}
	}
	line(d.Title)
	for _, t := range d.tags {
		line(t)
	}
	line(d.Body)
	for _, xs := range [][]string{d.extra, d.indNames} {
		for _, x := range xs {
			line(x)
		}
	}
	d.Text = b.String()
}

// Type tells bleve which document mapping applies.
func (d *document) Type() string { return d.Kind }

// Document IDs: an organisation and a listing may share an ID, so each
// entity has its prefix.
const (
	orgPrefix     = "o:"
	listingPrefix = "l:"
)

// Entities accepted by Delete, as in app.Change.
const (
	EntityOrg     = "org"
	EntityListing = "listing"
)

func docID(entity, id string) string {
	if entity == EntityOrg {
		return orgPrefix + id
	}
	return listingPrefix + id
}

// splitDocID returns the record ID of a document ID.
func splitDocID(id string) string {
	if s, ok := strings.CutPrefix(id, orgPrefix); ok {
		return s
	}
	return strings.TrimPrefix(id, listingPrefix)
}

func boolKey(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// orgDocument maps an organisation, with the text of its published
// listings (see Options.OrgExtras), onto a document.
func orgDocument(o *app.Org, extras []*app.Listing) *document {
	d := &document{
		Kind:     kindOrg,
		Ref:      o.Ref,
		OrgID:    o.ID,
		OrgName:  o.Name,
		Title:    o.Name,
		Body:     o.Description,
		tags:     nonEmpty(o.Products),
		Cert:     o.Certifications,
		Tier:     string(o.Tier),
		OrgType:  string(o.Type),
		Visible:  boolKey(o.Verified),
		Updated:  o.UpdatedAt,
		Industry: keysOr(o.IndustryKeys, ref.IndustryAncestors, o.Industry),
		Region:   keysOr(o.RegionKeys, ref.RegionAncestors, o.Region),
	}
	fam := []string{o.Industry}
	for _, l := range extras {
		if l == nil || l.OrgID != o.ID || l.Status != app.StatusPublished {
			continue
		}
		d.extra = append(d.extra, l.Title)
		d.extra = append(d.extra, l.Processes...)
		d.extra = append(d.extra, l.Materials...)
		d.Process = appendNew(d.Process, foldAll(l.Processes)...)
		// What an investor or institution works on is named by its
		// listings' industries; a capability's industries are those it
		// serves, so they say nothing about what the SME makes.
		if l.Kind == app.KindInvestor || l.Kind == app.KindTech {
			fam = appendNew(fam, l.IndustryCodes()...)
		}
	}
	d.setFamily(fam)
	d.Ind2 = level(d.Industry, 2)
	d.Region2 = regionAtLevel(d.Region, 2)
	if o.Verified {
		d.Suggest = suggestTerms(append([]string{o.Name}, o.Products...)...)
	}
	d.searchable()
	return d
}

// listingDocument maps a listing onto a document. Its organisation fields
// come from the owner summary the store keeps on it.
func listingDocument(l *app.Listing) *document {
	d := &document{
		Kind:    string(l.Kind),
		Ref:     l.Ref,
		OrgID:   l.OrgID,
		OrgName: l.Owner.Name,
		Title:   l.Title,
		Body:    l.Text(),
		Tier:    string(l.Owner.Tier),
		Status:  string(l.Status),
		Stage:   l.Stage,
		OrgType: string(l.Owner.Type),
		Visible: boolKey(l.Visible()),
		Updated: l.UpdatedAt,
		Region:  keysOr(l.RegionKeys, ref.RegionAncestors, l.Owner.Region),
	}
	if l.UseOfFunds != "" && !strings.Contains(d.Body, l.UseOfFunds) {
		d.Body = strings.TrimSpace(d.Body + "\n" + l.UseOfFunds)
	}
	d.tags = nonEmpty(append(append([]string{}, l.Processes...), l.Materials...))
	d.Process = foldAll(l.Processes)
	d.Cert = appendNew(append([]string{}, l.Certifications...), l.CertificationsRequired...)
	d.Industry = l.IndustryKeys
	if len(d.Industry) == 0 {
		for _, c := range l.IndustryCodes() {
			d.Industry = appendNew(d.Industry, keysOr(nil, ref.IndustryAncestors, c)...)
		}
	}
	d.setFamily(listingFamily(l))
	d.Ind2 = level(d.Industry, 2)
	d.Region2 = regionAtLevel(d.Region, 2)
	if l.Visible() && l.Status == app.StatusPublished {
		d.Suggest = suggestTerms(append([]string{l.Title}, l.Processes...)...)
	}
	d.searchable()
	return d
}

// listingFamily returns the industry codes of what a listing is about. A
// capability's own industries are the industries it serves, so its owner's
// industry stands for what it makes, as for a financing need.
func listingFamily(l *app.Listing) []string {
	switch l.Kind {
	case app.KindCapability, app.KindFinancing:
		return []string{l.Owner.Industry}
	}
	return l.IndustryCodes()
}

// setFamily records the industry codes a record is about, as given (famx,
// for the family feedback of Search), and the names of their groups and
// classes (searched as text).
func (d *document) setFamily(codes []string) {
	var all []string // with their ancestors
	for _, c := range codes {
		if c == "" {
			continue
		}
		d.FamX = appendNew(d.FamX, c)
		all = appendNew(all, ref.IndustryAncestors(c)...)
	}
	d.indNames = industryNames(all)
}

// keysOr returns keys, or when they are empty the ancestors of code.
func keysOr(keys []string, ancestors func(string) []string, code string) []string {
	if len(keys) > 0 || code == "" {
		return keys
	}
	return ancestors(code)
}

// industryNames returns the names of the group- and class-level codes among
// keys: the section and division names (制造业, 通用设备制造业) are too broad to
// tell records apart.
func industryNames(keys []string) []string {
	var out []string
	for _, k := range keys {
		if len(k) >= 3 {
			if n := ref.IndustryName(k); n != "" {
				out = appendNew(out, n)
			}
		}
	}
	return out
}

// level returns the industry codes of one level: 1 is the section letter, 2
// a division (two digits) and so on.
func level(keys []string, n int) []string {
	var out []string
	for _, k := range keys {
		if industryLevel(k) == n {
			out = append(out, k)
		}
	}
	return out
}

func industryLevel(code string) int {
	if len(code) == 1 {
		return 1
	}
	return len(code)
}

// regionAtLevel returns the key of a region level: 1 province (xx0000), 2 city
// (xxxx00), 3 county.
func regionAtLevel(keys []string, n int) string {
	for _, k := range keys {
		if regionLevel(k) == n {
			return k
		}
	}
	return ""
}

func regionLevel(code string) int {
	switch {
	case len(code) != 6:
		return 0
	case code[2:] == "0000":
		return 1
	case code[4:] == "00":
		return 2
	}
	return 3
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			out = append(out, x)
		}
	}
	return out
}

func appendNew(xs []string, ys ...string) []string {
	for _, y := range ys {
		found := false
		for _, x := range xs {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			xs = append(xs, y)
		}
	}
	return xs
}

// foldAll folds phrases for keyword fields matched against query text.
func foldAll(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(foldString(x)); x != "" {
			out = appendNew(out, x)
		}
	}
	return out
}

// suggestTerms folds phrases for the suggestion field; very long ones are
// not useful completions.
func suggestTerms(xs ...string) []string {
	var out []string
	for _, x := range xs {
		x = strings.TrimSpace(foldString(x))
		if x == "" || len([]rune(x)) > 40 {
			continue
		}
		out = appendNew(out, x)
	}
	return out
}
