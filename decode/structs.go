package decode

import (
	"encoding/binary"
	"strconv"
	"strings"
	"time"
)

// Helpers for the structures decoders read from tracee memory. All
// structures are little-endian (every supported ABI is); "long" fields
// are the ABI's word size.

func le16(b []byte, off int) uint64 { return uint64(binary.LittleEndian.Uint16(b[off:])) }
func le32(b []byte, off int) uint64 { return uint64(binary.LittleEndian.Uint32(b[off:])) }
func le64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }

// ulong reads a long-sized unsigned field.
func (p *printer) ulong(b []byte, off int) uint64 {
	if p.abi.wordSize == 4 {
		return le32(b, off)
	}
	return le64(b, off)
}

// slong reads a long-sized signed field.
func (p *printer) slong(b []byte, off int) int64 {
	if p.abi.wordSize == 4 {
		return int64(int32(le32(b, off)))
	}
	return int64(le64(b, off))
}

func itoa(v int64) string  { return strconv.FormatInt(v, 10) }
func utoa(v uint64) string { return strconv.FormatUint(v, 10) }

// object is strace's umove_or_printaddr followed by a printer: NULL for 0,
// the address when the size bytes at v cannot be read, else f's text.
func (p *printer) object(v uint64, size int, f func(b []byte) string) string {
	if v == 0 {
		return "NULL"
	}
	b, ok := p.r.readN(v, size)
	if !ok {
		return hex(v)
	}
	return f(b)
}

// array is strace's print_array: n elements of size bytes at v, at most
// -s of them printed ("..." after), "... /* 0x... */" where memory ends,
// the address when the first cannot be read or the range wraps.
func (p *printer) array(v, n uint64, size int, f func(b []byte) string) string {
	if v == 0 {
		return "NULL"
	}
	if n == 0 {
		return "[]"
	}
	total := n * uint64(size)
	if total/uint64(size) != n || v+total <= v {
		return hex(v)
	}
	var s strings.Builder
	for i := uint64(0); i < n; i++ {
		cur := v + i*uint64(size)
		if i > 0 {
			s.WriteString(", ")
		}
		b, ok := p.r.readN(cur, size)
		if !ok {
			if i == 0 {
				return hex(cur)
			}
			s.WriteString("..." + comment(hex(cur)))
			break
		}
		if i == 0 {
			s.WriteByte('[')
		}
		if i >= uint64(p.limit) {
			s.WriteString("...")
			break
		}
		s.WriteString(f(b))
	}
	s.WriteByte(']')
	return s.String()
}

// intPtr is strace's printnum_int: "[N]" for the int at v.
func (p *printer) intPtr(v uint64) string {
	return p.object(v, 4, func(b []byte) string { return "[" + itoa(int64(int32(le32(b, 0)))) + "]" })
}

// timespecSize is the size of the struct timespec a call takes: two longs
// (the ABI's native one), or two 64-bit fields for the *_time64 calls.
func (p *printer) timespecSize(t64 bool) int {
	if t64 {
		return 16
	}
	return 2 * p.abi.wordSize
}

// timespecFields reads a timespec as (tv_sec, tv_nsec).
func (p *printer) timespecFields(b []byte, t64 bool) (int64, int64) {
	if t64 || p.abi.wordSize == 8 {
		return int64(le64(b, 0)), int64(le64(b, 8))
	}
	return int64(int32(le32(b, 0))), int64(int32(le32(b, 4)))
}

// timespecText is strace's print_timespec_t: tv_nsec as unsigned, zero
// extended from the field's size.
func (p *printer) timespecText(b []byte, t64 bool) string {
	sec, nsec := p.timespecFields(b, t64)
	var un uint64
	if t64 || p.abi.wordSize == 8 {
		un = uint64(nsec)
	} else {
		un = uint64(uint32(nsec))
	}
	return "{tv_sec=" + itoa(sec) + ", tv_nsec=" + utoa(un) + "}"
}

// timespec prints a struct timespec argument.
func (p *printer) timespec(v uint64, t64 bool) string {
	return p.object(v, p.timespecSize(t64), func(b []byte) string { return p.timespecText(b, t64) })
}

