package inject

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// This file checks scenarios/schema.json: that it agrees with the parser's
// keys and tables, and that every shipped scenario, every example in
// docs/scenarios.md and the test scenarios the parser accepts validate
// against it. The validator is a small hand-written one for the keywords
// the schema uses (it fails on any other), not a full JSON Schema
// implementation.

const schemaFile = "../scenarios/schema.json"

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema is %v, want draft 2020-12", s["$schema"])
	}
	return s
}

// validator checks instances against one schema document.
type validator struct {
	root map[string]any
}

// annotations are keywords that do not constrain.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$defs": true, "title": true, "description": true,
	"markdownDescription": true, "examples": true, "default": true,
}

// validate returns the problems of v against schema s, each prefixed by
// the instance path.
func (x *validator) validate(s map[string]any, v any, at string) []string {
	var errs []string
	fail := func(format string, args ...any) {
		errs = append(errs, at+": "+fmt.Sprintf(format, args...))
	}
	for kw, arg := range s {
		switch kw {
		case "$ref":
			ref := arg.(string)
			name, ok := strings.CutPrefix(ref, "#/$defs/")
			if !ok {
				fail("unsupported $ref %q", ref)
				continue
			}
			def, ok := x.root["$defs"].(map[string]any)[name].(map[string]any)
			if !ok {
				fail("$ref %q names nothing", ref)
				continue
			}
			errs = append(errs, x.validate(def, v, at)...)
		case "type":
			var types []string
			switch a := arg.(type) {
			case string:
				types = []string{a}
			case []any:
				for _, t := range a {
					types = append(types, t.(string))
				}
			}
			ok := false
			for _, t := range types {
				ok = ok || hasType(v, t)
			}
			if !ok {
				fail("want type %v, got %T", types, v)
			}
		case "const":
			if !jsonEqual(v, arg) {
				fail("want %v", arg)
			}
		case "enum":
			ok := false
			for _, e := range arg.([]any) {
				ok = ok || jsonEqual(v, e)
			}
			if !ok {
				fail("%v not in enum", v)
			}
		case "pattern":
			if str, ok := v.(string); ok && !regexp.MustCompile(arg.(string)).MatchString(str) {
				fail("%q does not match %s", str, arg)
			}
		case "minLength", "maxLength":
			if str, ok := v.(string); ok {
				n := float64(len([]rune(str)))
				if (kw == "minLength" && n < arg.(float64)) || (kw == "maxLength" && n > arg.(float64)) {
					fail("length %v breaks %s %v", n, kw, arg)
				}
			}
		case "minimum", "maximum", "exclusiveMinimum":
			if f, ok := number(v); ok {
				lim := arg.(float64)
				if (kw == "minimum" && f < lim) || (kw == "maximum" && f > lim) || (kw == "exclusiveMinimum" && f <= lim) {
					fail("%v breaks %s %v", f, kw, lim)
				}
			}
		case "required":
			if m, ok := v.(map[string]any); ok {
				for _, k := range arg.([]any) {
					if _, ok := m[k.(string)]; !ok {
						fail("missing %q", k)
					}
				}
			}
		case "minProperties":
			if m, ok := v.(map[string]any); ok && float64(len(m)) < arg.(float64) {
				fail("fewer than %v properties", arg)
			}
		case "properties":
			if m, ok := v.(map[string]any); ok {
				props := arg.(map[string]any)
				for k, val := range m {
					if ps, ok := props[k].(map[string]any); ok {
						errs = append(errs, x.validate(ps, val, at+"."+k)...)
					}
				}
			}
		case "additionalProperties":
			if arg != false {
				fail("unsupported additionalProperties %v", arg)
				continue
			}
			if m, ok := v.(map[string]any); ok {
				props, _ := s["properties"].(map[string]any)
				for k := range m {
					if _, ok := props[k]; !ok {
						fail("unknown property %q", k)
					}
				}
			}
		case "items":
			if l, ok := v.([]any); ok {
				for i, it := range l {
					errs = append(errs, x.validate(arg.(map[string]any), it, fmt.Sprintf("%s[%d]", at, i))...)
				}
			}
		case "minItems":
			if l, ok := v.([]any); ok && float64(len(l)) < arg.(float64) {
				fail("fewer than %v items", arg)
			}
		case "oneOf", "anyOf":
			n := 0
			for _, sub := range arg.([]any) {
				if len(x.validate(sub.(map[string]any), v, at)) == 0 {
					n++
				}
			}
			if (kw == "oneOf" && n != 1) || (kw == "anyOf" && n == 0) {
				fail("%s: %d subschemas match", kw, n)
			}
		case "not":
			if len(x.validate(arg.(map[string]any), v, at)) == 0 {
				fail("matches a schema it must not")
			}
		default:
			if !annotations[kw] {
				fail("validator does not know keyword %q", kw)
			}
		}
	}
	return errs
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	case "number":
		_, ok := number(v)
		return ok
	case "integer":
		f, ok := number(v)
		return ok && f == math.Trunc(f) && !math.IsInf(f, 0)
	}
	return false
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func jsonEqual(a, b any) bool {
	fa, oka := number(a)
	fb, okb := number(b)
	if oka && okb {
		return fa == fb
	}
	return fmt.Sprint(a) == fmt.Sprint(b) && fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b)
}

