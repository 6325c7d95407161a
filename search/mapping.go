package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/rongtong/rongtong/app"
)

// mappingVersion changes whenever the mapping, the analysis or the document
// shape changes; with the analyzer variant and the dictionary hash it makes
// the index version (see indexVersion).
const mappingVersion = 3

// Analyzer variants: gse dictionary segmentation, bleve's CJK bigrams, or
// both in twin fields searched together.
const (
	AnalyzerGSE  = "gse"
	AnalyzerCJK  = "cjk"
	AnalyzerBoth = "both"
)

// DefaultAnalyzer is the variant that measured best on the evaluation set
// (docs/search-quality.md).
const DefaultAnalyzer = AnalyzerGSE

// Field names in the index.
const (
	fKind     = "kind"
	fRef      = "ref"
	fOrgID    = "org_id"
	fOrgName  = "org_name"
	fTitle    = "title"
	fBody     = "body"
	fTags     = "tags"
	fExtra    = "extra"
	fIndNames = "ind_names"
	fCert     = "cert"
	fIndustry = "industry"
	fInd2     = "industry2"
	fRegion   = "region"
	fRegion2  = "region2"
	fTier     = "tier"
	fStatus   = "status"
	fStage    = "stage"
	fOrgType  = "org_type"
	fVisible  = "visible"
	fUpdated  = "updated"
	fSuggest  = "suggest"
	fFam      = "fam"
	fFamX     = "famx"
	fProcess  = "process"

	cjkSuffix = "_cjk"
)

// textFields are the analysed fields, each with its weight in a query.
var textFields = []struct {
	name  string
	boost float64
}{
	{fTitle, 3},
	{fTags, 2.5},
	{fBody, 1},
	{fExtra, 1},
	{fIndNames, 0.7},
	{fOrgName, 0.5},
}

// kindOrg is the kind of organisation documents, beside the listing kinds.
const kindOrg = "org"

// docKinds are the document types: organisations and every listing kind.
func docKinds() []string {
	ks := []string{kindOrg}
	for _, k := range app.Kinds {
		ks = append(ks, string(k))
	}
	return ks
}

func validAnalyzer(v string) bool {
	return v == AnalyzerGSE || v == AnalyzerCJK || v == AnalyzerBoth
}

// indexVersion identifies everything that decides what the index holds; an
// index recorded with another version is rebuilt.
func indexVersion(variant string) string {
	v := fmt.Sprintf("m%d-%s", mappingVersion, variant)
	if variant != AnalyzerCJK {
		v += "-d" + dictVersion()
	}
	return v
}

// newMapping builds the explicit mapping: one document mapping per kind, no
// dynamic fields, keyword fields for filters and facets, and only what hits
// show stored.
func newMapping(variant string) (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.TypeField = fKind
	im.DefaultType = "unknown"
	im.DefaultAnalyzer = keyword.Name
	im.ScoringModel = "bm25"
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	if err := im.AddCustomAnalyzer(gseAnalyzerName, map[string]any{
		"type": custom.Name, "tokenizer": gseTokenizerName,
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(cjkAnalyzerName, map[string]any{
		"type": custom.Name, "tokenizer": foldTokenizerName, "token_filters": []any{cjk.BigramName},
	}); err != nil {
		return nil, err
	}
	// A document of no known kind is not indexed at all.
	im.DefaultMapping = mapping.NewDocumentDisabledMapping()

	for _, kind := range docKinds() {
		dm := mapping.NewDocumentStaticMapping()
		dm.Dynamic = false
		kw := func(name string, store bool) {
			fm := mapping.NewKeywordFieldMapping()
			fm.Store = store
			fm.IncludeInAll = false
			fm.IncludeTermVectors = false
			fm.DocValues = name != fSuggest
			dm.AddFieldMappingsAt(name, fm)
		}
		text := func(name string, store, index bool) {
			var fms []*mapping.FieldMapping
			mk := func(field, analyzer string, vectors bool) *mapping.FieldMapping {
				fm := mapping.NewTextFieldMapping()
				fm.Name = field
				fm.Analyzer = analyzer
				fm.Store = store
				fm.Index = index
				fm.IncludeInAll = false
				fm.IncludeTermVectors = vectors && store
				fm.DocValues = false
				return fm
			}
			switch variant {
			case AnalyzerGSE:
				fms = append(fms, mk(name, gseAnalyzerName, true))
			case AnalyzerCJK:
				fms = append(fms, mk(name, cjkAnalyzerName, true))
			default:
				fms = append(fms, mk(name, gseAnalyzerName, true), mk(name+cjkSuffix, cjkAnalyzerName, false))
				fms[1].Store = false
			}
			dm.AddFieldMappingsAt(name, fms...)
		}
		kw(fKind, true)
		kw(fRef, true)
		kw(fOrgID, true)
		// Organisations carry their name as the title; for listings the
		// owner's name is searchable too.
		text(fOrgName, true, kind != kindOrg)
		text(fTitle, true, true)
		text(fBody, true, true)
		text(fTags, false, true)
		text(fExtra, false, true)
		text(fIndNames, false, true)
		kw(fCert, false)
		kw(fIndustry, false)
		kw(fInd2, false)
		kw(fRegion, false)
		kw(fRegion2, false)
		kw(fTier, false)
		kw(fStatus, false)
		kw(fStage, false)
		kw(fOrgType, false)
		kw(fVisible, false)
		kw(fSuggest, false)
		kw(fFam, false)
		kw(fFamX, true)
		kw(fProcess, false)
		dt := mapping.NewDateTimeFieldMapping()
		dt.Store = false
		dt.IncludeInAll = false
		dt.DocValues = true
		dm.AddFieldMappingsAt(fUpdated, dt)
		im.AddDocumentMapping(kind, dm)
	}
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}
