package decode

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// The decoders beyond the file, exec and socket basics of decoders.go,
// following strace 6.1's src/*.c: what strace prints on entry for inputs
// and, for outputs, what it prints when the call fails (the address).

// Kernel values x/sys/unix does not export, with their headers.
const (
	// MAP_TYPE masks the mapping type in mmap's flags
	// (include/uapi/linux/mman.h); MAP_HUGE_SHIFT and MAP_HUGE_MASK
	// encode a huge page size above it (include/uapi/asm-generic/hugetlb_encode.h).
	mapType      = 0x0f
	mapHugeShift = 26
	mapHugeMask  = 0x3f
	// FUTEX_CMD_MASK: the command bits of futex's op (include/uapi/linux/futex.h,
	// ~(FUTEX_PRIVATE_FLAG|FUTEX_CLOCK_REALTIME)); the commands themselves
	// come from the generated xFutexops table's header values.
	futexCmdMask = 127
	// UTIME_NOW and UTIME_OMIT (include/uapi/linux/stat.h).
	utimeNow  = (1 << 30) - 1
	utimeOmit = (1 << 30) - 2
	// TASK_COMM_LEN (include/linux/sched.h): PR_SET_NAME prints at most
	// TASK_COMM_LEN-1 bytes.
	taskCommLen = 16
	// RLIM64_INFINITY (include/uapi/linux/resource.h).
	rlim64Infinity = ^uint64(0)
)

// Futex commands (include/uapi/linux/futex.h); not in x/sys/unix.
const (
	futexWait          = 0
	futexWake          = 1
	futexFD            = 2
	futexRequeue       = 3
	futexCmpRequeue    = 4
	futexWakeOp        = 5
	futexLockPI        = 6
	futexUnlockPI      = 7
	futexTrylockPI     = 8
	futexWaitBitset    = 9
	futexWakeBitset    = 10
	futexWaitRequeuePI = 11
	futexCmpRequeuePI  = 12
	futexLockPI2       = 13
)

