package matching

import (
	"context"
	"slices"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching/vocab"
)

// Supply chain (协作配套): a lead enterprise's need and an SME's capability.
// One score serves every direction: need → SMEs (each SME by its
// capability that fits best), need → capabilities, capability → needs.

// needText is the query text of a need: its title, processes and
// description (which names the products wanted), in that order, so that
// the limit on query length cuts the description.
func needText(n *app.Listing) string {
	parts := append([]string{n.Title}, n.Processes...)
	return queryText(append(parts, n.Description)...)
}

// capabilityText is the query text of a capability.
func capabilityText(c *app.Listing) string {
	return queryText(append([]string{c.Title}, c.Processes...)...)
}

// needFacts is a need prepared for comparison.
type needFacts struct {
	l         *app.Listing
	owner     *app.Org
	processes []string // concepts
	procs     processTable
	certs     []int32 // canonical, interned
	qUnit     int32   // base unit of the quantity, interned
	qScale    float64 // base units per unit of the quantity
	qYear     float64 // quantity per year in the base unit; 0 none
}

func newNeedFacts(cs *concepts, n *app.Listing, owner *app.Org) *needFacts {
	f := &needFacts{l: n, owner: owner, processes: vocab.Processes(n.Processes)}
	f.procs = cs.table(f.processes)
	f.certs = cs.certs(n.CertificationsRequired)
	if q := n.Quantity; q != nil && q.Value > 0 {
		var u string
		u, f.qScale = vocab.BaseUnit(q.Unit)
		f.qUnit, f.qYear = cs.unit(u), q.PerYear()*f.qScale
	}
	return f
}

// supplyPair is a capability scored against a need, without reasons.
type supplyPair struct {
	cap      *capFacts
	org      *orgFacts
	score    float64
	violated bool
}

// before reports whether a ranks before b: no hard violation first, then
// by score, then by ID for a stable order.
func (a *supplyPair) before(b *supplyPair) bool {
	if a.violated != b.violated {
		return !a.violated
	}
	if a.score != b.score {
		return a.score > b.score
	}
	if a.org.id != b.org.id {
		return a.org.id < b.org.id
	}
	return a.cap.id < b.cap.id
}

// supplyScan scores the capabilities that may fit a need without reasons:
// those the text search finds, every capability of the SMEs they belong
// to, and those of the SMEs near the need's industry (catalog). With
// perOrg it keeps each SME's best capability only. It returns the pairs
// that pass the candidate gate in no particular order.
func supplyScan(ctx context.Context, e *Engine, src *source, perOrg bool) ([]supplyPair, *needFacts, hits, error) {
	if err := e.catalog.refresh(ctx, e.store); err != nil {
		return nil, nil, nil, err
	}
	n := newNeedFacts(&e.catalog.concepts, src.listing, src.org)
	text, ids, err := e.textHits(ctx, src, needText(src.listing), string(app.KindCapability))
	if err != nil {
		return nil, nil, nil, err
	}
	view := e.catalog.supplyView(ids, n.l.Industry, src.vis, src.org.ID, e.cfg.CatalogCandidates)
	out := make([]supplyPair, 0, len(view))
	for _, oc := range view {
		// what the SME makes is its own industry; computed once per SME
		ind := industryOf(n.l.Industry, oc.org.industry)
		var best supplyPair
		for _, c := range oc.caps {
			tx := 0.0
			if len(text) > 0 {
				tx = text[c.id]
			}
			if !e.relevant(tx, ind.value) {
				continue
			}
			sp := e.scoreSupply(n, c, oc.org, ind, tx, src, false)
			p := supplyPair{cap: c, org: oc.org, score: sp.score, violated: sp.violated}
			switch {
			case !perOrg:
				out = append(out, p)
			case best.cap == nil || p.before(&best):
				best = p
			}
		}
		if perOrg && best.cap != nil {
			out = append(out, best)
		}
	}
	return out, n, text, nil
}

