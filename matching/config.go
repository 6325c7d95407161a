package matching

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config holds the matching weights and limits. DefaultConfig is identical
// to configs/matching.yaml; LoadConfig reads that file (or another) over
// the defaults.
type Config struct {
	// DefaultLimit and MaxLimit bound the page size.
	DefaultLimit int `yaml:"default_limit"`
	MaxLimit     int `yaml:"max_limit"`
	// MaxResults is how deep pagination goes.
	MaxResults int `yaml:"max_results"`
	// TopReasons is how many reasons are shown with each match (unmet
	// requirements and hard violations are always shown).
	TopReasons int `yaml:"top_reasons"`
	// TextCandidates is how many records each full-text search fetches
	// (at most 200, the index's page limit).
	TextCandidates int `yaml:"text_candidates"`
	// StructuredCandidates caps the records a structured store query adds
	// (e.g. all investors, or the needs of an SME's industry group).
	StructuredCandidates int `yaml:"structured_candidates"`
	// CatalogCandidates caps the SMEs of a need's industry that are scored
	// (the same class first, then the rest of the group).
	CatalogCandidates int `yaml:"catalog_candidates"`
	// A candidate is proposed at all only when the full-text search finds
	// it with at least MinText relevance (0–1, the best hit being 1), or its
	// industry is at least MinIndustry close (0.7: the same GB/T 4754 group;
	// 0.4: the same division). Candidates that pass only this gate but
	// violate no hard requirement rank above those that violate one, so a
	// wide gate would push relevant violators out of sight.
	MinText     float64 `yaml:"min_text"`
	MinIndustry float64 `yaml:"min_industry"`
	// TicketTolerance widens an investor's ticket range when it is a hard
	// requirement: an amount within [min ÷ t, max × t] passes, and the
	// ticket part of the score still prefers the exact range.
	TicketTolerance float64 `yaml:"ticket_tolerance"`
	// Congestion discounts parties with many open requests.
	Congestion CongestionConfig `yaml:"congestion"`
	// Weights are the weights of the score parts, per view (see Views).
	Weights map[string]Weights `yaml:"weights"`
}

// CongestionConfig is the discount for parties with many open requests:
// a candidate's score is multiplied by 1 − min(MaxDiscount, PerRequest × open).
type CongestionConfig struct {
	PerRequest  float64 `yaml:"per_request"`
	MaxDiscount float64 `yaml:"max_discount"`
}

// Weights maps a score part to its weight. Weights are relative: a score is
// 100 × Σ weight × value ÷ Σ weight.
type Weights map[string]float64

// Views are the scores the engine computes, each with its parts:
//
//   - supply: a need and a capability (协作配套), both directions;
//   - investor_view: how a financing need fits an investor's preferences;
//   - sme_view: how an investor fits a financing need; a financing match is
//     the harmonic mean of the two views;
//   - technology: a technology need and a technology listing;
//   - adoption: a technology and an SME that could use it;
//   - collaboration: two SMEs with complementary processes.
var Views = map[string][]string{
	ViewSupply:        {PartText, PartIndustry, PartProcess, PartMaterial, PartCerts, PartCapacity, PartRegion, PartTier, PartVerified, PartResponsiveness},
	ViewInvestor:      {PartIndustry, PartTicket, PartStage, PartRegion, PartTier, PartRevenue, PartText, PartVerified, PartResponsiveness},
	ViewSME:           {PartIndustry, PartTicket, PartStage, PartRegion, PartText, PartVerified, PartResponsiveness},
	ViewTechnology:    {PartText, PartIndustry, PartBudget, PartTRL, PartVerified, PartResponsiveness},
	ViewAdoption:      {PartText, PartIndustry, PartRegion, PartTier, PartVerified, PartResponsiveness},
	ViewCollaboration: {PartIndustry, PartComplement, PartText, PartRegion, PartTier, PartVerified, PartResponsiveness},
}

// View names.
const (
	ViewSupply        = "supply"
	ViewInvestor      = "investor_view"
	ViewSME           = "sme_view"
	ViewTechnology    = "technology"
	ViewAdoption      = "adoption"
	ViewCollaboration = "collaboration"
)

// Score part names.
const (
	PartText           = "text"           // full-text relevance (BM25 through the search index)
	PartIndustry       = "industry"       // GB/T 4754 proximity
	PartProcess        = "process"        // required processes offered
	PartMaterial       = "material"       // required materials worked
	PartCerts          = "certs"          // required certifications held
	PartCapacity       = "capacity"       // capacity per year against quantity per year
	PartRegion         = "region"         // region preference or proximity
	PartTier           = "tier"           // 专精特新 tier
	PartVerified       = "verified"       // verified organisation
	PartResponsiveness = "responsiveness" // answers pairing requests (fed by the pairing workflow; 0 until then)
	PartTicket         = "ticket"         // amount within the ticket range
	PartStage          = "stage"          // round within the stages invested in
	PartRevenue        = "revenue"        // revenue at least the investor's minimum
	PartBudget         = "budget"         // price within the budget
	PartTRL            = "trl"            // technology readiness
	PartComplement     = "complement"     // processes the other SME adds
)

