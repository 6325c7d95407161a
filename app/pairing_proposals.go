package app

import (
	"context"
	"time"
)

// ProposalWeek is the span over which the batch proposals count what an
// organisation has already received against its weekly capacity.
const ProposalWeek = 7 * 24 * time.Hour

// ProposalsReceived counts the engine's proposals the organisation received
// (it is side B) in the last ProposalWeek by the service clock, whatever
// became of them: the batch proposals take these off its weekly capacity,
// so a second run in the same week does not flood it again.
func (s *Service) ProposalsReceived(ctx context.Context, orgID string) (int, error) {
	since := s.now().Add(-ProposalWeek)
	n := 0
	err := s.eachPairing(ctx, PairingFilter{OrgID: orgID, CreatedSince: &since}, func(p *Pairing) error {
		if p.Origin == OriginEngine && p.B.OrgID == orgID {
			n++
		}
		return nil
	})
	return n, err
}
