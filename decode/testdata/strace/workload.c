// workload.c issues raw system calls with arguments in a fixed memory arena so
// that strace's output for them is deterministic. For every call it appends a
// record (arch, number, six argument registers, the arena's non-zero bytes) to
// a buffer that it writes to the file named by argv[2] at the end. gen.go pairs
// each record with the line strace printed for that call and writes the golden
// file decode's tests read.
//
// Build: gcc -O2 -o workload workload.c   (x86_64 only: the i386 cases use
// int $0x80 from this 64-bit process, as an i386 binary would.)
// Run:   strace -o out -qq -e signal=none ./workload x86_64|i386 records
//
// The arena is two pages at 0x10000000; the page after it is left unmapped so
// that reads that run past 0x10002000 fail. Address 0x1000 is never mapped
// (vm.mmap_min_addr).
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/if_ether.h>
#include <arpa/inet.h>

#define ARENA ((char *)0x10000000UL)
#define ARENA_SIZE 0x2000
#define A(off) ((unsigned long)(ARENA + (off)))
#define BAD 0x1000UL

static char records[1 << 22];
static size_t rlen;
static const char *arch = "x86_64";

static void emit(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rlen += vsnprintf(records + rlen, sizeof(records) - rlen, fmt, ap);
	va_end(ap);
}

static void record(const char *name, long nr, unsigned long a[6])
{
	emit("case %s %s %ld", name, arch, nr);
	for (int i = 0; i < 6; i++)
		emit(" %#lx", a[i]);
	emit("\n");
	for (size_t i = 0; i < ARENA_SIZE;) {
		if (!ARENA[i]) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < ARENA_SIZE && (ARENA[j] || (j + 1 < ARENA_SIZE && ARENA[j + 1])))
			j++;
		emit("mem %#lx ", A(i));
		for (size_t k = i; k < j; k++)
			emit("%02x", (unsigned char)ARENA[k]);
		emit("\n");
		i = j;
	}
}

long ebp_arg __attribute__((used, visibility("hidden")));

static long sys32(long nr, unsigned long a[6])
{
	long ret;
	ebp_arg = (long)a[5];
	__asm__ volatile("push %%rbp\n\t"
			 "mov ebp_arg(%%rip), %%rbp\n\t"
			 "int $0x80\n\t"
			 "pop %%rbp"
			 : "=a"(ret)
			 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

// call records and issues one system call, then clears the arena.
static long call(const char *name, long nr, unsigned long a0, unsigned long a1,
		 unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	unsigned long a[6] = {a0, a1, a2, a3, a4, a5};
	long r;
	record(name, nr, a);
	if (arch[0] == 'i')
		r = sys32(nr, a);
	else
		r = syscall(nr, a0, a1, a2, a3, a4, a5);
	memset(ARENA, 0, ARENA_SIZE);
	return r;
}

static unsigned long put(size_t off, const void *p, size_t n)
{
	memcpy(ARENA + off, p, n);
	return A(off);
}

static unsigned long str(size_t off, const char *s) { return put(off, s, strlen(s) + 1); }

// ptrs writes a NULL-terminated array of n pointers of the given word size.
static unsigned long ptrs(size_t off, int wordsize, int n, const unsigned long *v)
{
	for (int i = 0; i < n; i++) {
		if (wordsize == 8)
			((uint64_t *)(ARENA + off))[i] = v[i];
		else
			((uint32_t *)(ARENA + off))[i] = (uint32_t)v[i];
	}
	return A(off);
}

static unsigned long sin4(size_t off, int port, const char *ip)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	inet_pton(AF_INET, ip, &sa.sin_addr);
	return put(off, &sa, sizeof(sa));
}

static unsigned long sin6(size_t off, int port, const char *ip, uint32_t flow, uint32_t scope)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_port = htons(port),
				  .sin6_flowinfo = htonl(flow), .sin6_scope_id = scope};
	inet_pton(AF_INET6, ip, &sa.sin6_addr);
	return put(off, &sa, sizeof(sa));
}

static unsigned long sun(size_t off, const char *path, size_t n)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, path, n);
	return put(off, &sa, sizeof(sa));
}

#define NR(x) SYS_##x
static void more_cases(int w);
#define P "/nonexistent/syscage"

