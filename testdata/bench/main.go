// Command bench is the driver of `make bench`: it measures syscage against
// running natively and against strace, side by side, and prints a table with
// the ratios and targets of issue 6 (docs/performance.md).
//
// The C workloads are built by `make bench` (testdata/bench/c/*.c into
// testdata/bench/build/). Every measured mode runs once per round, round
// robin, the order rotated each round; each mode's figure is the median over
// the rounds. Wall time is taken by this process around start and wait of
// the command; CPU time comes from the rusage wait4 returns for that command
// (it includes the children it reaped: the tracee of strace or syscage).
// Peak RSS is syscage's VmHWM, read from /proc while it runs: wait4's maxrss
// would count this driver's image, which a vforked child shares until it
// execs. The workloads also report their own loop time (loop_ns),
// which leaves out start-up and exit, and the CLOCK_MONOTONIC times of their
// main's start and end: launch is the time from starting the command to the
// workload's main, teardown the time from the workload's last print until
// the command has been waited for.
//
// The driver fails (exit 1) on a broken run: a non-zero exit status, a
// workload that did not print its result, an injection that did not happen,
// a trace file without the expected lines. A target that is missed is
// reported as FAIL, and the driver still exits 0: it measures, it does not
// judge CI.
//
//	go run ./testdata/bench -bin testdata/bench/build -syscage bin/syscage [flags]
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

var (
	binDir     = flag.String("bin", "testdata/bench/build", "directory of the built C workloads (openat, getpid, openat_mt) and of refsup")
	syscageBin = flag.String("syscage", "bin/syscage", "the syscage binary")
	scenDir    = flag.String("scenarios", "testdata/bench", "directory of inject.yaml and nomatch.yaml")
	rounds     = flag.Int("rounds", 7, "rounds; each mode runs once per round (at least 5)")
	nOpen      = flag.Int("n", 20000, "openat+close calls per run of the openat loop")
	nGetpid    = flag.Int("getpid", 5000000, "getpid calls per run of the getpid loop")
	nMT        = flag.Int("mt", 20000, "openat+close calls per run of the threaded loop, over all threads")
	threads    = flag.Int("threads", 8, "threads of the threaded loop (compared with 1)")
	startups   = flag.Int("startup", 5, "runs of each start-up mode per round")
	rssCalls   = flag.Int("rss", 200000, "traced openat calls of the peak-RSS run (a second run makes a tenth of them)")
	long       = flag.Bool("long", false, "peak-RSS run with 1,000,000 traced calls (sets -rss 1000000)")
	keep       = flag.Bool("keep", false, "keep the temporary directory (trace files)")
	verbose    = flag.Bool("v", false, "print every run")
)

// result is one run of one mode.
type result struct {
	wall   time.Duration
	cpu    time.Duration // user+system of the command and the children it reaped
	maxRSS int64         // KiB, the largest of the command and its reaped children
	hwm    int64         // KiB, the command's own VmHWM, sampled while it ran (pollRSS)
	loop   time.Duration // the workload's own loop time; 0 when it prints none
	failed int64         // opens that failed, as the workload counted them
	// launch: command started to workload's main; teardown: workload's
	// last print to command waited for. 0 without a workload.
	launch, teardown time.Duration
}

// mode is one measured command line.
type mode struct {
	name  string
	group string // openat, getpid, mt, startup
	argv  []string
	calls int64 // the workload's calls per run
	// workload: the command runs one of the C workloads, which prints its
	// result line (set by add when calls > 0)
	workload bool
	// wantFailed is how many opens must fail: 0, or calls when injecting.
	wantFailed int64
	// trace, when set, is the -o file; it must hold at least wantLines
	// lines containing each of lineHas.
	trace     string
	lineHas   []string
	wantLines int64
	// pollRSS: sample the command's VmHWM in /proc while it runs
	pollRSS bool
	// runs per round
	repeat int
	res    []result
}

