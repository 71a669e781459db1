package main

// syscage agent: the seccomp agent a container runtime hands listener fds to
// (the OCI runtime spec's linux.seccomp.listenerPath, issue 7). runc (1.1
// and later) and crun connect to the agent's unix socket once per container
// process whose profile has SCMP_ACT_NOTIFY rules, and send one message: the
// container process state as JSON, with the listener fd attached by
// SCM_RIGHTS. What runc 1.1.5 sends, as captured on Debian 12:
//
//	{"ociVersion":"1.0.2-dev","fds":["seccompFd"],"pid":590,
//	 "metadata":"scenario=x;format=json",
//	 "state":{"ociVersion":"1.0.2-dev","id":"cap2","status":"creating",
//	          "pid":590,"bundle":"/tmp/b","annotations":{"org.example/a":"b"}}}
//
// crun 1.8 sends the same keys, indented, with "ociVersion":"0.2.0", and may
// keep its end of the connection open; runc closes it. Both connect from the
// runtime's own process (SO_PEERCRED names runc or crun, not the container).

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/inject"
	"github.com/syscage/syscage/policy"
	"github.com/syscage/syscage/supervisor"
)

const agentUsage = `usage: syscage agent --listen SOCKET [options]

Runs as the seccomp agent of container runtimes: runc (1.1 and later) and
crun connect to SOCKET when a container's seccomp profile has
SCMP_ACT_NOTIFY rules and a listenerPath naming SOCKET (syscage profile
writes such a profile). The agent then traces the container's notified
calls and injects the faults of the chosen scenarios, for many containers
at once, until each one's last process has exited.

Options:
      --listen SOCKET     the unix socket to create (mode 0600; a stale one
                          is replaced)
      --scenario FILE     load a scenario (repeatable); the name of a shipped
                          scenario (listed below) works too. Containers
                          pick among the loaded ones by their name: key
  -o, --output-dir DIR    write DIR/ID.trace (or ID.jsonl) and
                          DIR/ID.report.json per container (default: .)
      --format FORMAT     text (strace's lines) or json (JSON Lines); a
                          container's metadata can override it
      --trace SET         the calls printed, as -e trace= of syscage run
                          (default all: every notified call)
  -s, --string-limit N    the most bytes of a string to print (default 32)
      --seed N            seed for rules with a probability
      --dry-run           decide but inject nothing: lines end (WOULD INJECT)
  -h, --help              print this help

A profile's listenerMetadata selects per container, as KEY=VALUE pairs
separated by ';':
  scenario=NAME[,NAME]... the loaded scenarios to apply, by their name:
                          (default: all loaded; "scenario=" applies none)
  format=text|json        the trace format
  trace=SET               the calls printed
Anything else is refused: the container's listener is closed, and its
notified calls then fail with ENOSYS.

Text lines start with the thread id in the agent's pid namespace and, when
the container has a pid namespace of its own, its id there: "4242/1 ".
JSON lines carry "pid" and "tid" (the agent's namespace) and
"container_pid" and "container_tid". A report is written when a container's
last process has exited. SIGUSR1 logs the agent's state; SIGTERM and SIGINT
stop it (containers still running then get ENOSYS from notified calls).
See docs/kubernetes.md.

Shipped scenarios: %s
`

// agentOptions are the parsed flags of syscage agent.
type agentOptions struct {
	listen    string
	scenarios []string
	outDir    string
	format    string
	trace     string
	strsize   int
	seed      int64
	seedSet   bool
	dryRun    bool
	help      bool
}

func newAgentFlags(opt *agentOptions) *pflag.FlagSet {
	fs := pflag.NewFlagSet("syscage agent", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&opt.listen, "listen", "", "")
	fs.StringArrayVar(&opt.scenarios, "scenario", nil, "")
	fs.StringVarP(&opt.outDir, "output-dir", "o", ".", "")
	fs.StringVar(&opt.format, "format", "text", "")
	fs.StringVar(&opt.trace, "trace", "all", "")
	fs.IntVarP(&opt.strsize, "string-limit", "s", 32, "")
	fs.Int64Var(&opt.seed, "seed", 0, "")
	fs.BoolVar(&opt.dryRun, "dry-run", false, "")
	fs.BoolVarP(&opt.help, "help", "h", false, "")
	return fs
}

