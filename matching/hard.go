package matching

import (
	"slices"

	"github.com/rongtong/rongtong/app"
)

// DefaultHard lists, per kind, the fields that are hard requirements when a
// listing does not name its own (Listing.Hard):
//
//   - a need's required certifications are required, and a need past its
//     deadline is no longer open;
//   - a technology need past its deadline is no longer open;
//   - an investor invests only in its industries, and only tickets within
//     its range (widened by Config.TicketTolerance).
//
// Everything else is soft: it scores, and an unmet soft requirement is
// shown with the match.
var DefaultHard = map[app.Kind][]string{
	app.KindNeed:     {"certificationsRequired", "deadline"},
	app.KindTechNeed: {"deadline"},
	app.KindInvestor: {"industries", "ticketMinWan", "ticketMaxWan"},
}

// HardFields returns the fields of a listing that are hard requirements:
// its own list, or its kind's default.
func HardFields(l *app.Listing) []string {
	if l == nil {
		return nil
	}
	if len(l.Hard) > 0 {
		return l.Hard
	}
	return DefaultHard[l.Kind]
}

// isHard reports whether a field of a listing is a hard requirement.
func isHard(l *app.Listing, field string) bool {
	return slices.Contains(HardFields(l), field)
}