// addMoreDecoders adds the decoders of this file to m (decoders).
func addMoreDecoders(m map[string]func(p *printer)) {
	for name, fn := range map[string]func(p *printer){
		// memory
		"brk":    func(p *printer) { p.ptr(0) },
		"mmap":   decodeMmap,
		"mmap2":  decodeMmap,
		"munmap": func(p *printer) { p.ptr(0); p.ulen(1) },
		"mprotect": func(p *printer) {
			p.ptr(0)
			p.ulen(1)
			p.flags64(2, xMmapProt, "PROT_???")
		},
		"pkey_mprotect": func(p *printer) {
			p.ptr(0)
			p.ulen(1)
			p.flags64(2, xMmapProt, "PROT_???")
			p.dec(3)
		},
		"mremap": func(p *printer) {
			p.ptr(0)
			p.ulen(1)
			p.ulen(2)
			p.flags64(3, xMremapFlags, "MREMAP_???")
			if p.args[3]&(unix.MREMAP_MAYMOVE|unix.MREMAP_FIXED) == unix.MREMAP_MAYMOVE|unix.MREMAP_FIXED {
				p.ptr(4)
			}
		},
		"madvise": func(p *printer) { p.ptr(0); p.ulen(1); p.xval(2, xMadviseCmds, "MADV_???") },
		"mlock":   func(p *printer) { p.ptr(0); p.ulen(1) },
		"munlock": func(p *printer) { p.ptr(0); p.ulen(1) },
		"mlock2": func(p *printer) {
			p.ptr(0)
			p.ulen(1)
			p.flags(2, xMlockFlags, "MLOCK_???")
		},
		"mlockall":   func(p *printer) { p.flags(0, xMlockallFlags, "MCL_???") },
		"munlockall": func(p *printer) {},
		"msync": func(p *printer) {
			p.ptr(0)
			p.ulen(1)
			p.flags(2, xMctlSync, "MS_???")
		},
		"mincore": func(p *printer) { p.ptr(0); p.ulen(1); p.ptr(2) },

		// descriptors
		"fcntl":   decodeFcntl,
		"fcntl64": decodeFcntl,
		"ioctl":   decodeIoctl,
		"pipe":    func(p *printer) { p.ptr(0) },
		"pipe2":   func(p *printer) { p.ptr(0); p.flags(1, openModeFlags, "O_???") },
		"lseek": func(p *printer) {
			p.fd(0)
			p.add(itoa(p.slongArg(1)))
			p.xval(2, xWhenceCodes, "SEEK_???")
		},
		"_llseek": func(p *printer) {
			p.fd(0)
			off := p.args[1]<<32 | uint64(uint32(p.args[2]))
			p.addRaw(off, itoa(int64(off)))
			p.addRaw(p.args[3], addr(p.args[3]))
			p.addRaw(p.args[4], xvalText(xWhenceCodes, uint64(uint32(p.args[4])), "SEEK_???"))
		},
		"pread64":  func(p *printer) { p.fd(0); p.ptr(1); p.udec(2); p.off64(3) },
		"pwrite64": func(p *printer) { p.fd(0); p.addStrn(p.args[1], p.args[2]); p.udec(2); p.off64(3) },
		"readv": func(p *printer) {
			p.fd(0)
			p.add(p.iov(p.args[1], p.args[2], false, 0))
			p.udec(2)
		},
		"writev": func(p *printer) {
			p.fd(0)
			p.add(p.iov(p.args[1], p.args[2], true, ^uint64(0)))
			p.udec(2)
		},
		"preadv": func(p *printer) {
			p.fd(0)
			p.add(p.iov(p.args[1], p.args[2], false, 0))
			p.udec(2)
			p.offLoHi(3)
		},
		"pwritev": func(p *printer) {
			p.fd(0)
			p.add(p.iov(p.args[1], p.args[2], true, ^uint64(0)))
			p.udec(2)
			p.offLoHi(3)
		},
		"fallocate": func(p *printer) {
			p.fd(0)
			p.flags(1, xFallocFlags, "FALLOC_FL_???")
			p.off64(2)
			p.off64(3)
		},
		"fadvise64": func(p *printer) {
			p.fd(0)
			p.off64(1)
			p.add(itoa(p.slongArg(2)))
			p.xval(3, xAdvise, "POSIX_FADV_???")
		},
		"flock":      func(p *printer) { p.fd(0); p.flags(1, xFlockcmds, "LOCK_???") },
		"getdents64": func(p *printer) { p.fd(0); p.ptr(1); p.udec(2) },
		"getdents":   func(p *printer) { p.fd(0); p.ptr(1); p.udec(2) },
		"ftruncate":  func(p *printer) { p.fd(0); p.off64(1) },
		"truncate":   func(p *printer) { p.path(0, unix.AT_FDCWD); p.off64(1) },
		"sync":       func(p *printer) {},
		"sendfile": func(p *printer) {
			p.fd(0)
			p.fd(1)
			p.add(p.object(p.args[2], 8, func(b []byte) string { return "[" + utoa(le64(b, 0)) + "]" }))
			p.udec(3)
		},
		"splice": func(p *printer) {
			p.fd(0)
			p.add(p.loffPtr(p.args[1]))
			p.fd(2)
			p.add(p.loffPtr(p.args[3]))
			p.udec(4)
			p.flags(5, xSpliceFlags, "SPLICE_F_???")
		},
		"tee": func(p *printer) {
			p.fd(0)
			p.fd(1)
			p.udec(2)
			p.flags(3, xSpliceFlags, "SPLICE_F_???")
		},
		"copy_file_range": func(p *printer) {
			p.fd(0)
			p.add(p.loffPtr(p.args[1]))
			p.fd(2)
			p.add(p.loffPtr(p.args[3]))
			p.udec(4)
			p.add(hex(uint64(uint32(p.args[5]))))
		},
		"sync_file_range": func(p *printer) {
			p.fd(0)
			p.off64(1)
			p.off64(2)
			p.flags(3, xSyncFileRangeFlags, "SYNC_FILE_RANGE_???")
		},
		"close_range": func(p *printer) {
			p.udec32(0)
			p.udec32(1)
			p.flags(2, xCloseRangeFlags, "CLOSE_RANGE_???")
		},

		// poll and friends
		"poll": func(p *printer) {
			p.add(p.pollfds(p.args[0], uint64(uint32(p.args[1]))))
			p.udec32(1)
			p.dec(2)
		},
		"ppoll": func(p *printer) {
			p.add(p.pollfds(p.args[0], uint64(uint32(p.args[1]))))
			p.udec32(1)
			p.add(p.timespec(p.args[2], false))
			p.add(p.sigset(p.args[3], p.args[4]))
			p.udec(4)
		},
		"epoll_create":  func(p *printer) { p.dec(0) },
		"epoll_create1": func(p *printer) { p.flags(0, xEpollflags, "EPOLL_???") },
		"epoll_ctl":     decodeEpollCtl,
		"epoll_wait": func(p *printer) {
			p.fd(0)
			p.ptr(1)
			p.dec(2)
			p.dec(3)
		},
		"epoll_pwait": func(p *printer) {
			p.fd(0)
			p.ptr(1)
			p.dec(2)
			p.dec(3)
			p.ptr(4) // strace prints the mask on exit
			p.udec(5)
		},
		"epoll_pwait2": func(p *printer) {
			p.fd(0)
			p.ptr(1)
			p.dec(2)
			p.add(p.timespec(p.args[3], true))
			p.add(p.sigset(p.args[4], p.args[5]))
			p.udec(5)
		},
		"select":        func(p *printer) { decodeSelect(p, false) },
		"_newselect":    func(p *printer) { decodeSelect(p, false) },
		"pselect6":      func(p *printer) { decodeSelect(p, true) },
		"eventfd":       func(p *printer) { p.udec32(0) },
		"eventfd2":      func(p *printer) { p.udec32(0); p.flags(1, xEfdFlags, "EFD_???") },
		"inotify_init":  func(p *printer) {},
		"inotify_init1": func(p *printer) { p.flags(0, xInotifyInitFlags, "IN_???") },
		"inotify_add_watch": func(p *printer) {
			p.fd(0)
			p.path(1, unix.AT_FDCWD)
			p.flags(2, xInotifyFlags, "IN_???")
		},
		"inotify_rm_watch": func(p *printer) { p.fd(0); p.dec(1) },
		"memfd_create": func(p *printer) {
			p.add(p.strLimit(p.args[0], 255)) // MFD_NAME_MAX_LEN, mm/memfd.c
			p.memfdFlags(1)
		},
		"timerfd_create": func(p *printer) {
			p.xval(0, xClocknames, "CLOCK_???")
			p.flags(1, xTimerfdflags, "TFD_???")
		},
		"timerfd_settime": func(p *printer) {
			p.fd(0)
			p.flags(1, xTimerfdflags, "TFD_???")
			p.add(p.itimerspec(p.args[2], false))
			p.ptr(3)
		},
		"timerfd_settime64": func(p *printer) {
			p.fd(0)
			p.flags(1, xTimerfdflags, "TFD_???")
			p.add(p.itimerspec(p.args[2], true))
			p.ptr(3)
		},
		"timerfd_gettime":   func(p *printer) { p.fd(0); p.ptr(1) },
		"timerfd_gettime64": func(p *printer) { p.fd(0); p.ptr(1) },
		"signalfd4": func(p *printer) {
			p.fd(0)
			p.add(p.sigset(p.args[1], p.args[2]))
			p.udec(2)
			p.flags(3, xSfdFlags, "SFD_???")
		},
		"pidfd_open": func(p *printer) { p.dec(0); p.flags(1, xPidfdOpenFlags, "PIDFD_???") },
		"pidfd_send_signal": func(p *printer) {
			p.fd(0)
			p.sig(1)
			p.add(p.siginfo(p.args[2]))
			p.add(hex(uint64(uint32(p.args[3]))))
		},

		// sockets
		"socketpair": func(p *printer) {
			p.add(xvalText(addrFams, uint64(uint32(p.args[0])), "AF_???"))
			p.add(sockType(uint32(p.args[1])))
			p.udec32(2)
			p.ptr(3)
		},
		"listen":      func(p *printer) { p.fd(0); p.dec(1) },
		"shutdown":    func(p *printer) { p.fd(0); p.xval(1, xShutdownModes, "SHUT_???") },
		"accept":      decodeSockname,
		"getsockname": decodeSockname,
		"getpeername": decodeSockname,
		"accept4": func(p *printer) {
			decodeSockname(p)
			p.flags(3, sockTypeFlags, "SOCK_???")
		},
		"recvfrom": func(p *printer) {
			p.fd(0)
			p.ptr(1)
			p.udec(2)
			p.flags(3, msgFlags, "MSG_???")
			p.ptr(4)
			if v, ok := p.r.readN(p.args[5], 4); ok && p.args[5] != 0 {
				p.add("[" + itoa(int64(int32(le32(v, 0)))) + "]")
			} else {
				p.ptr(5)
			}
		},
		"setsockopt": decodeSetsockopt,
		"getsockopt": decodeGetsockopt,
		"sendmsg": func(p *printer) {
			p.fd(0)
			p.add(p.msghdr(p.args[1], true))
			p.flags(2, msgFlags, "MSG_???")
		},
		"recvmsg": func(p *printer) {
			p.fd(0)
			p.add(p.msghdr(p.args[1], false))
			p.flags(2, msgFlags, "MSG_???")
		},
		"sendmmsg": func(p *printer) {
			p.fd(0)
			p.add(p.mmsghdrs(p.args[1], uint64(uint32(p.args[2]))))
			p.udec32(2)
			p.flags(3, msgFlags, "MSG_???")
		},
		// recvmmsg's vector is an output: strace prints it on exit,
		// and as its address when the call fails.
		"recvmmsg":        func(p *printer) { decodeRecvmmsg(p, false) },
		"recvmmsg_time64": func(p *printer) { decodeRecvmmsg(p, true) },

		// signals
		"rt_sigaction": func(p *printer) {
			p.sig(0)
			p.add(p.sigaction(p.args[1]))
			p.ptr(2)
			p.udec(3)
		},
		"rt_sigprocmask": func(p *printer) {
			p.xval(0, xSigprocmaskcmds, "SIG_???")
			p.add(p.sigset(p.args[1], p.args[3]))
			p.ptr(2)
			p.udec(3)
		},
		"rt_sigreturn": func(p *printer) {
			// strace prints the mask the signal frame restores:
			// {mask=[...]}, read from the frame on the stack, which
			// the seccomp notification does not give.
			p.add("{mask=?}")
		},
		"rt_sigpending": func(p *printer) { p.ptr(0); p.udec(1) },
		"rt_sigqueueinfo": func(p *printer) {
			p.dec(0)
			p.sig(1)
			p.add(p.siginfo(p.args[2]))
		},
		"rt_tgsigqueueinfo": func(p *printer) {
			p.dec(0)
			p.dec(1)
			p.sig(2)
			p.add(p.siginfo(p.args[3]))
		},
		// rt_sigtimedwait's info is an output, printed as its address.
		"rt_sigtimedwait":        func(p *printer) { decodeSigtimedwait(p, false) },
		"rt_sigtimedwait_time64": func(p *printer) { decodeSigtimedwait(p, true) },
		"rt_sigsuspend":          func(p *printer) { p.add(p.sigset(p.args[0], p.args[1])); p.udec(1) },
		"sigaltstack":            func(p *printer) { p.add(p.stackT(p.args[0])); p.ptr(1) },
		"pause":                  func(p *printer) {},

		// processes
		"wait4": func(p *printer) {
			p.dec(0)
			p.ptr(1)
			p.flags(2, xWait4Options, "W???")
			p.ptr(3)
		},
		"waitid": func(p *printer) {
			idtype := uint32(p.args[0])
			p.xval(0, xWaitidTypes, "P_???")
			if idtype == unix.P_PIDFD {
				p.fd(1)
			} else {
				p.dec(1)
			}
			p.ptr(2)
			p.flags(3, xWait4Options, "W???")
			p.ptr(4)
		},
		"prctl":           decodePrctl,
		"arch_prctl":      decodeArchPrctl,
		"prlimit64":       decodePrlimit,
		"getrlimit":       func(p *printer) { p.xval(0, xResources, "RLIMIT_???"); p.ptr(1) },
		"ugetrlimit":      func(p *printer) { p.xval(0, xResources, "RLIMIT_???"); p.ptr(1) },
		"setrlimit":       func(p *printer) { p.xval(0, xResources, "RLIMIT_???"); p.add(p.rlimit(p.args[1])) },
		"getrusage":       func(p *printer) { p.xval(0, xUsagewho, "RUSAGE_???"); p.ptr(1) },
		"set_tid_address": func(p *printer) { p.add(hex(p.args[0])) },
		"set_robust_list": func(p *printer) { p.ptr(0); p.udec(1) },
		"get_robust_list": func(p *printer) { p.dec(0); p.ptr(1); p.ptr(2) },
		"futex":           func(p *printer) { decodeFutex(p, false) },
		"futex_time64":    func(p *printer) { decodeFutex(p, true) },
		"vfork":           func(p *printer) {},
		"fork":            func(p *printer) {},
		"setpgid":         func(p *printer) { p.dec(0); p.dec(1) },
		"getpgid":         func(p *printer) { p.dec(0) },
		"getsid":          func(p *printer) { p.dec(0) },
		"setsid":          func(p *printer) {},
		"getpgrp":         func(p *printer) {},
		"umask":           func(p *printer) { p.mode(0) },
		"getcwd":          func(p *printer) { p.ptr(0); p.udec(1) },
		"uname":           func(p *printer) { p.ptr(0) },
		"sysinfo":         func(p *printer) { p.ptr(0) },
		"personality": func(p *printer) {
			p.add(personalityText(uint32(p.args[0])))
		},
		"sched_yield":        func(p *printer) {},
		"sched_getaffinity":  func(p *printer) { p.dec(0); p.udec32(1); p.ptr(2) },
		"sched_setaffinity":  func(p *printer) { p.dec(0); p.udec32(1); p.add(p.cpuset(p.args[2], uint64(uint32(p.args[1])))) },
		"sched_getscheduler": func(p *printer) { p.dec(0) },
		"sched_setscheduler": func(p *printer) {
			p.dec(0)
			p.xval(1, xSchedulers, "SCHED_???")
			p.add(p.intPtr(p.args[2]))
		},
		"sched_setparam":         func(p *printer) { p.dec(0); p.add(p.intPtr(p.args[1])) },
		"sched_get_priority_min": func(p *printer) { p.xval(0, xSchedulers, "SCHED_???") },
		"sched_get_priority_max": func(p *printer) { p.xval(0, xSchedulers, "SCHED_???") },
		"getcpu":                 func(p *printer) { p.ptr(0); p.ptr(1); p.ptr(2) },
		"kcmp":                   decodeKcmp,
		"ioprio_get":             func(p *printer) { p.xval(0, xIoprioWho, "IOPRIO_WHO_???"); p.dec(1) },
		"ioprio_set": func(p *printer) {
			p.xval(0, xIoprioWho, "IOPRIO_WHO_???")
			p.dec(1)
			p.add(ioprioText(uint32(p.args[2])))
		},
		"process_vm_readv":  func(p *printer) { decodeProcessVM(p, false) },
		"process_vm_writev": func(p *printer) { decodeProcessVM(p, true) },
		"sched_getparam":    func(p *printer) { p.dec(0); p.ptr(1) },
		"setpriority": func(p *printer) {
			p.xval(0, xPriorities, "PRIO_???")
			p.dec(1)
			p.dec(2)
		},
		"getpriority": func(p *printer) { p.xval(0, xPriorities, "PRIO_???"); p.dec(1) },
		"capget":      func(p *printer) { p.add(p.capHeader(p.args[0])); p.ptr(1) },
		"capset":      func(p *printer) { p.add(p.capHeader(p.args[0])); p.add(p.capData(p.args[0], p.args[1])) },
		"getrandom": func(p *printer) {
			p.ptr(0)
			p.udec(1)
			p.flags(2, xGetrandomFlags, "GRND_???")
		},
		"seccomp": func(p *printer) {
			p.xval(0, xSeccompOps, "SECCOMP_SET_MODE_???")
			p.flags(1, xSeccompFilterFlags, "SECCOMP_FILTER_FLAG_???")
			p.ptr(2)
		},
		"bpf": func(p *printer) {
			p.xval(0, xBpfCommands, "BPF_???")
			p.ptr(1)
			p.udec32(2)
		},
		"perf_event_open": func(p *printer) {
			p.ptr(0)
			p.dec(1)
			p.dec(2)
			p.fd(3)
			p.flags64(4, xPerfEventOpenFlags, "PERF_FLAG_???")
		},
		"io_uring_setup": func(p *printer) { p.udec32(0); p.ptr(1) },
		"membarrier": func(p *printer) {
			p.xval(0, xMembarrierCmds, "MEMBARRIER_CMD_???")
			p.add(hex(uint64(uint32(p.args[1]))))
		},
		"unshare": func(p *printer) { p.flags(0, xUnshareFlags, "CLONE_???") },
		"setns":   func(p *printer) { p.fd(0); p.flags(1, xSetnsTypes, "CLONE_NEW???") },

		// credentials
		"getuid":    func(p *printer) {},
		"geteuid":   func(p *printer) {},
		"getgid":    func(p *printer) {},
		"getegid":   func(p *printer) {},
		"getuid32":  func(p *printer) {},
		"geteuid32": func(p *printer) {},
		"getgid32":  func(p *printer) {},
		"getegid32": func(p *printer) {},
		"getpid":    func(p *printer) {},
		"getppid":   func(p *printer) {},
		"gettid":    func(p *printer) {},
		"setuid":    func(p *printer) { p.uid(0) },
		"setgid":    func(p *printer) { p.uid(0) },
		"setuid32":  func(p *printer) { p.uid(0) },
		"setgid32":  func(p *printer) { p.uid(0) },
		"setfsuid":  func(p *printer) { p.uid(0) },
		"setfsgid":  func(p *printer) { p.uid(0) },
		"setreuid":  func(p *printer) { p.uid(0); p.uid(1) },
		"setregid":  func(p *printer) { p.uid(0); p.uid(1) },
		"setresuid": func(p *printer) { p.uid(0); p.uid(1); p.uid(2) },
		"setresgid": func(p *printer) { p.uid(0); p.uid(1); p.uid(2) },
		"getresuid": func(p *printer) { p.ptr(0); p.ptr(1); p.ptr(2) },
		"getresgid": func(p *printer) { p.ptr(0); p.ptr(1); p.ptr(2) },
		"getgroups": func(p *printer) { p.dec(0); p.ptr(1) },
		"setgroups": func(p *printer) {
			p.dec(0)
			p.add(p.array(p.args[1], uint64(uint32(p.args[0])), 4, func(b []byte) string { return uidText(le32(b, 0)) }))
		},

		// time
		"nanosleep": func(p *printer) { p.add(p.timespec(p.args[0], false)); p.ptr(1) },
		"clock_nanosleep": func(p *printer) {
			p.xval(0, xClocknames, "CLOCK_???")
			p.flags(1, xlat{x(unix.TIMER_ABSTIME, "TIMER_ABSTIME")}, "TIMER_???")
			p.add(p.timespec(p.args[2], false))
			p.ptr(3)
		},
		"clock_nanosleep_time64": func(p *printer) {
			p.xval(0, xClocknames, "CLOCK_???")
			p.flags(1, xlat{x(unix.TIMER_ABSTIME, "TIMER_ABSTIME")}, "TIMER_???")
			p.add(p.timespec(p.args[2], true))
			p.ptr(3)
		},
		"clock_gettime":       func(p *printer) { p.xval(0, xClocknames, "CLOCK_???"); p.ptr(1) },
		"clock_getres":        func(p *printer) { p.xval(0, xClocknames, "CLOCK_???"); p.ptr(1) },
		"clock_gettime64":     func(p *printer) { p.xval(0, xClocknames, "CLOCK_???"); p.ptr(1) },
		"clock_getres_time64": func(p *printer) { p.xval(0, xClocknames, "CLOCK_???"); p.ptr(1) },
		"clock_settime":       func(p *printer) { p.xval(0, xClocknames, "CLOCK_???"); p.add(p.timespec(p.args[1], false)) },
		"gettimeofday":        func(p *printer) { p.ptr(0); p.ptr(1) },
		"time":                func(p *printer) { p.ptr(0) },
		"alarm":               func(p *printer) { p.udec32(0) },
		"getitimer":           func(p *printer) { p.xval(0, xItimerWhich, "ITIMER_???"); p.ptr(1) },
		"setitimer":           func(p *printer) { p.xval(0, xItimerWhich, "ITIMER_???"); p.add(p.itimerval(p.args[1])); p.ptr(2) },
		"utimensat":           func(p *printer) { decodeUtimensat(p, false) },
		"utimensat_time64":    func(p *printer) { decodeUtimensat(p, true) },
		"timer_delete":        func(p *printer) { p.dec(0) },
		"timer_create": func(p *printer) {
			p.xval(0, xClocknames, "CLOCK_???")
			p.add(p.sigevent(p.args[1]))
			p.ptr(2)
		},
		"timer_settime":         func(p *printer) { decodeTimerSettime(p, false) },
		"timer_settime64":       func(p *printer) { decodeTimerSettime(p, true) },
		"timer_gettime":         func(p *printer) { p.dec(0); p.ptr(1) },
		"timer_gettime64":       func(p *printer) { p.dec(0); p.ptr(1) },
		"timer_getoverrun":      func(p *printer) { p.dec(0) },
		"sched_rr_get_interval": func(p *printer) { p.dec(0); p.ptr(1) },

		// files
		"fchmodat2": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.mode(2)
			p.flags(3, atFlags, "AT_???")
		},
		"chown":    func(p *printer) { p.path(0, unix.AT_FDCWD); p.uid(1); p.uid(2) },
		"lchown":   func(p *printer) { p.path(0, unix.AT_FDCWD); p.uid(1); p.uid(2) },
		"chown32":  func(p *printer) { p.path(0, unix.AT_FDCWD); p.uid(1); p.uid(2) },
		"lchown32": func(p *printer) { p.path(0, unix.AT_FDCWD); p.uid(1); p.uid(2) },
		"fchown":   func(p *printer) { p.fd(0); p.uid(1); p.uid(2) },
		"fchown32": func(p *printer) { p.fd(0); p.uid(1); p.uid(2) },
		"fchownat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.uid(2)
			p.uid(3)
			p.flags(4, atFlags, "AT_???")
		},
		"linkat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.dirfd(2)
			p.pathAt(3, 2)
			p.flags(4, atFlags, "AT_???")
		},
		"symlinkat": func(p *printer) {
			p.pathText(0) // the link's content
			p.dirfd(1)
			p.pathAt(2, 1)
		},
		"mknod": func(p *printer) { p.path(0, unix.AT_FDCWD); p.add(modeTypeText(uint32(p.args[1]))); p.devArg(1, 2) },
		"mknodat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.add(modeTypeText(uint32(p.args[2])))
			p.devArg(2, 3)
		},
		"openat2":   decodeOpenat2,
		"getxattr":  xattrGet,
		"lgetxattr": xattrGet,
		"fgetxattr": func(p *printer) {
			p.fd(0)
			p.add(p.str(p.args[1]))
			p.ptr(2)
			p.udec(3)
		},
		"setxattr":  xattrSet,
		"lsetxattr": xattrSet,
		"fsetxattr": func(p *printer) {
			p.fd(0)
			p.add(p.str(p.args[1]))
			p.addStrn(p.args[2], p.args[3])
			p.udec(3)
			p.flags(4, xXattrflags, "XATTR_???")
		},
		"listxattr":    func(p *printer) { p.path(0, unix.AT_FDCWD); p.ptr(1); p.udec(2) },
		"llistxattr":   func(p *printer) { p.path(0, unix.AT_FDCWD); p.ptr(1); p.udec(2) },
		"flistxattr":   func(p *printer) { p.fd(0); p.ptr(1); p.udec(2) },
		"removexattr":  func(p *printer) { p.path(0, unix.AT_FDCWD); p.add(p.str(p.args[1])) },
		"lremovexattr": func(p *printer) { p.path(0, unix.AT_FDCWD); p.add(p.str(p.args[1])) },
		"fremovexattr": func(p *printer) { p.fd(0); p.add(p.str(p.args[1])) },
		"statfs":       pathPtr,
		"statfs64":     func(p *printer) { p.path(0, unix.AT_FDCWD); p.udec(1); p.ptr(2) },
		"fstatfs":      func(p *printer) { p.fd(0); p.ptr(1) },
		"fstatfs64":    func(p *printer) { p.fd(0); p.udec(1); p.ptr(2) },
		"mount":        decodeMount,
		"umount2":      func(p *printer) { p.path(0, unix.AT_FDCWD); p.flags(1, xUmountFlags, "MNT_???") },
		"pivot_root":   twoPaths,
		"acct":         onePath,
		"swapon":       func(p *printer) { p.path(0, unix.AT_FDCWD); p.flags(1, xSwapFlags, "SWAP_FLAG_???") },
		"swapoff":      onePath,
		"name_to_handle_at": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.ptr(2)
			p.ptr(3)
			p.flags(4, xNameToHandleAtFlags, "AT_???")
		},

		// System V IPC
		"shmget": func(p *printer) {
			p.ipcKey(0)
			p.udec(1)
			p.ipcFlags(2, xShmResourceFlags, "SHM_???")
		},
		"shmat": func(p *printer) { p.dec(0); p.ptr(1); p.flags(2, xShmFlags, "SHM_???") },
		"shmdt": func(p *printer) { p.ptr(0) },
		"shmctl": func(p *printer) {
			p.dec(0)
			p.ipcCmd(1, xShmctlFlags, "SHM_???")
			p.ptr(2)
		},
		"semget": func(p *printer) { p.ipcKey(0); p.dec(1); p.ipcFlags(2, xlat{}, "") },
		"msgget": func(p *printer) { p.ipcKey(0); p.ipcFlags(1, xlat{}, "") },
		"semctl": func(p *printer) {
			p.dec(0)
			p.dec(1)
			p.ipcCmd(2, xSemctlFlags, "SEM_???")
			// The semun argument prints as an address (strace decodes
			// IPC_SET's struct and prints IPC_STAT's on exit).
			p.ptr(3)
		},
		"msgctl": func(p *printer) {
			p.dec(0)
			p.ipcCmd(1, xMsgctlFlags, "MSG_???")
			p.ptr(2)
		},

		// POSIX message queues: the name prints as a path, but is not
		// one (Decoded.Path stays unset).
		"mq_open": func(p *printer) {
			p.pathText(0)
			p.begin(p.args[1])
			p.text = appendOpenFlags(p.text, uint32(p.args[1]))
			p.end()
			if p.args[1]&unix.O_CREAT != 0 {
				p.mode(2)
				p.add(p.mqAttr(p.args[3]))
			}
		},
		"mq_unlink": func(p *printer) { p.pathText(0) },
		"mq_notify": func(p *printer) { p.fd(0); p.add(p.sigevent(p.args[1])) },
	} {
		m[name] = fn
	}
}

