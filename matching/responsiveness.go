package matching

import (
	"context"

	"github.com/rongtong/rongtong/app"
)

// Responsiveness returns the share (0–1) of the pairing requests an
// organisation was asked that it answered, and how many requests that share
// is of; the pairing workflow provides it for the responsiveness part.
type Responsiveness func(ctx context.Context, orgID string) (rate float64, n int, err error)

// MinResponses is how many requests an organisation must have been asked
// before its answers count: below it the responsiveness part is 0, as for
// an organisation nobody has asked yet, so that one unanswered request does
// not mark a newcomer down.
const MinResponses = 3

// SetResponsiveness installs the responsiveness part's source; nil (the
// default) leaves the part at 0 for everyone. Like SetOpenRequests, call it
// before the first Match.
func (e *Engine) SetResponsiveness(f Responsiveness) { e.respond = f }

// responses reads and remembers the responsiveness of the organisations one
// Match scores. Scoring cannot fail, so the first error is kept for Match
// to return.
type responses struct {
	ctx   context.Context
	f     Responsiveness
	rates map[string]float64 // 0 for organisations below MinResponses
	n     map[string]int
	err   error
}

// newResponses returns the lookup of one Match, or nil when there is no
// source or no view gives the part any weight (then nothing is read).
func (e *Engine) newResponses(ctx context.Context) *responses {
	if e.respond == nil {
		return nil
	}
	weighted := false
	for _, w := range e.weights {
		weighted = weighted || w.w[pResponsiveness] > 0
	}
	if !weighted {
		return nil
	}
	return &responses{ctx: ctx, f: e.respond, rates: map[string]float64{}, n: map[string]int{}}
}

// responsiveness returns the part's value for an organisation and, when it
// counts, the reason.
func (s *source) responsiveness(orgID string) (float64, *app.Reason) {
	r := s.resp
	if r == nil || orgID == "" {
		return 0, nil
	}
	rate, seen := r.rates[orgID]
	if !seen {
		v, n, err := r.f(r.ctx, orgID)
		if err != nil {
			if r.err == nil {
				r.err = err
			}
			return 0, nil
		}
		if n >= MinResponses {
			rate = max(0, min(1, v))
		}
		r.rates[orgID], r.n[orgID] = rate, n
	}
	if rate <= 0 {
		return 0, nil
	}
	return rate, reason(ReasonResponsive, "rate", round(rate, 2), "requests", r.n[orgID])
}

// putResponsiveness records the part on a card for the organisation.
func (k *card) putResponsiveness(src *source, orgID string) {
	v, why := src.responsiveness(orgID)
	k.put(pResponsiveness, v, why)
}