static void x86_64_cases(void)
{
	unsigned long p, q, v[64];
	char buf[256];

	// open, openat, creat
	call("open_rdonly", NR(open), str(0, "/etc/passwd"), O_RDONLY, 0, 0, 0, 0);
	call("open_creat", NR(open), str(0, P "/file"), O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0, 0);
	call("open_unknown_bits", NR(open), str(0, P), O_RDONLY | 0x40000000, 0, 0, 0, 0);
	call("open_many_flags", NR(open), str(0, P),
	     O_RDWR | O_APPEND | O_NONBLOCK | O_SYNC | O_DIRECT | 0100000 | O_NOFOLLOW | O_NOATIME |
		     O_CLOEXEC | O_NOCTTY | O_ASYNC,
	     0, 0, 0, 0);
	call("open_dsync_path", NR(open), str(0, P), O_PATH | O_DSYNC | O_DIRECTORY, 0, 0, 0, 0);
	call("open_tmpfile", NR(open), str(0, "/nonexistent"), O_TMPFILE | O_RDWR, 0600, 0, 0, 0);
	call("open_accmode", NR(open), str(0, P), 3, 0, 0, 0, 0);
	call("open_null", NR(open), 0, O_RDONLY, 0, 0, 0, 0);
	call("open_unreadable", NR(open), BAD, O_RDONLY, 0, 0, 0, 0);
	call("open_page_end", NR(open), str(ARENA_SIZE - 6, "/tmp/"), O_RDONLY, 0, 0, 0, 0);
	call("open_page_end_unterminated", NR(open), put(ARENA_SIZE - 5, "/tmp/", 5), O_RDONLY, 0, 0, 0, 0);
	call("open_escapes", NR(open), str(0, "/tmp/\n\t\r\v\f\"\\\001x\0012\177\200\377\033[1m\0378"), O_RDONLY, 0, 0, 0, 0);
	call("open_escapes_end", NR(open), str(0, "a\001"), O_RDONLY, 0, 0, 0, 0);
	memset(buf, 'p', 100);
	buf[0] = '/';
	buf[100] = 0;
	call("open_long_path", NR(open), str(0, buf), O_RDONLY, 0, 0, 0, 0);
	call("open_empty", NR(open), str(0, ""), O_RDONLY, 0, 0, 0, 0);
	call("openat_cwd", NR(openat), AT_FDCWD, str(0, "rel/x"), O_RDONLY | O_CLOEXEC, 0, 0, 0);
	call("openat_fd", NR(openat), 3, str(0, "rel"), O_WRONLY | O_CREAT | O_EXCL, 0, 0, 0);
	call("openat_neg", NR(openat), -1, str(0, "rel"), O_RDONLY, 0, 0, 0);
	call("openat_bigfd", NR(openat), 0xffffffff00000005UL, str(0, "rel"), O_RDONLY, 0, 0, 0);
	call("openat_mode_bits", NR(openat), AT_FDCWD, str(0, P), O_CREAT, 0x12345, 0, 0);
	call("openat_mode_suid", NR(openat), AT_FDCWD, str(0, P), O_CREAT | O_WRONLY, 04755, 0, 0);
	call("creat", NR(creat), str(0, P "/c"), 0644, 0, 0, 0, 0);

	// access family
	call("access_rw", NR(access), str(0, P), R_OK | W_OK, 0, 0, 0, 0);
	call("access_f", NR(access), str(0, P), F_OK, 0, 0, 0, 0);
	call("access_unknown", NR(access), str(0, P), 0x18, 0, 0, 0, 0);
	call("access_mixed", NR(access), str(0, P), R_OK | 0x10, 0, 0, 0, 0);
	call("faccessat", NR(faccessat), AT_FDCWD, str(0, P), X_OK, 0, 0, 0);
	call("faccessat2", NR(faccessat2), AT_FDCWD, str(0, P), R_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW, 0, 0);
	call("faccessat2_zero", NR(faccessat2), 7, str(0, P), W_OK, 0, 0, 0);
	call("faccessat2_unknown", NR(faccessat2), AT_FDCWD, str(0, P), R_OK, 0x8, 0, 0);

	// stat family
	call("stat", NR(stat), str(0, P), A(0x100), 0, 0, 0, 0);
	call("lstat_null", NR(lstat), str(0, P), 0, 0, 0, 0, 0);
	call("fstat", NR(fstat), 1000, A(0x100), 0, 0, 0, 0);
	call("newfstatat", NR(newfstatat), AT_FDCWD, str(0, P), A(0x100), AT_SYMLINK_NOFOLLOW, 0, 0);
	call("newfstatat_empty", NR(newfstatat), 1000, str(0, ""), A(0x100), AT_EMPTY_PATH, 0, 0);
	call("newfstatat_zero", NR(newfstatat), AT_FDCWD, str(0, P), A(0x100), 0, 0, 0);
	call("statx", NR(statx), AT_FDCWD, str(0, P), AT_STATX_SYNC_AS_STAT | AT_SYMLINK_NOFOLLOW, STATX_ALL, A(0x100), 0);
	call("statx_mask", NR(statx), AT_FDCWD, str(0, P), AT_STATX_DONT_SYNC, STATX_TYPE | STATX_MODE | 0x80000000U, A(0x100), 0);
	call("statx_zero", NR(statx), 1000, str(0, ""), AT_EMPTY_PATH, 0, A(0x100), 0);
	call("statx_basic", NR(statx), AT_FDCWD, str(0, P), AT_STATX_FORCE_SYNC | 0x10000000, STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID, A(0x100), 0);

	// readlink
	call("readlink", NR(readlink), str(0, P), A(0x200), 4096, 0, 0, 0);
	call("readlinkat", NR(readlinkat), AT_FDCWD, str(0, P), A(0x200), 100, 0, 0);

	// unlink, mkdir, rename, chdir
	call("unlink", NR(unlink), str(0, P), 0, 0, 0, 0, 0);
	call("unlinkat_dir", NR(unlinkat), AT_FDCWD, str(0, P), AT_REMOVEDIR, 0, 0, 0);
	call("unlinkat_zero", NR(unlinkat), 9, str(0, P), 0, 0, 0, 0);
	call("mkdir", NR(mkdir), str(0, P), 0755, 0, 0, 0, 0);
	call("mkdirat", NR(mkdirat), AT_FDCWD, str(0, P), 0700, 0, 0, 0);
	call("mkdirat_zero", NR(mkdirat), 3, str(0, "d"), 0, 0, 0, 0);
	call("rename", NR(rename), str(0, P "/a"), str(0x100, P "/b"), 0, 0, 0, 0);
	call("renameat", NR(renameat), AT_FDCWD, str(0, P "/a"), 4, str(0x100, "b"), 0, 0);
	call("renameat2", NR(renameat2), AT_FDCWD, str(0, P "/a"), AT_FDCWD, str(0x100, P "/b"), RENAME_NOREPLACE, 0);
	call("renameat2_zero", NR(renameat2), 3, str(0, "a"), 4, str(0x100, "b"), 0, 0);
	call("renameat2_unknown", NR(renameat2), AT_FDCWD, str(0, "a"), AT_FDCWD, str(0x100, "b"), RENAME_EXCHANGE | 8, 0);
	call("renameat2_only_unknown", NR(renameat2), AT_FDCWD, str(0, "a"), AT_FDCWD, BAD, 8, 0);
	call("chdir", NR(chdir), str(0, P), 0, 0, 0, 0, 0);

	// execve
	v[0] = str(0x100, "true");
	v[1] = 0;
	p = ptrs(0x200, 8, 2, v);
	v[0] = str(0x300, "A=1");
	v[1] = str(0x310, "B=2");
	v[2] = str(0x320, "PATH=/usr/bin");
	v[3] = 0;
	q = ptrs(0x400, 8, 4, v);
	call("execve", NR(execve), str(0, P "/true"), p, q, 0, 0, 0);
	v[0] = str(0x100, "prog");
	v[1] = str(0x120, "a-string-that-is-longer-than-thirty-two-bytes");
	v[2] = str(0x160, "exactly-thirty-two-bytes-long-xx");
	v[3] = str(0x190, "with\ttab and \"quotes\"");
	v[4] = BAD;
	v[5] = str(0x1c0, "");
	v[6] = 0;
	p = ptrs(0x200, 8, 7, v);
	call("execve_strings", NR(execve), str(0, P), p, 0, 0, 0, 0);
	for (int i = 0; i < 40; i++) {
		sprintf(buf, "%d", i);
		v[i] = str(0x100 + 4 * i, buf);
	}
	v[40] = 0;
	p = ptrs(0x400, 8, 41, v);
	v[0] = str(0x800, "X=1");
	v[1] = 0;
	q = ptrs(0x900, 8, 2, v);
	call("execve_many_args", NR(execve), str(0, P), p, q, 0, 0, 0);
	v[0] = 0;
	p = ptrs(0x200, 8, 1, v);
	call("execve_empty_argv", NR(execve), str(0, P), p, p, 0, 0, 0);
	call("execve_null_argv", NR(execve), str(0, P), 0, BAD, 0, 0, 0);
	call("execve_bad_argv", NR(execve), BAD, BAD, 0, 0, 0, 0);
	v[0] = str(0x100, "a");
	v[1] = str(0x110, "b");
	ptrs(ARENA_SIZE - 16, 8, 2, v);
	ptrs(ARENA_SIZE - 16 - 0x400, 8, 2, v);
	call("execve_unterminated", NR(execve), str(0, P), A(ARENA_SIZE - 16), A(ARENA_SIZE - 16 - 0x400), 0, 0, 0);
	v[0] = str(0x100, "a");
	v[1] = str(0x110, "b");
	ptrs(ARENA_SIZE - 16, 8, 2, v);
	call("execve_unterminated_envp", NR(execve), str(0, P), 0, A(ARENA_SIZE - 16), 0, 0, 0);

	// sockets
	call("socket_tcp", NR(socket), AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP, 0, 0, 0);
	call("socket_udp6", NR(socket), AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_IP, 0, 0, 0);
	call("socket_unix", NR(socket), AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
	call("socket_netlink", NR(socket), AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE, 0, 0, 0);
	call("socket_packet", NR(socket), AF_PACKET, SOCK_RAW, htons(ETH_P_ALL), 0, 0, 0);
	call("socket_packet_ip", NR(socket), AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP), 0, 0, 0);
	call("socket_packet_unknown", NR(socket), AF_PACKET, SOCK_DGRAM, htons(0x1234), 0, 0, 0);
	call("socket_unknown", NR(socket), 0xff, 0x10 | 0x100, 7, 0, 0, 0);
	call("socket_bad_proto", NR(socket), AF_INET, SOCK_SEQPACKET, 0x1ff, 0, 0, 0);
	call("socket_mptcp", NR(socket), AF_INET, SOCK_STREAM, IPPROTO_MPTCP, 0, 0, 0);
	call("connect_in", NR(connect), -1, sin4(0, 5432, "127.0.0.1"), 16, 0, 0, 0);
	call("connect_in6", NR(connect), -1, sin6(0, 443, "::1", 5, 0), 28, 0, 0, 0);
	call("connect_in6_scope", NR(connect), -1, sin6(0, 80, "fe80::1", 0, 77), 28, 0, 0, 0);
	call("connect_in6_mapped", NR(connect), -1, sin6(0, 80, "::ffff:10.0.0.1", 0, 3), 28, 0, 0, 0);
	call("connect_in6_short", NR(connect), -1, sin6(0, 80, "2001:db8::1", 0, 3), 24, 0, 0, 0);
	call("connect_unix", NR(connect), -1, sun(0, "/tmp/s", 6), 9, 0, 0, 0);
	call("connect_unix_full", NR(connect), -1, sun(0, "/run/x.sock", 11), sizeof(struct sockaddr_un), 0, 0, 0);
	call("connect_unix_abstract", NR(connect), -1, sun(0, "\0name", 5), 7, 0, 0, 0);
	call("connect_unix_abstract_nul", NR(connect), -1, sun(0, "\0na\0me", 6), 2 + 8, 0, 0, 0);
	call("connect_unix_unnamed", NR(connect), -1, sun(0, "", 0), 2, 0, 0, 0);
	call("connect_short", NR(connect), -1, sin4(0, 1, "1.2.3.4"), 1, 0, 0, 0);
	call("connect_in_short", NR(connect), -1, sin4(0, 1, "1.2.3.4"), 8, 0, 0, 0);
	call("connect_unreadable", NR(connect), -1, BAD, 16, 0, 0, 0);
	call("connect_null", NR(connect), -1, 0, 16, 0, 0, 0);
	call("connect_unknown_family", NR(connect), -1, put(0, "\xff\x00" "abc\001", 6), 6, 0, 0, 0);
	{
		struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pid = 0, .nl_groups = 5};
		call("bind_netlink", NR(bind), 3, put(0, &nl, sizeof(nl)), sizeof(nl), 0, 0, 0);
	}
	call("bind_in", NR(bind), -1, sin4(0, 0, "0.0.0.0"), 16, 0, 0, 0);
	call("bind_in_long", NR(bind), -1, sin4(0, 8080, "10.1.2.3"), 128, 0, 0, 0);
	call("sendto_in", NR(sendto), -1, str(0x100, "hello"), 5, MSG_NOSIGNAL, sin4(0, 53, "8.8.8.8"), 16);
	call("sendto_long", NR(sendto), -1, str(0x100, "0123456789abcdefghijklmnopqrstuvwxyz"), 36, MSG_OOB | MSG_CMSG_CLOEXEC | 0x80000000UL, sun(0, "/tmp/s", 6), 9);
	call("sendto_null", NR(sendto), -1, str(0x100, "ping\n"), 5, 0, 0, 0);
	call("sendto_unix", NR(sendto), -1, str(0x100, "x"), 1, MSG_DONTWAIT | MSG_MORE | 0x100000000UL, sun(0, "/dev/log", 8), 11);

	// fd calls
	call("close", NR(close), 1000, 0, 0, 0, 0, 0);
	call("close_neg", NR(close), -1, 0, 0, 0, 0, 0);
	call("read", NR(read), -1, A(0x100), 10, 0, 0, 0);
	call("write", NR(write), -1, str(0x100, "hello\n"), 6, 0, 0, 0);
	call("write_long", NR(write), -1, str(0x100, "0123456789abcdefghijklmnopqrstuvwxyz"), 36, 0, 0, 0);
	call("write_32", NR(write), -1, str(0x100, "0123456789abcdefghijklmnopqrstuv"), 32, 0, 0, 0);
	call("write_33", NR(write), -1, str(0x100, "0123456789abcdefghijklmnopqrstuvw"), 33, 0, 0, 0);
	call("write_nuls", NR(write), -1, put(0x100, "a\0b\0" "7\0012\n", 8), 8, 0, 0, 0);
	call("write_trailing_ctl", NR(write), -1, put(0x100, "ab\001", 3), 3, 0, 0, 0);
	call("write_high", NR(write), -1, put(0x100, "\x80\xff\xe2\x82\xac", 5), 5, 0, 0, 0);
	call("write_null", NR(write), -1, 0, 0, 0, 0, 0);
	call("write_empty", NR(write), -1, A(0x100), 0, 0, 0, 0);
	call("write_unreadable", NR(write), -1, BAD, 5, 0, 0, 0);
	call("write_page_end", NR(write), -1, put(ARENA_SIZE - 3, "abc", 3), 10, 0, 0, 0);
	call("write_page_end_long", NR(write), -1, put(ARENA_SIZE - 40, "0123456789012345678901234567890123456789", 40), 100, 0, 0, 0);
	call("write_huge_count", NR(write), -1, put(0x100, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", 36), 0xffffffffffffffffUL, 0, 0, 0);

	// clone, clone3
	{
		long pid = call("clone_fork", NR(clone), CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD, 0, 0, A(0x300), 0, 0);
		if (pid == 0)
			syscall(SYS_exit_group, 0);
		pid = call("clone_sigchld", NR(clone), SIGCHLD, 0, 0, 0, 0, 0);
		if (pid == 0)
			syscall(SYS_exit_group, 0);
		pid = call("clone_zero", NR(clone), 0, 0, 0, 0, 0, 0);
		if (pid == 0)
			syscall(SYS_exit_group, 0);
	}
	call("clone_einval", NR(clone), CLONE_SIGHAND, A(0x1000), 0, 0, 0, 0);
	call("clone_unknown", NR(clone), CLONE_SIGHAND | 0x400000 | SIGTERM, 0, 0, 0, 0, 0);
	call("clone_settls", NR(clone), CLONE_SIGHAND | CLONE_SETTLS | CLONE_CHILD_SETTID | CLONE_NEWNS | CLONE_NEWUSER | CLONE_IO | 77, 0, A(0x10), A(0x20), A(0x30), 0);
	call("clone_bigsig", NR(clone), CLONE_SIGHAND | 200, 0, 0, 0, 0, 0);
	{
		struct clone_args ca;
		memset(&ca, 0, sizeof(ca));
		ca.flags = CLONE_SIGHAND | CLONE_FILES;
		ca.exit_signal = SIGCHLD;
		call("clone3", NR(clone3), put(0x100, &ca, sizeof(ca)), 88, 0, 0, 0, 0);
		ca.flags = CLONE_SIGHAND | CLONE_VFORK | CLONE_PIDFD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
			   CLONE_PARENT_SETTID | CLONE_SETTLS | CLONE_INTO_CGROUP | CLONE_CLEAR_SIGHAND | 0x1000000000UL;
		ca.pidfd = A(0x10);
		ca.child_tid = A(0x20);
		ca.parent_tid = A(0x30);
		ca.exit_signal = 0;
		ca.stack = A(0x1000);
		ca.stack_size = 0x1000;
		ca.tls = A(0x40);
		ca.set_tid = A(0x50);
		ca.set_tid_size = 2;
		ca.cgroup = 7;
		*(int *)(ARENA + 0x50) = 42;
		*(int *)(ARENA + 0x54) = -1;
		call("clone3_all", NR(clone3), put(0x100, &ca, sizeof(ca)), 88, 0, 0, 0, 0);
		ca.flags = CLONE_SIGHAND;
		ca.exit_signal = 0xffffffffUL;
		ca.set_tid = 0;
		ca.set_tid_size = 1;
		ca.cgroup = 0;
		call("clone3_v0", NR(clone3), put(0x100, &ca, sizeof(ca)), 64, 0, 0, 0, 0);
		ca.exit_signal = 0;
		ca.set_tid = A(0x50);
		ca.set_tid_size = 40;
		call("clone3_many_tids", NR(clone3), put(0x100, &ca, sizeof(ca)), 80, 0, 0, 0, 0);
		ca.set_tid = 0;
		ca.set_tid_size = 0;
		ca.flags = CLONE_SIGHAND;
		ca.exit_signal = SIGCHLD;
		put(0x100, &ca, sizeof(ca));
		ARENA[0x100 + 90] = 7;
		call("clone3_tail", NR(clone3), A(0x100), 96, 0, 0, 0, 0);
		call("clone3_tail_zero", NR(clone3), put(0x100, &ca, sizeof(ca)), 104, 0, 0, 0, 0);
		call("clone3_small", NR(clone3), put(0x100, &ca, sizeof(ca)), 40, 0, 0, 0, 0);
		call("clone3_unreadable", NR(clone3), BAD, 88, 0, 0, 0, 0);
		call("clone3_null", NR(clone3), 0, 88, 0, 0, 0, 0);
	}

	// kill and others
	call("kill_term", NR(kill), 0x7ffffff0, SIGTERM, 0, 0, 0, 0);
	call("kill_zero", NR(kill), 0, 0, 0, 0, 0, 0);
	call("kill_neg", NR(kill), -0x7ffffff0, SIGKILL, 0, 0, 0, 0);
	call("kill_rtmin", NR(kill), 0x7ffffff0, 32, 0, 0, 0, 0);
	call("kill_rt", NR(kill), 0x7ffffff0, 34, 0, 0, 0, 0);
	call("kill_rtmax", NR(kill), 0x7ffffff0, 64, 0, 0, 0, 0);
	call("kill_bad", NR(kill), 0x7ffffff0, 65, 0, 0, 0, 0);
	call("kill_negsig", NR(kill), 0x7ffffff0, -3, 0, 0, 0, 0);
	call("tkill", 200, 0x7ffffff0, SIGUSR1, 0, 0, 0, 0);
	call("tgkill", NR(tgkill), 0x7ffffff0, 0x7ffffff1, SIGSEGV, 0, 0, 0);
	call("getpid", NR(getpid), 0, 0, 0, 0, 0, 0);
	call("rseq", NR(rseq), 0, 0, 0, 0, 0, 0);
	call("unknown_nr", 500, 1, 0x10, 0, 0xffffffffffffffffUL, 5, 6);
	call("unknown_nr_big", 0x3fffffff, 0, 0, 0, 0, 0, 0);
	call("rmdir", NR(rmdir), str(0, P), 0, 0, 0, 0, 0);
	call("chmod", NR(chmod), str(0, P), 0644, 0, 0, 0, 0);
	call("fchmod", NR(fchmod), -1, 0755, 0, 0, 0, 0);
	call("fchmodat", NR(fchmodat), AT_FDCWD, str(0, P), 0640, 0, 0, 0);
	call("fchdir", NR(fchdir), -1, 0, 0, 0, 0, 0);
	call("chroot", NR(chroot), str(0, P), 0, 0, 0, 0, 0);
	call("dup", NR(dup), -1, 0, 0, 0, 0, 0);
	call("dup2", NR(dup2), -1, 1000, 0, 0, 0, 0);
	call("dup3", NR(dup3), -1, 1000, O_CLOEXEC, 0, 0, 0);
	call("link", NR(link), str(0, P "/a"), str(0x100, P "/b"), 0, 0, 0, 0);
	call("symlink", NR(symlink), str(0, "target"), str(0x100, P "/b"), 0, 0, 0, 0);
	call("truncate", NR(truncate), str(0, P), 1234, 0, 0, 0, 0);
	call("ftruncate", NR(ftruncate), -1, 0x10000, 0, 0, 0, 0);
	call("fsync", NR(fsync), -1, 0, 0, 0, 0, 0);
	call("fdatasync", NR(fdatasync), -1, 0, 0, 0, 0, 0);
	call("syncfs", NR(syncfs), -1, 0, 0, 0, 0, 0);
	v[0] = str(0x100, "sh");
	v[1] = 0;
	p = ptrs(0x200, 8, 2, v);
	call("execveat", NR(execveat), AT_FDCWD, str(0, P), p, p, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, 0);
	call("execveat_unknown", NR(execveat), 3, str(0, ""), 0, 0, AT_EMPTY_PATH | 0x10000000, 0);
	call("socket_64bit_family", NR(socket), 0x100000002UL, SOCK_STREAM, IPPROTO_TCP, 0, 0, 0);
	call("socket_can", NR(socket), AF_CAN, SOCK_RAW, 1, 0, 0, 0);
	call("socket_bt", NR(socket), AF_BLUETOOTH, SOCK_RAW, 1, 0, 0, 0);
	call("socket_type_only_flags", NR(socket), AF_INET, SOCK_CLOEXEC, 0, 0, 0, 0);
	call("sendto_neg_addrlen", NR(sendto), -1, str(0x100, "x"), 1, 0, sin4(0, 1, "1.1.1.1"), -1);
	{
		struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pad = 1, .nl_pid = -5, .nl_groups = 0xffffffff};
		call("bind_netlink_pad", NR(bind), -1, put(0, &nl, sizeof(nl)), sizeof(nl), 0, 0, 0);
	}
	call("connect_in6_v4compat", NR(connect), -1, sin6(0, 7, "::1.2.3.4", 0xfffff, 0), 28, 0, 0, 0);
	{
		struct clone_args ca;
		memset(&ca, 0, sizeof(ca));
		ca.flags = CLONE_SIGHAND;
		ca.set_tid = A(ARENA_SIZE - 4);
		ca.set_tid_size = 2;
		*(int *)(ARENA + ARENA_SIZE - 4) = 7;
		call("clone3_settid_partial", NR(clone3), put(0x100, &ca, sizeof(ca)), 88, 0, 0, 0, 0);
		ca.set_tid = A(0x400);
		ca.set_tid_size = 12;
		for (int i = 0; i < 12; i++)
			((int *)(ARENA + 0x400))[i] = 100 + i;
		call("clone3_settid_many", NR(clone3), put(0x100, &ca, sizeof(ca)), 88, 0, 0, 0, 0);
		ca.set_tid = 0;
		ca.set_tid_size = 0;
		call("clone3_tail_unreadable", NR(clone3), put(ARENA_SIZE - 0x80, &ca, sizeof(ca)), 200, 0, 0, 0, 0);
		ca.flags = CLONE_SIGHAND | CLONE_NEWTIME;
		memset(ARENA + 0x100, 0, 0x200);
		put(0x100, &ca, sizeof(ca));
		memset(ARENA + 0x100 + 88, 0xab, 60);
		call("clone3_tail_long", NR(clone3), A(0x100), 300, 0, 0, 0, 0);
	}
	more_cases(8);
}