// More argument printers.

func (p *printer) ulen(i int)   { p.udec(i) }
func (p *printer) udec32(i int) { p.add(utoa(uint64(uint32(p.args[i])))) }
func (p *printer) slongArg(i int) int64 {
	if p.abi.wordSize == 4 {
		return int64(int32(p.args[i]))
	}
	return int64(p.args[i])
}
func (p *printer) flags64(i int, t xlat, dflt string) { p.add(flagsText(t, p.args[i], dflt)) }
func (p *printer) xval(i int, t xlat, dflt string) {
	p.add(xvalText(t, uint64(uint32(p.args[i])), dflt))
}

// off64 prints a loff_t argument in decimal. On a 64-bit ABI it is one
// register. (i386 passes it in two; decode prints the low register.)
func (p *printer) off64(i int) { p.add(itoa(p.slongArg(i))) }

// offLoHi prints preadv's offset: pos_l and pos_h registers on a 32-bit
// ABI, one register on a 64-bit one.
func (p *printer) offLoHi(i int) {
	if p.abi.wordSize == 4 {
		v := p.args[i+1]<<32 | p.args[i]
		p.addRaw(v, itoa(int64(v)))
		return
	}
	p.add(itoa(int64(p.args[i])))
}

// uid is strace's printuid: -1 as -1, else unsigned.
func (p *printer) uid(i int) { p.add(uidText(p.args[i])) }

