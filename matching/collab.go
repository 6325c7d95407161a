package matching

import (
	"context"
	"slices"
	"strings"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching/vocab"
)

// Collaboration: an SME and the SMEs of the same or an adjacent link of its
// industry chain (same GB/T 4754 group, or division) whose processes
// complement its own — a die caster and a machining shop, not two die
// casters.

// orgToOrgs ranks SMEs for an SME.
func orgToOrgs(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	a := src.org
	if a.Type != app.OrgSME {
		return nil, app.Invalid("from", app.FieldNotAllow, "collaboration matches are for SMEs; match from the organisation's listings instead")
	}
	ownCaps, err := e.capabilitiesOf(ctx, src, a.ID)
	if err != nil {
		return nil, err
	}
	mine := orgProcesses(a, ownCaps)
	text, ids, err := e.textHits(ctx, src, queryText(append(append([]string{}, a.Products...), mine...)...), "org")
	if err != nil {
		return nil, err
	}
	byID, err := e.orgsByID(ctx, src, ids)
	if err != nil {
		return nil, err
	}
	orgs := make([]*app.Org, 0, len(byID))
	for _, id := range ids {
		if o := byID[id]; o != nil {
			orgs = append(orgs, o)
		}
	}
	for _, code := range []string{group(a.Industry), division(a.Industry)} {
		if code == "" {
			continue
		}
		more, err := e.listOrgs(ctx, app.OrgFilter{Type: app.OrgSME, Industry: code, VisibleTo: src.vis}, e.cfg.StructuredCandidates)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, more...)
	}
	var out []*candidate
	seen := map[string]bool{}
	for _, b := range orgs {
		if seen[b.ID] || b.Type != app.OrgSME || b.ID == a.ID {
			continue
		}
		seen[b.ID] = true
		ind, level, code := industryProximity(a.Industry, b.Industry)
		// the same or an adjacent link: the same division at least
		if ind < industryLevels[2].value {
			continue
		}
		caps, err := e.capabilitiesOf(ctx, src, b.ID)
		if err != nil {
			return nil, err
		}
		theirs := orgProcesses(b, caps)
		k := &card{explain: true}
		k.put(pIndustry, ind, reason(ReasonIndustry, "code", code, "level", level))
		var adds []string
		for _, p := range theirs {
			if !slices.ContainsFunc(mine, func(m string) bool { return vocab.ProcessMatch(p, m) > 0 }) {
				adds = append(adds, p)
			}
		}
		if len(theirs) > 0 {
			names := make([]string, len(adds))
			for i, p := range adds {
				names[i] = vocab.ProcessName(p)
			}
			k.put(pComplement, float64(len(adds))/float64(len(theirs)), whenAny(names, ReasonComplement, "processes"))
		}
		tx := text[b.ID]
		k.put(pText, tx, reason(ReasonText, "score", round(tx, 2)))
		if v, level := regionProximity(a.Region, b.Region); v > 0 {
			k.put(pRegion, v, reason(ReasonNear, "region", b.Region, "level", level))
		}
		if b.Tier != "" && b.Tier != app.TierNone {
			k.put(pTier, tierValue(b.Tier), reason(ReasonTier, "tier", string(b.Tier)))
		}
		if b.Verified {
			k.put(pVerified, 1, reason(ReasonVerified))
		}
		k.putResponsiveness(src, b.ID)
		out = append(out, newCandidate("org", b, nil, k.total(e.weights[ViewCollaboration])))
	}
	return out, nil
}

// orgProcesses returns the process concepts of an SME: its capabilities'
// and those its description names.
func orgProcesses(o *app.Org, caps []*app.Listing) []string {
	var out []string
	add := func(ps ...string) {
		for _, p := range ps {
			if p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	var text strings.Builder
	text.WriteString(o.Description)
	for _, c := range caps {
		add(vocab.Processes(c.Processes)...)
		text.WriteString(" " + c.Title + " " + c.Description)
	}
	add(vocab.FindProcesses(text.String())...)
	return out
}

// division returns the two-digit division of a code of level 2 or below.
func division(code string) string {
	if industryLevel(code) >= 2 {
		return code[:2]
	}
	return ""
}
