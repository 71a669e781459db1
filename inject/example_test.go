package inject_test

import (
	"fmt"

	"github.com/syscage/syscage/inject"
)

func ExampleEngine_Decide() {
	s, err := inject.Parse([]byte(`
name: flaky-config
rules:
  - name: second-open-fails
    syscalls: [openat]
    path: "/etc/myapp/**"
    error: EIO
    when: "2"
`), "flaky-config.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	e := inject.NewEngine([]*inject.Scenario{s})
	for _, path := range []string{"/etc/myapp/a.conf", "/etc/passwd", "/etc/myapp/b.conf", "/etc/myapp/a.conf"} {
		d := e.Decide(inject.Event{Pid: 42, Name: "openat", Path: path, HasPath: true})
		fmt.Println(path, d.Action, d.Errno)
	}
	// Output:
	// /etc/myapp/a.conf continue 0
	// /etc/passwd continue 0
	// /etc/myapp/b.conf error 5
	// /etc/myapp/a.conf continue 0
}

func ExampleParse_errors() {
	_, err := inject.Parse([]byte(`name: broken
rules:
  - name: a
    syscalls: [openat]
    error: ENOENT
    retval: 0
  - name: a
    syscalls: [connect]
    port: 70000
    error: ECONNREFUSED
    when: 0+
`), "broken.yaml")
	fmt.Println(err)
	// Output:
	// broken.yaml:6:5: rule "a": error and retval given together; want at most one of error, retval, kill, log
	// broken.yaml:7:5: rule "a": name already used at line 3
	// broken.yaml:9:11: rule "a": port: 70000 out of range 1..65535
	// broken.yaml:11:11: rule "a": when: bad when "0+": first must be 1..65535 (want first[..last][+[step]])
}

func ExampleParseInjectExpr() {
	// strace's -e inject=openat,close:error=EIO:when=2 and -e fault=fsync.
	var rules []*inject.Rule
	for _, opt := range [][2]string{{"inject", "openat,close:error=EIO:when=2"}, {"fault", "fsync"}} {
		r, err := inject.ParseInjectExpr(opt[0], opt[1])
		if err != nil {
			fmt.Println(err)
			return
		}
		rules = append(rules, r...)
	}
	e := inject.NewEngine([]*inject.Scenario{inject.ScenarioFromExprs(rules)})
	for _, name := range []string{"openat", "close", "openat", "close", "fsync"} {
		d := e.Decide(inject.Event{Pid: 42, Name: name})
		fmt.Println(name, d.Action, d.Errno)
	}
	_, err := inject.ParseInjectExpr("inject", "openat:error=EFOO")
	fmt.Println(err)
	// Output:
	// openat continue 0
	// close continue 0
	// openat error 5
	// close error 5
	// fsync error 38
	// invalid inject argument 'openat:error=EFOO'
}

func ExampleEngine_Unmet() {
	s, _ := inject.Parse([]byte(`
name: must-fail-open
rules:
  - name: hide-config
    syscalls: [openat]
    path: "/etc/myapp/**"
    error: ENOENT
    expect: fired
`), "must-fail-open.yaml")
	e := inject.NewEngine([]*inject.Scenario{s})
	e.Decide(inject.Event{Pid: 1, Name: "openat", Path: "/etc/passwd", HasPath: true})
	for _, line := range e.Unmet() {
		fmt.Println(line)
	}
	// Output:
	// must-fail-open.yaml:8:13: rule "hide-config" expected fired, fired 0 times
}
