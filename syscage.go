// Package syscage runs a command under syscage's seccomp supervisor from Go
// code, a test typically, and hands back the fault-injection report: the
// same engine as `syscage run`, without the command line.
//
//	res, err := syscage.Run(ctx, syscage.Options{
//		Command:   []string{"./my-service", "--once"},
//		Scenarios: []string{"config-missing"},
//	})
//	// res.ExitCode, res.Report.Rules[0].Fired, res.Unmet
//
// The calling binary becomes the launcher of the command: Run re-executes
// it (os.Executable) and a C constructor linked in by this package loads
// the filter before the Go runtime starts, so no Go code of the caller runs
// in the child. Run needs Linux 5.5 or later and no privileges; it sets
// no_new_privs on the command (setuid bits do not apply). It is not a
// sandbox.
package syscage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/inject"
	"github.com/syscage/syscage/policy"
	"github.com/syscage/syscage/scenarios"
	"github.com/syscage/syscage/supervisor"
)

// Options describe one run.
type Options struct {
	// Command is the program and its arguments; a program name without a
	// slash is looked up in PATH.
	Command []string
	// Env is the command's environment; nil means this process's.
	Env []string
	// Scenarios are scenario files, or names of shipped scenarios
	// ("config-missing") when no such file exists.
	Scenarios []string
	// Inject are strace -e inject= or -e fault= expressions, each with
	// its qualifier: "inject=openat:error=ENOENT:when=2", "fault=connect".
	Inject []string
	// Trace is the trace set, as strace's -e trace= ("%file", "openat,connect");
	// "" prints nothing. Lines go to TraceOutput.
	Trace       string
	TraceOutput io.Writer
	// Stdin, Stdout and Stderr are the command's; nil means /dev/null.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Seed overrides the scenarios' seed for probability rules.
	Seed *int64
	// DryRun decides but injects nothing.
	DryRun bool
}

// Result is how a run ended.
type Result struct {
	// ExitCode is the command's exit status, or 128+N when signal N killed it.
	ExitCode int
	// Report holds per rule how often it matched and fired, with the seed
	// and the command's exit status (the JSON of syscage run --report).
	Report inject.Report
	// Unmet has one line per rule whose expect: was not met.
	Unmet []string
}

// Run runs opt.Command under the scenarios until it and every process it
// started have exited, or until ctx is done (the command is then killed
// and Run returns ctx.Err() with the result so far). Errors: a bad
// scenario, expression or trace set (*inject.ParseError and others, before
// anything starts), a command that cannot be found or executed
// (*supervisor.LaunchError), or supervisor.ErrNested when this process
// already runs under a seccomp supervisor.
func Run(ctx context.Context, opt Options) (*Result, error) {
	if len(opt.Command) == 0 {
		return nil, errors.New("syscage: no command")
	}
	var scs []*inject.Scenario
	for _, name := range opt.Scenarios {
		sc, err := loadScenario(name)
		if err != nil {
			return nil, err
		}
		scs = append(scs, sc)
	}
	var exprRules []*inject.Rule
	for _, e := range opt.Inject {
		q, v, _ := strings.Cut(e, "=")
		rules, err := inject.ParseInjectExpr(q, v)
		if err != nil {
			return nil, err
		}
		exprRules = append(exprRules, rules...)
	}
	if len(exprRules) > 0 {
		scs = append(scs, inject.ScenarioFromExprs(exprRules))
	}
	traceExpr := opt.Trace
	if traceExpr == "" {
		traceExpr = "none"
	}
	trace, err := policy.ParseTrace(traceExpr)
	if err != nil {
		return nil, err
	}
	engine := inject.NewEngineWithOptions(scs, inject.Options{Seed: opt.Seed})
	spec := trace.NotifySpec(engine.Syscalls())
	spec.Notify(supervisor.AlwaysNotified...)
	spec.ExemptFD, spec.ExemptFlags = supervisor.HandoffFD(), supervisor.HandoffFlags
	prog, err := policy.CompileFilter(spec)
	if err != nil {
		return nil, fmt.Errorf("compile filter: %w", err)
	}
	path, err := exec.LookPath(opt.Command[0])
	if err != nil {
		return nil, err
	}
	env := opt.Env
	if env == nil {
		env = os.Environ()
	}
	stdio, wait, err := stdioFiles(opt.Stdin, opt.Stdout, opt.Stderr)
	if err != nil {
		return nil, err
	}
	cfg := supervisor.Config{
		Path: path, Argv: opt.Command, Env: env, Stdio: stdio,
		Filter: prog, Print: trace.Has, DryRun: opt.DryRun,
		Cancel: ctx.Done(), Decode: decode.Options{},
	}
	var out *supervisor.Output
	if opt.TraceOutput != nil {
		out = supervisor.NewOutput(opt.TraceOutput, supervisor.OutputOptions{})
		cfg.Sink = out
	}
	if !engine.Empty() {
		cfg.Engine = engine
	}
	res, err := supervisor.Run(cfg)
	wait()
	if out != nil {
		if ferr := out.Flush(); ferr != nil && err == nil {
			err = fmt.Errorf("write trace: %w", ferr)
		}
	}
	if err != nil {
		return nil, err
	}
	r := &Result{ExitCode: res.ExitCode(), Report: engine.Report(), Unmet: engine.Unmet()}
	switch {
	case res.Status.Exited():
		code := res.Status.ExitStatus()
		r.Report.ExitStatus = &code
	case res.Status.Signaled():
		r.Report.Signal = res.Status.Signal().String()
	}
	return r, ctx.Err()
}

func loadScenario(name string) (*inject.Scenario, error) {
	if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) && !strings.Contains(name, "/") {
		return scenarios.Load(name)
	}
	return inject.LoadFile(name)
}

// stdioFiles turns the command's standard streams into files: an *os.File
// is passed as it is, other readers and writers through pipes that wait
// copies until the command's side is closed; nil is /dev/null.
func stdioFiles(in io.Reader, out, errw io.Writer) (files [3]*os.File, wait func(), err error) {
	var closers []*os.File
	var done []chan struct{}
	fail := func(err error) ([3]*os.File, func(), error) {
		for _, f := range closers {
			f.Close()
		}
		return [3]*os.File{}, nil, err
	}
	devnull := func(flag int) (*os.File, error) {
		f, err := os.OpenFile(os.DevNull, flag, 0)
		if err == nil {
			closers = append(closers, f)
		}
		return f, err
	}
	if f, ok := in.(*os.File); ok {
		files[0] = f
	} else if in == nil {
		if files[0], err = devnull(os.O_RDONLY); err != nil {
			return fail(err)
		}
	} else {
		r, w, err := os.Pipe()
		if err != nil {
			return fail(err)
		}
		closers = append(closers, r)
		files[0] = r
		go func() { io.Copy(w, in); w.Close() }()
	}
	for i, wr := range []io.Writer{out, errw} {
		if f, ok := wr.(*os.File); ok {
			files[i+1] = f
			continue
		}
		if wr == nil {
			if files[i+1], err = devnull(os.O_WRONLY); err != nil {
				return fail(err)
			}
			continue
		}
		r, w, err := os.Pipe()
		if err != nil {
			return fail(err)
		}
		closers = append(closers, w)
		files[i+1] = w
		ch := make(chan struct{})
		done = append(done, ch)
		go func() { io.Copy(wr, r); r.Close(); close(ch) }()
	}
	return files, func() {
		for _, f := range closers {
			f.Close()
		}
		for _, ch := range done {
			<-ch
		}
	}, nil
}
