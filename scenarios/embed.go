// Package scenarios ships ready-made fault-injection scenarios, embedded in
// the binary so they can be run by name. Each NAME.yaml file starts with
// comments saying what it simulates and how to try it.
package scenarios

import (
	"embed"
	"io/fs"
	"sort"
	"strings"

	"github.com/syscage/syscage/inject"
)

// FS holds the shipped scenario files, NAME.yaml at its root.
//
//go:embed *.yaml
var FS embed.FS

// Names returns the names of the shipped scenarios (file names without
// .yaml), sorted.
func Names() []string {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		// The embedded root always reads; keep the signature simple.
		return nil
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Load parses the shipped scenario name (as Names lists it; a trailing
// ".yaml" is allowed). Messages name the file as "NAME.yaml". An unknown
// name gives an error wrapping fs.ErrNotExist that lists the known ones.
func Load(name string) (*inject.Scenario, error) {
	file := strings.TrimSuffix(name, ".yaml") + ".yaml"
	data, err := FS.ReadFile(file)
	if err != nil {
		return nil, &fs.PathError{Op: "load scenario", Path: name,
			Err: &unknownError{names: Names()}}
	}
	return inject.Parse(data, file)
}

type unknownError struct{ names []string }

func (e *unknownError) Error() string {
	return "no such shipped scenario (have " + strings.Join(e.names, ", ") + ")"
}

func (e *unknownError) Unwrap() error { return fs.ErrNotExist }