#include <poll.h>
#include <sys/epoll.h>
#include <linux/futex.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <netinet/tcp.h>
#include <sys/uio.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/sem.h>
#include <sys/msg.h>
#include <sys/mount.h>
#include <sys/xattr.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sys/personality.h>
#include <sched.h>
#include <time.h>
#include <sys/random.h>
#include <asm/prctl.h>
#include <linux/fs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <errno.h>
#include <linux/kcmp.h>
#include <linux/ioprio.h>
#include <sched.h>
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000 /* arch/x86/include/uapi/asm/signal.h */
#endif

#define ARENA_FAR 0x20000000UL /* never mapped */

// more_cases drives the decoders beyond the file and socket basics. Calls
// are made to fail (bad fds, unmapped addresses, missing paths) wherever a
// success would change the workload or make strace print output structures.
// ipc_sched_signal_cases are x86_64's calls of process_vm_*, kcmp, the
// signal queueing and waiting calls, POSIX timers and message queues,
// sendmmsg/recvmmsg, ioprio and the scheduler policy calls. Pids are ones
// no process has (0x7ffffff0), so that the calls fail with ESRCH.
static void ipc_sched_signal_cases(void)
{
	const long nopid = 0x7ffffff0;
	struct iovec iov[2] = {{(void *)A(0x300), 16}, {(void *)A(0x310), 4}};
	memcpy(ARENA + 0x300, "remote memory!\n", 16);
	call("process_vm_writev", NR(process_vm_writev), nopid, put(0x100, iov, sizeof(iov)), 2, put(0x200, iov, 16), 1, 0);
	call("process_vm_readv", NR(process_vm_readv), nopid, put(0x100, iov, sizeof(iov)), 2, put(0x200, iov, sizeof(iov)), 2, 0);
	call("process_vm_readv_bad", NR(process_vm_readv), nopid, BAD, 1, 0, 0, 5);

	call("kcmp_file", NR(kcmp), nopid, nopid, KCMP_FILE, 3, 4, 0);
	call("kcmp_vm", NR(kcmp), nopid, 1, KCMP_VM, 3, 4, 0);
	call("kcmp_unknown", NR(kcmp), nopid, nopid, 77, 0, 1, 0);
	struct kcmp_epoll_slot slot = {5, 6, 7};
	call("kcmp_epoll_tfd", NR(kcmp), nopid, nopid, KCMP_EPOLL_TFD, 3, put(0x100, &slot, sizeof(slot)), 0);

	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = 77;
	si.si_uid = 1000;
	si.si_value.sival_int = 42;
	call("rt_sigqueueinfo", NR(rt_sigqueueinfo), nopid, SIGUSR1, put(0x100, &si, sizeof(si)), 0, 0, 0);
	si.si_code = SI_TKILL;
	si.si_errno = EPERM;
	call("rt_tgsigqueueinfo", NR(rt_tgsigqueueinfo), nopid, nopid, SIGRTMIN, put(0x100, &si, sizeof(si)), 0, 0);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGCHLD;
	si.si_code = CLD_EXITED;
	si.si_pid = 78;
	si.si_status = 3;
	si.si_utime = 1234;
	call("rt_sigqueueinfo_chld", NR(rt_sigqueueinfo), nopid, SIGCHLD, put(0x100, &si, sizeof(si)), 0, 0, 0);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSEGV;
	si.si_code = SEGV_MAPERR;
	si.si_addr = (void *)0xdead0;
	call("rt_sigqueueinfo_segv", NR(rt_sigqueueinfo), nopid, SIGSEGV, put(0x100, &si, sizeof(si)), 0, 0, 0);
	call("rt_sigqueueinfo_bad", NR(rt_sigqueueinfo), nopid, SIGUSR2, BAD, 0, 0, 0);
	call("pidfd_send_signal_info", NR(pidfd_send_signal), -1, SIGKILL, put(0x100, &si, sizeof(si)), 0, 0, 0);

	uint64_t set = 1UL << (SIGUSR1 - 1) | 1UL << (37 - 1);
	struct timespec ts = {0, 1};
	call("rt_sigtimedwait", NR(rt_sigtimedwait), put(0x100, &set, 8), BAD, put(0x200, &ts, sizeof(ts)), 8, 0, 0);
	call("rt_sigtimedwait_null", NR(rt_sigtimedwait), put(0x100, &set, 8), 0, put(0x200, &ts, sizeof(ts)), 8, 0, 0);
	call("rt_sigtimedwait_badsize", NR(rt_sigtimedwait), put(0x100, &set, 8), 0, 0, 3, 0, 0);

	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR2;
	call("timer_create", NR(timer_create), CLOCK_MONOTONIC, put(0x100, &sev, sizeof(sev)), BAD, 0, 0, 0);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev._sigev_un._tid = nopid;
	sev.sigev_value.sival_ptr = (void *)0x2a;
	call("timer_create_tid", NR(timer_create), CLOCK_REALTIME, put(0x100, &sev, sizeof(sev)), A(0x200), 0, 0, 0);
	sev.sigev_notify = 77;
	call("timer_create_unknown", NR(timer_create), CLOCK_BOOTTIME, put(0x100, &sev, sizeof(sev)), A(0x200), 0, 0, 0);
	call("timer_create_null", NR(timer_create), 77, 0, BAD, 0, 0, 0);
	struct itimerspec its = {{1, 2}, {3, 4}};
	call("timer_settime", NR(timer_settime), nopid, TIMER_ABSTIME, put(0x100, &its, sizeof(its)), 0, 0, 0);
	call("timer_settime_old", NR(timer_settime), nopid, 0, put(0x100, &its, sizeof(its)), BAD, 0, 0);
	call("timer_gettime", NR(timer_gettime), nopid, BAD, 0, 0, 0, 0);

	struct mq_attr { long flags, maxmsg, msgsize, curmsgs, pad[4]; } mqa = {0x800, 0, 64, 1, {0}};
	call("mq_open", NR(mq_open), str(0, "/syscage-nonexistent"), O_RDONLY | O_CLOEXEC, 0600, A(0x100), 0, 0);
	call("mq_open_creat", NR(mq_open), str(0, "/syscage-nonexistent"), O_RDWR | O_CREAT | O_EXCL, 0600, put(0x100, &mqa, sizeof(mqa)), 0, 0);
	call("mq_open_creat_null", NR(mq_open), str(0, "bad/name"), O_WRONLY | O_CREAT, 0640, 0, 0, 0);
	call("mq_unlink", NR(mq_unlink), str(0, "/syscage-nonexistent"), 0, 0, 0, 0, 0);
	sev.sigev_notify = SIGEV_SIGNAL;
	call("mq_notify", NR(mq_notify), -1, put(0x100, &sev, sizeof(sev)), 0, 0, 0, 0);

	struct mmsghdr mm[2];
	memset(mm, 0, sizeof(mm));
	struct iovec mi = {(void *)A(0x500), 2};
	mm[0].msg_hdr.msg_iov = (void *)put(0x400, &mi, sizeof(mi));
	mm[0].msg_hdr.msg_iovlen = 1;
	mm[1].msg_hdr.msg_name = (void *)sin4(0x600, 53, "127.0.0.1");
	mm[1].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
	mm[1].msg_len = 99;
	memcpy(ARENA + 0x500, "hi", 2);
	call("sendmmsg", NR(sendmmsg), -1, put(0x100, mm, sizeof(mm)), 2, MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0);
	call("sendmmsg_bad", NR(sendmmsg), -1, BAD, 1, 0, 0, 0);
	call("recvmmsg", NR(recvmmsg), -1, A(0x100), 2, MSG_DONTWAIT | MSG_WAITFORONE, put(0x200, &ts, sizeof(ts)), 0);
	call("recvmmsg_null", NR(recvmmsg), -1, A(0x100), 1, 0, 0, 0);

	call("ioprio_get", NR(ioprio_get), IOPRIO_WHO_PROCESS, nopid, 0, 0, 0, 0);
	call("ioprio_set", NR(ioprio_set), IOPRIO_WHO_PGRP, nopid, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4), 0, 0, 0);
	call("ioprio_set_unknown", NR(ioprio_set), 7, nopid, (9 << 13) | 5, 0, 0, 0);

	int prio = 10;
	call("sched_setscheduler", NR(sched_setscheduler), nopid, SCHED_FIFO, put(0x100, &prio, 4), 0, 0, 0);
	call("sched_setscheduler_unknown", NR(sched_setscheduler), nopid, SCHED_BATCH | SCHED_RESET_ON_FORK, BAD, 0, 0, 0);
	call("sched_getscheduler", NR(sched_getscheduler), nopid, 0, 0, 0, 0, 0);
	call("sched_setparam", NR(sched_setparam), nopid, put(0x100, &prio, 4), 0, 0, 0, 0);
	call("sched_get_priority_max", NR(sched_get_priority_max), SCHED_RR, 0, 0, 0, 0, 0);
	call("getcpu_null", NR(getcpu), 0, 0, 0, 0, 0, 0);
	call("getcpu_bad", NR(getcpu), BAD, 0, 0, 0, 0, 0);
	call("semctl_null", NR(semctl), -1, 0, IPC_RMID, 0, 0, 0);
	call("semctl_stat", NR(semctl), -1, 0, IPC_STAT, BAD, 0, 0);

	call("ioctl_tcflsh", NR(ioctl), -1, TCFLSH, TCIFLUSH, 0, 0, 0);
	call("ioctl_tcflsh_unknown", NR(ioctl), -1, TCFLSH, 7, 0, 0, 0);
	call("ioctl_tcxonc", NR(ioctl), -1, TCXONC, TCOON, 0, 0, 0);
	call("ioctl_iowr", NR(ioctl), -1, _IOWR('x', 1, int), 0, 0, 0, 0);
}