func cmdAgent(args []string) int {
	var opt agentOptions
	fs := newAgentFlags(&opt)
	if err := fs.Parse(args); err != nil {
		usageError("agent: " + err.Error())
		return exitUsage
	}
	opt.seedSet = fs.Changed("seed")
	if opt.help {
		fmt.Printf(agentUsage, strings.Join(shippedNames(), ", "))
		return 0
	}
	if fs.NArg() > 0 {
		usageError(fmt.Sprintf("agent: unexpected argument %q", fs.Arg(0)))
		return exitUsage
	}
	a, err := newAgent(opt)
	if err != nil {
		usageError("agent: " + err.Error())
		return exitUsage
	}
	if err := a.run(); err != nil {
		a.log.Printf("%v", err)
		return exitFailure
	}
	return 0
}

// agent is one running syscage agent.
type agent struct {
	opt       agentOptions
	scenarios map[string]*inject.Scenario // loaded, by their name: key
	names     []string                    // the same names, in load order
	trace     *policy.TraceSet            // the default trace set
	log       *log.Logger

	cancel chan struct{} // closed on SIGTERM: every supervision stops
	wg     sync.WaitGroup

	mu     sync.Mutex
	active map[string]*agentContainer // by output name
}

// agentContainer is one supervised container process.
type agentContainer struct {
	name    string // output file name base: the id, or ID.PID for a second one
	msg     *runtimeMessage
	started time.Time
}

func newAgent(opt agentOptions) (*agent, error) {
	if opt.listen == "" {
		return nil, errors.New("--listen SOCKET is required")
	}
	if opt.format != "text" && opt.format != "json" {
		return nil, fmt.Errorf("invalid --format '%s' (text or json)", opt.format)
	}
	if opt.strsize < 0 {
		return nil, fmt.Errorf("invalid -s argument: '%d'", opt.strsize)
	}
	trace, err := policy.ParseTrace(opt.trace)
	if err != nil {
		return nil, err
	}
	a := &agent{
		opt:       opt,
		scenarios: map[string]*inject.Scenario{},
		trace:     trace,
		log:       log.New(os.Stderr, "syscage agent: ", log.LstdFlags|log.Lmsgprefix),
		cancel:    make(chan struct{}),
		active:    map[string]*agentContainer{},
	}
	var problems []string
	for _, name := range opt.scenarios {
		sc, err := loadScenario(name)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if prev, dup := a.scenarios[sc.Name]; dup {
			problems = append(problems, fmt.Sprintf("%s: scenario name %q is already taken by %s: containers pick scenarios by name", name, sc.Name, prev.File))
			continue
		}
		a.scenarios[sc.Name] = sc
		a.names = append(a.names, sc.Name)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return a, nil
}

// run listens and serves until SIGTERM or SIGINT, then stops every
// supervision, writes the reports and returns.
func (a *agent) run() error {
	if err := os.MkdirAll(a.opt.outDir, 0o700); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	// Before the socket exists: a SIGTERM from then on removes it.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, unix.SIGTERM, unix.SIGINT, unix.SIGUSR1)
	defer signal.Stop(sigs)
	ln, err := listenAgentSocket(a.opt.listen)
	if err != nil {
		return err
	}
	a.log.Printf("listening on %s (scenarios: %s; output: %s, %s)", a.opt.listen, a.scenarioList(), a.opt.outDir, a.opt.format)

	served := make(chan error, 1)
	go func() { served <- a.serve(ln) }()
	for {
		select {
		case sig := <-sigs:
			if sig == unix.SIGUSR1 {
				a.logStatus()
				continue
			}
			a.log.Printf("%v: stopping", sig)
			ln.Close() // removes the socket: no runtime connects to a dead agent
			<-served
			close(a.cancel)
			a.wg.Wait()
			a.log.Printf("stopped")
			return nil
		case err := <-served:
			close(a.cancel)
			a.wg.Wait()
			return fmt.Errorf("accept: %w", err)
		}
	}
}

func (a *agent) scenarioList() string {
	if len(a.names) == 0 {
		return "none"
	}
	return strings.Join(a.names, ", ")
}

// logStatus logs the number of containers, goroutines and open fds: what a
// leak would show (SIGUSR1).
func (a *agent) logStatus() {
	a.mu.Lock()
	var names []string
	for name := range a.active {
		names = append(names, name)
	}
	a.mu.Unlock()
	sort.Strings(names)
	fds := -1
	if d, err := os.ReadDir("/proc/self/fd"); err == nil {
		fds = len(d) - 1 // less the directory's own fd
	}
	a.log.Printf("status: %d containers [%s], %d goroutines, %d fds", len(names), strings.Join(names, " "), runtime.NumGoroutine(), fds)
}

// listenAgentSocket creates the agent's socket, mode 0600. A socket file
// nobody listens on (an agent that was killed) is replaced; a live one or
// any other file is an error.
func listenAgentSocket(path string) (*net.UnixListener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if st, err := os.Lstat(path); err == nil {
		if st.Mode().Type() != os.ModeSocket {
			return nil, fmt.Errorf("%s exists and is not a socket", path)
		}
		c, err := net.DialTimeout("unix", path, time.Second)
		if err == nil {
			c.Close()
			return nil, fmt.Errorf("%s: another agent listens there", path)
		}
		if !errors.Is(err, unix.ECONNREFUSED) {
			return nil, fmt.Errorf("%s: is it stale? %w", path, err)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("remove stale socket: %w", err)
		}
	}
	// The mode is set at bind: no moment where the socket is open to all.
	old := unix.Umask(0o177)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	unix.Umask(old)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// serve accepts connections until the listener is closed; each is handled
// on its own goroutine. It returns nil when the listener was closed.
func (a *agent) serve(ln *net.UnixListener) error {
	for {
		conn, err := ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE) {
				// Out of fds for a moment: no container's fault stops the agent.
				a.log.Printf("accept: %v", err)
				time.Sleep(100 * time.Millisecond)
				continue
			}
			return err
		}
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.handle(conn)
		}()
	}
}

