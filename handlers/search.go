package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// searchRoutes are full-text search over organisations and listings, and
// completion as the user types.
type searchRoutes struct{ s *server }

// Register adds the routes.
func (h *searchRoutes) Register(r fiber.Router) {
	s := h.s
	r.Get("/search", s.optionalAuth, h.search)
	r.Get("/search/suggest", s.optionalAuth, h.suggest)
}

// searchKinds are the values of ?kind=.
var searchKinds = append([]string{"org"}, func() []string {
	out := make([]string, len(app.Kinds))
	for i, k := range app.Kinds {
		out[i] = string(k)
	}
	return out
}()...)

func (h *searchRoutes) search(c *fiber.Ctx) error {
	q, err := parseQuery(c, "q", "kind", "industry", "region", "tier", "cert", "status", "sort", "limit", "cursor")
	if err != nil {
		return err
	}
	var sq app.SearchQuery
	if sq.Text, err = q.str("q"); err != nil {
		return err
	}
	for _, k := range q.list("kind") {
		if !containsString(searchKinds, k) {
			return app.Invalid("kind", app.FieldUnknown, "must be one of org, capability, need, tech, technead, investor, financing")
		}
		sq.Kinds = append(sq.Kinds, k)
	}
	if sq.Industry, err = q.str("industry"); err != nil {
		return err
	}
	if sq.Region, err = q.str("region"); err != nil {
		return err
	}
	if sq.Tiers, err = tiers(q.list("tier")); err != nil {
		return err
	}
	sq.Certs = q.list("cert")
	for _, s := range q.list("status") {
		if !app.Status(s).Valid() {
			return app.Invalid("status", app.FieldUnknown, "must be one of draft, published, closed, awarded")
		}
		sq.Statuses = append(sq.Statuses, app.Status(s))
	}
	if sq.Sort, err = q.str("sort"); err != nil {
		return err
	}
	if sq.Sort != "" && sq.Sort != "relevance" && sq.Sort != "newest" {
		return app.Invalid("sort", app.FieldUnknown, "must be relevance or newest")
	}
	if sq.Limit, err = intParam(q, "limit", 1, 200); err != nil {
		return err
	}
	if sq.Cursor, err = q.str("cursor"); err != nil {
		return err
	}
	res, err := h.s.svc.Search(c.UserContext(), actorOf(c), sq)
	if err != nil {
		return err
	}
	if res.Hits == nil {
		res.Hits = []app.SearchHit{}
	}
	return c.JSON(res)
}

// SuggestResponse is the body of GET /search/suggest.
type SuggestResponse struct {
	Items []app.Suggestion `json:"items"`
}

func (h *searchRoutes) suggest(c *fiber.Ctx) error {
	q, err := parseQuery(c, "q", "limit")
	if err != nil {
		return err
	}
	prefix, err := q.str("q")
	if err != nil {
		return err
	}
	limit, err := intParam(q, "limit", 1, 50)
	if err != nil {
		return err
	}
	if limit == 0 {
		limit = 10
	}
	items, err := h.s.svc.Suggest(c.UserContext(), prefix, limit)
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.Suggestion{}
	}
	return c.JSON(SuggestResponse{Items: items})
}

// intParam reads an optional whole-number parameter within [min, max]; 0 when absent.
func intParam(q query, name string, min, max int) (int, error) {
	v, err := q.str(name)
	if err != nil || v == "" {
		return 0, err
	}
	n, perr := strconv.Atoi(v)
	if perr != nil {
		return 0, badRequest(name, fieldType, "must be a whole number")
	}
	if n < min || n > max {
		return 0, app.Invalid(name, app.FieldRange, "must be between %d and %d", min, max)
	}
	return n, nil
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
