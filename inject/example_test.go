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
	// broken.yaml:6: rule "a": both error and retval given; want exactly one
	// broken.yaml:7: rule "a": name already used at line 3
	// broken.yaml:9: rule "a": port: 70000 out of range 1..65535
	// broken.yaml:11: rule "a": when: bad when "0+": first must be 1..65535 (want first[..last][+[step]])
}
