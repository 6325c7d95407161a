// Package cultivation reads the cultivation database's files: the tier
// criteria and policy targets (configs/tiers.yaml, configs/targets.yaml) and
// the indicator workbooks (.xlsx) that the department exchanges with firms
// and county offices.
package cultivation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/rongtong/rongtong/app"
)

// LoadTiers reads tier criteria from a YAML file and validates them. The
// file replaces the defaults (app.DefaultTierRules) whole: a tier ladder
// half from the file and half built in would be hard to read.
func LoadTiers(path string) (app.TierRules, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return app.TierRules{}, fmt.Errorf("cultivation: %w", err)
	}
	return ParseTiers(b)
}

// ParseTiers is LoadTiers for YAML already read. Unknown keys are errors.
func ParseTiers(b []byte) (app.TierRules, error) {
	var r app.TierRules
	if err := decodeStrict(b, &r); err != nil {
		return app.TierRules{}, fmt.Errorf("cultivation: tiers: %w", err)
	}
	if err := r.Validate(); err != nil {
		return app.TierRules{}, fmt.Errorf("cultivation: %w", err)
	}
	return r, nil
}

// LoadTargets reads the policy targets from a YAML file and validates them;
// the file replaces the defaults (app.DefaultTargets) whole.
func LoadTargets(path string) (app.Targets, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return app.Targets{}, fmt.Errorf("cultivation: %w", err)
	}
	return ParseTargets(b)
}

// ParseTargets is LoadTargets for YAML already read. Unknown keys are errors.
func ParseTargets(b []byte) (app.Targets, error) {
	var t app.Targets
	if err := decodeStrict(b, &t); err != nil {
		return app.Targets{}, fmt.Errorf("cultivation: targets: %w", err)
	}
	if len(t.Targets) == 0 {
		return app.Targets{}, errors.New("cultivation: targets: the file lists no targets")
	}
	if err := t.Validate(); err != nil {
		return app.Targets{}, fmt.Errorf("cultivation: %w", err)
	}
	return t, nil
}

func decodeStrict(b []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}
