package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/inject"
	"github.com/syscage/syscage/policy"
	"github.com/syscage/syscage/supervisor"
)

const runUsage = `usage: syscage run [options] [--] PROG [ARGS]

Runs PROG under a seccomp user-notification filter and prints its syscalls
in strace's format; scenarios make chosen calls fail.

Filtering:
  -e trace=SET        trace only the syscalls in SET: names, classes (%%file
                      %%network %%process %%desc %%signal %%memory %%ipc %%creds
                      %%clock ...), all, none; a leading ! negates. Default: all
  -e SET              the same as -e trace=SET

Fault injection:
      --scenario FILE   apply the rules of a YAML scenario (repeatable); the
                        name of a shipped scenario (%s) works too
  -e inject=SET:error=ERRNO|retval=N[:signal=SIG][:delay_enter=DUR][:delay_exit=DUR][:when=EXPR]
                        strace's fault injection (repeatable; all apply, in order)
  -e fault=SET[:error=ERRNO][:when=EXPR]
                        the same with error=ENOSYS by default
      --seed N          seed for rules with a probability (default: the first
                        scenario's seed, else random; the report records it)
      --dry-run         decide but inject nothing: lines end (WOULD INJECT)
      --report FILE     write a JSON run report: seed, exit status, and per
                        rule matched, fired, first and last hit

Output format:
  -s STRSIZE          the most bytes of a string to print (default 32)

Miscellaneous:
  -o FILE             write the trace to FILE instead of standard error
  -f                  follow forks (always on: children inherit the filter)
  -h, --help          print this help

A call that is let through ends " = ?": a seccomp supervisor decides before
the kernel runs the call and never sees its result. syscage sets
no_new_privs on PROG: setuid and file capabilities give it no privileges.
syscage exits with PROG's exit status (128+N when signal N killed it), or
3 when PROG exited 0 but a rule's expect: was not met.
`

// runOptions are the parsed flags of syscage run.
type runOptions struct {
	output    string
	strsize   int
	exprs     []string
	scenarios []string
	follow    int
	help      bool
	seed      int64
	seedSet   bool
	report    string
	dryRun    bool
}