// industryFit is the industry proximity of a need and an SME, and whether
// the need's code covers the SME's.
type industryFit struct {
	value       float64
	level, code string
	covered     bool
}

func industryOf(need, sme string) industryFit {
	v, l, c := industryProximity(need, sme)
	return industryFit{v, l, c, industryCovers(need, sme)}
}

// supplyRanked turns the best pairs into candidates, up to the engine's
// result depth, each explained if it is shown.
func (e *Engine) supplyRanked(kind string, pairs []supplyPair, n *needFacts, text hits, src *source) []*candidate {
	pairs = topPairs(pairs, e.cfg.MaxResults)
	out := make([]*candidate, len(pairs))
	for i := range pairs {
		p := pairs[i]
		c := &candidate{kind: kind, orgID: p.org.id, listingID: p.cap.id,
			sp: scoredPair{score: p.score, violated: p.violated}}
		c.explain = func() scoredPair {
			return e.scoreSupply(n, p.cap, p.org, industryOf(n.l.Industry, p.org.industry), text[p.cap.id], src, true)
		}
		out[i] = c
	}
	return out
}

// topPairs returns the k pairs that rank first, in order, selecting them
// with a bounded heap whose root is the last of those kept.
func topPairs(ps []supplyPair, k int) []supplyPair {
	if k <= 0 {
		return nil
	}
	h := make([]supplyPair, 0, min(k, len(ps)))
	down := func(i int) {
		for {
			worst, l, r := i, 2*i+1, 2*i+2
			if l < len(h) && h[worst].before(&h[l]) {
				worst = l
			}
			if r < len(h) && h[worst].before(&h[r]) {
				worst = r
			}
			if worst == i {
				return
			}
			h[i], h[worst] = h[worst], h[i]
			i = worst
		}
	}
	for _, p := range ps {
		switch {
		case len(h) < k:
			h = append(h, p)
			for i := len(h) - 1; i > 0; {
				parent := (i - 1) / 2
				if !h[parent].before(&h[i]) {
					break
				}
				h[i], h[parent] = h[parent], h[i]
				i = parent
			}
		case p.before(&h[0]):
			h[0] = p
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b supplyPair) int {
		switch {
		case a.before(&b):
			return -1
		case b.before(&a):
			return 1
		}
		return 0
	})
	return h
}

// needToOrgs ranks SMEs for a need, each by its capability that fits best.
func needToOrgs(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	pairs, n, text, err := supplyScan(ctx, e, src, true)
	if err != nil {
		return nil, err
	}
	return e.supplyRanked("org", pairs, n, text, src), nil
}

// needToCapabilities ranks capabilities for a need.
func needToCapabilities(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	pairs, n, text, err := supplyScan(ctx, e, src, false)
	if err != nil {
		return nil, err
	}
	return e.supplyRanked(string(app.KindCapability), pairs, n, text, src), nil
}

// capabilityToNeeds ranks open needs for a capability: the needs the text
// search finds and the needs of the SME's industry group.
func capabilityToNeeds(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	c := src.listing
	text, ids, err := e.textHits(ctx, src, capabilityText(c), string(app.KindNeed))
	if err != nil {
		return nil, err
	}
	needs, err := e.listings(ctx, src, ids)
	if err != nil {
		return nil, err
	}
	if g := group(src.org.Industry); g != "" && e.cfg.StructuredCandidates > 0 {
		more, err := e.listAll(ctx, app.ListingFilter{Kinds: []app.Kind{app.KindNeed}, Industry: g,
			Statuses: []app.Status{app.StatusPublished}, VisibleTo: src.vis}, e.cfg.StructuredCandidates)
		if err != nil {
			return nil, err
		}
		needs = append(needs, more...)
	}
	owners, err := e.ownersOf(ctx, src, needs)
	if err != nil {
		return nil, err
	}
	cf, of := e.catalog.newCapFacts(c), e.catalog.newOrgFacts(src.org)
	var out []*candidate
	seen := map[string]bool{}
	for _, nl := range needs {
		o := owners[nl.OrgID]
		if seen[nl.ID] || o == nil || nl.Kind != app.KindNeed || nl.OrgID == src.org.ID {
			continue
		}
		seen[nl.ID] = true
		n := newNeedFacts(&e.catalog.concepts, nl, o)
		ind := industryOf(nl.Industry, of.industry)
		sp := e.scoreSupply(n, cf, of, ind, text[nl.ID], src, true)
		if !e.relevant(text[nl.ID], ind.value) {
			continue
		}
		out = append(out, newCandidate(string(app.KindNeed), o, nl, sp))
	}
	return out, nil
}