func main() {
	flag.Parse()
	if *rounds < 5 {
		fatalf("-rounds %d: at least 5 rounds are needed for a median", *rounds)
	}
	if *long {
		*rssCalls = 1000000
	}
	tmp, err := os.MkdirTemp("", "syscage-bench-")
	if err != nil {
		fatalf("%v", err)
	}
	tmpDir = tmp
	if !*keep {
		defer os.RemoveAll(tmp)
	} else {
		fmt.Printf("keeping %s\n", tmp)
	}
	// The file every openat loop opens. inject.yaml matches its name.
	target := filepath.Join(tmp, "syscage-bench.target")
	if err := os.WriteFile(target, []byte("bench\n"), 0o644); err != nil {
		fatalf("%v", err)
	}
	openatBin := mustAbs(filepath.Join(*binDir, "openat"))
	getpidBin := mustAbs(filepath.Join(*binDir, "getpid"))
	mtBin := mustAbs(filepath.Join(*binDir, "openat_mt"))
	refBin := mustAbs(filepath.Join(*binDir, "refsup"))
	sc := mustAbs(*syscageBin)
	injectYAML := mustAbs(filepath.Join(*scenDir, "inject.yaml"))
	nomatchYAML := mustAbs(filepath.Join(*scenDir, "nomatch.yaml"))
	strace, err := exec.LookPath("strace")
	if err != nil {
		fatalf("strace not found: %v (make deps installs it)", err)
	}
	trueBin, err := exec.LookPath("true")
	if err != nil {
		fatalf("true not found: %v", err)
	}
	jsonFlag := jsonFormatFlag(sc)

	n := int64(*nOpen)
	openArgs := []string{openatBin, strconv.Itoa(*nOpen), target}
	traceFile := func(name string) string { return filepath.Join(tmp, name+".trace") }
	syscageRun := func(extra ...string) []string {
		return append(append([]string{sc, "run"}, extra...), "--")
	}
	openatLine := []string{"openat(", "syscage-bench.target"}
	var modes []*mode
	add := func(m *mode) *mode {
		if m.repeat == 0 {
			m.repeat = 1
		}
		if m.calls > 0 {
			m.workload = true
		}
		modes = append(modes, m)
		return m
	}
	native := add(&mode{name: "native", group: "openat", argv: openArgs, calls: n})
	straceM := add(&mode{name: "strace -f", group: "openat", calls: n,
		argv: append([]string{strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=openat", "--"}, openArgs...)})
	straceBPF := add(&mode{name: "strace -f --seccomp-bpf", group: "openat", calls: n,
		argv: append([]string{strace, "-f", "-qq", "--seccomp-bpf", "-o", "/dev/null", "-e", "trace=openat", "--"}, openArgs...)})
	traceOnly := add(&mode{name: "syscage trace-only", group: "openat", calls: n,
		trace: traceFile("trace"), lineHas: openatLine, wantLines: n,
		argv: append(syscageRun("-e", "trace=openat", "-o", traceFile("trace")), openArgs...)})
	var jsonM *mode
	if jsonFlag != "" {
		jsonM = add(&mode{name: "syscage JSON", group: "openat", calls: n,
			trace: traceFile("json"), lineHas: []string{"openat", "syscage-bench.target"}, wantLines: n,
			argv: append(syscageRun("-e", "trace=openat", jsonFlag, "-o", traceFile("json")), openArgs...)})
	}
	injectM := add(&mode{name: "syscage inject ENOENT", group: "openat", calls: n, wantFailed: n,
		trace: traceFile("inject"), lineHas: append(openatLine, "(INJECTED)"), wantLines: n,
		argv: append(syscageRun("-e", "trace=openat", "-o", traceFile("inject"), "--scenario", injectYAML), openArgs...)})
	nomatch := add(&mode{name: "syscage no-match scenario", group: "openat", calls: n,
		trace: traceFile("nomatch"), lineHas: openatLine, wantLines: n,
		argv: append(syscageRun("-e", "trace=openat", "-o", traceFile("nomatch"), "--scenario", nomatchYAML), openArgs...)})

	g := int64(*nGetpid)
	getpidArgs := []string{getpidBin, strconv.Itoa(*nGetpid)}
	getpidNative := add(&mode{name: "getpid native", group: "getpid", argv: getpidArgs, calls: g})
	getpidFloor := add(&mode{name: "getpid, allow-all seccomp filter", group: "getpid", calls: g,
		argv: append(getpidArgs, "allow-all")})
	getpidSC := add(&mode{name: "getpid syscage -e trace=openat", group: "getpid", calls: g,
		argv: append(syscageRun("-e", "trace=openat", "-o", traceFile("getpid")), getpidArgs...)})

	m := int64(*nMT)
	mtArgs := func(t int) []string { return []string{mtBin, strconv.Itoa(t), strconv.Itoa(*nMT), target} }
	mt1Native := add(&mode{name: "1 thread native", group: "mt", argv: mtArgs(1), calls: m})
	mtNNative := add(&mode{name: fmt.Sprintf("%d threads native", *threads), group: "mt", argv: mtArgs(*threads), calls: m})
	mt1 := add(&mode{name: "1 thread syscage trace-only", group: "mt", calls: m,
		trace: traceFile("mt1"), lineHas: openatLine, wantLines: m,
		argv: append(syscageRun("-e", "trace=openat", "-o", traceFile("mt1")), mtArgs(1)...)})
	mtN := add(&mode{name: fmt.Sprintf("%d threads syscage trace-only", *threads), group: "mt", calls: m,
		trace: traceFile("mtN"), lineHas: openatLine, wantLines: m,
		argv: append(syscageRun("-e", "trace=openat", "-o", traceFile("mtN")), mtArgs(*threads)...)})

	// The same loops under refsup.c, the least a notify supervisor does
	// per traced openat: how far this kernel and machine let any
	// supervisor scale with the tracee's threads. One thread with sync
	// wake-up (its fastest setting); several threads without it, with one
	// worker and with two (the faster counts).
	refRun := func(name string, t int, flags ...string) *mode {
		return add(&mode{name: name, group: "mt", calls: m,
			trace: traceFile("ref"), lineHas: openatLine, wantLines: m,
			argv: append(append(append([]string{refBin}, flags...), "-o", traceFile("ref"), "--"), mtArgs(t)...)})
	}
	ref1 := refRun("1 thread C reference", 1, "-s")
	refN1 := refRun(fmt.Sprintf("%d threads C reference, 1 worker", *threads), *threads, "-w", "1")
	refN2 := refRun(fmt.Sprintf("%d threads C reference, 2 workers", *threads), *threads, "-w", "2")

	startNative := add(&mode{name: "true", group: "startup", argv: []string{trueBin}, repeat: *startups})
	startSC := add(&mode{name: "syscage run -e trace=none -- true", group: "startup", repeat: *startups,
		argv: append(syscageRun("-e", "trace=none"), trueBin)})
	// The same with a workload that says when its main starts and ends,
	// to split the start-up delta into launch and teardown.
	start0Native := add(&mode{name: "getpid 0", group: "startup", repeat: *startups, workload: true,
		argv: []string{getpidBin, "0"}})
	start0SC := add(&mode{name: "syscage run -e trace=none -- getpid 0", group: "startup", repeat: *startups, workload: true,
		argv: append(syscageRun("-e", "trace=none"), getpidBin, "0")})

	host := hostInfo()
	fmt.Printf("syscage bench: %s\n", host)
	fmt.Printf("load average before: %s\n", loadavg())
	fmt.Printf("%d rounds; openat loop N=%d; getpid loop N=%d; threaded loop N=%d over 1 and %d threads; %d start-ups per mode and round\n\n",
		*rounds, *nOpen, *nGetpid, *nMT, *threads, *startups)

	// One warm-up run of each mode: page cache, binaries, and a first
	// check that every mode works before anything is timed.
	for _, md := range modes {
		runChecked(md)
	}
	var order []*mode
	for _, md := range modes {
		for range md.repeat {
			order = append(order, md)
		}
	}
	began := time.Now()
	for r := range *rounds {
		start := (r * len(order)) / *rounds
		for i := range order {
			md := order[(start+i)%len(order)]
			md.res = append(md.res, runChecked(md))
		}
		fmt.Fprintf(os.Stderr, "round %d/%d done (%.0f s)\n", r+1, *rounds, time.Since(began).Seconds())
	}

	// Peak RSS: one long traced run and one a tenth as long, for growth.
	rssRun := func(calls int) result {
		md := &mode{name: fmt.Sprintf("syscage trace-only, %d calls", calls), group: "rss", calls: int64(calls), workload: true, pollRSS: true,
			trace: traceFile("rss"), lineHas: openatLine, wantLines: int64(calls),
			argv: append(syscageRun("-e", "trace=openat", "-o", traceFile("rss")), openatBin, strconv.Itoa(calls), target)}
		return runChecked(md)
	}
	fmt.Fprintf(os.Stderr, "peak-RSS runs: %d and %d traced calls\n", *rssCalls/10, *rssCalls)
	rssSmall := rssRun(*rssCalls / 10)
	rssBig := rssRun(*rssCalls)

	// The table.
	fmt.Printf("load average after: %s\n\n", loadavg())
	nat := med(native)
	fmt.Printf("openat+close loop, N=%d (median of %d rounds)\n", *nOpen, *rounds)
	header()
	for _, md := range []*mode{native, straceM, straceBPF, traceOnly, jsonM, injectM, nomatch} {
		if md == nil {
			fmt.Printf("%-34s %s\n", "syscage JSON", "n/a (no --format yet)")
			continue
		}
		row(md, nat)
	}
	fmt.Printf("\ngetpid loop (never notified), N=%d\n", *nGetpid)
	header()
	gn := med(getpidNative)
	row(getpidNative, gn)
	row(getpidFloor, gn)
	row(getpidSC, gn)
	fmt.Printf("\nthreaded openat+close loop, N=%d in total\n", *nMT)
	header()
	row(mt1Native, med(mt1Native))
	row(mtNNative, med(mt1Native))
	row(mt1, med(mt1Native))
	row(mtN, med(mtNNative))
	row(ref1, med(mt1Native))
	row(refN1, med(mtNNative))
	row(refN2, med(mtNNative))
	rate := func(md *mode) float64 { return float64(md.calls) / med(md).loop.Seconds() }
	refN := refN1
	if rate(refN2) > rate(refN1) {
		refN = refN2
	}
	fmt.Printf("  events/s (loop time): 1 thread %.0f, %d threads %.0f; native 1 thread %.0f, %d threads %.0f; C reference 1 thread %.0f, %d threads %.0f\n",
		rate(mt1), *threads, rate(mtN), rate(mt1Native), *threads, rate(mtNNative), rate(ref1), *threads, rate(refN))
	fmt.Printf("\nstart-up (median of %d runs each)\n", *rounds**startups)
	fmt.Printf("  %-40s %8.2f ms\n", startNative.name, ms(med(startNative).wall))
	fmt.Printf("  %-40s %8.2f ms\n", startSC.name, ms(med(startSC).wall))
	for _, md := range []*mode{start0Native, start0SC} {
		r := med(md)
		fmt.Printf("  %-40s %8.2f ms: launch %.2f ms, teardown %.2f ms\n", md.name, ms(r.wall), ms(r.launch), ms(r.teardown))
	}
	fmt.Printf("\nsupervisor peak RSS, syscage -e trace=openat -o FILE: VmHWM of the syscage process, sampled every 10 ms\n")
	fmt.Printf("(wait4's maxrss also shown: it counts this driver's image, which the child shares until it execs)\n")
	fmt.Printf("  %9d traced calls: VmHWM %6.1f MiB, maxrss %6.1f MiB (wall %.2f s)\n", *rssCalls/10, mib(rssSmall.hwm), mib(rssSmall.maxRSS), rssSmall.wall.Seconds())
	fmt.Printf("  %9d traced calls: VmHWM %6.1f MiB, maxrss %6.1f MiB (wall %.2f s)\n", *rssCalls, mib(rssBig.hwm), mib(rssBig.maxRSS), rssBig.wall.Seconds())
	growth := float64(rssBig.hwm-rssSmall.hwm) * 1024 / float64(*rssCalls-*rssCalls/10)
	fmt.Printf("  growth between the two: %.3f bytes per call\n", growth)

	// Ratios and targets.
	ov := func(md *mode) float64 { return perCall(med(md).wall, nat.wall, md.calls) }
	ovLoop := func(md *mode) float64 { return perCall(med(md).loop, nat.loop, md.calls) }
	loopNote := func(a, b *mode) string { return fmt.Sprintf("loop-time ratio %.3f", ovLoop(a)/ovLoop(b)) }
	fmt.Printf("\ntargets (issue 6)                                         measured   target     result\n")
	check("traced overhead / strace --seccomp-bpf overhead", ov(traceOnly)/ov(straceBPF), "<=", 0.35, loopNote(traceOnly, straceBPF))
	check("traced overhead / plain strace overhead", ov(traceOnly)/ov(straceM), "<=", 0.2, loopNote(traceOnly, straceM))
	if jsonM != nil {
		check("JSON overhead / strace --seccomp-bpf overhead", ov(jsonM)/ov(straceBPF), "<=", 0.35, loopNote(jsonM, straceBPF))
	} else {
		fmt.Printf("%-56s %s\n", "JSON overhead / strace --seccomp-bpf overhead", "n/a (no --format yet)")
	}
	check("inject overhead / trace-only overhead", ov(injectM)/ov(traceOnly), "<=", 1.0,
		loopNote(injectM, traceOnly)+fmt.Sprintf(", wall ratio %.3f", ratio(med(injectM).wall, med(traceOnly).wall)))
	check("no-match scenario overhead / trace-only overhead", ov(nomatch)/ov(traceOnly), "<=", 1.1,
		loopNote(nomatch, traceOnly)+fmt.Sprintf(", wall ratio %.3f", ratio(med(nomatch).wall, med(traceOnly).wall)))
	check("untraced getpid loop time / native", ratio(med(getpidSC).loop, gn.loop), "<=", 1.02,
		fmt.Sprintf("wall ratio %.3f; allow-all filter alone %.3f", ratio(med(getpidSC).wall, gn.wall), ratio(med(getpidFloor).loop, gn.loop)))
	// Any seccomp filter costs the allow-all floor above on every call;
	// what syscage's filter adds to it is this.
	check("untraced getpid loop time / allow-all filter", ratio(med(getpidSC).loop, med(getpidFloor).loop), "<=", 1.02,
		"syscage's filter over the kernel's floor for any filter")
	check(fmt.Sprintf("%d-thread events/s / 1-thread events/s", *threads), rate(mtN)/rate(mt1), ">=", 1.5,
		fmt.Sprintf("C reference supervisor %.3f", rate(refN)/rate(ref1)))
	// What the machine allows any supervisor: the C reference's own
	// ratio, and syscage's against it.
	check(fmt.Sprintf("%d-thread / 1-thread, C reference supervisor", *threads), rate(refN)/rate(ref1), ">=", 1.5,
		"refsup.c: this kernel's and machine's floor")
	info(fmt.Sprintf("%d-thread / 1-thread, syscage's over C reference's", *threads), (rate(mtN)/rate(mt1))/(rate(refN)/rate(ref1)),
		fmt.Sprintf("events/s against the reference's: 1 thread %.3f, %d threads %.3f", rate(mt1)/rate(ref1), *threads, rate(mtN)/rate(refN)))
	check(fmt.Sprintf("peak RSS (VmHWM), MiB, after %d traced calls", *rssCalls), mib(rssBig.hwm), "<=", 40, "")
	check("start-up delta, ms", ms(med(startSC).wall-med(startNative).wall), "<=", 5,
		fmt.Sprintf("launch +%.2f ms, teardown +%.2f ms", ms(med(start0SC).launch-med(start0Native).launch), ms(med(start0SC).teardown-med(start0Native).teardown)))
}

func header() {
	fmt.Printf("%-34s %8s %15s %8s %8s %7s %7s %12s %12s\n", "mode", "wall ms", "wall min..max", "loop ms", "cpu ms", "launch", "teardn", "µs/call wall", "µs/call loop")
}

// row prints md's medians and its per-call overhead over base.
func row(md *mode, base result) {
	r := med(md)
	lo, hi := md.res[0].wall, md.res[0].wall
	for _, x := range md.res {
		lo, hi = min(lo, x.wall), max(hi, x.wall)
	}
	fmt.Printf("%-34s %8.1f %15s %8.1f %8.1f %7.1f %7.1f %12.2f %12.2f\n", md.name, ms(r.wall), fmt.Sprintf("%.0f..%.0f", ms(lo), ms(hi)), ms(r.loop), ms(r.cpu),
		ms(r.launch), ms(r.teardown), perCall(r.wall, base.wall, md.calls), perCall(r.loop, base.loop, md.calls))
}

func check(what string, got float64, op string, limit float64, note string) {
	ok := got <= limit
	if op == ">=" {
		ok = got >= limit
	}
	verdict := "PASS"
	if !ok {
		verdict = "FAIL"
	}
	if note != "" {
		note = "  (" + note + ")"
	}
	fmt.Printf("%-56s %8.3f   %s %-6g %s%s\n", what, got, op, limit, verdict, note)
}

// info prints a figure that has no target of its own.
func info(what string, got float64, note string) {
	fmt.Printf("%-56s %8.3f   %-16s (%s)\n", what, got, "no target", note)
}

// med is the median of each measured quantity of md's runs, taken on its own.
func med(md *mode) result {
	pick := func(f func(result) int64) int64 {
		v := make([]int64, len(md.res))
		for i, r := range md.res {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v) == 0 {
			return 0
		}
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return result{
		wall:     time.Duration(pick(func(r result) int64 { return int64(r.wall) })),
		cpu:      time.Duration(pick(func(r result) int64 { return int64(r.cpu) })),
		loop:     time.Duration(pick(func(r result) int64 { return int64(r.loop) })),
		maxRSS:   pick(func(r result) int64 { return r.maxRSS }),
		launch:   time.Duration(pick(func(r result) int64 { return int64(r.launch) })),
		teardown: time.Duration(pick(func(r result) int64 { return int64(r.teardown) })),
	}
}

// runChecked runs md once and fails the whole benchmark if the run broke.
func runChecked(md *mode) result {
	if md.trace != "" {
		os.Remove(md.trace)
	}
	cmd := exec.Command(md.argv[0], md.argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	m0 := monotonic()
	t0 := time.Now()
	err := cmd.Start()
	if err != nil {
		fatalf("%s: start %q: %v", md.name, strings.Join(md.argv, " "), err)
	}
	var hwm chan int64
	stop := make(chan struct{})
	if md.pollRSS {
		hwm = make(chan int64, 1)
		go pollHWM(cmd.Process.Pid, stop, hwm)
	}
	err = cmd.Wait()
	wall := time.Since(t0)
	m1 := monotonic()
	close(stop)
	if err != nil {
		fatalf("%s: %q: %v\nstdout:\n%s\nstderr:\n%s", md.name, strings.Join(md.argv, " "), err, stdout.String(), stderr.String())
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r := result{wall: wall}
	if hwm != nil {
		r.hwm = <-hwm
		if r.hwm == 0 {
			fatalf("%s: no VmHWM read from /proc/%d/status", md.name, cmd.Process.Pid)
		}
	}
	if ru != nil {
		r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		r.maxRSS = ru.Maxrss
	}
	if md.workload {
		var loopNs, calls, failed, startNs, endNs int64
		out := strings.TrimSpace(stdout.String())
		if _, err := fmt.Sscanf(lastLine(out), "loop_ns=%d calls=%d failed=%d start_ns=%d end_ns=%d", &loopNs, &calls, &failed, &startNs, &endNs); err != nil || calls != md.calls {
			fatalf("%s: the workload printed %q, want \"loop_ns=... calls=%d failed=... start_ns=... end_ns=...\"\nstderr:\n%s", md.name, out, md.calls, stderr.String())
		}
		if startNs < m0 || endNs > m1 || endNs < startNs {
			fatalf("%s: workload times %d..%d are not within the run's %d..%d", md.name, startNs, endNs, m0, m1)
		}
		r.launch = time.Duration(startNs - m0)
		r.teardown = time.Duration(m1 - endNs)
		if failed != md.wantFailed {
			fatalf("%s: %d of %d opens failed, want %d (is the scenario matching?)\nstderr:\n%s", md.name, failed, calls, md.wantFailed, stderr.String())
		}
		r.loop = time.Duration(loopNs)
		r.failed = failed
	}
	if md.trace != "" {
		got, err := countLines(md.trace, md.lineHas)
		if err != nil {
			fatalf("%s: trace file: %v", md.name, err)
		}
		if got < md.wantLines {
			fatalf("%s: trace file %s has %d lines with %q, want at least %d", md.name, md.trace, got, md.lineHas, md.wantLines)
		}
	}
	if *verbose {
		fmt.Fprintf(os.Stderr, "%-34s wall %8.2f ms loop %8.2f ms cpu %8.2f ms rss %6.1f MiB\n",
			md.name, ms(r.wall), ms(r.loop), ms(r.cpu), mib(r.maxRSS))
	}
	return r
}

// pollHWM reads pid's VmHWM every 10 ms until stop is closed, and sends the
// largest value it read (KiB). A zombie has none: the last live read counts.
func pollHWM(pid int, stop <-chan struct{}, out chan<- int64) {
	var best int64
	file := "/proc/" + strconv.Itoa(pid) + "/status"
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(file); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					var kib int64
					if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kib); err == nil && kib > best {
						best = kib
					}
				}
			}
		}
		select {
		case <-stop:
			out <- best
			return
		case <-tick.C:
		}
	}
}

// countLines counts the lines of file that contain every one of has.
func countLines(file string, has []string) (int64, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var n int64
	bs := make([][]byte, len(has))
	for i, h := range has {
		bs[i] = []byte(h)
	}
next:
	for sc.Scan() {
		for _, b := range bs {
			if !bytes.Contains(sc.Bytes(), b) {
				continue next
			}
		}
		n++
	}
	return n, sc.Err()
}

// jsonFormatFlag returns the flag that makes syscage write JSON Lines, or ""
// when `syscage run --help` shows no --format flag.
func jsonFormatFlag(sc string) string {
	out, err := exec.Command(sc, "run", "--help").CombinedOutput()
	if err != nil {
		fatalf("%s run --help: %v\n%s", sc, err, out)
	}
	if !bytes.Contains(out, []byte("--format")) || !bytes.Contains(bytes.ToLower(out), []byte("json")) {
		return ""
	}
	return "--format=json"
}

// hostInfo is the date, kernel and CPU of this machine.
func hostInfo() string {
	kernel := "?"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = strings.TrimSpace(string(b))
	}
	cpu := "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, Linux %s, %s, %d CPUs, %s", time.Now().Format("2006-01-02 15:04 MST"), kernel, cpu, runtime.NumCPU(), runtime.Version())
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func perCall(d, base time.Duration, calls int64) float64 {
	if calls == 0 {
		return 0
	}
	return float64(d-base) / 1e3 / float64(calls)
}

// monotonic is CLOCK_MONOTONIC in ns, the clock the workloads print.
func monotonic() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		fatalf("clock_gettime: %v", err)
	}
	return ts.Nano()
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }
func ms(d time.Duration) float64       { return float64(d) / 1e6 }
func mib(kib int64) float64            { return float64(kib) / 1024 }

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		fatalf("%v", err)
	}
	if _, err := os.Stat(a); err != nil {
		fatalf("%v (run `make bench`, which builds it)", err)
	}
	return a
}

// tmpDir is kept when a run breaks, for its trace files.
var tmpDir string

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: BROKEN RUN: "+format+"\n", args...)
	if tmpDir != "" {
		fmt.Fprintf(os.Stderr, "bench: trace files kept in %s\n", tmpDir)
	}
	os.Exit(1)
}
