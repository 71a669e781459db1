package inject

import (
	"fmt"
	"testing"
)

// straceFires replays strace's own counting (src/syscall.c,
// tamper_with_syscall_entering, with uint16_t first/last/step and
// INJECT_LAST_INF) for calls 1..n and returns which ones inject.
func straceFires(w When, n int) []bool {
	first, last, step := uint16(w.First), uint16(w.Last), uint16(w.Step)
	const inf = uint16(0xffff)
	out := make([]bool, n)
	for i := range out {
		if first == 0 || last == 0 {
			continue
		}
		if last != inf {
			last--
		}
		first--
		if first != 0 {
			continue
		}
		first = step
		out[i] = true
	}
	return out
}

func firesUpTo(w When, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = w.Fires(uint64(i + 1))
	}
	return out
}

// calls lists the 1-based numbers that fire among the first n.
func calls(fires []bool) []int {
	var out []int
	for i, f := range fires {
		if f {
			out = append(out, i+1)
		}
	}
	return out
}

func TestParseWhen(t *testing.T) {
	tests := []struct {
		in    string
		want  When
		fires []int // among calls 1..20
		str   string
	}{
		{"1", When{1, LastInf, 0}, []int{1}, "1"},
		{"3", When{3, LastInf, 0}, []int{3}, "3"},
		{"3+", When{3, LastInf, 1}, []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "3+"},
		{"1+", Always, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "1+"},
		{"2+5", When{2, LastInf, 5}, []int{2, 7, 12, 17}, "2+5"},
		{"3..5", When{3, 5, 1}, []int{3, 4, 5}, "3..5"},
		{"3..5+", When{3, 5, 1}, []int{3, 4, 5}, "3..5"},
		{"3..5+1", When{3, 5, 1}, []int{3, 4, 5}, "3..5"},
		{"2..11+3", When{2, 11, 3}, []int{2, 5, 8, 11}, "2..11+3"},
		{"2..10+3", When{2, 10, 3}, []int{2, 5, 8}, "2..10+3"},
		{"4..4", When{4, 4, 1}, []int{4}, "4..4"},
		{"1+1", Always, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "1+"},
		{"007", When{7, LastInf, 0}, []int{7}, "7"},
		{"65535", When{65535, LastInf, 0}, nil, "65535"},
		{"1..65534", When{1, 65534, 1}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, "1..65534"},
		{"1+65535", When{1, LastInf, 65535}, []int{1}, "1+65535"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := ParseWhen(tt.in)
			if err != nil {
				t.Fatalf("ParseWhen(%q): %v", tt.in, err)
			}
			if w != tt.want {
				t.Fatalf("ParseWhen(%q) = %+v, want %+v", tt.in, w, tt.want)
			}
			if got := calls(firesUpTo(w, 20)); fmt.Sprint(got) != fmt.Sprint(tt.fires) {
				t.Errorf("%q fires on %v, want %v", tt.in, got, tt.fires)
			}
			if got := calls(straceFires(w, 20)); fmt.Sprint(got) != fmt.Sprint(tt.fires) {
				t.Errorf("strace's counting of %q fires on %v, want %v", tt.in, got, tt.fires)
			}
			if s := w.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			if w2, err := ParseWhen(w.String()); err != nil || w2 != w {
				t.Errorf("ParseWhen(String()) = %+v, %v; want %+v", w2, err, w)
			}
		})
	}
}