func cmdRun(args []string) int {
	var opt runOptions
	fs := pflag.NewFlagSet("syscage run", pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(io.Discard)
	fs.StringVarP(&opt.output, "output", "o", "", "")
	fs.IntVarP(&opt.strsize, "string-limit", "s", 32, "")
	fs.StringArrayVarP(&opt.exprs, "expr", "e", nil, "")
	fs.StringArrayVar(&opt.scenarios, "scenario", nil, "")
	fs.CountVarP(&opt.follow, "follow-forks", "f", "")
	fs.Int64Var(&opt.seed, "seed", 0, "")
	fs.StringVar(&opt.report, "report", "", "")
	fs.BoolVar(&opt.dryRun, "dry-run", false, "")
	fs.BoolVarP(&opt.help, "help", "h", false, "")
	if err := fs.Parse(args); err != nil {
		usageError(err.Error())
		return exitUsage
	}
	opt.seedSet = fs.Changed("seed")
	if opt.help {
		fmt.Printf(runUsage, strings.Join(shippedNames(), ", "))
		return 0
	}
	plan, err := planRun(opt, fs.Args())
	if err != nil {
		usageError(err.Error())
		return exitUsage
	}
	return execute(plan)
}

// runPlan is everything a run needs, checked before anything is launched.
type runPlan struct {
	opt     runOptions
	trace   *policy.TraceSet
	engine  *inject.Engine
	filter  policy.FilterSpec
	command []string
}

func planRun(opt runOptions, command []string) (*runPlan, error) {
	if opt.follow > 1 {
		return nil, errors.New("-ff is not supported yet")
	}
	if opt.strsize < 0 || opt.strsize > math.MaxInt32 {
		return nil, fmt.Errorf("invalid -s argument: '%d'", opt.strsize)
	}
	traceExpr := "all"
	var exprRules []*inject.Rule
	for _, e := range opt.exprs {
		q, v, ok := strings.Cut(e, "=")
		if !ok {
			q, v = "trace", e
		}
		switch q {
		case "trace", "t":
			traceExpr = v
		case "inject", "fault":
			rules, err := inject.ParseInjectExpr(q, v)
			if err != nil {
				return nil, err
			}
			exprRules = append(exprRules, rules...)
		default:
			return nil, fmt.Errorf("invalid -e qualifier '%s' (syscage run supports trace=, inject= and fault=)", q)
		}
	}
	trace, err := policy.ParseTrace(traceExpr)
	if err != nil {
		return nil, err
	}
	var scenarios []*inject.Scenario
	var problems []string
	for _, name := range opt.scenarios {
		sc, err := loadScenario(name)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		scenarios = append(scenarios, sc)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	// -e inject= and -e fault= rules come after the scenarios' rules, in
	// the order given.
	if len(exprRules) > 0 {
		scenarios = append(scenarios, inject.ScenarioFromExprs(exprRules))
	}
	if len(command) == 0 {
		return nil, errors.New("must have PROG [ARGS]")
	}
	var eopt inject.Options
	if opt.seedSet {
		eopt.Seed = &opt.seed
	}
	engine := inject.NewEngineWithOptions(scenarios, eopt)
	spec := trace.NotifySpec(engine.Syscalls())
	spec.Notify(supervisor.AlwaysNotified...)
	spec.ExemptFD = supervisor.HandoffFD()
	spec.ExemptFlags = supervisor.HandoffFlags
	return &runPlan{opt: opt, trace: trace, engine: engine, filter: spec, command: command}, nil
}

func execute(p *runPlan) int {
	path, err := lookPath(p.command[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "syscage: %v\n", err)
		return exitFailure
	}
	prog, err := policy.CompileFilter(p.filter)
	if err != nil {
		fmt.Fprintf(os.Stderr, "syscage: compile filter: %v\n", err)
		return exitFailure
	}
	w, closeOut, err := openOutput(p.opt.output)
	if err != nil {
		usageError(err.Error())
		return exitUsage
	}
	var report *os.File
	if p.opt.report != "" {
		report, err = os.OpenFile(p.opt.report, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			closeOut()
			usageError(fmt.Sprintf("Can't fopen '%s': %v", p.opt.report, errnoText(err)))
			return exitUsage
		}
		defer report.Close()
	}
	oo := supervisor.OutputOptions{FlushEachLine: true}
	if p.opt.output != "" {
		// Children are always followed, so a file is written as strace -f -o
		// writes it: every line starts with the pid.
		oo = supervisor.OutputOptions{FileStyle: true, FollowPrefix: true}
	}
	out := supervisor.NewOutput(w, oo)
	strsize := p.opt.strsize
	if strsize == 0 {
		strsize = -1 // decode.Options: negative is strace's -s 0
	}
	cfg := supervisor.Config{
		Path:      path,
		Argv:      p.command,
		Env:       os.Environ(),
		Filter:    prog,
		Print:     p.trace.Has,
		Decode:    decode.Options{StringLimit: strsize},
		Output:    out,
		Subreaper: true,
		DryRun:    p.opt.dryRun,
	}
	if !p.engine.Empty() {
		cfg.Engine = p.engine
	}
	res, err := supervisor.Run(cfg)
	var le *supervisor.LaunchError
	if errors.As(err, &le) && le.Stage == "execve" {
		// As strace: the message, then the exit line of a failed exec.
		fmt.Fprintf(os.Stderr, "syscage: exec: %v\n", errnoText(le.Err))
		out.Exit(res.Pid, syscall.WaitStatus(exitFailure<<8), true)
		res.Status, err = syscall.WaitStatus(exitFailure<<8), nil
	}
	if ferr := out.Flush(); ferr != nil && err == nil {
		fmt.Fprintf(os.Stderr, "syscage: write trace: %v\n", ferr)
	}
	closeOut()
	if err != nil {
		fmt.Fprintf(os.Stderr, "syscage: %v\n", err)
		return exitFailure
	}
	code := res.ExitCode()
	if report != nil {
		if err := writeReport(report, p.engine, res); err != nil {
			fmt.Fprintf(os.Stderr, "syscage: write report: %v\n", err)
			return exitFailure
		}
	}
	// Unmet expectations: one line each; they fail a run that otherwise
	// succeeded with a status of syscage's own.
	unmet := p.engine.Unmet()
	for _, line := range unmet {
		fmt.Fprintf(os.Stderr, "syscage: %s\n", line)
	}
	if len(unmet) > 0 && code == 0 {
		return exitExpect
	}
	return code
}

// writeReport writes the engine's run report as indented JSON, with the
// command's exit status or the signal that killed it.
func writeReport(f *os.File, e *inject.Engine, res supervisor.Result) error {
	r := e.Report()
	switch {
	case res.Status.Exited():
		code := res.Status.ExitStatus()
		r.ExitStatus = &code
	case res.Status.Signaled():
		r.Signal = unix.SignalName(res.Status.Signal())
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	return err
}

// openOutput opens the trace destination of -o as strace does: standard
// error by default, a file (created 0600, truncated), or with a leading '|'
// or '!' a shell command that reads the trace on its standard input. close
// waits for such a command.
func openOutput(name string) (w io.Writer, close func(), err error) {
	switch {
	case name == "":
		return os.Stderr, func() {}, nil
	case name[0] == '|' || name[0] == '!':
		cmd := exec.Command("/bin/sh", "-c", name[1:])
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		pipe, err := cmd.StdinPipe()
		if err != nil {
			return nil, nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, nil, fmt.Errorf("Can't popen '%s': %v", name[1:], errnoText(err))
		}
		return pipe, func() { pipe.Close(); cmd.Wait() }, nil
	}
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("Can't fopen '%s': %v", name, errnoText(err))
	}
	return file, func() { file.Close() }, nil
}

// lookPath finds the program as strace does: a name with a slash is used as
// it is, others are searched in PATH for an executable regular file.
func lookPath(name string) (string, error) {
	notFound := fmt.Errorf("Can't stat '%s': %s", name, errnoText(unix.ENOENT))
	if strings.Contains(name, "/") {
		if _, err := os.Stat(name); err != nil {
			return "", fmt.Errorf("Can't stat '%s': %s", name, errnoText(err))
		}
		return name, nil
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		if unix.Access(p, unix.X_OK) == nil {
			return p, nil
		}
	}
	return "", notFound
}

// errnoText is the strerror text of err's errno, as strace prints it.
func errnoText(err error) string {
	var errno unix.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return err.Error()
}
