package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/syscage/syscage/inject"
	"github.com/syscage/syscage/scenarios"
)

// cmdCheck validates scenario files: exit 0, or 2 with every problem as
// FILE:LINE:COL: reason.
func cmdCheck(args []string) int {
	if len(args) == 0 {
		usageError("check: no scenario files given")
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "--help" {
		fmt.Print("usage: syscage check FILE...\n\nValidates scenario files (or shipped scenarios by name) without running\nanything: exit status 0, or 2 with every problem as FILE:LINE:COL: reason.\n")
		return 0
	}
	if args[0] == "--" {
		args = args[1:] // the end of options: names that start with "-" follow
	}
	status := 0
	for _, name := range args {
		sc, err := loadScenario(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = exitUsage
			continue
		}
		for _, w := range inject.Warnings(sc) {
			w.Reason = "warning: " + w.Reason
			fmt.Fprintln(os.Stderr, w.String())
		}
		fmt.Printf("%s: ok (%s, %d rules)\n", name, printableName(sc.Name), len(sc.Rules))
	}
	return status
}

// loadScenario reads a scenario file or, when no file of that name exists
// and the name has no slash, a shipped scenario by name ("config-missing" or
// "config-missing.yaml"). An unknown name lists the shipped ones.
func loadScenario(name string) (*inject.Scenario, error) {
	if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) && !strings.Contains(name, "/") {
		sc, err := scenarios.Load(name)
		if err != nil {
			return nil, fmt.Errorf("%s: no such file, and no shipped scenario of that name (%s)", name, strings.Join(scenarios.Names(), ", "))
		}
		return sc, nil
	}
	return inject.LoadFile(name)
}

// loadScenarios loads each named scenario with loadScenario; the error
// holds every problem of every file, one per line.
func loadScenarios(names []string) ([]*inject.Scenario, error) {
	var scs []*inject.Scenario
	var problems []string
	for _, name := range names {
		sc, err := loadScenario(name)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		// The report keys its entries by scenario and rule names: a
		// second scenario of one name (the same file twice, say) would
		// make entries no one can tell apart.
		for _, prev := range scs {
			if prev.Name == sc.Name {
				problems = append(problems, fmt.Sprintf("%s:%d:%d: scenario %q is given twice (first in %s:%d:%d)",
					sc.File, sc.Line, sc.Col, sc.Name, prev.File, prev.Line, prev.Col))
				break
			}
		}
		scs = append(scs, sc)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return scs, nil
}

func shippedNames() []string { return scenarios.Names() }

// printableName is a scenario's name as output may repeat it: as it is,
// or Go-quoted when it holds a byte a terminal would act on (docs/security.md).
func printableName(name string) string {
	if strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return strconv.Quote(name) // IsPrint is false for C0, DEL and C1 controls
	}
	return name
}
