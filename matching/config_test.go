package matching

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestConfigFileIsDefault keeps configs/matching.yaml and DefaultConfig the same.
func TestConfigFileIsDefault(t *testing.T) {
	got, err := LoadConfig(filepath.Join("..", "configs", "matching.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := DefaultConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("configs/matching.yaml differs from DefaultConfig:\n file %+v\n code %+v", got, want)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Error(err)
	}
}

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig([]byte("min_text: 0\nweights:\n  supply:\n    text: 50\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MinText != 0 || cfg.Weights[ViewSupply][PartText] != 50 || cfg.Weights[ViewSupply][PartProcess] != 40 || cfg.TopReasons != 3 {
		t.Errorf("partial file: %+v", cfg)
	}
	if cfg, err := ParseConfig(nil); err != nil || !reflect.DeepEqual(cfg, DefaultConfig()) {
		t.Errorf("empty file: %v", err)
	}
	for _, tt := range []struct{ yaml, want string }{
		{"weigths: {}", "weigths"},
		{"weights: {supply: {txt: 1}}", "weights.supply.txt"},
		{"weights: {supply: {text: -1}}", "weights.supply.text must not be negative"},
		{"weights: {pairing: {text: 1}}", "weights.pairing is not a view"},
		{"weights: {technology: {text: 0, industry: 0, budget: 0, trl: 0, verified: 0}}", "weights.technology must have a positive weight"},
		{"text_candidates: 500", "text_candidates"},
		{"ticket_tolerance: 0.5", "ticket_tolerance"},
		{"default_limit: 300", "default_limit"},
	} {
		_, err := ParseConfig([]byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want an error naming %s", tt.yaml, err, tt.want)
		}
	}
}

func TestWithout(t *testing.T) {
	c := DefaultConfig()
	w := c.Without(PartText)
	if w.Weights[ViewSupply][PartText] != 0 || w.Weights[ViewTechnology][PartText] != 0 {
		t.Error("text still weighs")
	}
	if c.Weights[ViewSupply][PartText] == 0 {
		t.Error("Without changed the original")
	}
}