static void more_cases(int w)
{
	unsigned long v[8];
	// memory
	call("brk_null", NR(brk), 0, 0, 0, 0, 0, 0);
	if (w == 8) {
		call("mmap_anon", NR(mmap), 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		call("mmap_badfd", NR(mmap), ARENA_FAR, 4096, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED | MAP_POPULATE | 0x40000000, -1, 0x1000);
		call("mmap_huge", NR(mmap), 0, 1 << 21, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (21 << MAP_HUGE_SHIFT) | MAP_NORESERVE, 1000, 0);
		call("mmap_unknown_prot", NR(mmap), 0, 4096, 0x10000 | PROT_READ, 0xf, 5, 0);
	} else {
		call("i386_mmap2", 192, ARENA_FAR, 4096, PROT_READ, MAP_SHARED, -1, 3);
		v[0] = ARENA_FAR; v[1] = 4096; v[2] = PROT_WRITE; v[3] = MAP_PRIVATE; v[4] = 1000; v[5] = 0x2000;
		for (int i = 0; i < 6; i++) ((uint32_t *)(ARENA + 0x100))[i] = v[i];
		call("i386_old_mmap", 90, A(0x100), 0, 0, 0, 0, 0);
		call("i386_old_mmap_bad", 90, BAD, 0, 0, 0, 0, 0);
	}
	call("mprotect", w == 8 ? NR(mprotect) : 125, ARENA_FAR, 4096, PROT_READ | PROT_WRITE | PROT_GROWSDOWN, 0, 0, 0);
	call("munmap_far", w == 8 ? NR(munmap) : 91, ARENA_FAR, 0, 0, 0, 0, 0);
	call("madvise", w == 8 ? NR(madvise) : 219, ARENA_FAR, 4096, MADV_DONTNEED, 0, 0, 0);
	call("madvise_unknown", w == 8 ? NR(madvise) : 219, ARENA_FAR, 4096, 77, 0, 0, 0);
	call("mremap", w == 8 ? NR(mremap) : 163, ARENA_FAR, 4096, 8192, MREMAP_MAYMOVE, 0, 0);
	call("mremap_fixed", w == 8 ? NR(mremap) : 163, ARENA_FAR, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED | 0x80, ARENA_FAR + 0x100000, 0);
	if (w == 8) {
		call("msync", NR(msync), ARENA_FAR, 4096, MS_SYNC | MS_INVALIDATE, 0, 0, 0);
		call("mlock", NR(mlock), ARENA_FAR, 4096, 0, 0, 0, 0);
		call("mlock2", NR(mlock2), ARENA_FAR, 4096, MLOCK_ONFAULT | 0x10, 0, 0, 0);
		call("mlockall_bad", NR(mlockall), 0x10, 0, 0, 0, 0, 0);
		call("mincore", NR(mincore), ARENA_FAR, 4096, A(0x100), 0, 0, 0);
	}

	// fcntl
	int fcntl_nr = w == 8 ? NR(fcntl) : 221; /* i386: fcntl64 */
	call("fcntl_getfd", fcntl_nr, -1, F_GETFD, 0, 0, 0, 0);
	call("fcntl_setfd", fcntl_nr, -1, F_SETFD, FD_CLOEXEC, 0, 0, 0);
	call("fcntl_setfd_unknown", fcntl_nr, -1, F_SETFD, 6, 0, 0, 0);
	call("fcntl_getfl", fcntl_nr, -1, F_GETFL, 0, 0, 0, 0);
	call("fcntl_setfl", fcntl_nr, -1, F_SETFL, O_RDWR | O_NONBLOCK | O_APPEND, 0, 0, 0);
	call("fcntl_dupfd", fcntl_nr, -1, F_DUPFD, 10, 0, 0, 0);
	call("fcntl_dupfd_cloexec", fcntl_nr, -1, F_DUPFD_CLOEXEC, 3, 0, 0, 0);
	call("fcntl_setown", fcntl_nr, -1, F_SETOWN, -77, 0, 0, 0);
	call("fcntl_setsig", fcntl_nr, -1, F_SETSIG, SIGUSR2, 0, 0, 0);
	call("fcntl_setlease", fcntl_nr, -1, F_SETLEASE, F_WRLCK, 0, 0, 0);
	call("fcntl_notify", fcntl_nr, -1, F_NOTIFY, DN_MODIFY | DN_MULTISHOT, 0, 0, 0);
	call("fcntl_add_seals", fcntl_nr, -1, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_WRITE, 0, 0, 0);
	call("fcntl_unknown", fcntl_nr, -1, 0x777, 0x1234, 0, 0, 0);
	call("fcntl_getpipe", fcntl_nr, -1, F_GETPIPE_SZ, 0, 0, 0, 0);
	call("fcntl_setpipe", fcntl_nr, -1, F_SETPIPE_SZ, 65536, 0, 0, 0);
	if (w == 8) {
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = -5, .l_len = 100};
		call("fcntl_setlk", NR(fcntl), -1, F_SETLKW, put(0x100, &fl, sizeof(fl)), 0, 0, 0);
		call("fcntl_setlk_bad", NR(fcntl), -1, F_SETLK, BAD, 0, 0, 0);
		call("fcntl_getlk", NR(fcntl), -1, F_GETLK, A(0x100), 0, 0, 0);
		call("fcntl_ofd_setlk", NR(fcntl), -1, F_OFD_SETLK, put(0x100, &fl, sizeof(fl)), 0, 0, 0);
		struct f_owner_ex o = {.type = F_OWNER_PGRP, .pid = 42};
		call("fcntl_setown_ex", NR(fcntl), -1, F_SETOWN_EX, put(0x100, &o, sizeof(o)), 0, 0, 0);
	}

	// ioctl
	int ioctl_nr = w == 8 ? NR(ioctl) : 54;
	call("ioctl_tcgets", ioctl_nr, -1, TCGETS, A(0x100), 0, 0, 0);
	call("ioctl_tiocgwinsz", ioctl_nr, -1, TIOCGWINSZ, A(0x100), 0, 0, 0);
	{
		struct winsize ws = {.ws_row = 24, .ws_col = 80};
		call("ioctl_tiocswinsz", ioctl_nr, -1, TIOCSWINSZ, put(0x100, &ws, sizeof(ws)), 0, 0, 0);
	}
	*(int *)(ARENA + 0x100) = 1234;
	call("ioctl_tiocspgrp", ioctl_nr, -1, TIOCSPGRP, A(0x100), 0, 0, 0);
	call("ioctl_tiocgpgrp", ioctl_nr, -1, TIOCGPGRP, A(0x100), 0, 0, 0);
	*(int *)(ARENA + 0x100) = 1;
	call("ioctl_fionbio", ioctl_nr, -1, FIONBIO, A(0x100), 0, 0, 0);
	call("ioctl_fionbio_bad", ioctl_nr, -1, FIONBIO, BAD, 0, 0, 0);
	call("ioctl_fionread", ioctl_nr, -1, FIONREAD, A(0x100), 0, 0, 0);
	call("ioctl_fioclex", ioctl_nr, -1, FIOCLEX, 0, 0, 0, 0);
	call("ioctl_tiocsctty", ioctl_nr, -1, TIOCSCTTY, 1, 0, 0, 0);
	call("ioctl_unknown", ioctl_nr, -1, 0x80081234, 0x77, 0, 0, 0);
	call("ioctl_unknown_none", ioctl_nr, -1, 0x0000abcd, 0, 0, 0, 0);
	call("ioctl_siocgifindex", ioctl_nr, -1, SIOCGIFINDEX, A(0x100), 0, 0, 0);
	call("ioctl_ficlone", ioctl_nr, -1, FICLONE, 5, 0, 0, 0);

	// sockets
	if (w == 8) {
		*(int *)(ARENA + 0x100) = 1;
		call("setsockopt_reuseaddr", NR(setsockopt), -1, SOL_SOCKET, SO_REUSEADDR, A(0x100), 4, 0);
		call("setsockopt_tcp_nodelay", NR(setsockopt), -1, IPPROTO_TCP, TCP_NODELAY, A(0x100), 4, 0);
		call("setsockopt_ip_tos", NR(setsockopt), -1, IPPROTO_IP, IP_TOS, A(0x100), 4, 0);
		call("setsockopt_ipv6_v6only", NR(setsockopt), -1, IPPROTO_IPV6, IPV6_V6ONLY, A(0x100), 4, 0);
		call("setsockopt_short", NR(setsockopt), -1, SOL_SOCKET, SO_RCVBUF, A(0x100), 2, 0);
		call("setsockopt_null", NR(setsockopt), -1, SOL_SOCKET, SO_KEEPALIVE, 0, 4, 0);
		call("setsockopt_bytes", NR(setsockopt), -1, IPPROTO_TCP, TCP_CONGESTION, str(0x100, "cubic"), 5, 0);
		{
			struct linger l = {.l_onoff = 1, .l_linger = 30};
			call("setsockopt_linger", NR(setsockopt), -1, SOL_SOCKET, SO_LINGER, put(0x100, &l, sizeof(l)), sizeof(l), 0);
		}
		call("setsockopt_unknown", NR(setsockopt), -1, 0x1ff, 0x55, A(0x100), 4, 0);
		call("setsockopt_unknown_so", NR(setsockopt), -1, SOL_SOCKET, 0x999, A(0x100), 4, 0);
		*(int *)(ARENA + 0x100) = 4;
		call("getsockopt_error", NR(getsockopt), -1, SOL_SOCKET, SO_ERROR, A(0x200), A(0x100), 0);
		call("getsockopt_bad_len", NR(getsockopt), -1, SOL_SOCKET, SO_TYPE, A(0x200), BAD, 0);
		call("listen", NR(listen), -1, 128, 0, 0, 0, 0);
		call("shutdown", NR(shutdown), -1, SHUT_RDWR, 0, 0, 0, 0);
		call("shutdown_unknown", NR(shutdown), -1, 7, 0, 0, 0, 0);
		*(int *)(ARENA + 0x100) = 16;
		call("accept", NR(accept), -1, A(0x200), A(0x100), 0, 0, 0);
		call("accept4", NR(accept4), -1, 0, 0, SOCK_CLOEXEC | SOCK_NONBLOCK, 0, 0);
		call("accept4_unknown", NR(accept4), -1, A(0x200), A(0x100), 0x4000000, 0, 0);
		call("getsockname", NR(getsockname), -1, A(0x200), A(0x100), 0, 0, 0);
		call("getpeername", NR(getpeername), -1, A(0x200), BAD, 0, 0, 0);
		call("socketpair", NR(socketpair), AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, BAD, 0, 0);
		call("recvfrom", NR(recvfrom), -1, A(0x200), 100, MSG_PEEK | MSG_TRUNC, A(0x300), A(0x100));
		call("recvfrom_null", NR(recvfrom), -1, A(0x200), 100, 0, 0, 0);
		{
			struct iovec iov[2] = {{(void *)str(0x400, "hello "), 6}, {(void *)str(0x410, "world\n"), 6}};
			put(0x300, iov, sizeof(iov));
			struct msghdr m = {.msg_name = (void *)sin4(0x200, 53, "10.0.0.1"), .msg_namelen = 16,
					   .msg_iov = (void *)A(0x300), .msg_iovlen = 2, .msg_flags = 0};
			call("sendmsg", NR(sendmsg), -1, put(0x100, &m, sizeof(m)), MSG_NOSIGNAL | MSG_DONTWAIT, 0, 0, 0);
			int fds[2] = {0, 1};
			char cbuf[CMSG_SPACE(sizeof(fds))];
			memset(cbuf, 0, sizeof(cbuf));
			struct cmsghdr *c = (struct cmsghdr *)cbuf;
			c->cmsg_len = CMSG_LEN(sizeof(fds));
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			memcpy(CMSG_DATA(c), fds, sizeof(fds));
			m.msg_name = 0;
			m.msg_namelen = 0;
			m.msg_iovlen = 1;
			m.msg_control = (void *)put(0x500, cbuf, sizeof(cbuf));
			m.msg_controllen = sizeof(cbuf);
			call("sendmsg_rights", NR(sendmsg), -1, put(0x100, &m, sizeof(m)), 0, 0, 0, 0);
			call("sendmsg_bad", NR(sendmsg), -1, BAD, 0, 0, 0, 0);
			m.msg_namelen = 16;
			call("recvmsg", NR(recvmsg), -1, put(0x100, &m, sizeof(m)), MSG_CMSG_CLOEXEC, 0, 0, 0);
			call("recvmsg_bad", NR(recvmsg), -1, BAD, 0, 0, 0, 0);
		}
	}

	// poll, epoll, select
	{
		struct pollfd pf[3] = {{.fd = -1, .events = POLLIN}, {.fd = 1000, .events = POLLIN | POLLOUT | POLLRDHUP}, {.fd = 1001, .events = 0x8000}};
		call("poll", w == 8 ? NR(poll) : 168, put(0x100, pf, sizeof(pf)), 3, 0, 0, 0, 0);
		call("poll_bad", w == 8 ? NR(poll) : 168, BAD, 1, 0, 0, 0, 0);
		call("poll_partial", w == 8 ? NR(poll) : 168, put(ARENA_SIZE - 8, pf, 8), 2, 0, 0, 0, 0);
		if (w == 8) {
			struct timespec ts = {0, 0};
			put(0x200, &ts, sizeof(ts));
			uint64_t mask = (1UL << (SIGINT - 1)) | (1UL << (SIGTERM - 1));
			put(0x300, &mask, 8);
			call("ppoll", NR(ppoll), put(0x100, pf, sizeof(pf)), 3, A(0x200), A(0x300), 8, 0);
			call("ppoll_null", NR(ppoll), put(0x100, pf + 1, sizeof(pf[0])), 1, 0, 0, 8, 0);
		}
	}
	if (w == 8) {
		call("epoll_create1", NR(epoll_create1), EPOLL_CLOEXEC, 0, 0, 0, 0, 0);
		call("epoll_create1_bad", NR(epoll_create1), 0x1, 0, 0, 0, 0, 0);
		struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 0x100000005UL};
		call("epoll_ctl_add", NR(epoll_ctl), -1, EPOLL_CTL_ADD, 1000, put(0x100, &ev, sizeof(ev)), 0, 0);
		call("epoll_ctl_del", NR(epoll_ctl), -1, EPOLL_CTL_DEL, 1000, 0, 0, 0);
		call("epoll_ctl_unknown", NR(epoll_ctl), -1, 9, 1000, BAD, 0, 0);
		call("epoll_wait", NR(epoll_wait), -1, A(0x100), 16, -1, 0, 0);
		uint64_t mask = 1UL << (SIGCHLD - 1);
		call("epoll_pwait", NR(epoll_pwait), -1, A(0x100), 16, 100, put(0x200, &mask, 8), 8);
		unsigned long set[16] = {0};
		set[0] = 1UL | (1UL << 2);
		set[1000 / 64] |= 1UL << (1000 % 64);
		put(0x100, set, sizeof(set));
		struct timeval tv = {1, 500};
		call("select", NR(select), 1001, A(0x100), 0, A(0x100), put(0x200, &tv, sizeof(tv)), 0);
		call("select_neg", NR(select), -1, A(0x100), 0, 0, 0, 0);
		struct timespec ts = {0, 1000};
		put(0x300, &ts, sizeof(ts));
		uint64_t sm[2] = {A(0x400), 8};
		put(0x400, &mask, 8);
		put(0x500, sm, sizeof(sm));
		call("pselect6", NR(pselect6), 1001, A(0x100), A(0x100), 0, A(0x300), A(0x500));
		call("pipe2", NR(pipe2), BAD, O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0);
		call("pipe", NR(pipe), BAD, 0, 0, 0, 0, 0);
	}

	// futex
	int futex_nr = w == 8 ? NR(futex) : 240;
	call("futex_wait", futex_nr, A(0x100), FUTEX_WAIT_PRIVATE, 1, 0, 0, 0);
	if (w == 8) {
		struct timespec ts = {1, 2};
		call("futex_wait_ts", futex_nr, A(0x100), FUTEX_WAIT, 1, put(0x200, &ts, sizeof(ts)), 0, 0);
	}
	call("futex_wake", futex_nr, A(0x100), FUTEX_WAKE_PRIVATE, 2147483647, 0, 0, 0);
	call("futex_wait_bitset", futex_nr, A(0x100), FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 0, 0, FUTEX_BITSET_MATCH_ANY);
	call("futex_wake_op", futex_nr, A(0x100), FUTEX_WAKE_OP_PRIVATE, 1, 1, A(0x104), FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 0));
	call("futex_cmp_requeue", futex_nr, A(0x100), FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, A(0x104), 7);
	call("futex_unknown", futex_nr, A(0x100), 0x7e, 1, 2, A(0x104), 7);

	// processes
	call("wait4", w == 8 ? NR(wait4) : 114, 0x7ffffff0, A(0x100), WNOHANG | __WALL, 0, 0, 0);
	call("wait4_neg", w == 8 ? NR(wait4) : 114, -1, A(0x100), WNOHANG | 0x20, 0, 0, 0);
	call("wait4_unknown", w == 8 ? NR(wait4) : 114, 0x7ffffff0, 0, 0x10000, A(0x200), 0, 0);
	call("waitid", w == 8 ? NR(waitid) : 284, P_PID, 0x7ffffff0, A(0x100), WEXITED | WNOHANG, 0, 0);
	call("kill_neg1", w == 8 ? NR(kill) : 37, -1, 0, 0, 0, 0, 0);
	call("prctl_set_name", w == 8 ? NR(prctl) : 172, PR_SET_NAME, str(0x100, "a-long-thread-name-here"), 0, 0, 0, 0);
	call("prctl_get_name", w == 8 ? NR(prctl) : 172, PR_GET_NAME, BAD, 0, 0, 0, 0);
	call("prctl_pdeathsig", w == 8 ? NR(prctl) : 172, PR_SET_PDEATHSIG, 0, 0, 0, 0, 0);
	call("prctl_no_new_privs_get", w == 8 ? NR(prctl) : 172, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0, 0);
	call("prctl_dumpable", w == 8 ? NR(prctl) : 172, PR_SET_DUMPABLE, 7, 0, 0, 0, 0);
	call("prctl_capbset_read", w == 8 ? NR(prctl) : 172, PR_CAPBSET_READ, CAP_NET_ADMIN, 0, 0, 0, 0);
	call("prctl_unknown", w == 8 ? NR(prctl) : 172, 0x12345, 1, 2, 3, 4, 0);
	call("prctl_seccomp", w == 8 ? NR(prctl) : 172, PR_SET_SECCOMP, 77, 0, 0, 0, 0);
	call("prctl_get_dumpable", w == 8 ? NR(prctl) : 172, PR_GET_DUMPABLE, 0, 0, 0, 0, 0);
	if (w == 8) {
		call("arch_prctl_get_fs", NR(arch_prctl), ARCH_GET_FS, BAD, 0, 0, 0, 0);
		call("arch_prctl_unknown", NR(arch_prctl), 0x9999, 5, 0, 0, 0, 0);
	}
	{
		uint64_t rl[2] = {1024, 4096};
		call("prlimit64", w == 8 ? NR(prlimit64) : 340, 0x7ffffff0, RLIMIT_NOFILE, put(0x100, rl, sizeof(rl)), A(0x200), 0, 0);
		rl[0] = 8 << 20;
		rl[1] = ~0UL;
		call("prlimit64_inf", w == 8 ? NR(prlimit64) : 340, 0x7ffffff0, RLIMIT_STACK, put(0x100, rl, sizeof(rl)), 0, 0, 0);
		call("prlimit64_unknown", w == 8 ? NR(prlimit64) : 340, 0x7ffffff0, 99, 0, 0, 0, 0);
	}
	if (w == 8) {
		call("getrlimit", NR(getrlimit), RLIMIT_CORE, BAD, 0, 0, 0, 0);
		uint64_t rl[2] = {100, 10};
		call("setrlimit", NR(setrlimit), RLIMIT_NPROC, put(0x100, rl, sizeof(rl)), 0, 0, 0, 0);
	}
	call("set_robust_list", w == 8 ? NR(set_robust_list) : 311, A(0x100), 1, 0, 0, 0, 0);
	call("getrandom", w == 8 ? NR(getrandom) : 355, BAD, 16, GRND_NONBLOCK | GRND_RANDOM | 0x40, 0, 0, 0);
	call("memfd_create", w == 8 ? NR(memfd_create) : 356, str(0x100, "shm"), MFD_CLOEXEC | MFD_ALLOW_SEALING, 0, 0, 0, 0);
	call("memfd_create_bad", w == 8 ? NR(memfd_create) : 356, str(0x100, "x"), 0x80, 0, 0, 0, 0);
	call("memfd_create_huge", w == 8 ? NR(memfd_create) : 356, BAD, MFD_HUGETLB | (21 << 26), 0, 0, 0, 0);
	call("inotify_init1", w == 8 ? NR(inotify_init1) : 332, IN_CLOEXEC | 0x1, 0, 0, 0, 0, 0);
	call("inotify_add_watch", w == 8 ? NR(inotify_add_watch) : 292, -1, str(0x100, P), IN_MODIFY | IN_CREATE | IN_ONLYDIR, 0, 0, 0);
	call("eventfd2", w == 8 ? NR(eventfd2) : 328, 5, EFD_CLOEXEC | EFD_SEMAPHORE | 0x4, 0, 0, 0, 0);
	call("timerfd_create", w == 8 ? NR(timerfd_create) : 322, CLOCK_MONOTONIC, TFD_CLOEXEC | 0x1, 0, 0, 0, 0);
	if (w == 8) {
		struct itimerspec its = {{0, 0}, {5, 100}};
		call("timerfd_settime", NR(timerfd_settime), -1, TFD_TIMER_ABSTIME, put(0x100, &its, sizeof(its)), 0, 0, 0);
		call("clock_nanosleep", NR(clock_nanosleep), CLOCK_REALTIME, TIMER_ABSTIME, put(0x100, &its.it_interval, 16), A(0x200), 0, 0);
		call("clock_nanosleep_bad", NR(clock_nanosleep), 77, 0x4, BAD, 0, 0, 0);
		call("nanosleep", NR(nanosleep), put(0x100, &its.it_interval, 16), 0, 0, 0, 0, 0);
		call("clock_gettime", NR(clock_gettime), CLOCK_MONOTONIC, BAD, 0, 0, 0, 0);
		call("clock_getres", NR(clock_getres), CLOCK_BOOTTIME, 0, 0, 0, 0, 0);
		call("clock_gettime_unknown", NR(clock_gettime), 0x1234, BAD, 0, 0, 0, 0);
		struct timespec t2[2] = {{0, UTIME_NOW}, {1700000000, 5}};
		call("utimensat", NR(utimensat), AT_FDCWD, str(0x200, P), put(0x100, t2, sizeof(t2)), AT_SYMLINK_NOFOLLOW, 0, 0);
		t2[0].tv_nsec = UTIME_OMIT;
		t2[1].tv_sec = 0;
		t2[1].tv_nsec = 0;
		call("utimensat_omit", NR(utimensat), -1, 0, put(0x100, t2, sizeof(t2)), 0, 0, 0);
		struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS};
		call("openat2", NR(openat2), AT_FDCWD, str(0x200, P), put(0x100, &how, sizeof(how)), sizeof(how), 0, 0);
		struct open_how how2 = {.flags = O_CREAT | O_WRONLY, .mode = 0644};
		call("openat2_creat", NR(openat2), 3, str(0x200, "f"), put(0x100, &how2, sizeof(how2)), sizeof(how2), 0, 0);
		call("openat2_small", NR(openat2), 3, str(0x200, "f"), A(0x100), 8, 0, 0);
	}

	// signals
	if (w == 8) {
		struct { unsigned long h, f, r; uint64_t m; } sa = {1, SA_RESTORER | SA_RESTART | SA_SIGINFO, 0x401000, (1UL << (SIGINT - 1)) | (1UL << (SIGTERM - 1))};
		call("rt_sigaction", NR(rt_sigaction), SIGKILL, put(0x100, &sa, sizeof(sa)), A(0x200), 8, 0, 0);
		sa.h = 0x401234;
		sa.f = SA_ONSTACK | 0x1000;
		sa.m = ~0UL;
		call("rt_sigaction_full", NR(rt_sigaction), SIGSTOP, put(0x100, &sa, sizeof(sa)), 0, 8, 0, 0);
		call("rt_sigaction_null", NR(rt_sigaction), 0, 0, A(0x200), 8, 0, 0);
		uint64_t m = (1UL << (SIGINT - 1)) | (1UL << (SIGTERM - 1)) | (1UL << 33);
		call("rt_sigprocmask", NR(rt_sigprocmask), 7, put(0x100, &m, 8), A(0x200), 8, 0, 0);
		call("rt_sigprocmask_badsize", NR(rt_sigprocmask), SIG_BLOCK, A(0x100), 0, 16, 0, 0);
		call("rt_sigprocmask_null", NR(rt_sigprocmask), SIG_SETMASK, 0, BAD, 8, 0, 0);
		struct { unsigned long sp; int flags; unsigned long size; } ss = {A(0x1000), 0x1234, 8192};
		call("sigaltstack", NR(sigaltstack), put(0x100, &ss, sizeof(ss)), 0, 0, 0, 0, 0);
		call("tgkill_sig0", NR(tgkill), 0x7ffffff0, 0x7ffffff1, 0, 0, 0, 0);
	} else {
		struct { uint32_t h, f, r, m[2]; } sa = {0, 0x04000000 | SA_RESTART, 0x8048000, {(1U << (SIGINT - 1)), 1}};
		call("i386_rt_sigaction", 174, SIGKILL, put(0x100, &sa, sizeof(sa)), 0, 8, 0, 0);
		struct { uint32_t sp; int flags; uint32_t size; } ss = {0x1000, 0x1234, 8192};
		call("i386_sigaltstack", 186, put(0x100, &ss, sizeof(ss)), 0, 0, 0, 0, 0);
		call("i386_llseek", 140, -1, 1, 0x10, A(0x100), SEEK_END, 0);
		struct { uint32_t b, l; } iov[1] = {{str(0x200, "abc"), 3}};
		call("i386_writev", 146, -1, put(0x100, iov, sizeof(iov)), 1, 0, 0, 0);
		call("i386_setuid32", 213, -1, 0, 0, 0, 0, 0);
		call("i386_ugetrlimit", 191, RLIMIT_NOFILE, BAD, 0, 0, 0, 0);
	}

	// misc
	if (w == 8) {
		call("lseek", NR(lseek), -1, -100, SEEK_END, 0, 0, 0);
		call("lseek_data", NR(lseek), -1, 0, SEEK_DATA, 0, 0, 0);
		call("lseek_unknown", NR(lseek), -1, 0, 9, 0, 0, 0);
		call("pread64", NR(pread64), -1, A(0x100), 10, 1234, 0, 0);
		call("pwrite64", NR(pwrite64), -1, str(0x100, "data"), 4, 0x100000000UL, 0, 0);
		struct iovec iov[3] = {{(void *)str(0x200, "ab"), 2}, {(void *)str(0x210, "0123456789abcdefghijklmnopqrstuvwxyz"), 36}, {(void *)BAD, 4}};
		call("writev", NR(writev), -1, put(0x100, iov, sizeof(iov)), 3, 0, 0, 0);
		call("readv", NR(readv), -1, put(0x100, iov, sizeof(iov)), 2, 0, 0, 0);
		call("writev_bad", NR(writev), -1, BAD, 2, 0, 0, 0);
		call("fallocate", NR(fallocate), -1, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, 4096, 0, 0);
		call("fallocate_zero", NR(fallocate), -1, 0, 10, 20, 0, 0);
		call("fadvise64", NR(fadvise64), -1, 0, 0, POSIX_FADV_SEQUENTIAL, 0, 0);
		call("flock", NR(flock), -1, LOCK_EX | LOCK_NB, 0, 0, 0, 0);
		call("flock_unknown", NR(flock), -1, 0x40, 0, 0, 0, 0);
		call("getdents64", NR(getdents64), -1, A(0x100), 32768, 0, 0, 0);
		call("fchown", NR(fchown), -1, 1000, -1, 0, 0, 0);
		call("chown", NR(chown), str(0, P), -1, 0, 0, 0, 0);
		call("fchownat", NR(fchownat), AT_FDCWD, str(0, P), 0, 0, AT_SYMLINK_NOFOLLOW, 0);
		call("umask", NR(umask), 022, 0, 0, 0, 0, 0);
		call("getcwd", NR(getcwd), BAD, 4096, 0, 0, 0, 0);
		call("linkat", NR(linkat), AT_FDCWD, str(0, P "/a"), 5, str(0x100, "b"), AT_SYMLINK_FOLLOW, 0);
		call("symlinkat", NR(symlinkat), str(0, "target"), AT_FDCWD, str(0x100, P "/b"), 0, 0, 0);
		call("getxattr", NR(getxattr), str(0, P), str(0x100, "user.mime"), A(0x200), 64, 0, 0);
		call("setxattr", NR(setxattr), str(0, P), str(0x100, "user.x"), str(0x200, "val"), 3, XATTR_CREATE, 0);
		call("fgetxattr", NR(fgetxattr), -1, str(0x100, "security.selinux"), 0, 0, 0, 0);
		call("mount", NR(mount), str(0, "none"), str(0x100, P), str(0x200, "tmpfs"), MS_NOSUID | MS_NODEV | MS_RDONLY, str(0x300, "size=1m"), 0);
		call("mount_bind", NR(mount), str(0, "/"), str(0x100, P), 0, MS_BIND | MS_REC, 0, 0);
		call("umount2", NR(umount2), str(0, P), MNT_DETACH | 0x100, 0, 0, 0, 0);
		call("set_tid_address", NR(set_tid_address), 0, 0, 0, 0, 0, 0);
		call("sched_getaffinity", NR(sched_getaffinity), 0, 128, BAD, 0, 0, 0);
		uint64_t cpus = 0x5;
		call("sched_setaffinity", NR(sched_setaffinity), 0x7ffffff0, 8, put(0x100, &cpus, 8), 0, 0, 0);
		call("sched_yield", NR(sched_yield), 0, 0, 0, 0, 0, 0);
		call("getppid_args", NR(gettid), 1, 2, 3, 0, 0, 0);
		call("setuid", NR(setuid), -1, 0, 0, 0, 0, 0);
		call("setresuid", NR(setresuid), -1, -1, -1, 0, 0, 0);
		call("setgid", NR(setgid), -1, 0, 0, 0, 0, 0);
		struct __user_cap_header_struct ch = {_LINUX_CAPABILITY_VERSION_3, 0x7ffffff0};
		call("capget", NR(capget), put(0x100, &ch, sizeof(ch)), BAD, 0, 0, 0, 0);
		struct __user_cap_data_struct cd[2] = {{1 << CAP_NET_ADMIN, (1 << CAP_NET_ADMIN) | (1 << CAP_SYS_ADMIN), 0}, {0, 1 << (CAP_BPF - 32), 0}};
		call("capset", NR(capset), put(0x100, &ch, sizeof(ch)), put(0x200, cd, sizeof(cd)), 0, 0, 0, 0);
		call("uname", NR(uname), BAD, 0, 0, 0, 0, 0);
		call("sysinfo", NR(sysinfo), BAD, 0, 0, 0, 0, 0);
		call("personality_query", NR(personality), 0xffffffff, 0, 0, 0, 0, 0);
		call("shmget", NR(shmget), IPC_PRIVATE, 0, IPC_CREAT | IPC_EXCL | 0600, 0, 0, 0);
		call("semget", NR(semget), 0x1234, -1, 0640, 0, 0, 0);
		call("msgget", NR(msgget), 0x1234, 0600, 0, 0, 0, 0);
		call("shmctl", NR(shmctl), -1, IPC_RMID, 0, 0, 0, 0);
		call("seccomp", NR(seccomp), SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, BAD, 0, 0, 0);
		call("seccomp_unknown", NR(seccomp), 77, 0, 0, 0, 0, 0);
		call("bpf", NR(bpf), 0x1234, 0, 0, 0, 0, 0);
		call("perf_event_open", NR(perf_event_open), BAD, -1, -1, -1, 0, 0);
		call("io_uring_setup", NR(io_uring_setup), 1, BAD, 0, 0, 0, 0);
		call("splice", NR(splice), -1, 0, -1, 0, 4096, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		call("tee", NR(tee), -1, -1, 100, 0x10, 0, 0);
		call("sendfile", NR(sendfile), -1, -1, 0, 4096, 0, 0);
		uint64_t off = 77;
		call("copy_file_range", NR(copy_file_range), -1, put(0x100, &off, 8), -1, 0, 100, 0);
		call("membarrier", NR(membarrier), 0x1000, 0, 0, 0, 0, 0);
		call("setns", NR(setns), -1, CLONE_NEWNET, 0, 0, 0, 0);
		call("pidfd_open", NR(pidfd_open), 0x7ffffff0, 0, 0, 0, 0, 0);
		call("getitimer", NR(getitimer), ITIMER_PROF, BAD, 0, 0, 0, 0);
		call("getpriority", NR(getpriority), PRIO_PROCESS, 0x7ffffff0, 0, 0, 0, 0);
		call("mknodat", NR(mknodat), AT_FDCWD, str(0, P), S_IFCHR | 0600, makedev(1, 3), 0, 0);
		call("close_range", NR(close_range), 1000, -1, CLOSE_RANGE_CLOEXEC | 0x10, 0, 0, 0);
		ipc_sched_signal_cases();
	}
}

