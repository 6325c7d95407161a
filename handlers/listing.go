package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// listingRoutes are listings of every kind: capabilities, needs, technologies,
// technology needs, investors' preferences and financing needs.
type listingRoutes struct{ s *server }

// Register adds the routes.
func (h *listingRoutes) Register(r fiber.Router) {
	s := h.s
	r.Post("/listings", s.requireAuth, h.create)
	r.Get("/listings", s.optionalAuth, h.list)
	r.Get("/listings/:id", s.optionalAuth, h.get)
	r.Put("/listings/:id", s.requireAuth, h.update)
	r.Delete("/listings/:id", s.requireAuth, h.delete)
	r.Post("/listings/:id/status", s.requireAuth, h.setStatus)
}

// StatusRequest is the body of POST /listings/:id/status.
type StatusRequest struct {
	Status app.Status `json:"status"`
}

// create publishes a listing for the caller's organisation, or, for admins
// and members naming it, the organisation given as orgId (query or body).
func (h *listingRoutes) create(c *fiber.Ctx) error {
	q, err := parseQuery(c, "orgId")
	if err != nil {
		return err
	}
	orgID, err := q.str("orgId")
	if err != nil {
		return err
	}
	var in app.Listing
	if err := readJSON(c, &in); err != nil {
		return err
	}
	switch {
	case orgID == "":
		orgID = in.OrgID
	case in.OrgID != "" && in.OrgID != orgID:
		return app.Invalid("orgId", app.FieldNotAllow, "differs between the query and the body")
	}
	l, err := h.s.svc.CreateListing(c.UserContext(), actorOf(c), orgID, &in)
	if err != nil {
		return err
	}
	c.Location(APIPrefix + "/listings/" + l.ID)
	return c.Status(fiber.StatusCreated).JSON(l)
}

func (h *listingRoutes) list(c *fiber.Ctx) error {
	q, err := parseQuery(c, "kind", "org", "ref", "industry", "region", "tier", "status", "limit", "cursor")
	if err != nil {
		return err
	}
	var f app.ListingFilter
	for _, k := range q.list("kind") {
		if !app.Kind(k).Valid() {
			return app.Invalid("kind", app.FieldUnknown, "must be one of capability, need, tech, technead, investor, financing")
		}
		f.Kinds = append(f.Kinds, app.Kind(k))
	}
	for _, s := range q.list("status") {
		if !app.Status(s).Valid() {
			return app.Invalid("status", app.FieldUnknown, "must be one of draft, published, closed, awarded")
		}
		f.Statuses = append(f.Statuses, app.Status(s))
	}
	if f.OrgID, err = q.str("org"); err != nil {
		return err
	}
	if f.OrgID != "" && !app.ValidID(f.OrgID) {
		return app.Invalid("org", app.FieldFormat, "is not an organisation ID")
	}
	if f.Ref, err = q.str("ref"); err != nil {
		return err
	}
	if f.Industry, err = q.str("industry"); err != nil {
		return err
	}
	if f.Region, err = q.str("region"); err != nil {
		return err
	}
	if f.Tiers, err = tiers(q.list("tier")); err != nil {
		return err
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	ls, err := h.s.svc.ListListings(c.UserContext(), actorOf(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(ls, p.Limit, func(l *app.Listing) string { return l.ID }))
}

func (h *listingRoutes) get(c *fiber.Ctx) error {
	l, err := h.s.svc.GetListing(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(l)
}

func (h *listingRoutes) update(c *fiber.Ctx) error {
	var in app.Listing
	if err := readJSON(c, &in); err != nil {
		return err
	}
	id := c.Params("id")
	if in.ID != "" && in.ID != id {
		return app.Invalid("id", app.FieldNotAllow, "does not match the listing in the path")
	}
	l, err := h.s.svc.UpdateListing(c.UserContext(), actorOf(c), id, &in)
	if err != nil {
		return err
	}
	return c.JSON(l)
}

func (h *listingRoutes) delete(c *fiber.Ctx) error {
	if err := h.s.svc.DeleteListing(c.UserContext(), actorOf(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *listingRoutes) setStatus(c *fiber.Ctx) error {
	var in StatusRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.Status == "" {
		return app.Invalid("status", app.FieldRequired, "is required")
	}
	l, err := h.s.svc.SetListingStatus(c.UserContext(), actorOf(c), c.Params("id"), in.Status)
	if err != nil {
		return err
	}
	return c.JSON(l)
}
