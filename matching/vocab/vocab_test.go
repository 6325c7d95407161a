package vocab

import "testing"

func TestProcess(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"压铸", "高压铸造"}, {"压力铸造", "压铸成型"}, {"数控加工", "ＣＮＣ加工"}, {"CNC加工", "精密机加工"},
		{"注塑", "注射成型"}, {"SMT贴片", "ＳＭＴ"}, {"Wire EDM", "慢走丝线切割"}, {"淬火回火", "调质处理"},
		{"Pack组装", "PACK组装"}, {"砂型铸造", "翻砂铸造"},
	} {
		if Process(tt.a) != Process(tt.b) {
			t.Errorf("%s (%s) and %s (%s) differ", tt.a, Process(tt.a), tt.b, Process(tt.b))
		}
	}
	if Process("压铸") == Process("注塑") {
		t.Error("压铸 is 注塑")
	}
	if got := Process("无名工艺"); got != "无名工艺" {
		t.Errorf("unknown process %q", got)
	}
	if ProcessName(Process("ＣＮＣ加工")) != "数控加工" {
		t.Errorf("name %q", ProcessName(Process("ＣＮＣ加工")))
	}
}

func TestFindProcesses(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"擅长树脂砂铸造和CNC加工，产品经抛丸清理", []string{Process("砂型铸造"), Process("抛丸"), Process("数控加工")}},
		{"承接 SMT 贴片与 DIP插件", []string{Process("dip插件"), Process("smt贴片")}},
		{"smtp server; cncx", nil},
	} {
		got := FindProcesses(tt.text)
		if !sameSet(got, tt.want) {
			t.Errorf("FindProcesses(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestProcessMatch(t *testing.T) {
	for _, tt := range []struct {
		req, off string
		want     float64
	}{
		{"压铸", "压铸", 1}, {"焊接", "机器人焊接", 0.5}, {"焊接", "注塑", 0}, {"", "注塑", 0},
	} {
		if got := ProcessMatch(Process(tt.req), Process(tt.off)); got != tt.want {
			t.Errorf("ProcessMatch(%s, %s) = %v, want %v", tt.req, tt.off, got, tt.want)
		}
	}
}

func TestMaterialMatch(t *testing.T) {
	for _, tt := range []struct {
		req, off string
		want     float64
	}{
		{"不锈钢", "304不锈钢", 1}, {"6061铝合金", "ADC12铝合金", 0.6}, {"铝合金", "A380", 0.6},
		{"QT450-10", "球墨铸铁", 0.6}, {"ABS", "PA66", 0}, {"45#钢", "45#钢", 1},
	} {
		if got := MaterialMatch(tt.req, tt.off); got != tt.want {
			t.Errorf("MaterialMatch(%s, %s) = %v, want %v", tt.req, tt.off, got, tt.want)
		}
	}
}

func TestBaseUnit(t *testing.T) {
	for _, tt := range []struct {
		unit  string
		base  string
		scale float64
	}{
		{"万件", "件", 1e4}, {"件", "件", 1}, {"MWh", "wh", 1e6}, {"GW", "w", 1e9}, {"万吨", "g", 1e10},
		{"吨", "g", 1e6}, {"万平方米", "平方米", 1e4}, {"台套", "台套", 1}, {"万", "万", 1},
	} {
		base, scale := BaseUnit(tt.unit)
		if base != tt.base || scale != tt.scale {
			t.Errorf("BaseUnit(%s) = %s, %g; want %s, %g", tt.unit, base, scale, tt.base, tt.scale)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"ＣＮＣ 加工": "cnc加工", "Wire  EDM": "wire edm", " 压铸 ": "压铸"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