static void i386_cases(void)
{
	unsigned long p, q, v[8];
	arch = "i386";
	call("i386_getgid32", 200, 0, 0, 0, 0, 0, 0);
	call("i386_open", 5, str(0, "/etc/passwd"), O_RDONLY | 0100000, 0, 0, 0, 0);
	call("i386_openat", 295, AT_FDCWD, str(0, P), O_WRONLY | O_CREAT, 0600, 0, 0);
	call("i386_write", 4, -1, str(0x100, "hi\n"), 3, 0, 0, 0);
	v[0] = str(0x100, "true");
	v[1] = str(0x110, "--version");
	v[2] = 0;
	p = ptrs(0x200, 4, 3, v);
	v[0] = str(0x300, "A=1");
	v[1] = 0;
	q = ptrs(0x400, 4, 2, v);
	call("i386_execve", 11, str(0, P "/true"), p, q, 0, 0, 0);
	call("i386_socket", 359, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP, 0, 0, 0);
	call("i386_connect", 362, -1, sin4(0, 5432, "127.0.0.1"), 16, 0, 0, 0);
	call("i386_kill", 37, 0x7ffffff0, SIGTERM, 0, 0, 0, 0);
	call("i386_clone", 120, CLONE_SIGHAND | CLONE_CHILD_SETTID | SIGCHLD, 0, A(0x10), A(0x20), A(0x30), 0);
	{
		uint32_t ud[4] = {0xffffffff, 0x12345678, 0xfffff, 0x51};
		put(0x40, ud, sizeof(ud));
		call("i386_clone_tls", 120, CLONE_SIGHAND | CLONE_SETTLS, 0, 0, A(0x40), 0, 0);
		ud[0] = 12;
		ud[3] = 0x6e;
		put(0x40, ud, sizeof(ud));
		call("i386_clone_tls2", 120, CLONE_SIGHAND | CLONE_SETTLS, 0, 0, A(0x40), 0, 0);
		call("i386_clone_tls_bad", 120, CLONE_SIGHAND | CLONE_SETTLS, 0, 0, BAD, 0, 0);
	}
	call("i386_stat64", 195, str(0, P), A(0x100), 0, 0, 0, 0);
	call("i386_lstat64", 196, str(0, P), A(0x100), 0, 0, 0, 0);
	call("i386_fstat64", 197, -1, A(0x100), 0, 0, 0, 0);
	call("i386_fstatat64", 300, AT_FDCWD, str(0, P), A(0x100), AT_SYMLINK_NOFOLLOW, 0, 0);
	call("i386_statx", 383, AT_FDCWD, str(0, P), 0, STATX_BASIC_STATS, A(0x100), 0);
	call("i386_connect_unix", 362, -1, sun(0, "/tmp/sock", 9), 12, 0, 0, 0);
	call("i386_sendto", 369, -1, str(0x200, "data"), 4, MSG_DONTWAIT, sin6(0, 53, "2001:db8::53", 0, 0), 28);
	call("i386_faccessat2", 439, AT_FDCWD, str(0, P), R_OK, AT_EACCESS, 0, 0);
	call("i386_renameat2", 353, AT_FDCWD, str(0, "a"), AT_FDCWD, str(0x100, "b"), RENAME_WHITEOUT, 0);
	{
		struct clone_args ca;
		memset(&ca, 0, sizeof(ca));
		ca.flags = CLONE_SIGHAND | CLONE_CHILD_SETTID;
		ca.child_tid = A(0x20);
		ca.exit_signal = SIGCHLD;
		call("i386_clone3", 435, put(0x100, &ca, sizeof(ca)), 88, 0, 0, 0, 0);
	}
	call("i386_write_high_args", 4, -1, 0, 0, 0, 0, 0);
	call("i386_unknown", 499, 1, 2, 3, 4, 5, 6);
	more_cases(4);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: workload x86_64|i386 records-file\n");
		return 2;
	}
	int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		perror(argv[2]);
		return 1;
	}
	if (mmap(ARENA, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != ARENA) {
		perror("mmap");
		return 1;
	}
	syscall(SYS_getppid); // start marker
	if (strcmp(argv[1], "i386") == 0)
		i386_cases();
	else
		x86_64_cases();
	// The final exit_group is recorded before the end marker and issued
	// after the records are written: gen.go pairs it with the last line.
	unsigned long a[6] = {3, 0, 0, 0, 0, 0};
	int i386 = strcmp(arch, "i386") == 0;
	record("exit_group", i386 ? 252 : SYS_exit_group, a);
	syscall(SYS_getppid); // end marker
	write(out, records, rlen);
	close(out);
	if (i386)
		sys32(252, a);
	syscall(SYS_exit_group, 3);
	return 3;
}