// scoreSupply scores capability c of SME co against need n, given their
// industry fit and text relevance.
func (e *Engine) scoreSupply(n *needFacts, c *capFacts, co *orgFacts, ind industryFit, text float64, src *source, explain bool) scoredPair {
	nl := n.l
	k := &card{explain: explain}
	k.set(pText, text)
	k.set(pIndustry, ind.value)
	if explain {
		k.because(pText, reason(ReasonText, "score", round(text, 2)))
		k.because(pIndustry, reason(ReasonIndustry, "code", ind.code, "level", ind.level))
	}
	if nl.Industry != "" && !ind.covered {
		if hard := isHard(nl, "industry"); k.miss(hard) {
			k.note(hard, reason(ReasonIndustryOutside, "codes", []string{nl.Industry}))
		}
	}
	// The industries a capability serves describe it; they restrict only
	// when the capability makes them hard.
	if hard := c.hardInd; hard && len(c.industries) > 0 &&
		!coveredBy(nl.Industry, c.industries) && !coveredBy(n.owner.Industry, c.industries) {
		if k.miss(hard) {
			k.note(hard, reason(ReasonIndustryOutside, "codes", c.industries))
		}
	}

	// Processes: each required concept, met in full by the same concept
	// and in part by a variant.
	if len(n.processes) > 0 {
		sum, metAll := 0.0, true
		var met, missing []string
		for i, r := range n.processes {
			best := n.procs.match(i, c.procs)
			sum += best
			if best < 1 {
				metAll = false
			}
			if explain {
				if best >= 1 {
					met = append(met, vocab.ProcessName(r))
				} else {
					missing = append(missing, vocab.ProcessName(r))
				}
			}
		}
		k.set(pProcess, sum/float64(len(n.processes)))
		if explain {
			k.because(pProcess, whenAny(met, ReasonProcesses, "processes"))
		}
		if !metAll && k.miss(false) {
			k.note(false, reason(ReasonProcessesMissed, "processes", missing))
		}
	} else {
		k.set(pProcess, 1)
	}

	// Materials.
	if len(nl.Materials) > 0 {
		sum := 0.0
		var met, missing []string
		for _, r := range nl.Materials {
			best := 0.0
			for _, o := range c.materials {
				best = max(best, vocab.MaterialMatch(r, o))
			}
			sum += best
			if best > 0 {
				met = append(met, r)
			} else {
				missing = append(missing, r)
			}
		}
		k.set(pMaterial, sum/float64(len(nl.Materials)))
		if explain {
			k.because(pMaterial, whenAny(met, ReasonMaterials, "materials"))
		}
		if len(missing) > 0 && k.miss(false) {
			k.note(false, reason(ReasonMaterialsMissed, "materials", missing))
		}
	} else {
		k.set(pMaterial, 1)
	}

	// Certifications: the SME's and the capability's.
	if len(n.certs) > 0 {
		got := 0
		var met, missing []string
		for i, r := range n.certs {
			ok := slices.Contains(co.certs, r) || slices.Contains(c.certs, r)
			if ok {
				got++
			}
			if explain {
				if ok {
					met = append(met, nl.CertificationsRequired[i])
				} else {
					missing = append(missing, nl.CertificationsRequired[i])
				}
			}
		}
		k.set(pCerts, float64(got)/float64(len(n.certs)))
		if explain {
			k.because(pCerts, whenAny(met, ReasonCerts, "certs"))
		}
		if hard := isHard(nl, "certificationsRequired"); got < len(n.certs) && k.miss(hard) {
			k.note(hard, reason(ReasonCertsMissing, "certs", missing))
		}
	} else {
		k.set(pCerts, 1)
	}

	// Capacity against quantity, per year, in one base unit.
	if n.qYear > 0 {
		q := nl.Quantity
		hard := isHard(nl, "quantity")
		switch {
		case c.capYear <= 0 || c.capUnit != n.qUnit:
			k.set(pCapacity, 0.3)
			if k.miss(hard) {
				k.note(hard, reason(ReasonCapacityUnknown, "quantity", round(q.PerYear(), 2), "unit", q.Unit))
			}
		case c.capYear >= n.qYear:
			k.set(pCapacity, 1)
			if explain {
				k.because(pCapacity, reason(ReasonCapacity, "capacity", round(c.capYear/n.qScale, 2), "quantity", round(q.PerYear(), 2), "unit", q.Unit))
			}
		default:
			k.set(pCapacity, 0.6*c.capYear/n.qYear)
			if k.miss(hard) {
				k.note(hard, reason(ReasonCapacityShort, "capacity", round(c.capYear/n.qScale, 2), "quantity", round(q.PerYear(), 2), "unit", q.Unit))
			}
		}
	} else {
		k.set(pCapacity, 1)
	}

	// Region: in a preferred region, else how near; with no preference, a
	// nearer supplier is a little better.
	if pref := nl.RegionsPreferred; len(pref) > 0 {
		if inRegions(co.region, pref) {
			k.set(pRegion, 1)
			if explain {
				k.because(pRegion, reason(ReasonRegion, "region", co.region))
			}
		} else {
			v, level, _ := nearest(co.region, pref)
			k.set(pRegion, 0.5*v)
			if explain && v > 0 {
				k.because(pRegion, reason(ReasonNear, "region", co.region, "level", level))
			}
			if hard := isHard(nl, "regionsPreferred"); k.miss(hard) {
				k.note(hard, reason(ReasonRegionOutside, "regions", pref))
			}
		}
	} else {
		v, level := regionProximity(co.region, n.owner.Region)
		k.set(pRegion, 0.8+0.2*v)
		if explain && v >= 0.6 {
			k.because(pRegion, reason(ReasonNear, "region", co.region, "level", level))
		}
	}

	if co.tier != "" && co.tier != app.TierNone {
		k.set(pTier, tierValue(co.tier))
		if explain {
			k.because(pTier, reason(ReasonTier, "tier", string(co.tier)))
		}
	}
	if co.verified {
		k.set(pVerified, 1)
		if explain {
			k.because(pVerified, reason(ReasonVerified))
		}
	}
	k.putResponsiveness(src, co.id)

	// A need past its deadline is no longer open (when the need is the
	// candidate; its own members may still match from it).
	if src.listing != nl && pastDeadline(nl.Deadline, src) {
		if hard := isHard(nl, "deadline"); k.miss(hard) {
			k.note(hard, reason(ReasonDeadlinePassed, "deadline", nl.Deadline))
		}
	}
	return k.total(e.weights[ViewSupply])
}

// whenAny returns a reason listing xs under param, or nil for none.
func whenAny(xs []string, code, param string) *app.Reason {
	if len(xs) == 0 {
		return nil
	}
	return reason(code, param, xs)
}

// pastDeadline reports whether a YYYY-MM-DD deadline is before today.
func pastDeadline(d string, src *source) bool {
	return d != "" && d < src.now.Format("2006-01-02")
}