func uidText(v uint64) string {
	if uint32(v) == ^uint32(0) {
		return "-1"
	}
	return utoa(uint64(uint32(v)))
}

// loffPtr prints a loff_t pointer as [N].
func (p *printer) loffPtr(v uint64) string {
	return p.object(v, 8, func(b []byte) string { return "[" + itoa(int64(le64(b, 0))) + "]" })
}

// strLimit prints a NUL-terminated string of at most n bytes
// (printstr_ex with a size): cut at -s bytes too.
func (p *printer) strLimit(v uint64, n int) string {
	if v == 0 {
		return "NULL"
	}
	b, nul, ok := p.r.readStr(nil, v, n+1)
	if !ok {
		return addr(v)
	}
	if nul {
		b = append(b, 0)
	}
	size := min(p.limit, n, len(b))
	text, unterminated := p.quote(b, size, quoteNUL)
	if unterminated {
		text += "..."
	}
	return text
}

// decodeMmap prints mmap and mmap2 (whose offset is in 4096-byte pages on
// every arch strace and the kernel define it for), and i386's old mmap,
// which takes a pointer to its six arguments.
func decodeMmap(p *printer) {
	args := p.args
	if p.d.Name == "mmap" && p.abi.wordSize == 4 {
		ws := 4
		b, ok := p.r.readN(p.args[0], 6*ws)
		if !ok || p.args[0] == 0 {
			p.add(addr(p.args[0]))
			return
		}
		for i := range 6 {
			args[i] = le32(b, i*ws)
		}
	}
	off := args[5]
	if p.d.Name == "mmap2" {
		off *= 4096
	}
	p.addRaw(args[0], addr(args[0]))
	p.addRaw(args[1], utoa(args[1]))
	p.addRaw(args[2], flagsText(xMmapProt, args[2], "PROT_???"))
	p.addRaw(args[3], mmapFlagsText(args[3]))
	p.addRaw(args[4], p.fdText(args[4]))
	p.addRaw(args[5], hex(off))
}

// mmapFlagsText is strace's print_mmap_flags: the mapping type, the other
// flags, then the huge page size as N<<MAP_HUGE_SHIFT.
func mmapFlagsText(v uint64) string {
	s := xvalText(xMmapFlags, v&mapType, "MAP_???")
	v &^= mapType
	mask := uint64(mapHugeMask << mapHugeShift)
	huge := v & mask
	v &^= mask
	if v != 0 {
		s += "|" + flagsText(xMmapFlags, v, "")
	}
	if huge != 0 {
		s += "|" + utoa(huge>>mapHugeShift) + "<<MAP_HUGE_SHIFT"
	}
	return s
}

// memfdFlags is strace's memfd_create flags: MFD_* then the huge page size.
func (p *printer) memfdFlags(i int) {
	v := uint64(uint32(p.args[i]))
	mask := uint64(unix.MFD_HUGE_MASK << unix.MFD_HUGE_SHIFT)
	huge := v & mask
	v &^= mask
	var s string
	if v != 0 || huge == 0 {
		s = flagsText(xMemfdCreateFlags, v, "MFD_???")
	}
	if huge != 0 {
		if s != "" {
			s += "|"
		}
		s += utoa(huge>>unix.MFD_HUGE_SHIFT) + "<<MFD_HUGE_SHIFT"
	}
	p.add(s)
}

// decodeFcntl is strace's fcntl and fcntl64 on entry.
func decodeFcntl(p *printer) {
	p.fd(0)
	cmd := uint32(p.args[1])
	p.xval(1, xFcntlcmds, "F_???")
	is64 := p.d.Name == "fcntl64" || p.abi.wordSize == 8
	switch cmd {
	case unix.F_SETFD:
		p.flags(2, xFdflags, "FD_???")
	case unix.F_SETOWN:
		p.dec(2)
	case unix.F_SETPIPE_SZ, unix.F_DUPFD, unix.F_DUPFD_CLOEXEC:
		p.dec(2)
	case unix.F_SETFL:
		p.add(openFlags(uint32(p.args[2])))
	case unix.F_SETLK, unix.F_SETLKW:
		p.add(p.flock(p.args[2], p.abi.wordSize == 8, false))
	case unix.F_GETLK:
		p.add(p.flockOut(p.args[2], p.abi.wordSize == 8))
	case unix.F_OFD_SETLK, unix.F_OFD_SETLKW:
		p.add(p.flock(p.args[2], true, false))
	case unix.F_OFD_GETLK:
		p.add(p.flockOut(p.args[2], true))
	case unix.F_SETOWN_EX:
		p.add(p.object(p.args[2], 8, func(b []byte) string {
			return "{type=" + xvalText(xFOwnerTypes, le32(b, 0), "F_OWNER_???") + ", pid=" + itoa(int64(int32(le32(b, 4)))) + "}"
		}))
	case unix.F_GETOWN_EX:
		p.ptr(2)
	case unix.F_NOTIFY:
		p.flags64(2, xNotifyflags, "DN_???")
	case unix.F_SETLEASE:
		p.add(xvalText(xLockfcmds, p.args[2], "F_???"))
	case unix.F_ADD_SEALS:
		p.flags64(2, xFSeals, "F_SEAL_???")
	case unix.F_SETSIG:
		p.sig(2)
	case unix.F_GETOWN, unix.F_GETPIPE_SZ, unix.F_GETFD, unix.F_GETFL, unix.F_GETLEASE, unix.F_GET_SEALS, unix.F_GETSIG:
	default:
		if !is64 {
			// i386's fcntl64 commands (include/uapi/asm-generic/fcntl.h):
			// F_GETLK64 12, F_SETLK64 13, F_SETLKW64 14.
			switch cmd {
			case 13, 14:
				p.add(p.flock(p.args[2], true, false))
				return
			case 12:
				p.add(p.flockOut(p.args[2], true))
				return
			}
		}
		if p.d.Name == "fcntl64" {
			switch cmd {
			case 13, 14:
				p.add(p.flock(p.args[2], true, false))
				return
			case 12:
				p.add(p.flockOut(p.args[2], true))
				return
			}
		}
		p.add(hex(p.args[2]))
	}
}

// flockOut prints F_GETLK's struct, which strace decodes only on exit: its
// address (as for a failed call).
func (p *printer) flockOut(v uint64, is64 bool) string { return addr(v) }

// flock prints a struct flock (is64: struct flock64, or the 64-bit ABI's
// struct flock, which is the same).
func (p *printer) flock(v uint64, is64, getlk bool) string {
	size := 16 // i386 struct flock: short, short, long, long, int
	if is64 {
		size = 24
		if p.abi.wordSize == 4 {
			size = 24 // i386 flock64 is packed to 4: 2+2+8+8+4
		}
		if p.abi.wordSize == 8 {
			size = 32
		}
	}
	return p.object(v, size, func(b []byte) string {
		typ, whence := le16(b, 0), le16(b, 2)
		var start, ln int64
		switch {
		case is64 && p.abi.wordSize == 8:
			start, ln = int64(le64(b, 8)), int64(le64(b, 16))
		case is64:
			start, ln = int64(le64(b, 4)), int64(le64(b, 12))
		default:
			start, ln = int64(int32(le32(b, 4))), int64(int32(le32(b, 8)))
		}
		return "{l_type=" + xvalText(xLockfcmds, typ, "F_???") +
			", l_whence=" + xvalText(xWhenceCodes, whence, "SEEK_???") +
			", l_start=" + itoa(start) + ", l_len=" + itoa(ln) + "}"
	})
}

// pollfds prints poll's array of struct pollfd (int fd, short events,
// short revents).
func (p *printer) pollfds(v, n uint64) string {
	return p.array(v, n, 8, func(b []byte) string {
		fd := int32(le32(b, 0))
		s := "{fd=" + p.fdText(uint64(uint32(fd)))
		if fd >= 0 {
			s += ", events=" + flagsText(xPollflags, le16(b, 4), "POLL???")
		}
		return s + "}"
	})
}

func decodeEpollCtl(p *printer) {
	p.fd(0)
	op := uint32(p.args[1])
	p.xval(1, xEpollctls, "EPOLL_CTL_???")
	p.fd(2)
	if op == unix.EPOLL_CTL_DEL {
		p.ptr(3)
		return
	}
	// struct epoll_event is packed on x86_64 (12 bytes), and 12 bytes on
	// i386 too; other arches align data to 8 (16 bytes).
	size, off := 16, 8
	if p.abi.audit == unix.AUDIT_ARCH_X86_64 || p.abi.audit == unix.AUDIT_ARCH_I386 {
		size, off = 12, 4
	}
	p.add(p.object(p.args[3], size, func(b []byte) string {
		d := le64(b, off)
		return "{events=" + flagsText(xEpollevents, le32(b, 0), "EPOLL???") +
			", data={u32=" + utoa(d&0xffffffff) + ", u64=" + utoa(d) + "}}"
	}))
}

// decodeSelect prints select and pselect6: the fd sets as strace prints
// them on entry ([0 3] for the set fds), the timeout, and pselect6's
// sigmask struct.
func decodeSelect(p *printer, pselect bool) {
	if p.d.Name == "select" && p.abi.wordSize == 4 {
		// i386's old select takes a pointer to its five arguments.
		b, ok := p.r.readN(p.args[0], 20)
		if !ok || p.args[0] == 0 {
			p.add(addr(p.args[0]))
			return
		}
		var a [6]uint64
		for i := range 5 {
			a[i] = le32(b, 4*i)
		}
		p.args = a
	}
	nfds := int32(p.args[0])
	p.dec(0)
	for i := 1; i <= 3; i++ {
		p.add(p.fdset(p.args[i], nfds))
	}
	if pselect {
		p.add(p.timespec(p.args[4], false))
		ws := p.abi.wordSize
		p.add(p.object(p.args[5], 2*ws, func(b []byte) string {
			return "{sigmask=" + p.sigset(p.ulong(b, 0), p.ulong(b, ws)) + ", sigsetsize=" + utoa(p.ulong(b, ws)) + "}"
		}))
		return
	}
	p.add(p.object(p.args[4], 2*p.abi.wordSize, p.timevalText))
}

