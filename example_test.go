package syscage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/syscage/syscage"
)

// A test asserts that its program reports a missing config file, which
// the shipped config-missing scenario hides although it exists.
func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	conf := filepath.Join(dir, "syscage-demo", "app.yaml")
	os.MkdirAll(filepath.Dir(conf), 0o755)
	os.WriteFile(conf, []byte("port: 8080\n"), 0o644)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stderr strings.Builder
	res, err := syscage.Run(ctx, syscage.Options{
		Command:   []string{"cat", conf},
		Scenarios: []string{"config-missing"},
		Stderr:    &stderr,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rule := res.Report.Rules[0]
	fmt.Printf("cat exited %d: %v\n", res.ExitCode, strings.Contains(stderr.String(), "No such file or directory"))
	fmt.Printf("rule %s fired %d time(s)\n", rule.Name, rule.Fired)
	// Output:
	// cat exited 1: true
	// rule hide-config fired 1 time(s)
}