// runtimeMessage is what a runtime sends with the listener fd: the OCI
// runtime spec's ContainerProcessState.
type runtimeMessage struct {
	OCIVersion string   `json:"ociVersion"`
	Fds        []string `json:"fds"`
	Pid        int      `json:"pid"`
	Metadata   string   `json:"metadata"`
	State      struct {
		OCIVersion  string            `json:"ociVersion"`
		ID          string            `json:"id"`
		Status      string            `json:"status"`
		Pid         int               `json:"pid"`
		Bundle      string            `json:"bundle"`
		Annotations map[string]string `json:"annotations"`
	} `json:"state"`
}

// Limits on what a peer may send.
const (
	agentMaxMessage = 1 << 20 // bytes of JSON
	agentMaxFds     = 16      // fds per control message read
)

// agentReadTimeout bounds the wait for the whole message (a variable for
// the tests).
var agentReadTimeout = 5 * time.Second

// containerIDPattern is what an id must look like to name files: runc's
// own rule (^[\w+-\.]+$), without a leading dot.
var containerIDPattern = regexp.MustCompile(`^[A-Za-z0-9_+-][A-Za-z0-9_+.-]*$`)

// handle serves one connection: check the peer, read the message and the
// listener fd, and supervise the container until its last process exits.
// Every refusal is logged and closes what was received.
func (a *agent) handle(conn *net.UnixConn) {
	cred, err := peerCred(conn)
	if err != nil {
		conn.Close()
		a.log.Printf("refused a connection: SO_PEERCRED: %v", err)
		return
	}
	if cred.Uid != 0 && int(cred.Uid) != os.Geteuid() {
		// Unread fds in flight are released with the socket.
		conn.Close()
		a.log.Printf("refused a connection from pid %d uid %d: neither root nor the agent's user (uid %d)", cred.Pid, cred.Uid, os.Geteuid())
		return
	}
	msg, listener, err := readRuntimeMessage(conn)
	conn.Close() // nothing is sent back: runc closes its end, crun may not
	if err != nil {
		a.log.Printf("refused a message from pid %d uid %d: %v", cred.Pid, cred.Uid, err)
		return
	}
	a.serveContainer(msg, listener)
}

// peerCred returns the credentials of the process that connected.
func peerCred(conn *net.UnixConn) (*unix.Ucred, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return nil, err
	}
	return cred, cerr
}

