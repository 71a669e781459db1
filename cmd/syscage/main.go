// Command syscage runs a program under a seccomp user-notification filter,
// prints the syscalls it makes in strace's format and answers chosen calls
// with faults that YAML scenarios describe.
//
//	syscage run [options] -- COMMAND [ARG...]
//	syscage check FILE...
//	syscage features [--json]
//	syscage agent --listen SOCKET [options]
//	syscage profile --scenario FILE --listener SOCKET [options]
//	syscage version
package main

import (
	"fmt"
	"os"
	"strings"
)

// Version is set at build time (-ldflags "-X main.Version=...").
var Version = "0.1.0-dev"

// Exit statuses of syscage itself; a traced run exits with the tracee's.
const (
	exitFailure = 1 // syscage could not do what it was asked
	exitUsage   = 2 // bad flags, syscall names, scenarios: nothing was launched
	exitExpect  = 3 // the command exited 0 but a rule's expect: was not met
)

func main() {
	os.Exit(mainArgs(os.Args[1:]))
}

func mainArgs(args []string) int {
	if len(args) == 0 {
		usageError("missing command: run, check, features, agent, profile or version")
		return exitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:])
	case "check":
		return cmdCheck(args[1:])
	case "features":
		return cmdFeatures(args[1:])
	case "agent":
		return cmdAgent(args[1:])
	case "profile":
		return cmdProfile(args[1:])
	case "version", "--version":
		fmt.Printf("syscage %s\n", Version)
		return 0
	case "help", "-h", "--help":
		fmt.Print(topUsage)
		return 0
	}
	usageError(fmt.Sprintf("unknown command %q: run, check, features, agent, profile or version", args[0]))
	return exitUsage
}

const topUsage = `usage: syscage COMMAND [ARGS]

Commands:
  run [options] -- PROG [ARGS]   trace PROG and inject faults (syscage run --help)
  check FILE...                  validate scenario files without running anything
  features [--json]              what this kernel offers and what syscage uses
  agent --listen SOCKET          the seccomp agent of runc, crun and Kubernetes
                                 (syscage agent --help)
  profile --listener SOCKET --scenario FILE
                                 write an OCI seccomp profile whose notified
                                 calls go to the agent (syscage profile --help)
  version                        print the version

syscage needs no root and no ptrace: it uses seccomp user notification
(Linux 5.5 or later). It is a test and debugging tool, not a sandbox.
`

// usageError prints the reason for exit status 2: one line, or one line
// per problem (a scenario with several), each starting "syscage: ".
func usageError(msg string) {
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintf(os.Stderr, "syscage: %s\n", line)
	}
}