// instance decodes YAML the way an editor's YAML language server hands it
// to the schema.
func instance(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	return normalise(v)
}

// normalise turns yaml.v3's map[string]interface{} tree into JSON's.
func normalise(v any) any {
	switch n := v.(type) {
	case map[string]any:
		for k, x := range n {
			n[k] = normalise(x)
		}
	case []any:
		for i, x := range n {
			n[i] = normalise(x)
		}
	}
	return v
}

func schemaValidate(t *testing.T, schema map[string]any, src []byte) []string {
	x := &validator{root: schema}
	return x.validate(schema, instance(t, src), "$")
}

// TestSchemaShippedScenarios validates scenarios/*.yaml.
func TestSchemaShippedScenarios(t *testing.T) {
	schema := loadSchema(t)
	files, err := filepath.Glob("../scenarios/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if errs := schemaValidate(t, schema, data); len(errs) > 0 {
			t.Errorf("%s does not validate:\n%s", f, strings.Join(errs, "\n"))
		}
		if _, err := Parse(data, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestSchemaAcceptsWhatParseAccepts validates test scenarios that Parse
// accepts.
func TestSchemaAcceptsWhatParseAccepts(t *testing.T) {
	schema := loadSchema(t)
	srcs := []string{
		"name: x\nrules:\n- {name: a, syscalls: [openat], error: EPERM}\n",
		"name: x\ndescription:\nversion: 1\nseed: -3\nrules:\n- {name: a, syscalls: [\"%file\"], error: 2, when: 3}\n",
		"name: x\nrules:\n- {name: a, syscalls: [read], retval: 0x10, when: \"1..9+2\", scope: global}\n",
		"name: x\nrules:\n- {name: a, syscalls: [socket], flags: [SOCK_DGRAM], kill: true, delay: 1.5s}\n",
		"name: x\nrules:\n- {name: a, syscalls: [read], args: [{index: 0, op: \"&\", value: \"0x40\"}], signal: 10}\n",
		"name: x\nrules:\n- {name: a, syscalls: [connect], address: \"@x\", delay_exit: 1h2m, expect: {max: 0}}\n",
	}
	for _, src := range srcs {
		if _, err := Parse([]byte(src), "t.yaml"); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if errs := schemaValidate(t, schema, []byte(src)); len(errs) > 0 {
			t.Errorf("%q does not validate:\n%s", src, strings.Join(errs, "\n"))
		}
	}
	// TestParseKeys's scenario uses every key.
	data, err := os.ReadFile("rule_test.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)Parse\\(\\[\\]byte\\(`(name: all-keys.*?)`\\)").FindSubmatch(data)
	if m == nil {
		t.Fatal("all-keys scenario not found in rule_test.go")
	}
	if errs := schemaValidate(t, schema, m[1]); len(errs) > 0 {
		t.Errorf("all-keys scenario does not validate:\n%s", strings.Join(errs, "\n"))
	}
}

// TestSchemaRejects makes sure the schema is not vacuous.
func TestSchemaRejects(t *testing.T) {
	schema := loadSchema(t)
	for _, src := range []string{
		"rules:\n- {name: a, syscalls: [read], error: EIO}\n",                           // no name
		"name: x\nrules: []\n",                                                          // empty rules
		"name: x\nverison: 1\nrules:\n- {name: a, syscalls: [read], error: EIO}\n",      // unknown key
		"name: x\nrules:\n- {name: a, syscalls: [read]}\n",                              // no action
		"name: x\nrules:\n- {name: a, syscalls: [read], error: EIO, retval: 1}\n",       // two actions
		"name: x\nrules:\n- {name: a, syscalls: [read], log: true, delay: 1s}\n",        // log with delay
		"name: x\nrules:\n- {name: a, syscalls: [read], kill: true, signal: 9}\n",       // kill with signal
		"name: x\nrules:\n- {name: a, syscalls: [read], error: EIO, delay: 100}\n",      // duration without unit
		"name: x\nrules:\n- {name: a, syscalls: [read], error: EIO, probability: 0}\n",  // probability 0
		"name: x\nrules:\n- {name: a, syscalls: [read], error: EIO, scope: cpu}\n",      // scope
		"name: x\nrules:\n- {name: a, syscalls: [open], error: EIO, flags: [O_NOPE]}\n", // flag
		"name: x\nrules:\n- {name: a, syscalls: [read], error: EIO, port: 70000}\n",     // port
		"name: x\nrules:\n- {name: a, syscalls: [read], error: EIO, expect: maybe}\n",   // expect
		"name: x\nrules:\n- {name: a, syscalls: [read], error: EIO, args: [{index: 6, op: \"==\", value: 1}]}\n",
		"name: x\nrules:\n- {name: a, syscalls: [read], error: EIO, process: {}}\n",
		"name: x\nrules:\n- {name: a, syscalls: [read], kill: false}\n",
	} {
		if errs := schemaValidate(t, schema, []byte(src)); len(errs) == 0 {
			t.Errorf("schema accepts %q", src)
		}
		if _, err := Parse([]byte(src), "t.yaml"); err == nil {
			t.Errorf("Parse accepts %q", src)
		}
	}
}

// TestSchemaInSync checks the schema's lists against the parser's.
func TestSchemaInSync(t *testing.T) {
	schema := loadSchema(t)
	props := func(m map[string]any) []string {
		var ks []string
		for k := range m["properties"].(map[string]any) {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	enum := func(m any) []string {
		var out []string
		for _, v := range m.(map[string]any)["enum"].([]any) {
			out = append(out, v.(string))
		}
		sort.Strings(out)
		return out
	}
	sorted := func(s []string) []string {
		s = append([]string(nil), s...)
		sort.Strings(s)
		return s
	}
	check := func(what string, got, want []string) {
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: schema has %q, parser %q", what, got, want)
		}
	}
	defs := schema["$defs"].(map[string]any)
	rule := defs["rule"].(map[string]any)
	ruleProps := rule["properties"].(map[string]any)
	check("scenario keys", props(schema), sorted(scenarioKeys))
	check("rule keys", props(rule), sorted(ruleKeys))
	check("process keys", props(ruleProps["process"].(map[string]any)), sorted(processKeys))
	check("args keys", props(defs["argTest"].(map[string]any)), sorted(argKeys))
	check("flags", enum(ruleProps["flags"].(map[string]any)["items"]), FlagNames())
	var fams []string
	for f := range familyByName {
		fams = append(fams, f)
	}
	check("families", enum(ruleProps["family"]), sorted(fams))
	var ops []string
	for _, o := range argOpNames {
		ops = append(ops, o)
	}
	check("ops", enum(defs["argTest"].(map[string]any)["properties"].(map[string]any)["op"]), sorted(ops))
	check("scopes", enum(ruleProps["scope"]), sorted([]string{ScopeProcess.String(), ScopeThread.String(), ScopeGlobal.String()}))
}