// readRuntimeMessage reads one message and the fds sent with it, and
// returns the listener fd, which the caller then owns. A message is done
// when the bytes read so far are one whole JSON value: crun does not close
// its end. On error every received fd is closed.
func readRuntimeMessage(conn *net.UnixConn) (msg *runtimeMessage, listener int, err error) {
	var fds []int
	defer func() {
		if err != nil {
			for _, fd := range fds {
				unix.Close(fd)
			}
		}
	}()
	if err := conn.SetReadDeadline(time.Now().Add(agentReadTimeout)); err != nil {
		return nil, -1, err
	}
	var data []byte
	buf := make([]byte, 64<<10)
	oob := make([]byte, unix.CmsgSpace(agentMaxFds*4))
	for {
		n, oobn, flags, _, rerr := conn.ReadMsgUnix(buf, oob)
		// A failed read (the deadline, say) returns -1 for the counts.
		n, oobn = max(n, 0), max(oobn, 0)
		if oobn > 0 {
			got, perr := rightsOf(oob[:oobn])
			fds = append(fds, got...)
			if perr != nil {
				return nil, -1, perr
			}
		}
		if flags&unix.MSG_CTRUNC != 0 {
			return nil, -1, fmt.Errorf("more than %d fds sent", agentMaxFds)
		}
		data = append(data, buf[:n]...)
		if len(data) > agentMaxMessage {
			return nil, -1, fmt.Errorf("message longer than %d bytes", agentMaxMessage)
		}
		if len(bytes.TrimSpace(data)) > 0 && json.Valid(data) {
			break
		}
		if errors.Is(rerr, io.EOF) || rerr == nil && n == 0 {
			if len(bytes.TrimSpace(data)) == 0 {
				return nil, -1, errors.New("the peer closed the connection without a message")
			}
			return nil, -1, fmt.Errorf("not JSON: %q", truncateForLog(data))
		}
		if rerr != nil {
			return nil, -1, rerr
		}
	}
	msg = &runtimeMessage{}
	if err := json.Unmarshal(data, msg); err != nil {
		return nil, -1, fmt.Errorf("not a container process state: %v", err)
	}
	idx := -1
	for i, name := range msg.Fds {
		if name == "seccompFd" {
			if idx >= 0 {
				return nil, -1, errors.New(`"seccompFd" named twice in "fds"`)
			}
			idx = i
		}
	}
	switch {
	case idx < 0:
		return nil, -1, fmt.Errorf(`no "seccompFd" in "fds" %q`, msg.Fds)
	case len(fds) != len(msg.Fds):
		return nil, -1, fmt.Errorf(`"fds" names %d fds, %d were sent`, len(msg.Fds), len(fds))
	case !containerIDPattern.MatchString(msg.State.ID) || len(msg.State.ID) > 200:
		return nil, -1, fmt.Errorf("container id %q cannot name a file", truncateForLog([]byte(msg.State.ID)))
	}
	if what, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fds[idx])); err != nil || what != "anon_inode:seccomp notify" {
		return nil, -1, fmt.Errorf("container %s: the fd sent as seccompFd is %q, not a seccomp listener", msg.State.ID, what)
	}
	listener = fds[idx]
	for i, fd := range fds {
		if i != idx {
			unix.Close(fd)
		}
	}
	return msg, listener, nil
}

// rightsOf returns the fds of every SCM_RIGHTS message in oob.
func rightsOf(oob []byte) ([]int, error) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, fmt.Errorf("control message: %w", err)
	}
	var fds []int
	for _, m := range msgs {
		if m.Header.Level != unix.SOL_SOCKET || m.Header.Type != unix.SCM_RIGHTS {
			continue
		}
		got, err := unix.ParseUnixRights(&m)
		if err != nil {
			return fds, err
		}
		fds = append(fds, got...)
	}
	return fds, nil
}

// truncateForLog keeps a peer's bytes short and printable in the log.
func truncateForLog(b []byte) string {
	if len(b) > 80 {
		b = append(b[:80:80], "..."...)
	}
	return string(b)
}

// agentSelection is what a container's listenerMetadata chose.
type agentSelection struct {
	scenarios []*inject.Scenario
	format    string
	trace     *policy.TraceSet
	traceExpr string
}

