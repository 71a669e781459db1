package main

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// The man page lists exactly the flags syscage run declares.
func TestManPageInStepWithFlags(t *testing.T) {
	b, err := os.ReadFile("../../docs/syscage.1")
	if err != nil {
		t.Fatal(err)
	}
	page := strings.ReplaceAll(string(b), `\-`, "-")
	var opt runOptions
	fs := newRunFlags(&opt)
	declared := map[string]bool{}
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Name == "expr" {
			return // -e is documented by its qualifiers
		}
		if f.Hidden {
			declared["-"+f.Shorthand] = true // the short form of a documented long one
			return
		}
		declared["--"+f.Name] = true
		if f.Shorthand != "" {
			declared["-"+f.Shorthand] = true
		}
	})
	declared["-e"] = true
	// Every declared flag is documented...
	for flag := range declared {
		if !regexp.MustCompile(`(^|[\s"])` + regexp.QuoteMeta(flag) + `($|[\s",=])`).MatchString(page) {
			t.Errorf("docs/syscage.1 does not document %s", flag)
		}
	}
	// ...and every option the page documents (.TP entries) is declared.
	var documented []string
	for _, m := range regexp.MustCompile(`(?m)^\.TP\n\.B[IR]? "?(--?[a-zA-Z-]+)`).FindAllStringSubmatch(page, -1) {
		documented = append(documented, m[1])
	}
	sort.Strings(documented)
	if len(documented) < 15 {
		t.Fatalf("found only %d documented options: %v", len(documented), documented)
	}
	for _, flag := range documented {
		if !declared[flag] {
			t.Errorf("docs/syscage.1 documents %s, which syscage run does not declare", flag)
		}
	}
}

// syscage run --help names every long flag too.
func TestHelpInStepWithFlags(t *testing.T) {
	var opt runOptions
	newRunFlags(&opt).VisitAll(func(f *pflag.Flag) {
		if f.Name == "expr" || f.Hidden {
			return
		}
		if !strings.Contains(runUsage, "--"+f.Name) {
			t.Errorf("syscage run --help does not show --%s", f.Name)
		}
	})
}
