package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// matchRoutes are the candidates that fit a record (匹配): SMEs for a need,
// investors for a financing need, technologies for a technology need, and
// the other directions the matching engine knows.
type matchRoutes struct{ s *server }

// Register adds the routes.
func (h *matchRoutes) Register(r fiber.Router) {
	s := h.s
	r.Get("/matches", s.requireAuth, h.list)
}

// list ranks the candidates for ?from=<kind>:<id>. Members of the source
// record's organisation and admins in scope may ask (app.Service.Matches).
func (h *matchRoutes) list(c *fiber.Ctx) error {
	q, err := parseQuery(c, "from", "target", "limit", "cursor", "lang")
	if err != nil {
		return err
	}
	var mq app.MatchQuery
	from, err := q.str("from")
	if err != nil {
		return err
	}
	if from == "" {
		return app.Invalid("from", app.FieldRequired, "give the record to match from as <kind>:<id>, e.g. need:<id>")
	}
	kind, id, ok := strings.Cut(from, ":")
	if !ok || kind == "" || id == "" {
		return badRequest("from", app.FieldFormat, "must be <kind>:<id>, kind org or a listing kind")
	}
	mq.FromKind, mq.FromID = kind, id
	if mq.Target, err = q.str("target"); err != nil {
		return err
	}
	if mq.Limit, err = intParam(q, "limit", 1, MaxPageLimit); err != nil {
		return err
	}
	if mq.Cursor, err = q.str("cursor"); err != nil {
		return err
	}
	if mq.Lang, err = q.str("lang"); err != nil {
		return err
	}
	if mq.Lang == "" {
		mq.Lang = preferredLang(c.Get(fiber.HeaderAcceptLanguage))
	}
	res, err := h.s.svc.Matches(c.UserContext(), actorOf(c), mq)
	if err != nil {
		return err
	}
	if res.Items == nil {
		res.Items = []app.Match{}
	}
	return c.JSON(res)
}

// preferredLang picks en when the Accept-Language header puts English
// before Chinese; zh-CN otherwise.
func preferredLang(header string) string {
	for _, part := range strings.Split(header, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.Split(part, ";")[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return "zh-CN"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return ""
}