// selection parses a container's listenerMetadata: KEY=VALUE pairs
// separated by ';' (scenario, format, trace). Scenarios are looked up by
// name among those the agent loaded, never opened by a path.
func (a *agent) selection(metadata string) (*agentSelection, error) {
	sel := &agentSelection{format: a.opt.format, trace: a.trace, traceExpr: a.opt.trace}
	for _, name := range a.names {
		sel.scenarios = append(sel.scenarios, a.scenarios[name])
	}
	pairs, err := parseMetadata(metadata)
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		switch p.key {
		case "scenario":
			sel.scenarios = nil
			for _, name := range strings.Split(p.value, ",") {
				name = strings.TrimSpace(name)
				if name == "" {
					continue
				}
				sc, ok := a.scenarios[name]
				if !ok {
					return nil, fmt.Errorf("metadata %q: no scenario named %q was loaded (loaded: %s)", metadata, name, a.scenarioList())
				}
				sel.scenarios = append(sel.scenarios, sc)
			}
		case "format":
			if p.value != "text" && p.value != "json" {
				return nil, fmt.Errorf("metadata %q: format %q (text or json)", metadata, p.value)
			}
			sel.format = p.value
		case "trace":
			t, err := policy.ParseTrace(p.value)
			if err != nil {
				return nil, fmt.Errorf("metadata %q: %v", metadata, err)
			}
			sel.trace, sel.traceExpr = t, p.value
		}
	}
	return sel, nil
}

// register names a container's output: its id, or ID.PID while another
// process of the same id (runc exec) is supervised.
func (a *agent) register(msg *runtimeMessage) *agentContainer {
	a.mu.Lock()
	defer a.mu.Unlock()
	name := msg.State.ID
	if _, busy := a.active[name]; busy {
		name = msg.State.ID + "." + strconv.Itoa(msg.Pid)
	}
	c := &agentContainer{name: name, msg: msg, started: time.Now()}
	a.active[name] = c
	return c
}

func (a *agent) unregister(c *agentContainer) {
	a.mu.Lock()
	delete(a.active, c.name)
	a.mu.Unlock()
}

// agentReport is DIR/ID.report.json: the run report of syscage run, less
// the exit status (the runtime, not the agent, reaps the container), plus
// which container it was.
type agentReport struct {
	inject.Report
	Container agentReportContainer `json:"container"`
	// Complete is true when the report was written because the
	// container's last process exited, false when the agent stopped first.
	Complete bool `json:"complete"`
	// Unmet are the expectations the fired counts do not meet, one line
	// each, as syscage run prints them.
	Unmet []string `json:"unmet"`
	// Trace is the trace file's name, beside the report.
	Trace string `json:"trace,omitempty"`
	// Error says why the container was refused, when it was.
	Error string `json:"error,omitempty"`
}

