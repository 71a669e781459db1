//go:build ignore

// gen_xlat.go writes zxlat_<arch>.go: strace 6.1's value tables
// (src/xlat/*.in) that the decoders use, with every value taken from
// golang.org/x/sys/unix for the target arch. strace's .in files are run
// through the C preprocessor with the target arch's macros, so that the
// names strace knows on that arch, in strace's order, come out; each name
// then becomes unix.NAME when x/sys/unix has it for the target.
//
// A name x/sys/unix lacks takes the value the .in file gives for the arch
// (strace's fallback definition, which copies the kernel header the .in's
// first line names), or else the value of the macro in this machine's
// x86_64 kernel and glibc headers (the headers the .in file includes),
// found by compiling a probe with gcc; a name neither defines is left out,
// as strace's build leaves it out. Each such value is marked in the output.
//
// Usage, from the decode directory, with an unpacked strace source tree:
//
//	git -C strace archive v6.1 src | tar -x -C /tmp/strace-6.1
//	go run gen_xlat.go -strace /tmp/strace-6.1
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// tables are the strace xlat files generated, each becoming the Go
// variable "x" + its name in camel case (mmap_prot: xMmapProt).
var tables = []string{
	"advise", "archvals", "bpf_commands", "cap_version", "clocknames",
	"close_range_flags", "efd_flags", "epollctls", "epollevents", "epollflags",
	"f_owner_types", "f_seals", "falloc_flags", "fcntlcmds", "fdflags",
	"flockcmds", "futexops", "futexwakecmps", "futexwakeops", "getrandom_flags",
	"getsock_ip_options", "getsock_ipv6_options", "getsock_options",
	"inotify_flags", "inotify_init_flags", "ipc_msg_flags", "itimer_which",
	"lockfcmds", "madvise_cmds", "mctl_sync", "membarrier_cmds", "memfd_create_flags",
	"mlock_flags", "mlockall_flags", "mmap_flags", "mmap_prot", "mount_flags",
	"mremap_flags", "msgctl_flags", "notifyflags", "open_resolve_flags",
	"personality_flags", "personality_types", "pidfd_open_flags", "pollflags",
	"pr_cap_ambient", "pr_dumpable", "pr_set_mm", "pr_tsc", "prctl_options",
	"priorities", "resources", "rwf_flags", "sched_flags", "schedulers",
	"seccomp_filter_flags", "seccomp_ops", "semctl_flags", "semop_flags",
	"setsock_ip_options", "setsock_ipv6_options", "setsock_options",
	"sfd_flags", "shm_flags", "shm_resource_flags", "shmctl_flags",
	"shutdown_modes", "sigact_flags", "sigaltstack_flags", "sigprocmaskcmds",
	"sock_ip_options", "sock_ipv6_options", "sock_options", "sock_tcp_options",
	"sock_udp_options", "sock_netlink_options", "sock_packet_options",
	"sock_raw_options", "socketlayers", "splice_flags", "sync_file_range_flags",
	"timerfdflags", "umount_flags", "usagewho", "wait4_options", "waitid_types",
	"whence_codes", "xattrflags", "ipc_private", "uring_setup_flags",
	"sockopt_txrehash_vals", "unshare_flags", "setns_types", "kcmp_types",
	"ioprio_who", "ioprio_class", "sa_handler_values", "mpol_modes",
	"mbind_flags", "module_init_flags", "delete_module_flags", "swap_flags",
	"landlock_create_ruleset_flags", "fan_init_flags", "fan_mark_flags",
	"name_to_handle_at_flags", "open_tree_flags", "fsopen_flags", "fsmount_flags",
	"move_mount_flags", "uring_enter_flags", "uring_register_opcodes",
	"rename_flags", "perf_event_open_flags", "statfs_flags", "modetypes",
	"ptrace_cmds", "ptrace_events", "ptrace_setoptions_flags", "mount_setattr_flags",
	"tcflsh_options", "tcxonc_options", "sigev_value", "siginfo_codes", "sigchld_codes",
	"sigill_codes", "sigfpe_codes", "sigsegv_codes", "sigbus_codes", "sigtrap_codes",
	"sigpoll_codes", "sigprof_codes", "sigsys_codes",
}

// target is one set of generated tables: the GOARCHes it builds for, the
// C preprocessor's arch macros, and the x/sys/unix files whose names it
// can use.
type target struct {
	file   string
	tag    string // build constraint, "" for a file named for its GOARCH
	macros []string
	arches []string // x/sys/unix zerrors_linux_<arch>.go files; several = names common to all
}

var targets = []target{
	{file: "zxlat_amd64.go", macros: []string{"__x86_64__", "__LP64__"}, arches: []string{"amd64"}},
	{file: "zxlat_arm64.go", macros: []string{"__aarch64__", "__LP64__"}, arches: []string{"arm64"}},
	{file: "zxlat_riscv64.go", macros: []string{"__riscv", "__LP64__"}, arches: []string{"riscv64"}},
	{file: "zxlat_other.go", tag: "!amd64 && !arm64 && !riscv64", arches: []string{
		"386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle",
		"ppc", "ppc64", "ppc64le", "riscv64", "s390x", "sparc64"}},
}