func TestParseWhenErrors(t *testing.T) {
	const want = " (want first[..last][+[step]])"
	tests := []struct{ in, err string }{
		{"", `bad when "": no first number`},
		{"0", `bad when "0": first must be 1..65535`},
		{"0+", `bad when "0+": first must be 1..65535`},
		{"65536", `bad when "65536": first must be 1..65535`},
		{"99999999999999999999999", `bad when "99999999999999999999999": first must be 1..65535`},
		{"+3", `bad when "+3": no first number`},
		{"-1", `bad when "-1": no first number`},
		{" 1", `bad when " 1": no first number`},
		{"1 ", `bad when "1 ": unexpected " "`},
		{"x", `bad when "x": no first number`},
		{"1.5", `bad when "1.5": unexpected ".5"`},
		{"1..", `bad when "1..": no number after ..`},
		{"1..+2", `bad when "1..+2": no number after ..`},
		{"5..3", `bad when "5..3": last must be 5..65534`},
		{"1..65535", `bad when "1..65535": last must be 1..65534`},
		{"1..2..3", `bad when "1..2..3": unexpected "..3"`},
		{"1+0", `bad when "1+0": step must be 1..65535`},
		{"1+65536", `bad when "1+65536": step must be 1..65535`},
		{"1+x", `bad when "1+x": step must be a number`},
		{"1+2+", `bad when "1+2+": step must be a number`},
		{"1++", `bad when "1++": step must be a number`},
		{"2+..5", `bad when "2+..5": step must be a number`},
		{"1..3+0", `bad when "1..3+0": step must be 1..65535`},
	}
	for _, tt := range tests {
		w, err := ParseWhen(tt.in)
		if err == nil {
			t.Errorf("ParseWhen(%q) = %+v, want error", tt.in, w)
			continue
		}
		if err.Error() != tt.err+want {
			t.Errorf("ParseWhen(%q) error\n got %s\nwant %s", tt.in, err, tt.err+want)
		}
	}
}

// TestFiresMatchesStrace compares Fires with strace's counting over many
// expressions and the first 300 calls.
func TestFiresMatchesStrace(t *testing.T) {
	var ws []When
	for f := uint32(1); f <= 7; f++ {
		ws = append(ws, When{f, LastInf, 0})
		for s := uint32(1); s <= 5; s++ {
			ws = append(ws, When{f, LastInf, s})
			for l := f; l <= f+12; l++ {
				ws = append(ws, When{f, l, s})
			}
		}
	}
	ws = append(ws, When{250, 290, 7}, When{1, 65534, 100})
	for _, w := range ws {
		got, want := firesUpTo(w, 300), straceFires(w, 300)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%+v (%s): fires on %v, strace on %v", w, w, calls(got), calls(want))
		}
	}
}

func TestFiresEdges(t *testing.T) {
	if (When{}).Fires(0) || Always.Fires(0) {
		t.Error("call 0 fired")
	}
	for _, n := range []uint64{1, 2, 65535, 65536, 1 << 40} {
		if !(When{}).Fires(n) || !Always.Fires(n) {
			t.Errorf("default When did not fire on call %d", n)
		}
	}
	// An open range does not end at 65535, as strace's counter does not.
	if w := (When{2, LastInf, 3}); !w.Fires(2+3*100000) || w.Fires(3+3*100000) {
		t.Error("2+3 wrong past 65535")
	}
	if w := (When{0, LastInf, 1}); w.Fires(1) || w.Fires(5) {
		t.Error("First 0 fired (strace never injects then)")
	}
	if w := (When{3, 9, 1}); w.Fires(10) || w.Fires(1<<33+5) {
		t.Error("fired past last")
	}
	if s := (When{}).String(); s != "1+" {
		t.Errorf("zero When prints %q", s)
	}
}

func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"1", "3+", "2+5", "3..5", "2..11+3", "0", "1..", "65535", "1..65534+65535", "1+0", "9..2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWhen(s)
		if err != nil {
			if w != (When{}) {
				t.Fatalf("error with non-zero When %+v", w)
			}
			return
		}
		if w.First < 1 || w.First > WhenMax || w.Step > WhenMax ||
			(w.Last != LastInf && (w.Last < w.First || w.Step == 0)) {
			t.Fatalf("ParseWhen(%q) = %+v out of strace's limits", s, w)
		}
		w2, err := ParseWhen(w.String())
		if err != nil || w2 != w {
			t.Fatalf("round trip of %q: %q -> %+v, %v", s, w.String(), w2, err)
		}
		n := int(w.First) + 64
		if got, want := firesUpTo(w, n), straceFires(w, n); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%q: fires on %v, strace on %v", s, calls(got), calls(want))
		}
	})
}
