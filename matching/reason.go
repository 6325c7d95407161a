package matching

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// Reason codes. Each is rendered by Render from its parameters; the
// parameter names are given beside each code.
const (
	// Why a candidate fits.
	ReasonText         = "text_relevant"    // score (0–1)
	ReasonIndustry     = "same_industry"    // code, level (class, group, division, section, covers)
	ReasonProcesses    = "processes_met"    // processes
	ReasonMaterials    = "materials_met"    // materials
	ReasonCerts        = "certs_met"        // certs
	ReasonCapacity     = "capacity_met"     // capacity, quantity, unit (per year)
	ReasonRegion       = "region_preferred" // region
	ReasonNear         = "region_near"      // region, level (county, city, province, yrd)
	ReasonTier         = "tier"             // tier
	ReasonVerified     = "verified"         //
	ReasonStage        = "stage_fit"        // stage
	ReasonTicket       = "ticket_fit"       // amount, min, max
	ReasonRevenue      = "revenue_met"      // minRevenue
	ReasonBudget       = "budget_fit"       // price, budget
	ReasonTRL          = "trl"              // trl
	ReasonComplement   = "complementary"    // processes
	ReasonResponsive   = "responsive"       // rate
	ReasonNoPreference = "open_to_all"      // field

	// What a candidate does not meet: shown as unmet soft requirements, or
	// as violations when the field is a hard requirement.
	ReasonIndustryOutside = "industry_outside"  // codes
	ReasonProcessesMissed = "processes_missing" // processes
	ReasonMaterialsMissed = "materials_missing" // materials
	ReasonCertsMissing    = "certs_missing"     // certs
	ReasonCapacityShort   = "capacity_short"    // capacity, quantity, unit
	ReasonCapacityUnknown = "capacity_unknown"  // quantity, unit
	ReasonRegionOutside   = "region_outside"    // regions
	ReasonStageMismatch   = "stage_mismatch"    // stage, stages
	ReasonTicketOutside   = "ticket_outside"    // amount, min, max
	ReasonRevenueShort    = "revenue_short"     // minRevenue
	ReasonTierOutside     = "tier_outside"      // tier, tiers
	ReasonBudgetOver      = "budget_over"       // price, budget
	ReasonDeadlinePassed  = "deadline_passed"   // deadline
	ReasonCongested       = "congested"         // open, discount
)

// Languages Render knows.
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// templates holds, per code, the zh-CN and en text; {name} is replaced by
// the parameter, formatted by its name (see formatParam).
var templates = map[string][2]string{
	ReasonText:         {"内容高度相关（相关度 {score}）", "closely related text (relevance {score})"},
	ReasonIndustry:     {"行业{level}：{code}", "industry {level}: {code}"},
	ReasonProcesses:    {"具备所需工艺：{processes}", "offers the required processes: {processes}"},
	ReasonMaterials:    {"熟悉所需材料：{materials}", "works the required materials: {materials}"},
	ReasonCerts:        {"持有所需认证：{certs}", "holds the required certifications: {certs}"},
	ReasonCapacity:     {"年产能 {capacity} {unit}，满足年需求 {quantity} {unit}", "capacity {capacity} {unit} a year covers the {quantity} {unit} needed"},
	ReasonRegion:       {"位于优先地区：{region}", "in a preferred region: {region}"},
	ReasonNear:         {"地理位置相近（{level}：{region}）", "nearby ({level}: {region})"},
	ReasonTier:         {"{tier}", "{tier}"},
	ReasonVerified:     {"已认证机构", "verified organisation"},
	ReasonStage:        {"投资阶段匹配：{stage}", "invests at this stage: {stage}"},
	ReasonTicket:       {"金额 {amount} 万元在单笔投资区间 {min}–{max} 万元内", "amount of {amount} 万元 within the ticket range {min}–{max} 万元"},
	ReasonRevenue:      {"营收达到投资方门槛（≥{minRevenue} 万元）", "revenue meets the investor's minimum ({minRevenue} 万元)"},
	ReasonBudget:       {"报价 {price} 万元在预算 {budget} 万元内", "price of {price} 万元 within the budget of {budget} 万元"},
	ReasonTRL:          {"技术成熟度 TRL {trl}", "technology readiness level {trl}"},
	ReasonComplement:   {"可补充工艺：{processes}", "adds the processes {processes}"},
	ReasonResponsive:   {"对接响应积极（{rate}）", "responds to pairing requests ({rate})"},
	ReasonNoPreference: {"对{field}无限制", "no restriction on {field}"},

	ReasonIndustryOutside: {"不在所要求的行业范围：{codes}", "outside the industries required: {codes}"},
	ReasonProcessesMissed: {"缺少所需工艺：{processes}", "lacks the required processes: {processes}"},
	ReasonMaterialsMissed: {"未见所需材料：{materials}", "no sign of the required materials: {materials}"},
	ReasonCertsMissing:    {"缺少所需认证：{certs}", "lacks the required certifications: {certs}"},
	ReasonCapacityShort:   {"年产能 {capacity} {unit} 低于年需求 {quantity} {unit}", "capacity {capacity} {unit} a year is below the {quantity} {unit} needed"},
	ReasonCapacityUnknown: {"产能未知或单位不同（年需求 {quantity} {unit}）", "capacity unknown or in another unit ({quantity} {unit} a year needed)"},
	ReasonRegionOutside:   {"不在优先地区：{regions}", "outside the preferred regions: {regions}"},
	ReasonStageMismatch:   {"融资阶段 {stage} 不在投资阶段 {stages} 内", "round {stage} is not among the stages {stages}"},
	ReasonTicketOutside:   {"金额 {amount} 万元不在单笔投资区间 {min}–{max} 万元内", "amount of {amount} 万元 outside the ticket range {min}–{max} 万元"},
	ReasonRevenueShort:    {"营收未达投资方门槛（≥{minRevenue} 万元）", "revenue below the investor's minimum ({minRevenue} 万元)"},
	ReasonTierOutside:     {"企业梯度（{tier}）不在投资方偏好 {tiers} 内", "tier ({tier}) not among the preferred {tiers}"},
	ReasonBudgetOver:      {"报价 {price} 万元超出预算 {budget} 万元", "price of {price} 万元 exceeds the budget of {budget} 万元"},
	ReasonDeadlinePassed:  {"已过截止日期 {deadline}", "past its deadline of {deadline}"},
	ReasonCongested:       {"对方待处理对接请求较多（{open} 个），推荐度下调 {discount}", "has many open requests ({open}); proposed {discount} less"},
}

