package storetest

import (
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/rongtong/rongtong/app"
)

// t0 is the fixtures' clock. Times are whole milliseconds in UTC because
// MongoDB keeps dates to the millisecond.
var t0 = time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)

// Region and industry codes the fixtures use, with their keys (the code and
// its ancestors) as the reference tables give them.
var (
	regionKeys = map[string][]string{
		"330106": {"330000", "330100", "330106"}, // 杭州市西湖区
		"330206": {"330000", "330200", "330206"}, // 宁波市北仑区
		"330212": {"330000", "330200", "330212"}, // 宁波市鄞州区
		"320106": {"320000", "320100", "320106"}, // 南京市鼓楼区
	}
	industryKeys = map[string][]string{
		"3484": {"C", "34", "348", "3484"}, // 机械零部件加工
		"3451": {"C", "34", "345", "3451"}, // 滚动轴承制造
		"3981": {"C", "39", "398", "3981"}, // 电阻电容电感元件制造
		"6513": {"I", "65", "651", "6513"}, // 应用软件开发
	}
)

func keysOf(table map[string][]string, code string) []string {
	if code == "" {
		return nil
	}
	k, ok := table[code]
	if !ok {
		panic(fmt.Sprintf("storetest: no fixture keys for code %q", code))
	}
	return slices.Clone(k)
}

var usccSerial atomic.Int64

// newUSCC returns a distinct, well-formed 统一社会信用代码.
func newUSCC() string {
	first := fmt.Sprintf("91330200MA%07d", usccSerial.Add(1)%10_000_000)
	return first + string(app.USCCCheckChar(first))
}

// newOrg returns an unverified SME with its keys set, as the use cases would
// store it. region and industry may be empty.
func newOrg(name, region, industry string) *app.Org {
	return &app.Org{
		ID:           app.NewID(),
		Name:         name,
		USCC:         newUSCC(),
		Type:         app.OrgSME,
		Region:       region,
		Industry:     industry,
		Tier:         app.TierInnovative,
		Founded:      2012,
		Employees:    180,
		RevenueWan:   12500.5,
		RDRatio:      0.062,
		Patents:      23,
		Products:     []string{"精密轴承", "齿轮箱"},
		Description:  name + "专注于高端装备零部件的研发与制造。",
		Contact:      &app.Contact{Name: "王工", Phone: "13800138000", Email: "wang@example.com"},
		CreatedAt:    t0,
		UpdatedAt:    t0,
		RegionKeys:   keysOf(regionKeys, region),
		IndustryKeys: keysOf(industryKeys, industry),
	}
}

// verified marks an organisation verified.
func verified(o *app.Org) *app.Org {
	at := t0.Add(time.Hour)
	o.Verified, o.VerifiedAt = true, &at
	return o
}

// newListing returns a published listing of kind owned by o, about the
// industries, with its owner summary and keys set as Listing.SetOwner would.
func newListing(o *app.Org, kind app.Kind, title string, industries ...string) *app.Listing {
	pub := t0.Add(2 * time.Hour)
	l := &app.Listing{
		ID:          app.NewID(),
		Kind:        kind,
		Status:      app.StatusPublished,
		Title:       title,
		Description: title + "：详细说明，欢迎洽谈。",
		PublishedAt: &pub,
		CreatedAt:   t0,
		UpdatedAt:   t0,
	}
	switch kind {
	case app.KindNeed:
		if len(industries) > 0 {
			l.Industry = industries[0]
		}
		l.Processes = []string{"CNC加工"}
		l.Quantity = &app.Amount{Value: 5000, Unit: "件", Per: "month"}
	case app.KindFinancing:
		l.AmountWan = 3000
		l.Stage = "B"
	default:
		l.Industries = industries
		if kind == app.KindCapability {
			l.Processes = []string{"CNC加工", "热处理"}
			l.Capacity = &app.Amount{Value: 20000, Unit: "件", Per: "month"}
		}
	}
	setOwner(l, o)
	return l
}

// setOwner is Listing.SetOwner with the fixture key tables.
func setOwner(l *app.Listing, o *app.Org) {
	l.OrgID = o.ID
	l.Owner = o.Summary()
	var keys []string
	for _, c := range l.IndustryCodes() {
		for _, k := range keysOf(industryKeys, c) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	l.IndustryKeys = keys
	l.RegionKeys = slices.Clone(o.RegionKeys)
}

var userSerial atomic.Int64

// newUser returns an SME user with a distinct e-mail address and phone number.
func newUser(orgID string) *app.User {
	n := userSerial.Add(1)
	return &app.User{
		ID:           app.NewID(),
		Email:        fmt.Sprintf("user%d@example.com", n),
		Phone:        fmt.Sprintf("139%08d", n),
		Name:         "张三",
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA",
		Role:         app.RoleSME,
		OrgID:        orgID,
		OrgRole:      app.MemberMember,
		CreatedAt:    t0,
		UpdatedAt:    t0,
	}
}