// fdset is strace's decode_select fd set: NULL, the address when
// unreadable, else [fd fd ...] of the nfds bits.
func (p *printer) fdset(v uint64, nfds int32) string {
	if v == 0 {
		return "NULL"
	}
	if nfds < 0 {
		return hex(v)
	}
	const fdSetSize = 1024 // __FD_SETSIZE
	n := min(int(nfds), fdSetSize)
	ws := p.abi.wordSize
	size := (n + 8*ws - 1) / (8 * ws) * ws
	if size == 0 {
		return "[]"
	}
	b, ok := p.r.readN(v, size)
	if !ok {
		return hex(v)
	}
	s := "["
	first := true
	for fd := 0; fd < n; fd++ {
		if b[fd/8]&(1<<(fd%8)) == 0 {
			continue
		}
		if !first {
			s += " "
		}
		first = false
		s += p.fdText(uint64(fd))
	}
	return s + "]"
}

// decodeSockname prints accept, getsockname and getpeername as strace
// does for a failed call: the address, and the length as [N].
func decodeSockname(p *printer) {
	p.fd(0)
	p.ptr(1)
	v := p.args[2]
	if b, ok := p.r.readN(v, 4); ok && v != 0 {
		p.add("[" + itoa(int64(int32(le32(b, 0)))) + "]")
	} else {
		p.ptr(2)
	}
}

// sockoptName prints setsockopt's and getsockopt's level and optname.
func (p *printer) sockoptLevelName(get bool) {
	level, name := uint32(p.args[1]), uint64(uint32(p.args[2]))
	p.xval(1, xSocketlayers, "SOL_??")
	var s string
	switch level {
	case unix.SOL_SOCKET:
		t := xSetsockOptions
		if get {
			t = xGetsockOptions
		}
		s = xvals(name, "SO_???", xSockOptions, t)
	case unix.SOL_IP:
		t := xSetsockIpOptions
		if get {
			t = xGetsockIpOptions
		}
		s = xvals(name, "IP_???", xSockIpOptions, t)
	case unix.SOL_IPV6:
		t := xSetsockIpv6Options
		if get {
			t = xGetsockIpv6Options
		}
		s = xvals(name, "IPV6_???", xSockIpv6Options, t)
	case unix.SOL_TCP:
		s = xvalText(xSockTcpOptions, name, "TCP_???")
	case unix.SOL_UDP:
		s = xvalText(xSockUdpOptions, name, "UDP_???")
	case unix.SOL_PACKET:
		s = xvalText(xSockPacketOptions, name, "PACKET_???")
	case unix.SOL_RAW:
		s = xvalText(xSockRawOptions, name, "RAW_???")
	case unix.SOL_NETLINK:
		s = xvalText(xSockNetlinkOptions, name, "NETLINK_???")
	default:
		s = utoa(name)
	}
	p.add(s)
}

// xvals is strace's printxvals: the first table that names v.
func xvals(v uint64, dflt string, ts ...xlat) string {
	for _, t := range ts {
		if n, ok := t.lookup(v); ok {
			return n
		}
	}
	return hex(v) + comment(dflt)
}

// intSockopts are the SOL_SOCKET options strace prints as an int.
var intSockopts = map[uint32]bool{
	unix.SO_DEBUG: true, unix.SO_REUSEADDR: true, unix.SO_DONTROUTE: true, unix.SO_BROADCAST: true,
	unix.SO_SNDBUF: true, unix.SO_RCVBUF: true, unix.SO_KEEPALIVE: true, unix.SO_OOBINLINE: true,
	unix.SO_NO_CHECK: true, unix.SO_PRIORITY: true, unix.SO_BSDCOMPAT: true, unix.SO_REUSEPORT: true,
	unix.SO_PASSCRED: true, unix.SO_RCVLOWAT: true, unix.SO_SNDLOWAT: true, unix.SO_DETACH_FILTER: true,
	unix.SO_TIMESTAMP: true, unix.SO_ACCEPTCONN: true, unix.SO_SNDBUFFORCE: true, unix.SO_RCVBUFFORCE: true,
	unix.SO_PASSSEC: true, unix.SO_TIMESTAMPNS: true, unix.SO_MARK: true, unix.SO_TIMESTAMPING: true,
	unix.SO_RXQ_OVFL: true, unix.SO_WIFI_STATUS: true, unix.SO_PEEK_OFF: true, unix.SO_NOFCS: true,
	unix.SO_LOCK_FILTER: true, unix.SO_SELECT_ERR_QUEUE: true, unix.SO_BUSY_POLL: true,
	unix.SO_INCOMING_CPU: true, unix.SO_CNX_ADVICE: true, unix.SO_INCOMING_NAPI_ID: true,
	unix.SO_ZEROCOPY: true, unix.SO_TIMESTAMP_NEW: true, unix.SO_TIMESTAMPNS_NEW: true,
	unix.SO_TIMESTAMPING_NEW: true, unix.SO_DETACH_REUSEPORT_BPF: true, unix.SO_PREFER_BUSY_POLL: true,
	unix.SO_BUSY_POLL_BUDGET: true, unix.SO_RESERVE_MEM: true, unix.SO_RCVMARK: true,
}

func decodeSetsockopt(p *printer) {
	p.fd(0)
	p.sockoptLevelName(false)
	level, name := uint32(p.args[1]), uint32(p.args[2])
	v, n := p.args[3], int32(p.args[4])
	s := ""
	done := false
	if v != 0 {
		switch {
		case level == unix.SOL_SOCKET && name == unix.SO_LINGER:
			if n < 8 {
				s = hex(v)
			} else {
				s = p.object(v, 8, func(b []byte) string {
					return "{l_onoff=" + itoa(int64(int32(le32(b, 0)))) + ", l_linger=" + itoa(int64(int32(le32(b, 4)))) + "}"
				})
			}
			done = true
		case level == unix.SOL_SOCKET && intSockopts[name], level == unix.SOL_NETLINK:
			if n < 4 {
				s = hex(v)
			} else {
				s = p.intPtr(v)
			}
			done = true
		}
	}
	if !done {
		if n == 4 {
			s = p.intPtr(v)
		} else {
			s = p.strn(v, uint64(uint32(n)))
		}
	}
	p.add(s)
	p.dec(4)
}

func decodeGetsockopt(p *printer) {
	p.fd(0)
	p.sockoptLevelName(true)
	p.ptr(3)
	v := p.args[4]
	if b, ok := p.r.readN(v, 4); ok && v != 0 {
		p.add("[" + itoa(int64(int32(le32(b, 0)))) + "]")
	} else {
		p.ptr(4)
	}
}

// msghdr prints a struct msghdr: sendmsg's fully (send), recvmsg's as
// strace prints it for a failed call ({msg_namelen=N}).
func (p *printer) msghdr(v uint64, send bool) string {
	return p.object(v, p.msghdrSize(), func(b []byte) string { return p.msghdrText(b, send) })
}

// msghdrSize is the size of a struct msghdr: name, namelen (padded), iov,
// iovlen, control, controllen, flags (padded).
func (p *printer) msghdrSize() int {
	if p.abi.wordSize == 4 {
		return 28
	}
	return 7 * 8
}

// msghdrText prints the struct msghdr in b as msghdr does.
func (p *printer) msghdrText(b []byte, send bool) string {
	ws := p.abi.wordSize
	var name, iov, iovlen, control, controllen uint64
	var namelen int32
	var flags uint64
	if ws == 8 {
		name, namelen = le64(b, 0), int32(le32(b, 8))
		iov, iovlen = le64(b, 16), le64(b, 24)
		control, controllen = le64(b, 32), le64(b, 40)
		flags = le32(b, 48)
	} else {
		name, namelen = le32(b, 0), int32(le32(b, 4))
		iov, iovlen = le32(b, 8), le32(b, 12)
		control, controllen = le32(b, 16), le32(b, 20)
		flags = le32(b, 24)
	}
	if !send {
		return "{msg_namelen=" + itoa(int64(namelen)) + "}"
	}
	s := "{msg_name=" + p.sockaddr(name, namelen) + ", msg_namelen=" + itoa(int64(namelen)) +
		", msg_iov=" + p.iov(iov, iovlen, true, ^uint64(0)) + ", msg_iovlen=" + utoa(iovlen)
	if controllen != 0 {
		s += ", msg_control=" + p.cmsgs(control, controllen)
	}
	return s + ", msg_controllen=" + utoa(controllen) + ", msg_flags=" + flagsText(msgFlags, flags, "MSG_???") + "}"
}

// cmsgs prints a msg_control buffer: each cmsghdr with SCM_RIGHTS fds
// decoded and other data in hex, as strace's decode_msg_control.
func (p *printer) cmsgs(v, n uint64) string {
	ws := p.abi.wordSize
	hdr := 2*4 + ws // cmsg_len (size_t), level, type
	if n < uint64(hdr) {
		return addr(v)
	}
	n = min(n, 20480) // net.core.optmem_max's default, as strace caps it
	b, ok := p.r.readN(v, int(n))
	if !ok {
		return addr(v)
	}
	s := "["
	for off := 0; len(b)-off >= hdr; {
		if off > 0 {
			s += ", "
		}
		ln := p.ulong(b, off)
		level, typ := le32(b, off+ws), le32(b, off+ws+4)
		s += "{cmsg_len=" + utoa(ln) + ", cmsg_level=" + xvalText(xSocketlayers, level, "SOL_???") + ", cmsg_type="
		if level == unix.SOL_SOCKET {
			switch typ {
			case unix.SCM_RIGHTS:
				s += "SCM_RIGHTS"
			case unix.SCM_CREDENTIALS:
				s += "SCM_CREDENTIALS"
			default:
				s += hex(typ)
			}
		} else {
			s += hex(typ)
		}
		dataLen := int(min(ln, uint64(len(b)-off))) - hdr
		if dataLen > 0 {
			data := b[off+hdr : off+hdr+dataLen]
			if level == unix.SOL_SOCKET && typ == unix.SCM_RIGHTS {
				s += ", cmsg_data=["
				for i := 0; i+4 <= len(data); i += 4 {
					if i > 0 {
						s += ", "
					}
					s += p.fdText(le32(data, i))
				}
				s += "]"
			} else {
				t, _ := quote(data, min(len(data), p.limit), quoteHex)
				s += ", cmsg_data=" + t
			}
		}
		s += "}"
		if ln < uint64(hdr) {
			break
		}
		step := int((ln + uint64(ws) - 1) &^ uint64(ws-1))
		if step <= 0 || off+step > len(b) {
			break
		}
		off += step
	}
	return s + "]"
}

// sigaction prints a struct sigaction as the kernel takes it (not
// glibc's): handler, flags, restorer, mask.
func (p *printer) sigaction(v uint64) string {
	ws := p.abi.wordSize
	size := 3*ws + nsigBytes
	return p.object(v, size, func(b []byte) string {
		handler, flags, restorer := p.ulong(b, 0), p.ulong(b, ws), p.ulong(b, 2*ws)
		var h string
		switch {
		case handler == 0:
			h = "SIG_DFL"
		case handler == 1:
			h = "SIG_IGN"
		case handler == ^uint64(0) || (ws == 4 && handler == 0xffffffff):
			h = "SIG_ERR"
		default:
			h = hex(handler)
		}
		s := "{sa_handler=" + h + ", sa_mask=" + sigmaskText(b[3*ws:3*ws+nsigBytes]) +
			", sa_flags=" + flagsText(sigactFlags, flags, "SA_???")
		if flags&saRestorer != 0 {
			s += ", sa_restorer=" + addr(restorer)
		}
		return s + "}"
	})
}

