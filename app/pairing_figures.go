package app

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"
)

// PairingFigures returns the dashboard's pairing figures read from the
// pairing store: the Service's PairingCounter once the workflow is wired in.
// Months and years are those of China Standard Time (EventZone), the time
// the department counts in, so a pairing made at 07:00 on 1 January Beijing
// time counts in the new year.
func (s *Service) PairingFigures() PairingCounter { return pairingFigures{s} }

type pairingFigures struct{ s *Service }

// yearSpan returns the first instant of year and of the year after, in EventZone.
func yearSpan(year int) (from, to time.Time) {
	from = time.Date(year, 1, 1, 0, 0, 0, 0, EventZone)
	return from, from.AddDate(1, 0, 0)
}

// inYear reports whether t falls in the year span.
func inYear(t time.Time, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// reached reports whether the pairing's history ever moved it to status.
func reached(p *Pairing, status PairingStatus) bool {
	return slices.ContainsFunc(p.History, func(e PairingEvent) bool { return e.To == status })
}

// Funnel counts the pairings made in the year, by kind and month made:
// each was proposed; Accepted counts those that ever reached accepted and
// Agreed those that reached agreed, with the value agreed. A pairing is
// counted in the month it was made, whenever it moved on, so the funnel of
// a month reads as what became of that month's proposals.
func (f pairingFigures) Funnel(ctx context.Context, year int, region string) ([]FunnelCount, error) {
	from, to := yearSpan(year)
	type key struct {
		kind  PairingKind
		month int
	}
	counts, yuan := map[key]*FunnelCount{}, map[key]int64{}
	err := f.s.eachPairing(ctx, PairingFilter{Region: region, CreatedSince: &from}, func(p *Pairing) error {
		if !inYear(p.CreatedAt, from, to) {
			return nil
		}
		k := key{p.Kind, int(p.CreatedAt.In(EventZone).Month())}
		c := counts[k]
		if c == nil {
			c = &FunnelCount{Kind: string(p.Kind), Month: k.month}
			counts[k] = c
		}
		c.Proposed++
		if reached(p, PairingAccepted) {
			c.Accepted++
		}
		if reached(p, PairingAgreed) {
			c.Agreed++
			if p.Outcome != nil {
				yuan[k] += p.Outcome.ValueYuan
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]FunnelCount, 0, len(counts))
	for k, c := range counts {
		c.ValueWan = yuanToWan(yuan[k])
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b FunnelCount) int { return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Month, b.Month)) })
	return out, nil
}

// yuanToWan converts yuan to 万元, rounded to four decimals (whole yuan).
func yuanToWan(y int64) float64 { return round4(float64(y) / 10000) }

// TargetProgress reports the targets' progress from the pairings agreed in
// the year (AgreedAt in EventZone), as the target constants define them:
// TargetLeadPairings counts the distinct SMEs with a supply pairing agreed
// with a lead enterprise, TargetInvestorMatches the distinct cultivated
// firms (members of the cultivation database) with a pairing agreed with an
// equity investor, TargetTechTransferWan the licence fees agreed, in 万元.
func (f pairingFigures) TargetProgress(ctx context.Context, year int, region string) (map[string]float64, error) {
	from, to := yearSpan(year)
	var agreed []*Pairing
	err := f.s.eachPairing(ctx, PairingFilter{Region: region, Statuses: []PairingStatus{PairingAgreed}}, func(p *Pairing) error {
		if p.AgreedAt != nil && inYear(*p.AgreedAt, from, to) {
			agreed = append(agreed, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	types, members, err := f.parties(ctx, agreed)
	if err != nil {
		return nil, err
	}
	smes, firms := map[string]bool{}, map[string]bool{}
	var licence int64
	for _, p := range agreed {
		for _, s := range []Side{SideA, SideB} {
			me, other := p.Party(s).OrgID, p.Party(s.other()).OrgID
			if p.Kind == PairingSupply && types[me] == OrgSME && types[other] == OrgEnterprise {
				smes[me] = true
			}
			if members[me] && types[other] == OrgInvestor {
				firms[me] = true
			}
		}
		if p.Outcome != nil && p.Outcome.Kind == OutcomeLicence {
			licence += p.Outcome.ValueYuan
		}
	}
	return map[string]float64{
		TargetLeadPairings:    float64(len(smes)),
		TargetInvestorMatches: float64(len(firms)),
		TargetTechTransferWan: yuanToWan(licence),
	}, nil
}

// parties returns the type of every party of the pairings and which of
// them are in the cultivation database. A party's type is read from its
// organisation now: a pairing keeps only its name and region.
func (f pairingFigures) parties(ctx context.Context, ps []*Pairing) (map[string]OrgType, map[string]bool, error) {
	ids := map[string]bool{}
	for _, p := range ps {
		ids[p.A.OrgID], ids[p.B.OrgID] = true, true
	}
	types, members := map[string]OrgType{}, map[string]bool{}
	if len(ids) == 0 {
		return types, members, nil // ListMemberships(nil) would read every membership
	}
	list := slices.Sorted(maps.Keys(ids))
	orgs, err := f.s.orgsByID(ctx, list)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range orgs {
		types[o.ID] = o.Type
	}
	for _, ch := range chunks(list, MaxPageLimit) {
		ms, err := f.s.Store.ListMemberships(ctx, ch)
		if err != nil {
			return nil, nil, err
		}
		for id := range ms {
			members[id] = true
		}
	}
	return types, members, nil
}