// itimerspec prints a struct itimerspec.
func (p *printer) itimerspec(v uint64, t64 bool) string {
	n := p.timespecSize(t64)
	return p.object(v, 2*n, func(b []byte) string {
		return "{it_interval=" + p.timespecText(b, t64) + ", it_value=" + p.timespecText(b[n:], t64) + "}"
	})
}

// timevalText prints a struct timeval (two longs).
func (p *printer) timevalText(b []byte) string {
	ws := p.abi.wordSize
	sec, usec := p.slong(b, 0), p.ulong(b, ws)
	return "{tv_sec=" + itoa(sec) + ", tv_usec=" + utoa(usec) + "}"
}

// sprinttime is strace's sprinttime_ex with nanoseconds: local time,
// "" for the epoch or a bad nsec.
func sprinttime(sec int64, nsec uint64) string {
	if (sec == 0 && nsec == 0) || nsec > 999999999 {
		return ""
	}
	t := time.Unix(sec, 0)
	s := t.Format("2006-01-02T15:04:05")
	if nsec > 0 {
		n := strconv.FormatUint(nsec, 10)
		s += "." + strings.Repeat("0", 9-len(n)) + n
	}
	return s + t.Format("-0700")
}

// nsigBytes is NSIG_BYTES: the kernel's sigset_t (_NSIG = 64 bits).
const nsigBytes = 8

// sigmaskText is strace's sprintsigmask_n: the signals set in mask, by
// name without SIG, or "~[...]" for those not set when two thirds or more
// are.
func sigmaskText(mask []byte) string {
	size := (min(len(mask), nsigBytes) + 3) / 4
	words := make([]uint32, size)
	for i := range words {
		var w [4]byte
		copy(w[:], mask[4*i:min(len(mask), 4*i+4)])
		words[i] = binary.LittleEndian.Uint32(w[:])
	}
	pop := 0
	for _, w := range words {
		for ; w != 0; w &= w - 1 {
			pop++
		}
	}
	var s strings.Builder
	if pop >= size*32*2/3 {
		for i := range words {
			words[i] = ^words[i]
		}
		s.WriteByte('~')
	}
	sep := byte('[')
	for i := 0; i < size*32; i++ {
		if words[i/32]&(1<<(i%32)) == 0 {
			continue
		}
		s.WriteByte(sep)
		s.WriteString(strings.TrimPrefix(signalText(int32(i+1)), "SIG"))
		sep = ' '
	}
	if sep == '[' {
		s.WriteByte('[')
	}
	s.WriteByte(']')
	return s.String()
}

// sigset is strace's print_sigset_addr_len: len bytes of a sigset at v,
// the address for a len below the word size or above NSIG_BYTES.
func (p *printer) sigset(v, n uint64) string {
	if n < uint64(p.abi.wordSize) || n > nsigBytes {
		return addr(v)
	}
	return p.object(v, int(n), sigmaskText)
}

// iov prints a struct iovec array of n elements at v; with data, the
// iov_base contents as strings (at most dataSize bytes in all, -1 for no
// bound), else their addresses.
func (p *printer) iov(v, n uint64, data bool, dataSize uint64) string {
	ws := p.abi.wordSize
	return p.array(v, n, 2*ws, func(b []byte) string {
		base, l := p.ulong(b, 0), p.ulong(b, ws)
		var bs string
		if data {
			m := min(l, dataSize)
			if dataSize != ^uint64(0) {
				dataSize -= m
			}
			bs = p.strn(base, m)
		} else {
			bs = addr(base)
		}
		return "{iov_base=" + bs + ", iov_len=" + utoa(l) + "}"
	})
}

// rlimitValue is strace's sprint_rlim: RLIM_INFINITY by name, else the
// number divided by 1024 with "*1024" when it divides.
func rlimitValue(v uint64, infinity uint64) string {
	if v == infinity {
		return "RLIM64_INFINITY"
	}
	if v > 1024 && v%1024 == 0 {
		return utoa(v/1024) + "*1024"
	}
	return utoa(v)
}