// saRestorer is SA_RESTORER: 0x04000000 in arch/x86/include/uapi/asm/signal.h
// and include/uapi/asm-generic/signal.h (arm64, riscv64). glibc and
// x/sys/unix do not export it, so the generated table lacks it; strace
// lists it first in sigact_flags.in.
const saRestorer = 0x04000000

var sigactFlags = append(xlat{x(saRestorer, "SA_RESTORER")}, xSigactFlags...)

// stackT prints a stack_t (sigaltstack).
func (p *printer) stackT(v uint64) string {
	ws := p.abi.wordSize
	return p.object(v, 3*ws, func(b []byte) string {
		return "{ss_sp=" + addr(p.ulong(b, 0)) + ", ss_flags=" + flagsText(xSigaltstackFlags, le32(b, ws), "SS_???") +
			", ss_size=" + utoa(p.ulong(b, 2*ws)) + "}"
	})
}

func decodeFutex(p *printer, t64 bool) {
	p.ptr(0)
	op := uint32(p.args[1])
	p.add(xvalText(xFutexops, uint64(op), "FUTEX_???"))
	val, val2, val3 := uint64(uint32(p.args[2])), uint64(uint32(p.args[3])), uint64(uint32(p.args[5]))
	bitset := func() string { return xvalText(xlat{x(0xffffffff, "FUTEX_BITSET_MATCH_ANY")}, val3, "") }
	switch op & futexCmdMask {
	case futexWait:
		p.add(utoa(val))
		p.add(p.timespec(p.args[3], t64))
	case futexLockPI, futexLockPI2:
		p.addRaw(p.args[3], p.timespec(p.args[3], t64))
	case futexWaitBitset:
		p.add(utoa(val))
		p.add(p.timespec(p.args[3], t64))
		p.addRaw(p.args[5], bitset())
	case futexWakeBitset:
		p.add(utoa(val))
		p.addRaw(p.args[5], bitset())
	case futexRequeue:
		p.add(utoa(val))
		p.add(utoa(val2))
		p.ptr(4)
	case futexCmpRequeue, futexCmpRequeuePI:
		p.add(utoa(val))
		p.add(utoa(val2))
		p.ptr(4)
		p.add(utoa(val3))
	case futexWakeOp:
		p.add(utoa(val))
		p.add(utoa(val2))
		p.ptr(4)
		s := ""
		if (val3>>28)&8 != 0 {
			s = "FUTEX_OP_OPARG_SHIFT<<28|"
		}
		opName, ok := xFutexwakeops.lookup((val3 >> 28) & 7)
		if !ok {
			opName = utoa((val3>>28)&7) + "<<28" + comment("FUTEX_OP_???")
		} else {
			opName += "<<28"
		}
		cmpName, ok := xFutexwakecmps.lookup((val3 >> 24) & 0xf)
		if !ok {
			cmpName = utoa((val3>>24)&0xf) + "<<24" + comment("FUTEX_OP_CMP_???")
		} else {
			cmpName += "<<24"
		}
		s += opName + "|" + hex((val3>>12)&0xfff) + "<<12|" + cmpName + "|" + hex(val3&0xfff)
		p.add(s)
	case futexWaitRequeuePI:
		p.add(utoa(val))
		p.add(p.timespec(p.args[3], t64))
		p.ptr(4)
	case futexFD, futexWake:
		p.add(utoa(val))
	case futexUnlockPI, futexTrylockPI:
	default:
		p.add(utoa(val))
		p.ptr(3)
		p.ptr(4)
		p.add(hex(val3))
	}
}

func decodePrctl(p *printer) {
	opt := uint32(p.args[0])
	p.xval(0, xPrctlOptions, "PR_???")
	rest := func(first int) {
		for i := first; i < 5; i++ {
			p.add(hex(p.args[i]))
		}
	}
	switch opt {
	case unix.PR_GET_KEEPCAPS, unix.PR_GET_SECCOMP, unix.PR_GET_TIMERSLACK, unix.PR_GET_TIMING,
		unix.PR_TASK_PERF_EVENTS_DISABLE, unix.PR_TASK_PERF_EVENTS_ENABLE, unix.PR_GET_DUMPABLE,
		unix.PR_GET_SECUREBITS, unix.PR_GET_FP_MODE, unix.PR_GET_NO_NEW_PRIVS, unix.PR_GET_THP_DISABLE,
		unix.PR_GET_IO_FLUSHER:
		if opt == unix.PR_GET_NO_NEW_PRIVS || opt == unix.PR_GET_THP_DISABLE || opt == unix.PR_GET_IO_FLUSHER {
			rest(1)
		}
	case unix.PR_GET_CHILD_SUBREAPER, unix.PR_GET_ENDIAN, unix.PR_GET_FPEMU, unix.PR_GET_FPEXC,
		unix.PR_GET_NAME, unix.PR_GET_PDEATHSIG, unix.PR_GET_TID_ADDRESS, unix.PR_GET_TSC, unix.PR_GET_UNALIGN:
		p.ptr(1)
	case unix.PR_SET_CHILD_SUBREAPER, unix.PR_SET_ENDIAN, unix.PR_SET_FPEMU, unix.PR_SET_FPEXC,
		unix.PR_SET_KEEPCAPS, unix.PR_SET_TIMING:
		p.udec(1)
	case unix.PR_SET_DUMPABLE:
		p.add(xvalText(xPrDumpable, p.args[1], "SUID_DUMP_???"))
	case unix.PR_CAPBSET_DROP, unix.PR_CAPBSET_READ:
		p.add(capName(p.args[1]))
	case unix.PR_CAP_AMBIENT:
		p.add(xvalText(xPrCapAmbient, p.args[1], "PR_CAP_AMBIENT_???"))
		switch p.args[1] {
		case unix.PR_CAP_AMBIENT_RAISE, unix.PR_CAP_AMBIENT_LOWER, unix.PR_CAP_AMBIENT_IS_SET:
			p.add(capName(p.args[2]))
			rest(3)
		default:
			rest(2)
		}
	case unix.PR_SET_NAME:
		p.add(p.strLimit(p.args[1], taskCommLen-1))
	case unix.PR_SET_MM:
		p.add(xvalText(xPrSetMm, uint64(uint32(p.args[1])), "PR_SET_MM_???"))
		rest(2)
	case unix.PR_SET_PDEATHSIG:
		if p.args[1] > 128 {
			p.udec(1)
		} else {
			p.sig(1)
		}
	case unix.PR_SET_PTRACER:
		if int32(p.args[1]) == -1 {
			p.add("PR_SET_PTRACER_ANY")
		} else {
			p.dec(1)
		}
	case unix.PR_SET_SECCOMP:
		p.add(xvalText(xlat{x(unix.SECCOMP_MODE_DISABLED, "SECCOMP_MODE_DISABLED"), x(unix.SECCOMP_MODE_STRICT, "SECCOMP_MODE_STRICT"), x(unix.SECCOMP_MODE_FILTER, "SECCOMP_MODE_FILTER")}, p.args[1], "SECCOMP_MODE_???"))
		switch p.args[1] {
		case unix.SECCOMP_MODE_STRICT:
		case unix.SECCOMP_MODE_FILTER:
			p.ptr(2)
		default:
			rest(2)
		}
	case unix.PR_SET_TIMERSLACK:
		p.add(itoa(p.slongArg(1)))
	case unix.PR_SET_TSC:
		p.add(xvalText(xPrTsc, uint64(uint32(p.args[1])), "PR_TSC_???"))
	case unix.PR_SET_NO_NEW_PRIVS, unix.PR_SET_THP_DISABLE, unix.PR_SET_IO_FLUSHER:
		p.udec(1)
		rest(2)
	default:
		rest(1)
	}
}

// capName prints a capability number (strace's cap.in, from
// x/sys/unix's CAP_* values, which are the same on every arch).
func capName(v uint64) string {
	if v < uint64(len(capNames)) && capNames[v] != "" {
		return capNames[v]
	}
	return hex(v) + comment("CAP_???")
}

