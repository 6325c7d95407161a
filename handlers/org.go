package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// orgRoutes are organisations, their verification, invitations and members.
type orgRoutes struct{ s *server }

// Register adds the routes.
func (h *orgRoutes) Register(r fiber.Router) {
	s := h.s
	r.Post("/orgs", s.requireAuth, h.create)
	r.Get("/orgs", s.optionalAuth, h.list)
	r.Post("/orgs/join", s.requireAuth, h.join)
	r.Get("/orgs/:id", s.optionalAuth, h.get)
	r.Put("/orgs/:id", s.requireAuth, h.update)
	r.Delete("/orgs/:id", s.requireAuth, h.delete)
	r.Post("/orgs/:id/verify", s.requireAuth, h.verify)
	r.Post("/orgs/:id/invites", s.requireAuth, h.invite)
	r.Get("/orgs/:id/members", s.requireAuth, h.members)
	r.Put("/orgs/:id/members/:userId", s.requireAuth, h.setMember)
	r.Delete("/orgs/:id/members/:userId", s.requireAuth, h.removeMember)
}

// VerifyRequest is the body of POST /orgs/:id/verify.
type VerifyRequest struct {
	Verified *bool `json:"verified"`
}

// JoinRequest is the body of POST /orgs/join.
type JoinRequest struct {
	Code string `json:"code"`
}

// MemberRequest is the body of PUT /orgs/:id/members/:userId.
type MemberRequest struct {
	OrgRole app.MemberRole `json:"orgRole"`
}

func (h *orgRoutes) create(c *fiber.Ctx) error {
	var in app.Org
	if err := readJSON(c, &in); err != nil {
		return err
	}
	o, err := h.s.svc.CreateOrg(c.UserContext(), actorOf(c), &in)
	if err != nil {
		return err
	}
	c.Location(APIPrefix + "/orgs/" + o.ID)
	return c.Status(fiber.StatusCreated).JSON(o)
}

func (h *orgRoutes) list(c *fiber.Ctx) error {
	q, err := parseQuery(c, "type", "region", "industry", "tier", "verified", "ref", "limit", "cursor")
	if err != nil {
		return err
	}
	var f app.OrgFilter
	t, err := q.str("type")
	if err != nil {
		return err
	}
	if t != "" {
		if !app.OrgType(t).Valid() {
			return app.Invalid("type", app.FieldUnknown, "must be one of sme, enterprise, investor, institution, organizer")
		}
		f.Type = app.OrgType(t)
	}
	if f.Region, err = q.str("region"); err != nil {
		return err
	}
	if f.Industry, err = q.str("industry"); err != nil {
		return err
	}
	if f.Ref, err = q.str("ref"); err != nil {
		return err
	}
	if f.Tiers, err = tiers(q.list("tier")); err != nil {
		return err
	}
	if f.Verified, err = q.boolean("verified"); err != nil {
		return err
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	os, err := h.s.svc.ListOrgs(c.UserContext(), actorOf(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(os, p.Limit, func(o *app.Org) string { return o.ID }))
}

// tiers checks a list of tier names from a query.
func tiers(names []string) ([]app.Tier, error) {
	var out []app.Tier
	for _, n := range names {
		if !app.Tier(n).Valid() {
			return nil, app.Invalid("tier", app.FieldUnknown, "must be one of none, innovative, specialized, hidden_champion, little_giant")
		}
		out = append(out, app.Tier(n))
	}
	return out, nil
}

func (h *orgRoutes) get(c *fiber.Ctx) error {
	o, err := h.s.svc.GetOrg(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (h *orgRoutes) update(c *fiber.Ctx) error {
	var in app.Org
	if err := readJSON(c, &in); err != nil {
		return err
	}
	id := c.Params("id")
	if in.ID != "" && in.ID != id {
		return app.Invalid("id", app.FieldNotAllow, "does not match the organisation in the path")
	}
	o, err := h.s.svc.UpdateOrg(c.UserContext(), actorOf(c), id, &in)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (h *orgRoutes) delete(c *fiber.Ctx) error {
	if err := h.s.svc.DeleteOrg(c.UserContext(), actorOf(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *orgRoutes) verify(c *fiber.Ctx) error {
	var in VerifyRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.Verified == nil {
		return app.Invalid("verified", app.FieldRequired, "is required (true or false)")
	}
	o, err := h.s.svc.VerifyOrg(c.UserContext(), actorOf(c), c.Params("id"), *in.Verified)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (h *orgRoutes) invite(c *fiber.Ctx) error {
	inv, err := h.s.svc.CreateInvite(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(inv)
}

func (h *orgRoutes) join(c *fiber.Ctx) error {
	var in JoinRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	o, err := h.s.svc.JoinOrg(c.UserContext(), actorOf(c), in.Code)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (h *orgRoutes) members(c *fiber.Ctx) error {
	us, err := h.s.svc.ListMembers(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(pageOf(us, 0, nil))
}

func (h *orgRoutes) setMember(c *fiber.Ctx) error {
	var in MemberRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.OrgRole == "" {
		return app.Invalid("orgRole", app.FieldRequired, "is required (owner or member)")
	}
	if err := h.s.svc.SetMember(c.UserContext(), actorOf(c), c.Params("id"), c.Params("userId"), in.OrgRole, false); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *orgRoutes) removeMember(c *fiber.Ctx) error {
	if err := h.s.svc.SetMember(c.UserContext(), actorOf(c), c.Params("id"), c.Params("userId"), "", true); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
