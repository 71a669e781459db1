package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
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

General:
  -e EXPR             a qualifying expression: QUALIFIER=[!]VALUE[,VALUE]...
                      qualifiers: trace, status, inject, fault; a bare SET
                      is trace=SET

Startup:
  -f, --follow-forks  follow forks (always on: children inherit the filter)
  -ff                 with -o FILE, write each thread's lines to FILE.TID

Filtering:
  -e trace=SET        trace only the syscalls in SET: names, classes (%%file
                      %%network %%process %%desc %%signal %%memory %%ipc %%creds
                      %%clock %%stat ...), /REGEX, all, none; a leading !
                      negates. Default: all
  -e status=injected  print only the calls syscage changed, or with --dry-run
                      would change (all: every call)
  -P, --trace-path PATH
                      trace only calls that touch PATH, by name or by fd;
                      PATH is also resolved as realpath(3) does (repeatable)

Output format:
  -s, --string-limit STRSIZE
                      the most bytes of a string to print (default 32)
  -x, --strings-in-hex=non-ascii
                      print a string with a non-printable byte in hex;
                      -xx, --strings-in-hex[=all]: every string in hex;
                      --strings-in-hex=non-ascii-chars: only those bytes
  -y, --decode-fds[=path]
                      print fds with their paths: 3</etc/hostname>;
                      -yy, --decode-fds=socket or all: sockets with their
                      endpoints, 5<TCP:[a:p->b:q]>
  -t, --absolute-timestamps[=time|us|unix,us]
                      start lines with the time of day; -tt with
                      microseconds; -ttt as seconds since the epoch
  -r, --relative-timestamps[=us]
                      start lines with the seconds since the previous line
  -T, --syscall-times[=us]
                      print the time from notification to answer, <0.000012>
  -o, --output FILE   write the trace to FILE (0600) instead of standard
                      error; '|CMD' or '!CMD' pipes it to a shell command
      --format FORMAT text (strace's lines) or json (one JSON object per
                      call, docs/json.md)
      --json-output FILE
                      also write the JSON lines to FILE
  -q, --quiet[=SET]   -q: accepted (there are no attach messages);
                      -qq, --quiet=exit: no +++ exited lines; -qqq,
                      --quiet=all: nor -P's "resolved into" line

Statistics:
  -c, --summary-only  count calls and injected errors per syscall; print
                      the table at the end instead of the trace
  -C, --summary       the same, after the trace