var capNames = func() []string {
	names := make([]string, unix.CAP_LAST_CAP+1)
	for _, c := range []struct {
		v    int
		name string
	}{
		{unix.CAP_CHOWN, "CAP_CHOWN"}, {unix.CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE"},
		{unix.CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH"}, {unix.CAP_FOWNER, "CAP_FOWNER"},
		{unix.CAP_FSETID, "CAP_FSETID"}, {unix.CAP_KILL, "CAP_KILL"}, {unix.CAP_SETGID, "CAP_SETGID"},
		{unix.CAP_SETUID, "CAP_SETUID"}, {unix.CAP_SETPCAP, "CAP_SETPCAP"},
		{unix.CAP_LINUX_IMMUTABLE, "CAP_LINUX_IMMUTABLE"}, {unix.CAP_NET_BIND_SERVICE, "CAP_NET_BIND_SERVICE"},
		{unix.CAP_NET_BROADCAST, "CAP_NET_BROADCAST"}, {unix.CAP_NET_ADMIN, "CAP_NET_ADMIN"},
		{unix.CAP_NET_RAW, "CAP_NET_RAW"}, {unix.CAP_IPC_LOCK, "CAP_IPC_LOCK"},
		{unix.CAP_IPC_OWNER, "CAP_IPC_OWNER"}, {unix.CAP_SYS_MODULE, "CAP_SYS_MODULE"},
		{unix.CAP_SYS_RAWIO, "CAP_SYS_RAWIO"}, {unix.CAP_SYS_CHROOT, "CAP_SYS_CHROOT"},
		{unix.CAP_SYS_PTRACE, "CAP_SYS_PTRACE"}, {unix.CAP_SYS_PACCT, "CAP_SYS_PACCT"},
		{unix.CAP_SYS_ADMIN, "CAP_SYS_ADMIN"}, {unix.CAP_SYS_BOOT, "CAP_SYS_BOOT"},
		{unix.CAP_SYS_NICE, "CAP_SYS_NICE"}, {unix.CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE"},
		{unix.CAP_SYS_TIME, "CAP_SYS_TIME"}, {unix.CAP_SYS_TTY_CONFIG, "CAP_SYS_TTY_CONFIG"},
		{unix.CAP_MKNOD, "CAP_MKNOD"}, {unix.CAP_LEASE, "CAP_LEASE"}, {unix.CAP_AUDIT_WRITE, "CAP_AUDIT_WRITE"},
		{unix.CAP_AUDIT_CONTROL, "CAP_AUDIT_CONTROL"}, {unix.CAP_SETFCAP, "CAP_SETFCAP"},
		{unix.CAP_MAC_OVERRIDE, "CAP_MAC_OVERRIDE"}, {unix.CAP_MAC_ADMIN, "CAP_MAC_ADMIN"},
		{unix.CAP_SYSLOG, "CAP_SYSLOG"}, {unix.CAP_WAKE_ALARM, "CAP_WAKE_ALARM"},
		{unix.CAP_BLOCK_SUSPEND, "CAP_BLOCK_SUSPEND"}, {unix.CAP_AUDIT_READ, "CAP_AUDIT_READ"},
		{unix.CAP_PERFMON, "CAP_PERFMON"}, {unix.CAP_BPF, "CAP_BPF"},
		{unix.CAP_CHECKPOINT_RESTORE, "CAP_CHECKPOINT_RESTORE"},
	} {
		if c.v < len(names) {
			names[c.v] = c.name
		}
	}
	return names
}()

func decodeArchPrctl(p *printer) {
	code := uint32(p.args[0])
	p.xval(0, xArchvals, "ARCH_???")
	name, _ := xArchvals.lookup(uint64(code))
	switch name {
	case "ARCH_SET_GS", "ARCH_SET_FS", "ARCH_SET_CPUID", "ARCH_MAP_VDSO_X32", "ARCH_MAP_VDSO_32", "ARCH_MAP_VDSO_64", "ARCH_REQ_XCOMP_PERM", "ARCH_REQ_XCOMP_GUEST_PERM":
		if name == "ARCH_SET_CPUID" || name == "ARCH_REQ_XCOMP_PERM" || name == "ARCH_REQ_XCOMP_GUEST_PERM" {
			p.udec(1)
		} else {
			p.add(hex(p.args[1]))
		}
	case "ARCH_GET_CPUID":
	default:
		p.ptr(1)
	}
}

// rlimit prints a struct rlimit of two longs (RLIM_INFINITY is ~0UL).
func (p *printer) rlimit(v uint64) string {
	ws := p.abi.wordSize
	return p.object(v, 2*ws, func(b []byte) string {
		if ws == 8 {
			return "{rlim_cur=" + rlimitValue(le64(b, 0), rlim64Infinity) + ", rlim_max=" + rlimitValue(le64(b, 8), rlim64Infinity) + "}"
		}
		r := func(v uint64) string {
			s := rlimitValue(v, 0xffffffff)
			if s == "RLIM64_INFINITY" {
				return "RLIM_INFINITY"
			}
			return s
		}
		return "{rlim_cur=" + r(le32(b, 0)) + ", rlim_max=" + r(le32(b, 4)) + "}"
	})
}

func decodePrlimit(p *printer) {
	p.dec(0)
	p.xval(1, xResources, "RLIMIT_???")
	p.add(p.object(p.args[2], 16, func(b []byte) string {
		return "{rlim_cur=" + rlimitValue(le64(b, 0), rlim64Infinity) + ", rlim_max=" + rlimitValue(le64(b, 8), rlim64Infinity) + "}"
	}))
	p.ptr(3)
}

// personalityText is strace's personality: the type, then flags.
func personalityText(v uint32) string {
	if v == 0xffffffff {
		return "0xffffffff"
	}
	const perMask = 0xff // PER_MASK, include/uapi/linux/personality.h
	s := xvalText(xPersonalityTypes, uint64(v&perMask), "PER_???")
	if rest := v &^ perMask; rest != 0 {
		s += "|" + flagsText(xPersonalityFlags, uint64(rest), "")
	}
	return s
}

// cpuset prints a CPU mask of size bytes: [0 1 3].
func (p *printer) cpuset(v, size uint64) string {
	if size > 1<<20 {
		return addr(v)
	}
	return p.object(v, int(size), func(b []byte) string {
		s := "["
		first := true
		for i := 0; i < 8*len(b); i++ {
			if b[i/8]&(1<<(i%8)) != 0 {
				if !first {
					s += " "
				}
				first = false
				s += utoa(uint64(i))
			}
		}
		return s + "]"
	})
}

// capHeader prints a struct __user_cap_header_struct.
func (p *printer) capHeader(v uint64) string {
	return p.object(v, 8, func(b []byte) string {
		return "{version=" + xvalText(xCapVersion, le32(b, 0), "_LINUX_CAPABILITY_VERSION_???") + ", pid=" + itoa(int64(int32(le32(b, 4)))) + "}"
	})
}

// capData prints capset's data: one (version 1) or two (2, 3) structs of
// effective, permitted, inheritable u32s, joined as strace joins them.
func (p *printer) capData(hv, v uint64) string {
	h, ok := p.r.readN(hv, 4)
	n := 2
	if ok && le32(h, 0) == 0x19980330 { // _LINUX_CAPABILITY_VERSION_1
		n = 1
	}
	return p.object(v, 12*n, func(b []byte) string {
		field := func(i int) string {
			var m uint64
			for k := 0; k < n; k++ {
				m |= le32(b, 12*k+4*i) << (32 * k)
			}
			return capMaskText(m)
		}
		return "{effective=" + field(0) + ", permitted=" + field(1) + ", inheritable=" + field(2) + "}"
	})
}

func capMaskText(m uint64) string {
	s := "1<<"
	out := ""
	for i := 0; i < 64; i++ {
		if m&(1<<i) == 0 {
			continue
		}
		if out != "" {
			out += "|"
		}
		if i < len(capNames) && capNames[i] != "" {
			out += s + capNames[i]
		} else {
			out += hex(1 << i)
		}
	}
	if out == "" {
		return "0"
	}
	return out
}

func (p *printer) itimerval(v uint64) string {
	ws := p.abi.wordSize
	return p.object(v, 4*ws, func(b []byte) string {
		return "{it_interval=" + p.timevalText(b) + ", it_value=" + p.timevalText(b[2*ws:]) + "}"
	})
}

func decodeUtimensat(p *printer, t64 bool) {
	p.dirfd(0)
	p.pathAt(1, 0)
	n := p.timespecSize(t64)
	p.add(p.object(p.args[2], 2*n, func(b []byte) string {
		one := func(b []byte) string {
			sec, nsec := p.timespecFields(b, t64)
			switch nsec {
			case utimeNow:
				return "UTIME_NOW"
			case utimeOmit:
				return "UTIME_OMIT"
			}
			return p.timespecText(b, t64) + comment(sprinttime(sec, uint64(nsec)))
		}
		return "[" + one(b) + ", " + one(b[n:]) + "]"
	}))
	p.flags(3, atFlags, "AT_???")
}

func decodeOpenat2(p *printer) {
	p.dirfd(0)
	p.pathAt(1, 0)
	size := p.args[3]
	if size < unix.SizeofOpenHow {
		p.ptr(2)
	} else {
		p.add(p.object(p.args[2], unix.SizeofOpenHow, func(b []byte) string {
			flags, mode, resolve := le64(b, 0), le64(b, 8), le64(b, 16)
			s := "{flags=" + openFlags64(flags)
			if flags&(unix.O_CREAT|oTmpfileBit) != 0 || mode != 0 {
				s += ", mode=" + llumode(mode)
			}
			return s + ", resolve=" + flagsText(xOpenResolveFlags, resolve, "RESOLVE_???") + "}"
		}))
	}
	p.udec(3)
}

// llumode is strace's print_numeric_ll_umode_t: C's %#03llo of the whole
// value.
func llumode(v uint64) string {
	s := strconv.FormatUint(v, 8)
	if v != 0 {
		s = "0" + s
	}
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// openFlags64 is openFlags for open_how's 64-bit flags.
func openFlags64(v uint64) string {
	mode, _ := openAccessModes.lookup(v & unix.O_ACCMODE)
	if rest := v &^ unix.O_ACCMODE; rest != 0 {
		return mode + "|" + flagsText(openModeFlags, rest, "")
	}
	return mode
}

func xattrGet(p *printer) {
	p.path(0, unix.AT_FDCWD)
	p.add(p.str(p.args[1]))
	p.ptr(2)
	p.udec(3)
}

func xattrSet(p *printer) {
	p.path(0, unix.AT_FDCWD)
	p.add(p.str(p.args[1]))
	p.addStrn(p.args[2], p.args[3])
	p.udec(3)
	p.flags(4, xXattrflags, "XATTR_???")
}

// modeTypeText prints mknod's mode: the file type by name, then the
// permission bits in octal.
func modeTypeText(v uint32) string {
	s := xvalText(xModetypes, uint64(v&unix.S_IFMT), "S_IF???")
	return s + "|" + umode(uint64(v&^unix.S_IFMT)&0o7777)
}

// devArg prints mknod's dev for block and character devices.
func (p *printer) devArg(modeArg, i int) {
	switch uint32(p.args[modeArg]) & unix.S_IFMT {
	case unix.S_IFCHR, unix.S_IFBLK:
		d := p.args[i]
		if p.abi.wordSize == 4 {
			d = uint64(uint32(d))
		}
		p.add("makedev(" + hex(uint64(unix.Major(d))) + ", " + hex(uint64(unix.Minor(d))) + ")")
	}
}

func decodeMount(p *printer) {
	p.add(p.str(p.args[0]))
	p.path(1, unix.AT_FDCWD)
	p.add(p.str(p.args[2]))
	flags := p.args[3]
	const msMgcMsk, msMgcVal = 0xffff0000, 0xc0ed0000 // MS_MGC_MSK, MS_MGC_VAL: include/uapi/linux/mount.h
	s := ""
	if flags&msMgcMsk == msMgcVal {
		s = "MS_MGC_VAL"
		flags &^= msMgcMsk
		if flags != 0 {
			s += "|" + flagsText(xMountFlags, flags, "")
		}
	} else {
		s = flagsText(xMountFlags, flags, "MS_???")
	}
	p.add(s)
	p.add(p.str(p.args[4]))
}

// ipcKey prints an IPC key: IPC_PRIVATE by name, else %#x.
func (p *printer) ipcKey(i int) {
	k := uint32(p.args[i])
	if k == unix.IPC_PRIVATE {
		p.add("IPC_PRIVATE")
		return
	}
	p.add(hex(uint64(k)))
}

// ipcFlags prints shmget/semget/msgget flags: IPC_CREAT|IPC_EXCL, the
// table's own flags, then the permission bits in octal.
func (p *printer) ipcFlags(i int, t xlat, dflt string) {
	v := uint64(uint32(p.args[i]))
	ipc := xlat{x(unix.IPC_CREAT, "IPC_CREAT"), x(unix.IPC_EXCL, "IPC_EXCL")}
	s := flagsText(append(ipc, t...), v&^0o777, "")
	if s != "" {
		s += "|"
	}
	p.add(s + umode(v&0o777))
}

// ipcCmd prints a *ctl command: IPC_* or the table's, with IPC_64.
func (p *printer) ipcCmd(i int, t xlat, dflt string) {
	v := uint64(uint32(p.args[i]))
	ipc := xlat{x(unix.IPC_RMID, "IPC_RMID"), x(unix.IPC_SET, "IPC_SET"), x(unix.IPC_STAT, "IPC_STAT")}
	s := ""
	if v&0x100 != 0 { // IPC_64, include/uapi/linux/ipc.h
		s = "IPC_64|"
		v &^= 0x100
	}
	p.add(s + xvals(v, dflt, ipc, t))
}

// decodeProcessVM prints process_vm_readv and process_vm_writev. The local
// iovecs of process_vm_readv are where the call writes: strace prints
// their contents on exit, and their addresses when the call fails, as
// here; process_vm_writev's are input and print as strings.
func decodeProcessVM(p *printer, write bool) {
	p.dec(0)
	p.add(p.iov(p.args[1], p.args[2], write, ^uint64(0)))
	p.udec(2)
	p.add(p.iov(p.args[3], p.args[4], false, 0))
	p.udec(4)
	p.udec(5)
}

// decodeKcmp prints kcmp: the indexes only for the types that take them
// (fds for KCMP_FILE, an fd and a struct kcmp_epoll_slot for
// KCMP_EPOLL_TFD, hex for a type strace does not know). The fds are
// another process's and print without Options.FD's text.
func decodeKcmp(p *printer) {
	p.dec(0)
	p.dec(1)
	name, known := xKcmpTypes.lookup(uint64(uint32(p.args[2])))
	p.xval(2, xKcmpTypes, "KCMP_???")
	switch {
	case !known:
		p.add(hex(p.args[3]))
		p.add(hex(p.args[4]))
	case name == "KCMP_FILE":
		p.dec(3)
		p.dec(4)
	case name == "KCMP_EPOLL_TFD":
		p.dec(3)
		p.add(p.object(p.args[4], 12, func(b []byte) string {
			return "{efd=" + itoa(int64(int32(le32(b, 0)))) + ", tfd=" + itoa(int64(int32(le32(b, 4)))) +
				", toff=" + utoa(le32(b, 8)) + "}"
		}))
	}
}

// ioprioText is strace's sprint_ioprio: IOPRIO_PRIO_VALUE(class, data),
// the class above bit 13 (IOPRIO_CLASS_SHIFT, include/uapi/linux/ioprio.h).
func ioprioText(v uint32) string {
	const classShift = 13
	return "IOPRIO_PRIO_VALUE(" + xvalText(xIoprioClass, uint64(v>>classShift), "IOPRIO_CLASS_???") +
		", " + utoa(uint64(v&(1<<classShift-1))) + ")"
}

func decodeSigtimedwait(p *printer, t64 bool) {
	p.add(p.sigset(p.args[0], p.args[3]))
	p.ptr(1)
	p.add(p.timespec(p.args[2], t64))
	p.udec(3)
}

func decodeTimerSettime(p *printer, t64 bool) {
	p.dec(0)
	p.flags(1, xlat{x(unix.TIMER_ABSTIME, "TIMER_ABSTIME")}, "TIMER_???")
	p.add(p.itimerspec(p.args[2], t64))
	p.ptr(3) // the old value: an output
}

func decodeRecvmmsg(p *printer, t64 bool) {
	p.fd(0)
	p.ptr(1)
	p.udec32(2)
	p.flags(3, msgFlags, "MSG_???")
	p.add(p.timespec(p.args[4], t64))
}

// mmsghdrs prints sendmmsg's array of struct mmsghdr: each msghdr as
// sendmsg's, without msg_len (which the call writes).
func (p *printer) mmsghdrs(v, n uint64) string {
	size := p.msghdrSize() + 4
	size = (size + p.abi.wordSize - 1) &^ (p.abi.wordSize - 1)
	return p.array(v, n, size, func(b []byte) string { return "{msg_hdr=" + p.msghdrText(b, true) + "}" })
}

// mqAttr prints a struct mq_attr as mq_open takes it: four longs (and
// four reserved ones, read as strace reads them).
func (p *printer) mqAttr(v uint64) string {
	ws := p.abi.wordSize
	return p.object(v, 8*ws, func(b []byte) string {
		return "{mq_flags=" + hex(p.ulong(b, 0)) + ", mq_maxmsg=" + itoa(p.slong(b, ws)) +
			", mq_msgsize=" + itoa(p.slong(b, 2*ws)) + ", mq_curmsgs=" + itoa(p.slong(b, 3*ws)) + "}"
	})
}

// sigevent prints a struct sigevent (include/uapi/asm-generic/siginfo.h):
// sigev_value only when its pointer is set, as strace's print_sigevent.
func (p *printer) sigevent(v uint64) string {
	const sigevSize = 64 // SIGEV_MAX_SIZE
	ws := p.abi.wordSize
	return p.object(v, sigevSize, func(b []byte) string {
		val, signo, notify := p.ulong(b, 0), le32(b, ws), le32(b, ws+4)
		s := "{"
		if val != 0 {
			s += "sigev_value={sival_int=" + itoa(int64(int32(le32(b, 0)))) + ", sival_ptr=" + hex(val) + "}, "
		}
		name, _ := xSigevValue.lookup(notify)
		switch name {
		case "SIGEV_SIGNAL", "SIGEV_THREAD", "SIGEV_THREAD_ID":
			s += "sigev_signo=" + signalText(int32(signo))
		default:
			s += "sigev_signo=" + utoa(signo)
		}
		s += ", sigev_notify=" + xvalText(xSigevValue, notify, "SIGEV_???")
		u := ws + 8 // the union after sigev_value, signo and notify
		switch name {
		case "SIGEV_THREAD_ID":
			s += ", sigev_notify_thread_id=" + itoa(int64(int32(le32(b, u))))
		case "SIGEV_THREAD":
			s += ", sigev_notify_function=" + addr(p.ulong(b, u)) + ", sigev_notify_attributes=" + addr(p.ulong(b, u+ws))
		}
		return s + "}"
	})
}

// siginfo prints a siginfo_t (include/uapi/asm-generic/siginfo.h) as
// strace's printsiginfo: si_signo, si_code by name, then the union's
// fields that si_code and si_signo select. The kernel-sent forms strace
// decodes with fields this does not (SIGSYS, SEGV_BNDERR, SEGV_PKUERR,
// BUS_MCEERR_*, TRAP_PERF) print as the address.
func (p *printer) siginfo(v uint64) string {
	const siMaxSize = 128 // SI_MAX_SIZE
	ws := p.abi.wordSize
	return p.object(v, siMaxSize, func(b []byte) string {
		signo, errno, code := int32(le32(b, 0)), le32(b, 4), int32(le32(b, 8))
		if signo == 0 {
			return "{}"
		}
		u := 3 * 4 // the union, aligned as a pointer
		if ws == 8 {
			u = 16
		}
		codeName, ok := xSiginfoCodes.lookup(uint64(uint32(code)))
		if !ok {
			if t := siCodes[signo]; t != nil {
				codeName, ok = t.lookup(uint64(uint32(code)))
			}
		}
		if !ok {
			codeName = hex(uint64(uint32(code)))
		}
		s := "{si_signo=" + signalText(signo) + ", si_code=" + codeName
		if errno != 0 {
			e := errnoName(int(errno))
			if e == "" || int32(errno) < 0 {
				e = utoa(errno)
			}
			s += ", si_errno=" + e
		}
		pid, uid := int64(int32(le32(b, u))), uidText(le32(b, u+4))
		source := ", si_pid=" + itoa(pid) + ", si_uid=" + uid
		ptr := p.ulong(b, u+8)
		sigval := ", si_int=" + itoa(int64(int32(le32(b, u+8)))) + ", si_ptr=" + addr(ptr)
		siAddr := ", si_addr=" + addr(p.ulong(b, u))
		if code <= 0 { // SI_FROMUSER
			switch codeName {
			case "SI_USER", "SI_TKILL":
				s += source
			case "SI_TIMER":
				s += ", si_timerid=" + hex(le32(b, u)) + ", si_overrun=" + itoa(int64(int32(le32(b, u+4)))) + sigval
			case "SI_SIGIO":
				s += ", si_band=" + itoa(p.slong(b, u)) + ", si_fd=" + p.fdText(le32(b, u+ws))
			default:
				s += source
				if ptr != 0 {
					s += sigval
				}
			}
			return s + "}"
		}
		switch unix.Signal(signo) {
		case unix.SIGCHLD:
			s += source
			status := int32(le32(b, u+8))
			if codeName == "CLD_EXITED" {
				s += ", si_status=" + itoa(int64(status))
			} else {
				s += ", si_status=" + signalText(status)
			}
			s += ", si_utime=" + clockText(p.slong(b, u+8+ws)) + ", si_stime=" + clockText(p.slong(b, u+8+2*ws))
		case unix.SIGILL, unix.SIGFPE, unix.SIGTRAP, unix.SIGBUS, unix.SIGSEGV:
			switch codeName {
			case "SEGV_BNDERR", "SEGV_PKUERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO", "TRAP_PERF":
				return hex(v)
			}
			s += siAddr
		case unix.SIGIO:
			switch codeName {
			case "POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP":
				s += ", si_band=" + itoa(p.slong(b, u)) + ", si_fd=" + p.fdText(le32(b, u+ws))
			}
		case unix.SIGSYS:
			return hex(v)
		default:
			if pid != 0 || le32(b, u+4) != 0 {
				s += source
			}
			if ptr != 0 {
				s += sigval
			}
		}
		return s + "}"
	})
}

// siCodes are the si_code tables of the signals whose codes are their
// own (strace's print_si_code).
var siCodes = map[int32]xlat{
	int32(unix.SIGTRAP): xSigtrapCodes, int32(unix.SIGCHLD): xSigchldCodes, int32(unix.SIGIO): xSigpollCodes,
	int32(unix.SIGPROF): xSigprofCodes, int32(unix.SIGILL): xSigillCodes, int32(unix.SIGFPE): xSigfpeCodes,
	int32(unix.SIGSEGV): xSigsegvCodes, int32(unix.SIGBUS): xSigbusCodes, int32(unix.SIGSYS): xSigsysCodes,
}

// clockText is strace's print_clock_t: clock ticks, and the seconds they
// are in a comment (USER_HZ, what sysconf(_SC_CLK_TCK) returns, is 100
// on every arch Linux has).
func clockText(v int64) string {
	const hz = 100
	s := utoa(uint64(v))
	if v > 0 {
		s += comment(utoa(uint64(v/hz)) + "." + utoa(uint64(v%hz/10)) + utoa(uint64(v%10)) + " s")
	}
	return s
}
