package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/syscage/syscage/inject"
	"github.com/syscage/syscage/scenarios"
)

// cmdCheck validates scenario files: exit 0, or 2 with every problem as
// FILE:LINE: reason.
func cmdCheck(args []string) int {
	if len(args) == 0 {
		usageError("check: no scenario files given")
		return exitUsage
	}
	status := 0
	for _, name := range args {
		sc, err := loadScenario(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = exitUsage
			continue
		}
		fmt.Printf("%s: ok (%s, %d rules)\n", name, sc.Name, len(sc.Rules))
	}
	return status
}

// loadScenario reads a scenario file, or a shipped scenario by name when no
// file of that name exists.
func loadScenario(name string) (*inject.Scenario, error) {
	if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) {
		if data, err := fs.ReadFile(scenarios.FS, name+".yaml"); err == nil {
			return inject.Parse(data, "scenarios/"+name+".yaml")
		}
	}
	return inject.LoadFile(name)
}

func shippedNames() []string { return scenarios.Names() }
