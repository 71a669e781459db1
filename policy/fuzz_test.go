package policy

import (
	"strings"
	"testing"
)

// FuzzParseTrace: no panic, and a set that parses answers Has consistently
// with IsAll and IsNone.
func FuzzParseTrace(f *testing.F) {
	for _, s := range []string{"all", "none", "!openat,close", "%file", "%%stat", "/^open", "?foo", "1,2,3", "!all", "", ",", "!", "%", "/(", "openat,,close"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		ts, err := ParseTrace(expr)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error for %q: %q", expr, err)
			}
			return
		}
		if ts.IsAll() && !ts.Has("openat") {
			t.Errorf("%q: IsAll but not Has(openat)", expr)
		}
		if ts.IsNone() && ts.Has("openat") {
			t.Errorf("%q: IsNone but Has(openat)", expr)
		}
	})
}
