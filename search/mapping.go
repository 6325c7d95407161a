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
const mappingVersion = 9

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
	fText     = "text"
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
	fFamX     = "famx"
	fProcess  = "process"

	cjkSuffix = "_cjk"
)

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
		// no _all field: every query names its fields
		dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
		// kw maps a keyword field: indexed for filters; stored when hits
		// show it; with doc values when facets, the family feedback or a
		// sort read it; with term frequencies and norms only where it is
		// scored (the family query).
		kw := func(name string, store, docValues, scored bool) {
			fm := mapping.NewKeywordFieldMapping()
			fm.Store = store
			fm.IncludeInAll = false
			fm.IncludeTermVectors = false
			fm.DocValues = docValues
			fm.SkipFreqNorm = !scored
			dm.AddFieldMappingsAt(name, fm)
		}
		// stored maps text that is shown but not searched.
		stored := func(name string) {
			fm := mapping.NewTextFieldMapping()
			fm.Analyzer = keyword.Name
			fm.Store = true
			fm.Index = false
			fm.IncludeInAll = false
			fm.IncludeTermVectors = false
			fm.DocValues = false
			dm.AddFieldMappingsAt(name, fm)
		}
		// text maps a searched field, in the variant's analysis.
		text := func(name string) {
			mk := func(field, analyzer string) *mapping.FieldMapping {
				fm := mapping.NewTextFieldMapping()
				fm.Name = field
				fm.Analyzer = analyzer
				fm.Store = false
				fm.IncludeInAll = false
				fm.IncludeTermVectors = false
				fm.DocValues = false
				return fm
			}
			switch variant {
			case AnalyzerGSE:
				dm.AddFieldMappingsAt(name, mk(name, gseAnalyzerName))
			case AnalyzerCJK:
				dm.AddFieldMappingsAt(name, mk(name, cjkAnalyzerName))
			default:
				dm.AddFieldMappingsAt(name, mk(name, gseAnalyzerName), mk(name+cjkSuffix, cjkAnalyzerName))
			}
		}
		kw(fKind, true, true, false)
		kw(fRef, true, false, false)
		kw(fOrgID, true, true, false)
		stored(fOrgName)
		stored(fTitle)
		stored(fBody)
		text(fText)
		kw(fCert, false, true, false)
		kw(fIndustry, false, true, false)
		kw(fInd2, false, true, false)
		kw(fRegion, false, true, false)
		kw(fRegion2, false, true, false)
		kw(fTier, false, true, false)
		kw(fStatus, false, true, false)
		kw(fStage, false, false, false)
		kw(fOrgType, false, false, false)
		kw(fVisible, false, true, false)
		kw(fSuggest, false, false, false)
		kw(fFamX, false, true, false)
		kw(fProcess, false, false, false)
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
