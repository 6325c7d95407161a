package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// refRoutes serve the reference tables: GB/T 4754-2017 industries and
// 行政区划 regions. They are public and change only with a new binary.
type refRoutes struct{ s *server }

// Register adds the routes.
func (h *refRoutes) Register(r fiber.Router) {
	r.Get("/ref/industries", h.industries)
	r.Get("/ref/regions", h.regions)
}

// refCache lets clients and proxies keep the tables for a day.
const refCache = "public, max-age=86400"

// industries lists the whole table, or with ?parent= the codes directly
// under a code (an empty parent gives the twenty sections).
func (h *refRoutes) industries(c *fiber.Ctx) error {
	parent, has, err := parentParam(c)
	if err != nil {
		return err
	}
	var items []ref.Industry
	switch {
	case !has:
		items = ref.Industries()
	case parent == "":
		items = ref.IndustryChildren("")
	default:
		if _, ok := ref.LookupIndustry(parent); !ok {
			return app.Errorf(app.ENOTFOUND, "no industry has the code %q", parent)
		}
		items = ref.IndustryChildren(parent)
	}
	c.Set(fiber.HeaderCacheControl, refCache)
	return c.JSON(pageOf(items, 0, nil))
}

// regions lists the whole table, or with ?parent= the regions directly under
// a code (an empty parent gives the provinces).
func (h *refRoutes) regions(c *fiber.Ctx) error {
	parent, has, err := parentParam(c)
	if err != nil {
		return err
	}
	var items []ref.Region
	switch {
	case !has:
		items = ref.Regions()
	case parent == "":
		items = ref.RegionChildren("")
	default:
		if _, ok := ref.LookupRegion(parent); !ok {
			return app.Errorf(app.ENOTFOUND, "no region has the code %q", parent)
		}
		items = ref.RegionChildren(parent)
	}
	c.Set(fiber.HeaderCacheControl, refCache)
	return c.JSON(pageOf(items, 0, nil))
}

// parentParam reads ?parent=; an empty value asks for the top level.
func parentParam(c *fiber.Ctx) (parent string, has bool, err error) {
	q, err := parseQuery(c, "parent")
	if err != nil {
		return "", false, err
	}
	parent, err = q.str("parent")
	return parent, len(q["parent"]) > 0, err
}