var (
	root    = flag.String("strace", "", "strace source tree")
	entRE   = regexp.MustCompile(`^(1<<)?([A-Z_][A-Za-z0-9_]*(?:\|[A-Z_][A-Za-z0-9_]*)*)(?:\s+(\S.*))?$`)
	incRE   = regexp.MustCompile(`^#include\s+(<[^>]+>)`)
	cSuffix = regexp.MustCompile(`\b(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]+\b`)
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	if *root == "" {
		log.Fatal("-strace is required")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys").Output()
	if err != nil {
		log.Fatal(err)
	}
	unixDir := filepath.Join(strings.TrimSpace(string(out)), "unix")
	probes := map[string]string{} // name → value from gcc, "" for none
	for _, t := range targets {
		gen(t, unixDir, probes)
	}
}

type entry struct {
	name, expr, note string
}

func gen(t target, unixDir string, probes map[string]string) {
	names := unixNames(unixDir, t.arches)
	var b bytes.Buffer
	b.WriteString("// Code generated by gen_xlat.go from strace v6.1 src/xlat/*.in and golang.org/x/sys/unix; DO NOT EDIT.\n\n")
	if t.tag != "" {
		fmt.Fprintf(&b, "//go:build %s\n\n", t.tag)
	}
	b.WriteString("package decode\n\nimport \"golang.org/x/sys/unix\"\n\nvar _ = unix.AF_UNIX\n\n")
	sorted := append([]string(nil), tables...)
	sort.Strings(sorted)
	for _, tab := range sorted {
		ents, includes := parseIn(tab, t.macros)
		fmt.Fprintf(&b, "// %s is strace's src/xlat/%s.in.\nvar %s = xlat{\n", goName(tab), tab, goName(tab))
		local := map[string]string{}
		for _, e := range ents {
			expr, note := e.expr, ""
			if u, ok := unixExpr(e.name, names); ok {
				expr = u
			} else if expr == "" {
				{
					v := probe(e.name, includes, probes)
					if v == "" {
						continue // strace's build does not have it either
					}
					expr, note = v, " // not in x/sys/unix; value from the x86_64 kernel/glibc headers "+strings.Join(includes, " ")
				}
			} else {
				var ok bool
				expr, ok = goExpr(expr, names, local, func(id string) string { return probe(id, includes, probes) })
				if !ok {
					log.Printf("%s: %s: cannot evaluate %q; left out", tab, e.name, e.expr)
					continue
				}
				note = " // not in x/sys/unix; value from " + tab + ".in"
			}
			local[e.name] = expr
			fmt.Fprintf(&b, "\txs(%s, %q),%s\n", expr, e.name, note)
		}
		b.WriteString("}\n\n")
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		os.WriteFile(t.file+".bad", b.Bytes(), 0o644)
		log.Fatalf("%s: %v", t.file, err)
	}
	if err := os.WriteFile(t.file, src, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%s: %d tables", t.file, len(tables))
}

func goName(tab string) string {
	var s strings.Builder
	s.WriteString("x")
	for _, p := range strings.Split(tab, "_") {
		if p != "" {
			s.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return s.String()
}

// unixExpr turns a name ("A", "A|B", "1<<A") into an expression over unix.
func unixExpr(name string, names map[string]bool) (string, bool) {
	shift := strings.HasPrefix(name, "1<<")
	parts := strings.Split(strings.TrimPrefix(name, "1<<"), "|")
	for i, p := range parts {
		if !names[p] {
			return "", false
		}
		parts[i] = "unix." + p
	}
	if shift {
		return "1<<" + parts[0], true
	}
	return strings.Join(parts, "|"), true
}

// goExpr turns a value from a .in file into Go: C's integer suffixes go,
// names become unix names or the values given earlier in the same file.
func goExpr(v string, names map[string]bool, local map[string]string, probeIn func(string) string) (string, bool) {
	v = cSuffix.ReplaceAllString(v, "$1")
	if _, err := parser.ParseExpr(v); err != nil {
		return "", false
	}
	failed := false
	s := identRE.ReplaceAllStringFunc(v, func(id string) string {
		if names[id] {
			return "unix." + id
		}
		if e, ok := local[id]; ok {
			return "(" + e + ")"
		}
		if p := probeIn(id); p != "" {
			return p
		}
		failed = true
		return id
	})
	return s, !failed
}

var identRE = regexp.MustCompile(`\b[A-Z_][A-Z0-9_]+\b`)

// parseIn preprocesses one .in file for the target's macros and returns
// its entries, in order, and the headers it includes.
func parseIn(tab string, macros []string) (ents []entry, includes []string) {
	in, err := os.ReadFile(filepath.Join(*root, "src/xlat", tab+".in"))
	if err != nil {
		log.Fatal(err)
	}
	var pre strings.Builder
	for _, l := range strings.Split(string(in), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "/*") && strings.HasSuffix(t, "*/") {
			// A one-line comment; it may hold "*/" in a glob
			// ("[al]*/mman*.h"), which would end it early for cpp.
			pre.WriteString("\n")
			continue
		}
		if m := incRE.FindStringSubmatch(t); m != nil {
			includes = append(includes, m[1])
		}
		if strings.HasPrefix(t, "#") {
			d := strings.Fields(strings.TrimPrefix(t, "#"))
			if len(d) > 0 {
				switch d[0] {
				case "if", "ifdef", "ifndef", "elif", "else", "endif", "define", "undef":
					pre.WriteString(l + "\n")
					continue
				}
			}
			pre.WriteString("\n")
			continue
		}
		pre.WriteString(l + "\n")
	}
	args := []string{"-P", "-undef", "-D__linux__"}
	for _, m := range macros {
		args = append(args, "-D"+m)
	}
	cmd := exec.Command("cpp", args...)
	cmd.Stdin = strings.NewReader(pre.String())
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("%s: cpp: %v", tab, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			continue
		}
		m := entRE.FindStringSubmatch(l)
		if m == nil {
			log.Fatalf("%s: cannot parse %q", tab, l)
		}
		ents = append(ents, entry{name: m[1] + m[2], expr: strings.TrimSpace(m[3])})
	}
	return ents, includes
}

// probeHeaders are tried, one at a time after the .in file's own includes,
// for a name the .in file uses without including its header.
var probeHeaders = []string{"", "<linux/futex.h>", "<sys/mman.h>", "<fcntl.h>", "<sys/socket.h>",
	"<netinet/in.h>", "<netinet/tcp.h>", "<sys/prctl.h>", "<sys/resource.h>", "<signal.h>",
	"<sched.h>", "<linux/capability.h>", "<sys/ipc.h>", "<sys/shm.h>", "<sys/sem.h>", "<sys/msg.h>",
	"<linux/fs.h>", "<sys/wait.h>", "<sys/personality.h>", "<linux/seccomp.h>", "<linux/bpf.h>",
	"<sys/xattr.h>", "<linux/dnotify.h>", "<linux/mount.h>", "<sys/mount.h>", "<linux/netfilter_ipv4/ip_tables.h>",
	"<linux/netfilter_ipv6/ip6_tables.h>", "<linux/netfilter_arp/arp_tables.h>", "<linux/netfilter_bridge/ebtables.h>",
	"<linux/ip_vs.h>", "<linux/openat2.h>", "<linux/kcmp.h>"}

// probe returns the value of a C name in this machine's headers (C's
// %#llx), or "".
func probe(name string, includes []string, cache map[string]string) string {
	if v, ok := cache[name]; ok {
		return v
	}
	dir, err := os.MkdirTemp("", "genxlat")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	expr := name
	if strings.HasPrefix(name, "1<<") {
		expr = "1ULL<<" + strings.TrimPrefix(name, "1<<")
	}
	v := ""
	for _, extra := range probeHeaders {
		var src strings.Builder
		src.WriteString("#define _GNU_SOURCE\n#include <stdio.h>\n")
		for _, inc := range append(append([]string(nil), includes...), extra) {
			if inc != "" {
				src.WriteString("#include " + inc + "\n")
			}
		}
		fmt.Fprintf(&src, "int main(void) { printf(\"%%lld\", (long long)(%s)); return 0; }\n", expr)
		c := filepath.Join(dir, "p.c")
		os.WriteFile(c, []byte(src.String()), 0o644)
		bin := filepath.Join(dir, "p")
		if exec.Command("gcc", "-o", bin, c).Run() != nil {
			continue
		}
		if out, err := exec.Command(bin).Output(); err == nil {
			v = string(out)
			if v == "0" {
				v = "0x0"
			}
			break
		}
	}
	cache[name] = v
	return v
}

// unixNames returns the exported constants golang.org/x/sys/unix has for
// Linux on every one of arches.
func unixNames(dir string, arches []string) map[string]bool {
	common := constNames(dir, "z*_linux.go", "constants.go")
	var per map[string]bool
	for _, a := range arches {
		m := constNames(dir, "z*_linux_"+a+".go")
		if per == nil {
			per = m
			continue
		}
		for n := range per {
			if !m[n] {
				delete(per, n)
			}
		}
	}
	for n := range per {
		common[n] = true
	}
	return common
}

func constNames(dir string, globs ...string) map[string]bool {
	m := map[string]bool{}
	fset := token.NewFileSet()
	for _, g := range globs {
		files, _ := filepath.Glob(filepath.Join(dir, g))
		for _, f := range files {
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				log.Fatal(err)
			}
			for _, d := range af.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
					for _, s := range g.Specs {
						for _, n := range s.(*ast.ValueSpec).Names {
							if n.IsExported() {
								m[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	return m
}