// DefaultConfig returns the built-in configuration, the same as
// configs/matching.yaml.
func DefaultConfig() Config {
	return Config{
		DefaultLimit:         20,
		MaxLimit:             200,
		MaxResults:           500,
		TopReasons:           3,
		TextCandidates:       50,
		StructuredCandidates: 2000,
		CatalogCandidates:    5000,
		MinText:              0.25,
		MinIndustry:          0.7,
		TicketTolerance:      2,
		Congestion:           CongestionConfig{PerRequest: 0.02, MaxDiscount: 0.3},
		Weights: map[string]Weights{
			ViewSupply: {PartText: 10, PartIndustry: 20, PartProcess: 40, PartMaterial: 3, PartCerts: 12,
				PartCapacity: 15, PartRegion: 15, PartTier: 2, PartVerified: 1, PartResponsiveness: 0},
			ViewInvestor: {PartIndustry: 20, PartTicket: 15, PartStage: 15, PartRegion: 15, PartTier: 15,
				PartRevenue: 15, PartText: 3, PartVerified: 1, PartResponsiveness: 0},
			ViewSME: {PartIndustry: 20, PartTicket: 15, PartStage: 15, PartRegion: 15, PartText: 3,
				PartVerified: 1, PartResponsiveness: 0},
			ViewTechnology: {PartText: 30, PartIndustry: 60, PartBudget: 2, PartTRL: 1, PartVerified: 1, PartResponsiveness: 0},
			ViewAdoption:   {PartText: 40, PartIndustry: 30, PartRegion: 10, PartTier: 5, PartVerified: 1, PartResponsiveness: 0},
			ViewCollaboration: {PartIndustry: 30, PartComplement: 30, PartText: 10, PartRegion: 15, PartTier: 3,
				PartVerified: 1, PartResponsiveness: 0},
		},
	}
}

// LoadConfig reads a YAML file over the defaults and validates the result.
// Unknown keys are errors, so a misspelt weight does not pass silently.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("matching: %w", err)
	}
	return ParseConfig(b)
}

// ParseConfig is LoadConfig for YAML already read. Keys the YAML gives
// replace the defaults; a view's weights replace the default ones part by
// part, so a file may give only the weights it changes.
func ParseConfig(b []byte) (Config, error) {
	c := DefaultConfig()
	defaults := c.Weights
	c.Weights = nil
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("matching: config: %w", err)
	}
	file := c.Weights
	c.Weights = defaults
	for view, ws := range file {
		if c.Weights[view] == nil {
			c.Weights[view] = Weights{}
		}
		maps.Copy(c.Weights[view], ws)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks limits and that every view has known parts with
// non-negative weights, at least one of them positive.
func (c Config) Validate() error {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if c.DefaultLimit < 1 || c.DefaultLimit > c.MaxLimit {
		add("default_limit must be between 1 and max_limit")
	}
	if c.MaxLimit < 1 || c.MaxLimit > c.MaxResults {
		add("max_limit must be between 1 and max_results")
	}
	if c.TopReasons < 1 {
		add("top_reasons must be at least 1")
	}
	if c.TextCandidates < 1 || c.TextCandidates > 200 {
		add("text_candidates must be between 1 and 200")
	}
	if c.StructuredCandidates < 0 || c.CatalogCandidates < 0 {
		add("structured_candidates and catalog_candidates must not be negative")
	}
	if c.MinText < 0 || c.MinText > 1 || c.MinIndustry < 0 || c.MinIndustry > 1 {
		add("min_text and min_industry must be between 0 and 1")
	}
	if c.TicketTolerance < 1 {
		add("ticket_tolerance must be at least 1")
	}
	if c.Congestion.PerRequest < 0 || c.Congestion.MaxDiscount < 0 || c.Congestion.MaxDiscount > 1 {
		add("congestion.per_request must not be negative and congestion.max_discount must be between 0 and 1")
	}
	views := slices.Sorted(maps.Keys(c.Weights))
	for _, view := range views {
		parts, ok := Views[view]
		if !ok {
			add("weights.%s is not a view (known: %s)", view, strings.Join(slices.Sorted(maps.Keys(Views)), ", "))
			continue
		}
		sum := 0.0
		names := slices.Sorted(maps.Keys(c.Weights[view]))
		for _, part := range names {
			w := c.Weights[view][part]
			if !slices.Contains(parts, part) {
				add("weights.%s.%s is not a part of the view (known: %s)", view, part, strings.Join(parts, ", "))
			}
			if w < 0 {
				add("weights.%s.%s must not be negative", view, part)
			}
			sum += w
		}
		if sum <= 0 {
			add("weights.%s must have a positive weight", view)
		}
	}
	for view := range Views {
		if _, ok := c.Weights[view]; !ok {
			add("weights.%s is missing", view)
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("matching: config: %s", strings.Join(errs, "; "))
	}
	return nil
}

// Without returns a copy of c with a score part's weight set to zero in
// every view, for ablations.
func (c Config) Without(part string) Config {
	out := c
	out.Weights = map[string]Weights{}
	for view, ws := range c.Weights {
		cp := maps.Clone(ws)
		if _, ok := cp[part]; ok {
			cp[part] = 0
		}
		out.Weights[view] = cp
	}
	return out
}
