package inject

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocsExamples parses every ```yaml block of docs/scenarios.md as a
// complete scenario, validates it against the schema, and wants no
// warnings from it; the error example must match what Parse says.
func TestDocsExamples(t *testing.T) {
	data, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	schema := loadSchema(t)
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(data, -1)
	if len(blocks) < 8 {
		t.Fatalf("%d yaml examples in docs/scenarios.md", len(blocks))
	}
	for i, b := range blocks {
		s, err := Parse(b[1], "docs-example.yaml")
		if err != nil {
			t.Errorf("example %d:\n%s\n%v", i+1, b[1], err)
			continue
		}
		if errs := schemaValidate(t, schema, b[1]); len(errs) > 0 {
			t.Errorf("example %d (%s) does not validate:\n%s", i+1, s.Name, strings.Join(errs, "\n"))
		}
		for _, w := range Warnings(s) {
			t.Errorf("example %d (%s): warning %s", i+1, s.Name, w)
		}
	}
	// The errors shown are what ExampleParse_errors prints.
	for _, line := range []string{
		`broken.yaml:6:5: rule "a": error and retval given together; want at most one of error, retval, kill, log`,
		`broken.yaml:9:11: rule "a": port: 70000 out of range 1..65535`,
		`broken.yaml:11:11: rule "a": when: bad when "0+": first must be 1..65535 (want first[..last][+[step]])`,
	} {
		if !strings.Contains(string(data), line) {
			t.Errorf("docs lack the error line %s", line)
		}
	}
	for _, expr := range []string{"openat:error=EFOO", "opneat"} {
		_, err := ParseInjectExpr("inject", expr)
		if err == nil || !strings.Contains(string(data), "syscage: "+err.Error()) {
			t.Errorf("docs lack the message for -e inject=%s: %v", expr, err)
		}
	}
}
