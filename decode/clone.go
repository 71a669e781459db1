package decode

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// decodeClone prints clone(2) as strace does on entry, followed by the
// arguments strace prints when the call returns: parent_tid (printed by
// strace as the [tid] the kernel stored there; here as the address, since
// the call has not run yet), tls and child_tidptr as addresses. The order
// of the tls and child_tid registers depends on the ABI.
func decodeClone(p *printer) {
	const flagsArg, stackArg, ptidArg = 0, 1, 2
	ctidArg, tlsArg := 3, 4
	if p.abi.cloneTLSBeforeCTID {
		ctidArg, tlsArg = 4, 3
	}
	flags := p.args[flagsArg] &^ unix.CSIGNAL
	sig := int32(p.args[flagsArg] & unix.CSIGNAL)

	p.addRaw(p.args[stackArg], "child_stack="+addr(p.args[stackArg]))
	s := "flags="
	if flags != 0 {
		s += flagsText(cloneFlags, flags, "CLONE_???")
		if sig != 0 {
			s += "|" + signalText(sig)
		}
	} else {
		s += signalText(sig)
	}
	p.addRaw(p.args[flagsArg], s)
	if flags&(unix.CLONE_PARENT_SETTID|unix.CLONE_PIDFD) != 0 {
		p.addRaw(p.args[ptidArg], "parent_tid="+addr(p.args[ptidArg]))
	}
	if flags&unix.CLONE_SETTLS != 0 {
		p.addRaw(p.args[tlsArg], "tls="+addr(p.args[tlsArg]))
	}
	if flags&(unix.CLONE_CHILD_SETTID|unix.CLONE_CHILD_CLEARTID) != 0 {
		p.addRaw(p.args[ctidArg], "child_tidptr="+addr(p.args[ctidArg]))
	}
}

// cloneArgs mirrors struct clone_args (include/uapi/linux/sched.h): every
// field is an __aligned_u64, so field i is at byte 8*i.
type cloneArgs struct {
	flags, pidfd, childTID, parentTID, exitSignal, stack, stackSize, tls, setTID, setTIDSize, cgroup uint64
}

// offsetofCloneArgsCgroup is where clone_args.cgroup starts (its 11th u64).
const offsetofCloneArgsCgroup = 10 * 8

func parseCloneArgs(b []byte) cloneArgs {
	var f [unix.CLONE_ARGS_SIZE_VER2 / 8]uint64
	for i := range f {
		if 8*i+8 <= len(b) {
			f[i] = binary.LittleEndian.Uint64(b[8*i:])
		}
	}
	return cloneArgs{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]}
}

// decodeClone3 prints clone3(args, size) as strace does on entry: the
// fields of struct clone_args that the flags make meaningful, the non-zero
// bytes of a larger struct in hex, then size. What strace adds when the
// call returns (" => {parent_tid=[tid]}") is not printed.
func decodeClone3(p *printer) {
	v, size := p.args[0], p.args[1]
	p.add(p.cloneArgs(v, size))
	p.udec(1)
}

func (p *printer) cloneArgs(v, size uint64) string {
	fetch := min(size, unix.CLONE_ARGS_SIZE_VER2)
	if fetch < unix.CLONE_ARGS_SIZE_VER0 {
		return addr(v)
	}
	if v == 0 {
		return "NULL"
	}
	raw, ok := p.r.readN(v, int(fetch))
	if !ok {
		return addr(v)
	}
	a := parseCloneArgs(raw)
	var f []string
	f = append(f, "flags="+flagsText(cloneAllFlags, a.flags, "CLONE_???"))
	if a.flags&unix.CLONE_PIDFD != 0 {
		f = append(f, "pidfd="+addr(a.pidfd))
	}
	if a.flags&(unix.CLONE_CHILD_SETTID|unix.CLONE_CHILD_CLEARTID) != 0 {
		f = append(f, "child_tid="+addr(a.childTID))
	}
	if a.flags&unix.CLONE_PARENT_SETTID != 0 {
		f = append(f, "parent_tid="+addr(a.parentTID))
	}
	if a.exitSignal < math.MaxInt32 {
		f = append(f, "exit_signal="+signalText(int32(a.exitSignal)))
	} else {
		f = append(f, "exit_signal="+strconv.FormatUint(a.exitSignal, 10))
	}
	f = append(f, "stack="+addr(a.stack), "stack_size="+hex(a.stackSize))
	if a.flags&unix.CLONE_SETTLS != 0 {
		f = append(f, "tls="+addr(a.tls))
	}
	if a.setTID != 0 || a.setTIDSize != 0 {
		const maxSetTIDSize = 32 // MAX_PID_NS_LEVEL, include/linux/pid_namespace.h
		if a.setTID == 0 || a.setTIDSize == 0 || a.setTIDSize > maxSetTIDSize {
			f = append(f, "set_tid="+addr(a.setTID))
		} else {
			f = append(f, "set_tid="+p.intArray(a.setTID, int(a.setTIDSize)))
		}
		f = append(f, "set_tid_size="+strconv.FormatUint(a.setTIDSize, 10))
	}
	if fetch > offsetofCloneArgsCgroup && (a.cgroup != 0 || a.flags&unix.CLONE_INTO_CGROUP != 0) {
		f = append(f, "cgroup="+strconv.FormatUint(a.cgroup, 10))
	}
	if size > fetch {
		if tail := p.nonzeroBytes(v, int(fetch), int(min(size, pageSize))); tail != "" {
			f = append(f, tail)
		}
	}
	return "{" + strings.Join(f, ", ") + "}"
}

// intArray is strace's print_array of n ints at v: "[1, -1]", at most -s
// elements, "... /* 0x... */" where the memory ends.
func (p *printer) intArray(v uint64, n int) string {
	if v+uint64(4*n) <= v {
		return addr(v)
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		cur := v + uint64(4*i)
		if i > 0 {
			b.WriteString(", ")
		}
		e, ok := p.r.readN(cur, 4)
		if !ok {
			if i == 0 {
				return addr(v)
			}
			b.WriteString("..." + comment(hex(cur)))
			break
		}
		if i == 0 {
			b.WriteByte('[')
		}
		if i >= p.limit {
			b.WriteString("...")
			break
		}
		b.WriteString(strconv.Itoa(int(int32(binary.LittleEndian.Uint32(e)))))
	}
	b.WriteByte(']')
	return b.String()
}

// nonzeroBytes is strace's print_nonzero_bytes: the bytes [from, to) of
// the struct at v, in hex, when any is not zero; "???" when they cannot be
// read; "" when all are zero.
func (p *printer) nonzeroBytes(v uint64, from, to int) string {
	if from >= to {
		return ""
	}
	b, ok := p.r.readN(v+uint64(from), to-from)
	if !ok {
		return "???"
	}
	zero := true
	for _, c := range b {
		if c != 0 {
			zero = false
			break
		}
	}
	if zero {
		return ""
	}
	size := min(len(b), p.limit)
	text, _ := quote(b, size, quoteHex)
	s := "/* bytes " + strconv.Itoa(from) + ".." + strconv.Itoa(to-1) + " */ " + text
	if size < len(b) {
		s += "..."
	}
	return s
}
