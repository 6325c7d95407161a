package handlers

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// pairingRoutes are pairings (对接): requests between two organisations'
// matching records and their way to an agreement, and the inbox that
// reports every step.
type pairingRoutes struct{ s *server }

// Register adds the routes.
func (h *pairingRoutes) Register(r fiber.Router) {
	s := h.s
	r.Post("/pairings", s.requireAuth, h.create)
	r.Get("/pairings", s.requireAuth, h.list)
	r.Get("/pairings/:id", s.requireAuth, h.get)
	r.Post("/pairings/:id/transitions", s.requireAuth, h.transition)
	r.Get("/inbox", s.requireAuth, h.inbox)
	r.Get("/inbox/unread", s.requireAuth, h.unread)
	r.Post("/inbox/read", s.requireAuth, h.markRead)
}

// PairingView is a pairing with the moves the caller may make next.
type PairingView struct {
	Pairing *app.Pairing        `json:"pairing"`
	Allowed []app.PairingStatus `json:"allowed"`
}

func viewOf(c *fiber.Ctx, p *app.Pairing) PairingView {
	allowed := p.Allowed(actorOf(c))
	if allowed == nil {
		allowed = []app.PairingStatus{}
	}
	return PairingView{Pairing: p, Allowed: allowed}
}

// UnreadResponse is the body of GET /inbox/unread.
type UnreadResponse struct {
	Unread int `json:"unread"`
}

// ReadRequest is the body of POST /inbox/read: the entries to mark read,
// or all of them when ids is absent or empty.
type ReadRequest struct {
	IDs []string `json:"ids"`
}

// ReadResponse says how many entries changed.
type ReadResponse struct {
	Marked int `json:"marked"`
}

// create asks for a pairing from a match: the source record is the
// caller's organisation's, the target another organisation's.
func (h *pairingRoutes) create(c *fiber.Ctx) error {
	var in app.ProposeInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	in.Origin = app.OriginUser
	p, err := h.s.svc.ProposePairing(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	c.Location(APIPrefix + "/pairings/" + p.ID)
	return c.Status(fiber.StatusCreated).JSON(viewOf(c, p))
}

// list returns the caller's organisation's pairings (admins: every pairing
// with a party in their scope), newest first.
func (h *pairingRoutes) list(c *fiber.Ctx) error {
	q, err := parseQuery(c, "status", "kind", "region", "limit", "cursor")
	if err != nil {
		return err
	}
	var f app.PairingFilter
	for _, s := range q.list("status") {
		if !app.PairingStatus(s).Valid() {
			return app.Invalid("status", app.FieldUnknown, "must be one of %s", names(app.PairingStatuses))
		}
		f.Statuses = append(f.Statuses, app.PairingStatus(s))
	}
	for _, k := range q.list("kind") {
		if !slices.Contains(app.PairingKinds, app.PairingKind(k)) {
			return app.Invalid("kind", app.FieldUnknown, "must be one of %s", names(app.PairingKinds))
		}
		f.Kinds = append(f.Kinds, app.PairingKind(k))
	}
	if f.Region, err = q.str("region"); err != nil {
		return err
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	ps, err := h.s.svc.ListPairings(c.UserContext(), actorOf(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(ps, p.Limit, func(p *app.Pairing) string { return p.ID }))
}

func (h *pairingRoutes) get(c *fiber.Ctx) error {
	p, err := h.s.svc.GetPairing(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(viewOf(c, p))
}

// transition moves a pairing on; an illegal move is a 409 whose problem
// lists the moves the caller may make (allowed).
func (h *pairingRoutes) transition(c *fiber.Ctx) error {
	var in app.TransitionInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	p, err := h.s.svc.TransitionPairing(c.UserContext(), actorOf(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(viewOf(c, p))
}

func (h *pairingRoutes) inbox(c *fiber.Ctx) error {
	q, err := parseQuery(c, "unread", "limit", "cursor")
	if err != nil {
		return err
	}
	unread, err := q.boolean("unread")
	if err != nil {
		return err
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	ns, err := h.s.svc.Inbox(c.UserContext(), actorOf(c), unread != nil && *unread, p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(ns, p.Limit, func(n *app.Notification) string { return n.ID }))
}

func (h *pairingRoutes) unread(c *fiber.Ctx) error {
	if _, err := parseQuery(c); err != nil {
		return err
	}
	n, err := h.s.svc.UnreadCount(c.UserContext(), actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(UnreadResponse{Unread: n})
}

func (h *pairingRoutes) markRead(c *fiber.Ctx) error {
	var in ReadRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	n, err := h.s.svc.MarkRead(c.UserContext(), actorOf(c), in.IDs)
	if err != nil {
		return err
	}
	return c.JSON(ReadResponse{Marked: n})
}

// names joins string values for error messages.
func names[T ~string](xs []T) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return strings.Join(out, ", ")
}
