package matching

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
)

func TestRender(t *testing.T) {
	tests := []struct {
		r      app.Reason
		zh, en string
	}{
		{app.Reason{Code: ReasonCerts, Params: map[string]any{"certs": []string{"IATF16949", "ISO14001"}}},
			"持有所需认证：IATF16949、ISO14001", "holds the required certifications: IATF16949, ISO14001"},
		{app.Reason{Code: ReasonIndustry, Params: map[string]any{"code": "339", "level": "group"}},
			"行业同一中类：339 铸造及其他金属制品制造", "industry same group: 339 铸造及其他金属制品制造"},
		{app.Reason{Code: ReasonRegion, Params: map[string]any{"region": "330206"}},
			"位于优先地区：浙江省宁波市北仑区", "in a preferred region: 浙江省宁波市北仑区 (330206)"},
		{app.Reason{Code: ReasonStageMismatch, Params: map[string]any{"stage": "angel", "stages": []string{"B", "pre-IPO"}}},
			"融资阶段 天使轮 不在投资阶段 B轮、Pre-IPO轮 内", "round angel is not among the stages B, pre-IPO"},
		{app.Reason{Code: ReasonCapacityShort, Params: map[string]any{"capacity": 12.5, "quantity": 20.0, "unit": "万件"}},
			"年产能 12.5 万件 低于年需求 20 万件", "capacity 12.5 万件 a year is below the 20 万件 needed"},
		{app.Reason{Code: ReasonTier, Params: map[string]any{"tier": "little_giant"}},
			"国家级专精特新\"小巨人\"企业", "national \"little giant\" (小巨人)"},
		{app.Reason{Code: ReasonCongested, Params: map[string]any{"open": 12, "discount": 0.24}},
			"对方待处理对接请求较多（12 个），推荐度下调 24%", "has many open requests (12); proposed 24% less"},
		{app.Reason{Code: "no_such_code"}, "no_such_code", "no_such_code"},
	}
	for _, tt := range tests {
		if got := Render(tt.r, "zh-CN"); got != tt.zh {
			t.Errorf("Render(%s, zh-CN) = %q, want %q", tt.r.Code, got, tt.zh)
		}
		if got := Render(tt.r, "en"); got != tt.en {
			t.Errorf("Render(%s, en) = %q, want %q", tt.r.Code, got, tt.en)
		}
	}
}

// TestRenderEveryCode renders every code with parameters of the right
// shape, also after a JSON round trip (as a client would send them back),
// and finds no placeholder left.
func TestRenderEveryCode(t *testing.T) {
	params := map[string]any{"score": 0.8, "code": "3392", "codes": []string{"33", "3392"}, "level": "class",
		"processes": []string{"压铸"}, "materials": []string{"ADC12"}, "certs": []string{"ISO9001"}, "capacity": 10.0,
		"quantity": 5.0, "unit": "万件", "region": "330200", "regions": []string{"330000"}, "tier": "specialized",
		"tiers": []string{"little_giant"}, "stage": "A", "stages": []string{"A", "B"}, "amount": 3000.0, "min": 1000.0,
		"max": 5000.0, "minRevenue": 2000.0, "price": 50.0, "budget": 80.0, "trl": 6, "rate": "90%", "field": "regions",
		"deadline": "2026-03-01", "open": 3, "discount": 0.06}
	for _, code := range ReasonCodes() {
		r := app.Reason{Code: code, Params: params}
		var rt app.Reason
		b, _ := json.Marshal(r)
		if err := json.Unmarshal(b, &rt); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{LangZH, LangEN} {
			for _, x := range []app.Reason{r, rt} {
				got := Render(x, lang)
				if got == "" || strings.ContainsAny(got, "{}") || strings.Contains(got, "[") {
					t.Errorf("Render(%s, %s) = %q", code, lang, got)
				}
			}
		}
	}
}

func TestQueryText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"寻求压铸件供应商，需具备 IATF16949 认证，优先宁波市北仑区", "寻求压铸件供应商,需具备 认证,优先"},
		{"ＣＮＣ加工 ISO 9001 年产 5万件", "cnc加工 年产 万件"},
		{"ABS注塑件 CE认证 UL", "注塑件 认证"},
		{"浙江省内 杭州 余杭", "内"},
	} {
		if got := queryText(tt.in); got != tt.want {
			t.Errorf("queryText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := queryText(strings.Repeat("压铸", 300)); len([]rune(got)) != maxQueryRunes {
		t.Errorf("query of %d runes", len([]rune(got)))
	}
}
