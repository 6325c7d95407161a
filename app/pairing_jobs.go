package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The pairing jobs run on a timer in the server. Each is idempotent: run
// twice, or on two nodes, or again after a restart, it does its work once.

// digestSources are the listing kinds a digest matches from: what an
// organisation is looking for.
var digestSources = []Kind{KindNeed, KindFinancing, KindTechNeed}

// digestPeriod is how often an organisation receives a digest, and how new a
// match's record must be to appear in it.
const digestPeriod = 7 * 24 * time.Hour

// digestItem is one new match of a digest.
type digestItem struct {
	from  *Listing
	match Match
}

// SendDigests sends each organisation with published needs, financing
// needs or technology needs a weekly digest of new matches: records
// published in the last week that fit, that it is not already paired with.
// An organisation receives one digest per ISO week and none when nothing is
// new. It returns how many digests it sent.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	if s.Matcher == nil {
		return 0, nil
	}
	byOrg := map[string][]*Listing{}
	var order []string
	ls, err := s.allListings(ctx, ListingFilter{Kinds: digestSources, Statuses: []Status{StatusPublished}})
	if err != nil {
		return 0, err
	}
	for _, l := range ls {
		if byOrg[l.OrgID] == nil {
			order = append(order, l.OrgID)
		}
		byOrg[l.OrgID] = append(byOrg[l.OrgID], l)
	}
	year, week := s.now().ISOWeek()
	sent := 0
	var errs []error
	for _, orgID := range order {
		// An organisation without accounts has nobody to read a digest:
		// matching its records would only spend the server's time.
		members, err := s.Store.ListUsers(ctx, UserFilter{OrgID: orgID}, Page{Limit: 1})
		if err != nil {
			errs = append(errs, fmt.Errorf("digest for %s: %w", orgID, err))
			continue
		}
		if len(members) == 0 {
			continue
		}
		ok, err := s.digestOrg(ctx, orgID, byOrg[orgID], fmt.Sprintf("digest/%s/%04d-W%02d", orgID, year, week))
		if err != nil {
			// One organisation's failure does not hold up the others.
			errs = append(errs, fmt.Errorf("digest for %s: %w", orgID, err))
		}
		if ok {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// digestOrg sends one organisation's digest under the job key; false if
// there was nothing new or it was sent before.
func (s *Service) digestOrg(ctx context.Context, orgID string, ls []*Listing, key string) (bool, error) {
	paired := map[string]bool{}
	err := s.eachPairing(ctx, PairingFilter{OrgID: orgID}, func(p *Pairing) error {
		paired[p.A.Record.ID], paired[p.B.Record.ID] = true, true
		paired[p.A.OrgID], paired[p.B.OrgID] = true, true
		return nil
	})
	if err != nil {
		return false, err
	}
	since := s.now().Add(-digestPeriod)
	var items []digestItem
	for _, l := range ls {
		res, err := s.Matcher.Match(ctx, MatchQuery{FromKind: string(l.Kind), FromID: l.ID, Source: l,
			Limit: 20, Lang: "zh-CN", VisibleTo: &Visibility{OrgID: orgID}})
		if err != nil {
			return false, err
		}
		for _, m := range res.Items {
			if len(m.Violations) == 0 && newMatch(m, since) && !paired[m.ID] && (m.Org == nil || !paired[m.Org.ID]) {
				items = append(items, digestItem{from: l, match: m})
				paired[m.ID] = true
			}
		}
	}
	if len(items) == 0 {
		return false, nil
	}
	items = topDigestItems(items, s.Config.Pairing.DigestItems)
	first, err := s.Store.ClaimJob(ctx, key, s.now())
	if err != nil || !first {
		return false, err
	}
	s.notifyOrg(ctx, orgID, NotifyDigest, nil, digestMessage(items))
	return true, nil
}

// newMatch reports whether the matched record appeared since the time given:
// the listing's publication (for an organisation matched to a need, that of
// the capability that fits), or else the organisation's creation.
func newMatch(m Match, since time.Time) bool {
	switch {
	case m.Listing != nil:
		t := m.Listing.CreatedAt
		if m.Listing.PublishedAt != nil {
			t = *m.Listing.PublishedAt
		}
		return !t.Before(since)
	case m.Org != nil:
		return !m.Org.CreatedAt.Before(since)
	}
	return false
}

// topDigestItems keeps the n best-scoring items.
func topDigestItems(items []digestItem, n int) []digestItem {
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].match.Score > items[j-1].match.Score; j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	return items[:min(n, len(items))]
}

func digestMessage(items []digestItem) message {
	var zh, en strings.Builder
	for _, it := range items {
		fmt.Fprintf(&zh, "· %s → %s（匹配度 %.0f）\n", it.from.Title, it.match.Title, it.match.Score)
		fmt.Fprintf(&en, "· %s → %s (score %.0f)\n", it.from.Title, it.match.Title, it.match.Score)
	}
	return message{
		title:   fmt.Sprintf("本周新匹配 %d 条", len(items)),
		titleEn: fmt.Sprintf("%d new matches this week", len(items)),
		body:    "以下新发布的记录与您的需求匹配：\n" + zh.String(),
		bodyEn:  "These newly published records fit what you are looking for:\n" + en.String(),
	}
}

// SendFollowUps asks both sides of every pairing agreed at least
// FollowUpDays ago how the agreement went, once per pairing: the pairing
// records the follow-up (a compare-and-set write) before anyone is told.
// It returns how many pairings it followed up.
func (s *Service) SendFollowUps(ctx context.Context) (int, error) {
	before := s.now().Add(-time.Duration(s.Config.Pairing.FollowUpDays) * 24 * time.Hour)
	var due []*Pairing
	err := s.eachPairing(ctx, PairingFilter{Statuses: []PairingStatus{PairingAgreed}, AgreedBefore: &before}, func(p *Pairing) error {
		due = append(due, p)
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range due {
		if p.FollowUpAt != nil {
			continue
		}
		now := s.now()
		p.FollowUpAt, p.UpdatedAt = &now, now
		err := s.Store.UpdatePairing(ctx, p)
		if ErrorCode(err) == ECONFLICT {
			continue // another run or an edit came first; the next run sees it
		}
		if err != nil {
			return n, err
		}
		for _, side := range []Side{SideA, SideB} {
			s.notifyOrg(ctx, p.Party(side).OrgID, NotifyFollowUp, p, followUpMessage(p))
		}
		n++
	}
	return n, nil
}

func followUpMessage(p *Pairing) message {
	pair := p.A.Record.Title + " ↔ " + p.B.Record.Title
	return message{
		title:   "对接回访：" + pair,
		titleEn: "Follow-up: " + pair,
		body:    "「" + pair + "」签约已约半年，请告诉我们合作进展如何（是否履约、金额是否变化）。",
		bodyEn:  "About six months have passed since \"" + pair + "\" was agreed. Please tell us how it went (delivered, amount changed?).",
	}
}

// RunPairingJobs runs the expiry sweep, the follow-ups and, with digests,
// the weekly digests, logging what each did. The server calls it on a timer,
// with digests once a week (each run matches every organisation's open
// records, so it is too costly to repeat hourly only to find them sent).
func (s *Service) RunPairingJobs(ctx context.Context, digests bool) {
	type job struct {
		name string
		run  func(context.Context) (int, error)
	}
	jobs := []job{{"expire pairings", s.ExpirePairings}, {"follow-ups", s.SendFollowUps}}
	if digests {
		jobs = append(jobs, job{"digests", s.SendDigests})
	}
	for _, job := range jobs {
		n, err := job.run(ctx)
		if err != nil {
			s.Log.ErrorContext(ctx, "pairing job", "job", job.name, "done", n, "err", err)
		} else if n > 0 {
			s.Log.InfoContext(ctx, "pairing job", "job", job.name, "done", n)
		}
	}
}