Fault injection:
      --scenario FILE apply the rules of a YAML scenario (repeatable); the
                      name of a shipped scenario (%s) works too
  -e inject=SET:error=ERRNO|retval=N[:signal=SIG][:delay_enter=DUR][:delay_exit=DUR][:when=EXPR]
                      strace's fault injection (repeatable; all apply, in order)
  -e fault=SET[:error=ERRNO][:when=EXPR]
                      the same with error=ENOSYS by default
      --seed N        seed for rules with a probability (default: the first
                      scenario's seed, else random; the report records it)
      --dry-run       decide but inject nothing: lines end (WOULD INJECT)
      --report FILE   write a JSON run report: seed, exit status, and per
                      rule matched, fired, first and last hit

Miscellaneous:
  -h, --help          print this help

A call that is let through ends " = ?": a seccomp supervisor decides before
the kernel runs the call and never sees its result. syscage sets
no_new_privs on PROG: setuid and file capabilities give it no privileges.
syscage exits with PROG's exit status (128+N when signal N killed it), or
3 when PROG exited 0 but a rule's expect: was not met.
`

// runOptions are the parsed flags of syscage run.
type runOptions struct {
	output     string
	strsize    int
	exprs      []string
	scenarios  []string
	follow     int
	help       bool
	seed       int64
	seedSet    bool
	report     string
	dryRun     bool
	timestamps int
	relative   bool
	durations  bool
	paths      []string
	format     string
	jsonOutput string
	quiet      int
	summary    bool
	summaryToo bool
	hex        int
	decodeFDs  int
}

// newRunFlags declares the flags of syscage run into opt. The man page,
// docs/syscage.1, lists the same flags (a test keeps them in step).
func newRunFlags(opt *runOptions) *pflag.FlagSet {
	fs := pflag.NewFlagSet("syscage run", pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(io.Discard)
	fs.StringVarP(&opt.output, "output", "o", "", "")
	fs.IntVarP(&opt.strsize, "string-limit", "s", 32, "")
	fs.VarP(&exprValue{opt}, "expr", "e", "")
	fs.StringArrayVar(&opt.scenarios, "scenario", nil, "")
	fs.CountVarP(&opt.follow, "follow-forks", "f", "")
	fs.Int64Var(&opt.seed, "seed", 0, "")
	fs.StringVar(&opt.report, "report", "", "")
	fs.BoolVar(&opt.dryRun, "dry-run", false, "")
	fs.VarPF(timestampsValue{&opt.timestamps}, "absolute-timestamps", "t", "").NoOptDefVal = countMark
	fs.VarPF(usPrecision{&opt.relative}, "relative-timestamps", "r", "").NoOptDefVal = countMark
	fs.VarPF(usPrecision{&opt.durations}, "syscall-times", "T", "").NoOptDefVal = countMark
	fs.StringArrayVarP(&opt.paths, "trace-path", "P", nil, "")
	fs.StringVar(&opt.format, "format", "text", "")
	fs.StringVar(&opt.jsonOutput, "json-output", "", "")
	fs.VarPF(quietValue{&opt.quiet}, "quiet", "q", "").NoOptDefVal = countMark
	fs.BoolVarP(&opt.summary, "summary-only", "c", false, "")
	fs.BoolVarP(&opt.summaryToo, "summary", "C", false, "")
	stringsInHex(fs, &opt.hex)
	fs.VarPF(decodeFDsValue(&opt.decodeFDs), "decode-fds", "y", "").NoOptDefVal = countMark
	fs.BoolVarP(&opt.help, "help", "h", false, "")
	return fs
}

func cmdRun(args []string) int {
	// The signals to pass on to the command, registered from the start and
	// beside the planning and the launch: os/signal enables each with a
	// round trip to a thread of its own (0.3 ms here). A signal that comes
	// before that ends takes its default action on syscage, as one before
	// the Go runtime's start does; one that comes during the planning is
	// passed on once the command runs. syscage exits after the run, so they
	// are never stopped (Stop costs as much again).
	sigs := make(chan os.Signal, 4)
	go signal.Notify(sigs, supervisor.ForwardedSignals...)
	var opt runOptions
	fs := newRunFlags(&opt)
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
	return execute(plan, sigs)
}

// tracePaths is the -P set as strace keeps it: each path as given and,
// when it differs, as realpath(3) resolves it (absolute, no "." or "..",
// no symlinks), so that "-P f.txt" also matches the fd of the file cat
// opened, which /proc names /dir/f.txt. Each resolved path is told on w
// as strace tells it. A path that does not resolve (it does not exist yet)
// is kept as given only.
func tracePaths(paths []string, w io.Writer) []string {
	out := slices.Clone(paths)
	for _, p := range paths {
		real, err := filepath.EvalSymlinks(absolute(p))
		if err != nil || real == p {
			continue
		}
		fmt.Fprintf(w, "syscage: Requested path \"%s\" resolved into \"%s\"\n", p, real)
		if !slices.Contains(out, real) {
			out = append(out, real)
		}
	}
	return out
}

// distinctOutputs refuses two of -o, --json-output and --report naming
// the same file: the second writer would overwrite the first's lines. A
// piped -o, and -ff's per-thread files, name no one file.
func distinctOutputs(opt runOptions) error {
	type output struct{ flag, path string }
	var outs []output
	if opt.output != "" && opt.output[0] != '|' && opt.output[0] != '!' && opt.follow < 2 {
		outs = append(outs, output{"-o", opt.output})
	}
	if opt.jsonOutput != "" {
		outs = append(outs, output{"--json-output", opt.jsonOutput})
	}
	if opt.report != "" {
		outs = append(outs, output{"--report", opt.report})
	}
	for i, a := range outs {
		for _, b := range outs[:i] {
			if sameFile(a.path, b.path) {
				return fmt.Errorf("%s and %s name the same file, %s", b.flag, a.flag, a.path)
			}
		}
	}
	return nil
}

// sameFile reports whether two paths name one file that two writers
// would overwrite: the same inode (both existing), or the same path once
// every symlink on the way is followed (outputPath). A device such as
// /dev/null is no such file.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && !fa.Mode().IsRegular() {
		return false
	}
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	return outputPath(a) == outputPath(b)
}

// absolute is p joined to the working directory, not cleaned: a ".."
// after a symlink must go up from where the symlink leads, as the kernel
// and realpath(3) take it, so only filepath.EvalSymlinks may resolve it.
func absolute(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if wd, err := os.Getwd(); err == nil {
		return wd + "/" + p
	}
	return p
}

// outputPath is where writing to p lands, p perhaps not there yet: its
// directory resolved as realpath(3) would, then a final symlink followed
// (dangling ones too, to where they would create the file), up to 40 links
// as the kernel allows. Where that cannot be told, p made absolute.
func outputPath(p string) string {
	p = absolute(p)
	for range 40 {
		i := strings.LastIndexByte(p, '/') // not filepath.Dir: it cleans ".."
		dir, err := filepath.EvalSymlinks(p[:max(i, 1)])
		if err != nil {
			return filepath.Clean(p)
		}
		p = filepath.Join(dir, p[i+1:])
		target, err := os.Readlink(p)
		if err != nil {
			return p // not a symlink, or not there yet
		}
		if !filepath.IsAbs(target) {
			target = dir + "/" + target
		}
		p = target
	}
	return p
}

// runPlan is everything a run needs, checked before anything is launched.
type runPlan struct {
	opt     runOptions
	trace   *policy.TraceSet
	engine  *inject.Engine
	filter  policy.FilterSpec
	command []string
	// onlyInjected is -e status=injected.
	onlyInjected bool
}

func planRun(opt runOptions, command []string) (*runPlan, error) {
	if opt.follow > 1 && opt.output != "" && (opt.output[0] == '|' || opt.output[0] == '!') {
		return nil, fmt.Errorf("piping the output and -ff are mutually exclusive")
	}
	if opt.follow > 1 && opt.output == "" {
		opt.follow = 1 // strace: -ff without -o FILE is -f
	}
	if opt.timestamps > 3 {
		opt.timestamps = 3
	}
	if opt.format != "text" && opt.format != "json" {
		return nil, fmt.Errorf("invalid --format '%s' (text or json)", opt.format)
	}
	if opt.format == "json" && opt.summaryToo && !opt.summary && (opt.output == "" || opt.output[0] == '|' || opt.output[0] == '!') {
		// The table is text: after JSON Lines on the same stream it breaks
		// every reader.
		return nil, fmt.Errorf("-C with --format json would put the text table into the JSON lines: write them to a file with -o FILE, or use -c")
	}
	if opt.format == "json" && opt.follow > 1 {
		return nil, fmt.Errorf("--format json writes one stream, not a file per process: use -f instead of -ff")
	}
	if err := distinctOutputs(opt); err != nil {
		return nil, err
	}
	if opt.strsize < 0 || opt.strsize > math.MaxInt32 {
		return nil, fmt.Errorf("invalid -s argument: '%d'", opt.strsize)
	}
	traceExpr := "all"
	onlyInjected := false
	var exprRules []*inject.Rule
	for _, e := range opt.exprs {
		q, v, ok := strings.Cut(e, "=")
		if !ok {
			q, v = "trace", e
		}
		switch q {
		case "trace", "t":
			// Each is checked, though the last one counts: a misspelt
			// set replaced by a later one is still a mistake.
			if _, err := policy.ParseTrace(v); err != nil {
				return nil, err
			}
			traceExpr = v
		case "status", "s":
			switch v {
			case "injected":
				onlyInjected = true
			case "all":
				onlyInjected = false
			default:
				return nil, fmt.Errorf("invalid status '%s': syscage supports injected and all (a seccomp supervisor does not see results)", v)
			}
		case "quiet", "q", "decode-fds":
			// Applied as the flags were parsed (exprValue), in their order.
		case "inject", "fault":
			rules, err := inject.ParseInjectExpr(q, v)
			if err != nil {
				return nil, err
			}
			exprRules = append(exprRules, rules...)
		default:
			return nil, fmt.Errorf("invalid -e qualifier '%s' (syscage run supports trace=, status=, inject=, fault=, quiet= and decode-fds=)", q)
		}
	}
	trace, err := policy.ParseTrace(traceExpr)
	if err != nil {
		return nil, err
	}
	scenarios, err := loadScenarios(opt.scenarios)
	if err != nil {
		return nil, err
	}
	// -e inject= and -e fault= rules come after the scenarios' rules, in
	// the order given.
	if len(exprRules) > 0 {
		sc := inject.ScenarioFromExprs(exprRules)
		// As strace warns of them: a retval the program reads as an errno.
		for _, w := range inject.Warnings(sc) {
			fmt.Fprintf(os.Stderr, "syscage: %s\n", w.Reason)
		}
		scenarios = append(scenarios, sc)
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
	return &runPlan{opt: opt, trace: trace, engine: engine, filter: spec, command: command, onlyInjected: onlyInjected}, nil
}

// execute runs the plan, passing on what arrives on sigs to the command,
// and returns syscage's exit status.
func execute(p *runPlan, sigs <-chan os.Signal) int {
	prog, err := policy.CompileFilter(p.filter)
	if err != nil {
		fmt.Fprintf(os.Stderr, "syscage: compile filter: %v\n", err)
		return exitFailure
	}
	var (
		w        io.Writer
		closeOut = func() {}
		split    *supervisor.SplitOutput
	)
	if p.opt.follow > 1 {
		w = os.Stderr // -ff: the lines go to FILE.TID; the -c table here
		// The files are created as threads make calls: a directory they
		// cannot be created in is a usage error now, as -o's is, rather
		// than a trace lost after the run.
		dir := filepath.Dir(p.opt.output)
		if err := unix.Access(dir, unix.W_OK|unix.X_OK); err != nil {
			usageError(fmt.Sprintf("Can't fopen '%s.PID': %v", p.opt.output, errnoText(err)))
			return exitUsage
		}
	} else if w, closeOut, err = openOutput(p.opt.output); err != nil {
		usageError(err.Error())
		return exitUsage
	}
	// The report and the JSON copy are created before anything runs, so
	// that a bad path is a usage error.
	var report, jsonFile *os.File
	for _, f := range []struct {
		name string
		file **os.File
	}{{p.opt.report, &report}, {p.opt.jsonOutput, &jsonFile}} {
		if f.name == "" {
			continue
		}
		if *f.file, err = createFile(f.name); err != nil {
			closeOut()
			usageError(err.Error())
			return exitUsage
		}
		defer (*f.file).Close()
	}
	// After the outputs, as strace creates its -o file before it says
	// "Can't stat": a CI job finds the report of a run whose program was
	// missing too, with exit status 1.
	path, err := lookPath(p.command[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "syscage: %v\n", err)
		closeOut()
		if report != nil {
			if err := writeReport(report, p.engine, supervisor.Result{Status: syscall.WaitStatus(exitFailure << 8)}, p.opt.dryRun); err != nil {
				fmt.Fprintf(os.Stderr, "syscage: write report: %v\n", err)
			}
		}
		return exitFailure
	}
	oo := supervisor.OutputOptions{
		FlushEachLine: true,
		Timestamps:    supervisor.Timestamps(p.opt.timestamps),
		Relative:      p.opt.relative,
		Durations:     p.opt.durations,
		NoExitLines:   p.opt.quiet&quietExit != 0,
		NoCalls:       p.opt.summary && !p.opt.summaryToo,
	}
	if p.opt.output != "" {
		// Children are always followed, so a file is written as strace -f -o
		// writes it: every line starts with the pid.
		oo.FlushEachLine, oo.FileStyle, oo.FollowPrefix = false, true, true
	}
	var sinks supervisor.Sinks
	switch {
	case p.opt.follow > 1:
		split = supervisor.NewSplitOutput(p.opt.output, oo)
		sinks = append(sinks, split)
	case p.opt.format == "json":
		if !oo.NoCalls {
			sinks = append(sinks, supervisor.NewJSONOutput(w, oo.FlushEachLine))
		}
	default:
		sinks = append(sinks, supervisor.NewOutput(w, oo))
	}
	if jsonFile != nil {
		sinks = append(sinks, supervisor.NewJSONOutput(jsonFile, false))
	}
	var summary *supervisor.Summary
	if p.opt.summary || p.opt.summaryToo {
		summary = supervisor.NewSummary()
		sinks = append(sinks, summary)
	}
	strsize := p.opt.strsize
	if strsize == 0 {
		strsize = -1 // decode.Options: negative is strace's -s 0
	}
	var pathNote io.Writer = os.Stderr
	if p.opt.quiet&quietPath != 0 {
		pathNote = io.Discard // -qqq, --quiet=path-resolution
	}
	cfg := supervisor.Config{
		Path:         path,
		Argv:         p.command,
		Env:          os.Environ(),
		Filter:       prog,
		Print:        p.trace.Has,
		Decode:       decode.Options{StringLimit: strsize, Hex: p.opt.hex},
		DecodeFDs:    min(p.opt.decodeFDs, supervisor.FDSockets),
		Sink:         sinks,
		TracePaths:   tracePaths(p.opt.paths, pathNote),
		OnlyInjected: p.onlyInjected,
		Subreaper:    true,
		DryRun:       p.opt.dryRun,
		Warn:         func(msg string) { fmt.Fprintf(os.Stderr, "syscage: warning: %s\n", msg) },
	}
	if !p.engine.Empty() {
		cfg.Engine = p.engine
	}
	cfg.Signals = sigs
	res, err := supervisor.Run(cfg)
	var le *supervisor.LaunchError
	if errors.As(err, &le) && le.Stage == "execve" {
		// As strace: the message, then the exit line of a failed exec.
		fmt.Fprintf(os.Stderr, "syscage: exec: %v\n", errnoText(le.Err))
		sinks.Exit(res.Pid, syscall.WaitStatus(exitFailure<<8), true)
		res.Status, err = syscall.WaitStatus(exitFailure<<8), nil
	}
	if ferr := sinks.Flush(); ferr != nil && err == nil {
		fmt.Fprintf(os.Stderr, "syscage: write trace: %v\n", ferr)
	}
	if split != nil {
		split.Close()
	}
	if summary != nil {
		if werr := summary.Write(w); werr != nil && err == nil {
			fmt.Fprintf(os.Stderr, "syscage: write summary: %v\n", werr)
		}
	}
	closeOut()
	if err != nil {
		fmt.Fprintf(os.Stderr, "syscage: %v\n", err)
		return exitFailure
	}
	code := res.ExitCode()
	if report != nil {
		if err := writeReport(report, p.engine, res, p.opt.dryRun); err != nil {
			// The command's status still comes back; only a run that
			// otherwise succeeded fails for the missing report.
			fmt.Fprintf(os.Stderr, "syscage: write report: %v\n", err)
			if code == 0 {
				code = exitFailure
			}
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
// command's exit status or the signal that killed it, and whether it was a
// dry run.
func writeReport(f *os.File, e *inject.Engine, res supervisor.Result, dryRun bool) error {
	r := e.Report()
	r.DryRun = dryRun
	switch {
	case res.Status.Exited():
		code := res.Status.ExitStatus()
		r.ExitStatus = &code
	case res.Status.Signaled():
		r.Signal = decode.SignalName(res.Status.Signal())
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
	file, err := createFile(name)
	if err != nil {
		return nil, nil, err
	}
	return file, func() { file.Close() }, nil
}

// createFile creates (or truncates) an output file with mode 0600: traces
// and reports can hold what the program read and wrote. The error is
// strace's "Can't fopen 'NAME': REASON".
func createFile(name string) (*os.File, error) {
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("Can't fopen '%s': %v", name, errnoText(err))
	}
	return file, nil
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
