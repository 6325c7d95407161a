package cultivation

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
)

// TestConfigFilesAreTheDefaults keeps configs/tiers.yaml and
// configs/targets.yaml identical to the built-in defaults.
func TestConfigFilesAreTheDefaults(t *testing.T) {
	tiers, err := LoadTiers(filepath.Join("..", "configs", "tiers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := app.DefaultTierRules(); !reflect.DeepEqual(tiers, want) {
		t.Errorf("configs/tiers.yaml differs from app.DefaultTierRules:\n got %+v\nwant %+v", tiers, want)
	}
	targets, err := LoadTargets(filepath.Join("..", "configs", "targets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := app.DefaultTargets(); !reflect.DeepEqual(targets, want) {
		t.Errorf("configs/targets.yaml differs from app.DefaultTargets:\n got %+v\nwant %+v", targets, want)
	}
}

// TestBadConfigs checks that mistakes in the files are refused with the key named.
func TestBadConfigs(t *testing.T) {
	tiers := []struct{ yaml, want string }{
		{"tiers: [{tier: king, criteria: [{metric: rd_ratio, min: 3}]}]", "tiers[0].tier"},
		{"tiers: [{tier: specialized, criteria: [{metric: rd_ratio, min: 3}]}, {tier: innovative, criteria: [{metric: rd_ratio, min: 3}]}]", "tiers[1].tier"},
		{"tiers: [{tier: innovative, criteria: [{metric: height, min: 3}]}]", "tiers[0].criteria[0]"},
		{"tiers: [{tier: innovative, criteria: [{metric: rd_ratio}]}]", "give min, max or both"},
		{"tiers: [{tier: innovative, criteria: [{metric: rd_ratio, min: 5, max: 4}]}]", "min is above max"},
		{"tiers: [{tier: innovative, criteria: [{metric: debt_ratio, max: 170}]}]", "between 0 and 100"},
		{"tiers: [{tier: innovative, criteria: [{metric: credit_rating, rating: Z}]}]", "credit_rating"},
		{"tiers: [{tier: innovative, criteria: [{metric: rd_ratio, min: 3, weight: 2}]}]", "weight"},
		{"tiers: []", "at least one tier"},
	}
	for _, tc := range tiers {
		if _, err := ParseTiers([]byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseTiers(%s) = %v, want an error about %q", tc.yaml, err, tc.want)
		}
	}
	targets := []struct{ yaml, want string }{
		{"targets: [{key: a, zh: 甲, en: a, unit: count, value: 0}]", "value"},
		{"targets: [{key: a, zh: 甲, en: a, unit: kg, value: 1}]", "unit"},
		{"targets: [{key: a, zh: 甲, en: a, unit: count, value: 1}, {key: a, zh: 甲, en: a, unit: count, value: 1}]", "unique"},
		{"targets: [{key: a, zh: 甲, en: a, unit: count, value: 1, goal: 3}]", "goal"},
		{"targets: []", "no targets"},
	}
	for _, tc := range targets {
		if _, err := ParseTargets([]byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseTargets(%s) = %v, want an error about %q", tc.yaml, err, tc.want)
		}
	}
}