type agentReportContainer struct {
	ID          string            `json:"id"`
	Pid         int               `json:"pid"`
	Bundle      string            `json:"bundle"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Metadata    string            `json:"metadata"`
	OCIVersion  string            `json:"oci_version"`
	Started     time.Time         `json:"started"`
	Ended       time.Time         `json:"ended"`
}

// serveContainer supervises one container process whose listener fd the
// runtime sent, and writes its report. It owns listener and closes it.
func (a *agent) serveContainer(msg *runtimeMessage, listener int) {
	c := a.register(msg)
	defer a.unregister(c)
	rep := agentReport{Report: inject.Report{Scenarios: []string{}, Rules: []inject.RuleReport{}}}
	rep.Container = agentReportContainer{
		ID: msg.State.ID, Pid: msg.Pid, Bundle: msg.State.Bundle, Annotations: msg.State.Annotations,
		Metadata: msg.Metadata, OCIVersion: msg.OCIVersion, Started: c.started,
	}
	sel, err := a.selection(msg.Metadata)
	if err != nil {
		unix.Close(listener)
		a.log.Printf("refused container %s (pid %d): %v; its notified calls now fail with ENOSYS", msg.State.ID, msg.Pid, err)
		rep.Error = err.Error()
		rep.Unmet = []string{}
		rep.Container.Ended = time.Now()
		a.writeReport(c, &rep)
		return
	}
	ext := ".trace"
	if sel.format == "json" {
		ext = ".jsonl"
	}
	rep.Trace = c.name + ext
	tracePath := filepath.Join(a.opt.outDir, rep.Trace)
	f, err := os.OpenFile(tracePath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		// Without a trace file the faults are still injected: the report
		// says what fired.
		a.log.Printf("container %s: %v: tracing nothing", c.name, err)
		f, rep.Trace = nil, ""
	}
	var sink supervisor.Sink
	if f != nil {
		sink = newNSPidSink(f, sel.format == "json")
	}
	var eopt inject.Options
	if a.opt.seedSet {
		eopt.Seed = &a.opt.seed
	}
	engine := inject.NewEngineWithOptions(sel.scenarios, eopt)
	strsize := a.opt.strsize
	if strsize == 0 {
		strsize = -1 // decode.Options: negative is strace's -s 0
	}
	cfg := supervisor.Config{
		Print:  sel.trace.Has,
		Decode: decode.Options{StringLimit: strsize},
		Sink:   sink,
		Cancel: a.cancel,
		DryRun: a.opt.dryRun,
		Warn:   func(msg string) { a.log.Printf("container %s: warning: %s", c.name, msg) },
	}
	if !engine.Empty() {
		cfg.Engine = engine
	}
	var names []string
	for _, sc := range sel.scenarios {
		names = append(names, sc.Name)
	}
	a.log.Printf("container %s (pid %d, bundle %s): supervising; scenarios [%s], trace=%s, output %s",
		c.name, msg.Pid, msg.State.Bundle, strings.Join(names, " "), sel.traceExpr, cmp.Or(rep.Trace, "none"))
	serr := supervisor.Supervise(listener, cfg)
	select {
	case <-a.cancel:
	default:
		rep.Complete = serr == nil
	}
	unix.Close(listener)
	if sink != nil {
		if err := sink.Flush(); err != nil {
			a.log.Printf("container %s: write trace: %v", c.name, err)
		}
	}
	if f != nil {
		f.Close()
	}
	if serr != nil {
		a.log.Printf("container %s: %v", c.name, serr)
		rep.Error = serr.Error()
	}
	rep.Report = engine.Report()
	rep.DryRun = a.opt.dryRun
	rep.Unmet = engine.Unmet()
	if rep.Unmet == nil {
		rep.Unmet = []string{}
	}
	rep.Container.Ended = time.Now()
	report := "report " + c.name + ".report.json"
	if !a.writeReport(c, &rep) {
		report = "no report (see above)"
	}
	faults := uint64(0)
	for _, r := range rep.Rules {
		if !r.LogOnly {
			faults += r.Fired
		}
	}
	state := "exited"
	if !rep.Complete {
		state = "left running (the agent stopped)"
	}
	injected := "injected"
	if a.opt.dryRun {
		injected = "that a real run would inject (dry run)"
	}
	a.log.Printf("container %s: %s; %d faults %s; %s", c.name, state, faults, injected, report)
	for _, line := range rep.Unmet {
		a.log.Printf("container %s: %s", c.name, line)
	}
}

// writeReport writes DIR/NAME.report.json whole: to a temporary file
// renamed into place, so that a collector never reads half a report. It
// logs a failure, and reports whether the file was written.
func (a *agent) writeReport(c *agentContainer, rep *agentReport) bool {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		a.log.Printf("container %s: report: %v", c.name, err)
		return false
	}
	final := filepath.Join(a.opt.outDir, c.name+".report.json")
	tmp, err := os.CreateTemp(a.opt.outDir, "."+c.name+".report-*")
	if err == nil {
		_, err = tmp.Write(append(b, '\n'))
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), final)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}
	if err != nil {
		a.log.Printf("container %s: write report: %v", c.name, err)
		return false
	}
	return true
}

// nsPidSink writes the lines of a text or JSON sink with the container's
// own pids added: notifications name threads in the agent's pid namespace,
// and the NSpid line of /proc/TID/status gives the id in the container's.
// A text line's "4242  " prefix becomes "4242/1  "; a JSON object gains
// "container_pid" and "container_tid". Where NSpid has a single entry (the
// container shares the agent's pid namespace) or cannot be read, the line
// is left as it is.
type nsPidSink struct {
	inner supervisor.Sink
	line  bytes.Buffer // what inner wrote for the current call
	out   *bufio.Writer
	json  bool
	ns    nsPids
}

func newNSPidSink(w io.Writer, asJSON bool) *nsPidSink {
	s := &nsPidSink{out: bufio.NewWriterSize(w, 64<<10), json: asJSON}
	if asJSON {
		s.inner = supervisor.NewJSONOutput(&s.line, true)
	} else {
		s.inner = supervisor.NewOutput(&s.line, supervisor.OutputOptions{FileStyle: true, FollowPrefix: true, FlushEachLine: true})
	}
	return s
}

func (s *nsPidSink) Start(leader int) { s.inner.Start(leader) }

func (s *nsPidSink) Call(ev *supervisor.Event) {
	s.inner.Call(ev)
	s.emit(ev.Pid, ev.Tid)
}

func (s *nsPidSink) Signal(pid, tid int, sig syscall.Signal, sender, uid int) {
	s.inner.Signal(pid, tid, sig, sender, uid)
	s.emit(pid, tid)
}

func (s *nsPidSink) Exit(pid int, ws syscall.WaitStatus, last bool) {
	s.inner.Exit(pid, ws, last)
	s.emit(pid, pid)
}

func (s *nsPidSink) Flush() error {
	if err := s.inner.Flush(); err != nil {
		return err
	}
	return s.out.Flush()
}

// emit copies what inner wrote to the output, with the container's pids.
func (s *nsPidSink) emit(pid, tid int) {
	b := s.line.Bytes()
	defer s.line.Reset()
	if len(b) == 0 {
		return
	}
	ntid, tidOK := s.ns.lookup(tid)
	if s.json {
		npid, pidOK := s.ns.lookup(pid)
		if i := bytes.LastIndexByte(b, '}'); i > 0 && tidOK && pidOK {
			s.out.Write(b[:i])
			fmt.Fprintf(s.out, `,"container_pid":%d,"container_tid":%d`, npid, ntid)
			s.out.Write(b[i:])
			return
		}
		s.out.Write(b)
		return
	}
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		digits := 0
		for digits < len(line) && line[digits] >= '0' && line[digits] <= '9' {
			digits++
		}
		rest := bytes.TrimLeft(line[digits:], " ")
		if !tidOK || digits == 0 || len(rest) == len(line[digits:]) {
			s.out.Write(line)
			continue
		}
		prefix := fmt.Appendf(nil, "%-5s ", fmt.Sprintf("%s/%d", line[:digits], ntid))
		s.out.Write(prefix)
		s.out.Write(unpad(rest, len(line)-len(rest), len(prefix)))
	}
}

// unpad keeps a call line's " = " in strace's column (40) when its prefix
// grows from was to now bytes: it takes the difference out of the
// alignment spaces, keeping one.
func unpad(rest []byte, was, now int) []byte {
	grow := now - was
	col := resultColumnOf - was // where "= " starts in rest when padded
	if grow <= 0 || col < 1 || col+1 >= len(rest) || rest[col] != '=' || rest[col+1] != ' ' || rest[col-1] != ' ' {
		return rest
	}
	run := 0
	for i := col - 1; i >= 0 && rest[i] == ' '; i-- {
		run++
	}
	cut := min(grow, run-1)
	if cut <= 0 {
		return rest
	}
	return append(append([]byte(nil), rest[:col-cut]...), rest[col:]...)
}

// resultColumnOf is strace's column for " = " (its -a default), as
// supervisor.Output pads to it.
const resultColumnOf = 40

// nsPids maps thread ids in the agent's pid namespace to the ids the same
// threads have in their innermost pid namespace.
type nsPids struct {
	m map[int]int // 0: no second id
}

// lookup returns tid's id in its own pid namespace; ok is false when it
// has none other than tid (same namespace) or /proc cannot tell. An id is
// kept once read: within one container a thread id is reused only after
// the kernel's pid counter wrapped around.
func (n *nsPids) lookup(tid int) (int, bool) {
	if tid <= 0 {
		return 0, false
	}
	if v, ok := n.m[tid]; ok {
		return v, v != 0
	}
	if n.m == nil || len(n.m) > 4096 {
		n.m = map[int]int{}
	}
	v, ok := nsPid(tid)
	if !ok {
		// The thread is gone or unreadable: try again next time.
		return 0, false
	}
	n.m[tid] = v
	return v, v != 0
}

// nsPid reads the NSpid line of /proc/TID/status: the thread's ids from the
// agent's pid namespace inwards. It returns the innermost one, 0 when there
// is only one.
func nsPid(tid int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "NSpid:"); ok {
			f := strings.Fields(v)
			if len(f) < 2 {
				return 0, true
			}
			id, err := strconv.Atoi(f[len(f)-1])
			if err != nil {
				return 0, false
			}
			return id, true
		}
	}
	return 0, false
}
