package search

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/rongtong/rongtong/app"
)

// Suggestion is a completion; see app.Suggestion.
type Suggestion = app.Suggestion

// MaxSuggestLimit caps Suggest's limit.
const MaxSuggestLimit = 50

// maxSuggestScan bounds the terms read for one prefix.
const maxSuggestScan = 5000

// Suggest returns up to limit completions of prefix, most common first. Only
// text of visible records (verified organisations, their published
// listings) is suggested, so suggestions never leak drafts.
func (ix *Index) Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error) {
	if err := validText("q", prefix, MaxQueryRunes); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxSuggestLimit {
		return nil, app.Invalid("limit", app.FieldRange, "must be between 1 and %d", MaxSuggestLimit)
	}
	p := strings.TrimSpace(foldString(prefix))
	if p == "" {
		return []Suggestion{}, nil
	}
	gen, err := ix.acquire()
	if err != nil {
		return nil, err
	}
	defer ix.mu.RUnlock()
	d, err := gen.bi.FieldDictPrefix(fSuggest, []byte(p))
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer d.Close()
	var out []Suggestion
	for n := 0; n < maxSuggestScan; n++ {
		if n%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if e == nil {
			break
		}
		if e.Count > 0 {
			out = append(out, Suggestion{Text: e.Term, Count: int(e.Count)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Text < out[j].Text
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
