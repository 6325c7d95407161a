package schedule

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The exact oracle: a 0-1 model of the same problem, solved by CBC (Debian's
// coinor-cbc) in two lexicographic stages. It is used by tests only.
//
// Variables x_r_s = 1 when request r meets in slot s; a variable exists only where both
// sides may meet, so availability and sessions are built in. Constraints: each request
// at most once, each participant at most one meeting per slot, at most tables meetings
// per slot, each participant at most maxMeetings, fixed meetings at 1.
//
// Stage 1 maximises Σ w_r x_r_s. Stage 2 fixes the weight at the optimum and minimises
// breaks. With y_p_t = Σ_{r∋p} x_r_t (0 or 1) over the slots t of one session in time
// order, the breaks of p in the session are the number of maximal runs of busy slots
// minus one when p meets at all: runs = Σ_t max(0, y_p_t − y_p_(t−1)) (y before the
// first slot is 0). So with continuous u_p_t ≥ y_p_t − y_p_(t−1), u ≥ 0 and
// 0 ≤ z_p_k ≤ Σ_t y_p_t, z ≤ 1, minimising Σ u − Σ z counts exactly the breaks: at an
// optimum u is the positive part and z is 1 exactly when p meets in the session.

type cbcResult struct {
	Weight   float64
	Breaks   int
	Optimal  bool // both stages proved optimal
	Solution *Solution
	Seconds  float64
}

// lpModel writes the model's common part and returns the objective's weight terms.
type lpModel struct {
	in    *instance
	b     strings.Builder
	xs    [][]string // per request: names by allowed slot index
	terms int
}

func newLP(in *instance) *lpModel {
	m := &lpModel{in: in, xs: make([][]string, in.nR)}
	for r := 0; r < in.nR; r++ {
		for _, s := range in.allowed[r] {
			m.xs[r] = append(m.xs[r], fmt.Sprintf("x_%d_%d", r, s))
		}
	}
	return m
}

// sum writes " + c name" terms with line breaks that keep LP lines short.
func (m *lpModel) sum(coef float64, name string) {
	if m.terms%8 == 7 {
		m.b.WriteString("\n  ")
	}
	m.terms++
	switch {
	case coef == 1:
		fmt.Fprintf(&m.b, " + %s", name)
	case coef == -1:
		fmt.Fprintf(&m.b, " - %s", name)
	case coef < 0:
		fmt.Fprintf(&m.b, " - %s %s", strconv.FormatFloat(-coef, 'g', -1, 64), name)
	default:
		fmt.Fprintf(&m.b, " + %s %s", strconv.FormatFloat(coef, 'g', -1, 64), name)
	}
}

func (m *lpModel) row(name string) {
	m.terms = 0
	fmt.Fprintf(&m.b, " %s:", name)
}

func (m *lpModel) weightTerms() {
	any := false
	for r := 0; r < m.in.nR; r++ {
		for _, x := range m.xs[r] {
			m.sum(m.in.w[r], x)
			any = true
		}
	}
	if !any {
		m.b.WriteString(" 0 x_dummy")
	}
}

// busyTerms writes y_p_s = Σ x over p's requests in slot s; it reports whether any.
func (m *lpModel) busyTerms(p, s int32, coef float64) bool {
	in := m.in
	any := false
	for _, r := range in.inc[p] {
		for i, t := range in.allowed[r] {
			if t == s {
				m.sum(coef, m.xs[r][i])
				any = true
			}
		}
	}
	return any
}

func (m *lpModel) constraints() {
	in := m.in
	m.b.WriteString(" dummy: x_dummy = 0\n")
	for r := 0; r < in.nR; r++ {
		if len(m.xs[r]) == 0 {
			continue
		}
		m.row(fmt.Sprintf("once_%d", r))
		for _, x := range m.xs[r] {
			m.sum(1, x)
		}
		if fs := in.fixedSlot[r]; fs >= 0 {
			m.b.WriteString(" = 1\n")
			m.row(fmt.Sprintf("fixed_%d", r))
			m.sum(1, fmt.Sprintf("x_%d_%d", r, fs))
			m.b.WriteString(" = 1\n")
		} else {
			m.b.WriteString(" <= 1\n")
		}
	}
	for p := int32(0); p < int32(in.nP); p++ {
		for s := int32(0); s < int32(in.nS); s++ {
			m.row(fmt.Sprintf("busy_%d_%d", p, s))
			if m.busyTerms(p, s, 1) {
				m.b.WriteString(" <= 1\n")
			} else {
				m.b.WriteString(" 0 x_dummy <= 1\n")
			}
		}
		if in.cap[p] < math.MaxInt32 {
			m.row(fmt.Sprintf("cap_%d", p))
			any := false
			for s := int32(0); s < int32(in.nS); s++ {
				any = m.busyTerms(p, s, 1) || any
			}
			if !any {
				m.b.WriteString(" 0 x_dummy")
			}
			fmt.Fprintf(&m.b, " <= %d\n", in.cap[p])
		}
	}
	for s := int32(0); s < int32(in.nS); s++ {
		m.row(fmt.Sprintf("tables_%d", s))
		any := false
		for r := 0; r < in.nR; r++ {
			for i, t := range in.allowed[r] {
				if t == s {
					m.sum(1, m.xs[r][i])
					any = true
				}
			}
		}
		if !any {
			m.b.WriteString(" 0 x_dummy")
		}
		fmt.Fprintf(&m.b, " <= %d\n", in.tables[s])
	}
}

func (m *lpModel) binaries() {
	m.b.WriteString("Bounds\n")
}

func (m *lpModel) binarySection() {
	m.b.WriteString("Binaries\n")
	n := 0
	for r := 0; r < m.in.nR; r++ {
		for _, x := range m.xs[r] {
			fmt.Fprintf(&m.b, " %s", x)
			if n++; n%10 == 0 {
				m.b.WriteString("\n")
			}
		}
	}
	m.b.WriteString("\nEnd\n")
}

// stage1 is the weight model.
func stage1(in *instance) string {
	m := newLP(in)
	m.b.WriteString("\\ rongtong schedule oracle, stage 1: weight\nMaximize\n obj:")
	m.weightTerms()
	m.b.WriteString("\nSubject To\n")
	m.constraints()
	m.binaries()
	m.binarySection()
	return m.b.String()
}

// stage2 is the breaks model with the weight held at least at w.
func stage2(in *instance, w float64) string {
	m := newLP(in)
	m.b.WriteString("\\ rongtong schedule oracle, stage 2: breaks at weight optimum\nMinimize\n obj:")
	var bounds strings.Builder
	any := false
	m.terms = 0
	for p := int32(0); p < int32(in.nP); p++ {
		for k := int32(0); k < int32(in.nK); k++ {
			for t := in.sessLo[k]; t < in.sessHi[k]; t++ {
				m.sum(1, fmt.Sprintf("u_%d_%d", p, t))
				fmt.Fprintf(&bounds, " u_%d_%d >= 0\n", p, t)
				any = true
			}
			m.sum(-1, fmt.Sprintf("z_%d_%d", p, k))
			fmt.Fprintf(&bounds, " 0 <= z_%d_%d <= 1\n", p, k)
		}
	}
	if !any {
		m.b.WriteString(" 0 x_dummy")
	}
	m.b.WriteString("\nSubject To\n")
	m.constraints()
	m.row("weight")
	m.weightTerms()
	fmt.Fprintf(&m.b, " >= %s\n", strconv.FormatFloat(w-1e-6*(1+w), 'f', 9, 64))
	for p := int32(0); p < int32(in.nP); p++ {
		for k := int32(0); k < int32(in.nK); k++ {
			for t := in.sessLo[k]; t < in.sessHi[k]; t++ {
				// u_p_t - y_p_t + y_p_(t-1) >= 0
				m.row(fmt.Sprintf("run_%d_%d", p, t))
				m.sum(1, fmt.Sprintf("u_%d_%d", p, t))
				m.busyTerms(p, t, -1)
				if t > in.sessLo[k] {
					m.busyTerms(p, t-1, 1)
				}
				m.b.WriteString(" >= 0\n")
			}
			// z_p_k - Σ y_p_t <= 0
			m.row(fmt.Sprintf("meets_%d_%d", p, k))
			m.sum(1, fmt.Sprintf("z_%d_%d", p, k))
			for t := in.sessLo[k]; t < in.sessHi[k]; t++ {
				m.busyTerms(p, t, -1)
			}
			m.b.WriteString(" <= 0\n")
			// z_p_k - Σ u_p_t <= 0: no session has fewer than 0 breaks (valid, and it
			// tightens the relaxation).
			m.row(fmt.Sprintf("runs_%d_%d", p, k))
			m.sum(1, fmt.Sprintf("z_%d_%d", p, k))
			for t := in.sessLo[k]; t < in.sessHi[k]; t++ {
				m.sum(-1, fmt.Sprintf("u_%d_%d", p, t))
			}
			m.b.WriteString(" <= 0\n")
		}
	}
	m.binaries()
	m.b.WriteString(bounds.String())
	m.binarySection()
	return m.b.String()
}

// runCBC solves an LP file and returns the status line and variable values.
func runCBC(tb testing.TB, dir, name, model string, limit time.Duration) (status string, obj float64, vals map[string]float64) {
	tb.Helper()
	lp := filepath.Join(dir, name+".lp")
	out := filepath.Join(dir, name+".sol")
	if err := os.WriteFile(lp, []byte(model), 0o644); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("cbc", lp, "sec", strconv.Itoa(int(limit.Seconds())), "solve", "solu", out)
	if log, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("cbc %s: %v\n%s", name, err, log)
	}
	f, err := os.Open(out)
	if err != nil {
		tb.Fatalf("cbc %s wrote no solution: %v", name, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	vals = map[string]float64{}
	for first := true; sc.Scan(); first = false {
		line := sc.Text()
		if first {
			status = line
			if i := strings.LastIndex(line, "objective value"); i >= 0 {
				obj, _ = strconv.ParseFloat(strings.TrimSpace(line[i+len("objective value"):]), 64)
			}
			continue
		}
		fs := strings.Fields(line)
		if len(fs) > 0 && fs[0] == "**" {
			fs = fs[1:]
		}
		if len(fs) < 3 {
			continue
		}
		v, err := strconv.ParseFloat(fs[2], 64)
		if err != nil {
			tb.Fatalf("cbc %s: bad line %q", name, line)
		}
		vals[fs[1]] = v
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return status, obj, vals
}

// solveCBC finds the lexicographic optimum (weight, then breaks) of p with CBC, each
// stage limited to limit CPU seconds; when a stage stops on its limit, its best
// solution so far is taken and Optimal is false. The schedule it returns is measured with the package's own
// measure, which cross-checks the model's break count.
//
// With RONGTONG_SCHEDULE_CBC_CACHE set to a directory, results are kept there under the
// hash of the model and the limit, so a rerun of an evaluation does not solve again.
func solveCBC(tb testing.TB, p *Problem, limit time.Duration) cbcResult {
	tb.Helper()
	start := time.Now()
	in := compile(p)
	cache := ""
	if d := os.Getenv("RONGTONG_SCHEDULE_CBC_CACHE"); d != "" {
		sum := sha256.Sum256([]byte(stage1(in) + limit.String()))
		cache = filepath.Join(d, hex.EncodeToString(sum[:16])+".json")
		if b, err := os.ReadFile(cache); err == nil {
			var res cbcResult
			if err := json.Unmarshal(b, &res); err == nil {
				return res
			}
		}
	}
	dir := tb.TempDir()
	status1, w, _ := runCBC(tb, dir, "weight", stage1(in), limit)
	if !strings.HasPrefix(status1, "Optimal") && !strings.HasPrefix(status1, "Stopped") {
		tb.Fatalf("cbc stage 1: %s", status1)
	}
	status2, obj2, vals := runCBC(tb, dir, "breaks", stage2(in, w), limit)
	if !strings.HasPrefix(status2, "Optimal") && !strings.HasPrefix(status2, "Stopped") {
		tb.Fatalf("cbc stage 2: %s", status2)
	}
	sol := &Solution{}
	for r := 0; r < in.nR; r++ {
		for _, s := range in.allowed[r] {
			if vals[fmt.Sprintf("x_%d_%d", r, s)] > 0.5 {
				q := p.Requests[r]
				sol.Meetings = append(sol.Meetings, Meeting{Request: q.ID, A: q.A, B: q.B, Slot: p.Slots[in.slotOrig[s]].ID})
			}
		}
	}
	weight, breaks, _ := measure(p, sol.Meetings)
	if math.Abs(weight-w) > 1e-6*(1+w) {
		tb.Fatalf("cbc stage 2 lost weight: %v, stage 1 had %v", weight, w)
	}
	if strings.HasPrefix(status2, "Optimal") && math.Abs(obj2-float64(breaks)) > 1e-6 {
		tb.Fatalf("cbc break model counts %v, the schedule has %d breaks", obj2, breaks)
	}
	res := cbcResult{
		Weight:   w,
		Breaks:   breaks,
		Optimal:  strings.HasPrefix(status1, "Optimal") && strings.HasPrefix(status2, "Optimal"),
		Solution: sol,
		Seconds:  time.Since(start).Seconds(),
	}
	if cache != "" {
		b, err := json.Marshal(res)
		if err == nil {
			err = os.WriteFile(cache, b, 0o644)
		}
		if err != nil {
			tb.Logf("cbc cache: %v", err)
		}
	}
	return res
}

// needCBC skips the test when cbc is not installed.
func needCBC(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("cbc"); err != nil {
		tb.Skip("cbc not installed (apt-get install coinor-cbc); skipping the exact comparison")
	}
}

var execLookPath = exec.LookPath