// Render returns a reason's text in a language: "zh-CN" (the default for
// anything else) or "en". Unknown codes render as the code.
func Render(r app.Reason, lang string) string {
	t, ok := templates[r.Code]
	if !ok {
		return r.Code
	}
	en := lang == LangEN || strings.HasPrefix(strings.ToLower(lang), "en")
	text := t[0]
	if en {
		text = t[1]
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		name := text[i+1 : i+j]
		b.WriteString(formatParam(name, r.Params[name], en))
		text = text[i+j+1:]
	}
	return b.String()
}

// formatParam formats a parameter by its name: region and industry codes
// with their names, tiers and stages in words, lists joined, numbers short.
func formatParam(name string, v any, en bool) string {
	sep := "、"
	if en {
		sep = ", "
	}
	list := func(xs []string, f func(string) string) string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = f(x)
		}
		return strings.Join(out, sep)
	}
	switch name {
	case "region", "regions":
		return list(strList(v), func(c string) string { return regionLabel(c, en) })
	case "code", "codes":
		return list(strList(v), func(c string) string { return industryLabel(c) })
	case "tier", "tiers":
		return list(strList(v), func(t string) string { return tierLabel(app.Tier(t), en) })
	case "stage", "stages":
		return list(strList(v), func(s string) string { return stageLabel(s, en) })
	case "level":
		return levelLabel(fmt.Sprint(v), en)
	case "field":
		return fieldLabel(fmt.Sprint(v), en)
	case "discount", "rate":
		if f, ok := v.(float64); ok {
			return strconv.Itoa(int(f*100+0.5)) + "%"
		}
	}
	switch x := v.(type) {
	case nil:
		return ""
	case []string:
		return strings.Join(x, sep)
	case []any:
		return list(strList(x), func(s string) string { return s })
	case float64:
		return number(x)
	case int:
		return strconv.Itoa(x)
	}
	return fmt.Sprint(v)
}

// strList reads a parameter that is a string or a list of strings (as
// built, or after a JSON round trip).
func strList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

// number formats a quantity without needless decimals.
func number(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func regionLabel(code string, en bool) string {
	name := ref.RegionFullName(code)
	if name == "" {
		return code
	}
	if en {
		return name + " (" + code + ")"
	}
	return name
}

func industryLabel(code string) string {
	if n := ref.IndustryName(code); n != "" {
		return code + " " + n
	}
	return code
}

var tierNames = map[app.Tier][2]string{
	app.TierNone:           {"未入库企业", "not in the cultivation tiers"},
	app.TierInnovative:     {"创新型中小企业", "innovative SME"},
	app.TierSpecialized:    {"省级专精特新企业", "provincial specialised SME (专精特新)"},
	app.TierHiddenChampion: {"隐形冠军企业", "hidden champion"},
	app.TierLittleGiant:    {"国家级专精特新\"小巨人\"企业", "national \"little giant\" (小巨人)"},
}

func tierLabel(t app.Tier, en bool) string {
	if n, ok := tierNames[t]; ok {
		if en {
			return n[1]
		}
		return n[0]
	}
	return string(t)
}

func stageLabel(s string, en bool) string {
	if en {
		return s
	}
	switch s {
	case "seed":
		return "种子轮"
	case "angel":
		return "天使轮"
	case "pre-IPO":
		return "Pre-IPO轮"
	}
	return s + "轮"
}

var levelNames = map[string][2]string{
	"class":    {"同一小类", "same class"},
	"group":    {"同一中类", "same group"},
	"division": {"同一大类", "same division"},
	"section":  {"同一门类", "same section"},
	"covers":   {"在关注范围内", "covered"},
	"county":   {"同县区", "same county"},
	"city":     {"同城", "same city"},
	"province": {"同省", "same province"},
	"yrd":      {"长三角", "Yangtze River Delta"},
}

func levelLabel(l string, en bool) string {
	if n, ok := levelNames[l]; ok {
		if en {
			return n[1]
		}
		return n[0]
	}
	return l
}

var fieldNames = map[string][2]string{
	"regions": {"地区", "region"},
	"tiers":   {"企业梯度", "tier"},
}

func fieldLabel(f string, en bool) string {
	if n, ok := fieldNames[f]; ok {
		if en {
			return n[1]
		}
		return n[0]
	}
	return f
}

// ReasonCodes returns every code Render knows, sorted.
func ReasonCodes() []string {
	out := make([]string, 0, len(templates))
	for c := range templates {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
