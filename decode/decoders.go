package decode

import (
	"sync"
	"syscall"
	"unsafe"

	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// defaultStringLimit is strace's default -s; maxStringLimit caps it (strace
// caps -s at UINT_MAX/4 so that its quoting buffer size cannot overflow).
const (
	defaultStringLimit = 32
	maxStringLimit     = 1 << 30
)

// Decode decodes one syscall entry into the text strace 6.1 prints for it
// before " = ", plus the path and socket address scenario rules match on.
//
// Calls with a decoder (the file, exec, socket, fd, memory, poll, futex,
// signal, process, time, IPC and clone calls listed in decoders, about 300
// names) print as strace prints them on entry; structures the
// kernel fills in (stat buffers, read buffers) print as addresses, and of
// what strace prints only when the call returns, the values the kernel
// writes (clone's parent_tid) print as addresses too. Every other call
// prints its name and its arguments in hex, as strace prints a call it does
// not decode (printargs: 0 as "0", others as "0x..."), with the number of
// arguments strace's table gives for the name, or 6 for an unknown number.
//
// opt.StringLimit is strace's -s (0: 32; negative: 0). It cuts strings and
// execve's argv (and clone3's set_tid) after that many elements; paths are
// cut at PATH_MAX-1 bytes instead, as strace does.
//
// Decode never fails and never panics: memory that cannot be read prints as
// its address (NULL for 0), and a panic in a decoder or in mem is recovered
// into the raw form. mem may be nil (nothing is readable). Decode only
// calls mem.ReadAt, from the calling goroutine; it is safe for concurrent
// use as far as mem is. The Decoded it returns is the caller's to keep;
// Decoder.Decode decodes without allocating, into buffers it reuses.
func Decode(c Call, mem Memory, opt Options) Decoded {
	return new(Decoder).Decode(c, mem, opt)
}

// Decoder decodes calls one after another into buffers it reuses, so that
// the calls a trace is mostly made of (openat, read, close and the other
// fd, path and flag calls) decode without allocating. The strings and the
// Args slice of the Decoded it returns share those buffers: they hold
// until the Decoder's next Decode, and Decoded.Clone copies them for
// longer. The zero Decoder is ready to use. A Decoder is not safe for
// concurrent use: give each goroutine its own.
type Decoder struct {
	p printer
}

// Decode is the package's Decode, without allocating for most calls; the
// result holds until dc's next Decode.
func (dc *Decoder) Decode(c Call, mem Memory, opt Options) (d Decoded) {
	defer func() {
		if recover() != nil {
			d = decodeRaw(c)
		}
	}()
	return dc.p.decode(c, mem, opt)
}

// Clone returns d with its own copies of the strings and slices a
// Decoder's buffers hold.
func (d Decoded) Clone() Decoded {
	d.Text = strings.Clone(d.Text)
	d.Path = strings.Clone(d.Path)
	d.Path2 = strings.Clone(d.Path2)
	if d.Args != nil {
		args := make([]Arg, len(d.Args))
		for i, a := range d.Args {
			args[i] = Arg{Raw: a.Raw, Text: strings.Clone(a.Text)}
		}
		d.Args = args
	}
	if d.Sockaddr != nil {
		sa := *d.Sockaddr
		sa.Path = strings.Clone(sa.Path)
		d.Sockaddr = &sa
	}
	return d
}

// decode is Decode without the recover, for the fuzz target.
func decode(c Call, mem Memory, opt Options) Decoded {
	var p printer
	return p.decode(c, mem, opt)
}

// decodeRaw prints every argument in hex, touching no memory.
func decodeRaw(c Call) Decoded {
	var p printer
	p.reset(c, nil, Options{})
	p.raw()
	return p.result()
}

func (p *printer) decode(c Call, mem Memory, opt Options) Decoded {
	p.reset(c, mem, opt)
	defer p.r.release()
	if fn := decoders()[p.d.Name]; fn != nil && p.abi != nil {
		fn(p)
	} else {
		p.raw()
	}
	return p.result()
}

// reset readies p for decoding c, keeping its buffers.
func (p *printer) reset(c Call, mem Memory, opt Options) {
	p.r.mem = mem
	p.abi = lookupABI(c.Arch)
	p.limit = opt.StringLimit
	p.hexStyle = 0
	p.fdFn = opt.FD
	p.args = c.Args
	p.d = Decoded{Name: Name(c.Arch, c.Nr), PathDirFD: unix.AT_FDCWD}
	p.marks = p.marks[:0]
	p.text = append(append(p.text[:0], p.d.Name...), '(')
	switch {
	case p.limit == 0:
		p.limit = defaultStringLimit
	case p.limit < 0:
		p.limit = 0 // strace -s 0: every non-empty string is cut to ""...
	case p.limit > maxStringLimit:
		p.limit = maxStringLimit
	}
	switch opt.Hex {
	case 1:
		p.hexStyle = quoteHexNonASCII
	case 2:
		p.hexStyle = quoteHex
	case 3:
		p.hexStyle = quoteHexChars
	}
	if p.abi != nil && p.abi.wordSize == 4 {
		// The kernel passes a 32-bit ABI's registers zero-extended; strace
		// reads them the same way.
		for i := range p.args {
			p.args[i] = uint64(uint32(p.args[i]))
		}
	}
}

// result closes the call's text and returns what was decoded, its strings
// and Args sharing p's buffers.
func (p *printer) result() Decoded {
	p.text = append(p.text, ')')
	text := unsafe.String(unsafe.SliceData(p.text), len(p.text))
	p.d.Text = text
	if p.out == nil {
		p.out = make([]Arg, 0, 6) // never nil: a call without arguments has []
	}
	p.out = p.out[:0]
	for _, m := range p.marks {
		p.out = append(p.out, Arg{Raw: m.raw, Text: text[m.start:m.end]})
	}
	p.d.Args = p.out
	return p.d
}

// printer accumulates one call's printed arguments. Its buffers (text,
// marks, out, pathBuf, scratch and the reader's page list) are kept from one
// call to the next.
type printer struct {
	r        reader
	abi      *abi
	limit    int        // strace's -s, > 0
	hexStyle quoteStyle // Options.Hex as quote style bits
	fdFn     func(int32) (string, bool)
	args     [6]uint64 // argument registers, zero-extended from 32 bits on a 32-bit ABI
	d        Decoded

	text     []byte // "name(" and the arguments printed so far, ", " between them
	marks    []mark // where each argument's text lies in text
	out      []Arg  // the Args result builds
	pathBuf  []byte // the bytes of d.Path
	path2Buf []byte // the bytes of d.Path2
	scratch  []byte // bytes read for the argument being printed
}

// mark is one printed argument: its register and where its text lies in
// printer.text.
type mark struct {
	raw        uint64
	start, end int
}

// begin starts the text of an argument whose register is raw; the caller
// appends it to p.text and calls end.
func (p *printer) begin(raw uint64) {
	if len(p.marks) > 0 {
		p.text = append(p.text, ", "...)
	}
	p.marks = append(p.marks, mark{raw: raw, start: len(p.text)})
}

// end ends the argument begin started.
func (p *printer) end() { p.marks[len(p.marks)-1].end = len(p.text) }

// next is the register of the next argument position.
func (p *printer) next() uint64 {
	if n := len(p.marks); n < len(p.args) {
		return p.args[n]
	}
	return 0
}

// add appends the text of the next argument; its Raw is the register of
// the same position.
func (p *printer) add(s string) { p.addRaw(p.next(), s) }

// addRaw appends an argument whose register is not the next one.
func (p *printer) addRaw(raw uint64, s string) {
	p.begin(raw)
	p.text = append(p.text, s...)
	p.end()
}

// quote is quote with the -x style of the call's Options.
func (p *printer) quote(buf []byte, size int, style quoteStyle) (string, bool) {
	return quote(buf, size, style|p.hexStyle)
}

// raw prints the arguments as strace's printargs.
func (p *printer) raw() {
	n := nargsFor(p.abi, p.d.Name)
	for i := 0; i < n && i < len(p.args); i++ {
		p.begin(p.args[i])
		p.text = appendHex(p.text, p.args[i])
		p.end()
	}
}

// addr is strace's printaddr: NULL for 0, else %#llx.
func addr(v uint64) string {
	if v == 0 {
		return "NULL"
	}
	return hex(v)
}

// appendAddr is addr appending to dst.
func appendAddr(dst []byte, v uint64) []byte {
	if v == 0 {
		return append(dst, "NULL"...)
	}
	return appendHex(dst, v)
}

// The argument printers. Integer conversions follow the C types strace
// decodes each argument as (int for fds, pids and signals, unsigned int for
// flags, unsigned short for modes). The common ones append to p.text
// directly.

func (p *printer) fd(i int) {
	p.begin(p.args[i])
	p.text = p.appendFD(p.text, p.args[i])
	p.end()
}

func (p *printer) dec(i int) {
	p.begin(p.args[i])
	p.text = strconv.AppendInt(p.text, int64(int32(p.args[i])), 10)
	p.end()
}

func (p *printer) udec(i int) {
	p.begin(p.args[i])
	p.text = strconv.AppendUint(p.text, p.args[i], 10)
	p.end()
}

func (p *printer) ptr(i int) {
	p.begin(p.args[i])
	p.text = appendAddr(p.text, p.args[i])
	p.end()
}

func (p *printer) mode(i int) {
	p.begin(p.args[i])
	p.text = appendUmode(p.text, p.args[i])
	p.end()
}

func (p *printer) sig(i int) { p.add(signalText(int32(p.args[i]))) }

func (p *printer) flags(i int, t xlat, dflt string) {
	p.begin(p.args[i])
	p.text = appendFlags(p.text, t, uint64(uint32(p.args[i])), dflt)
	p.end()
}

// dirfd prints a directory fd argument: AT_FDCWD by name.
func (p *printer) dirfd(i int) {
	p.begin(p.args[i])
	p.text = p.appendDirfd(p.text, p.args[i])
	p.end()
}

// appendDirfd appends a directory fd as strace prints it: AT_FDCWD by
// name, with its <text> under Options.FD; other fds as appendFD.
func (p *printer) appendDirfd(dst []byte, v uint64) []byte {
	if int32(v) == unix.AT_FDCWD {
		dst = append(dst, "AT_FDCWD"...)
		if p.fdFn != nil {
			if t, ok := p.fdFn(unix.AT_FDCWD); ok {
				dst = appendFDText(dst, t)
			}
		}
		return dst
	}
	return p.appendFD(dst, v)
}

// fdText is strace's printfd: the int, and with Options.FD its <text>.
func (p *printer) fdText(v uint64) string { return string(p.appendFD(nil, v)) }

// appendFD is fdText appending to dst.
func (p *printer) appendFD(dst []byte, v uint64) []byte {
	fd := int32(v)
	dst = strconv.AppendInt(dst, int64(fd), 10)
	if p.fdFn != nil && fd >= 0 {
		if t, ok := p.fdFn(fd); ok {
			dst = appendFDText(dst, t)
		}
	}
	return dst
}

// deletedMark is what the kernel appends to the link of an unlinked file
// (d_path), and strace prints after the angle brackets.
const deletedMark = " (deleted)"

// appendFDText appends Options.FD's text in angle brackets: `<TEXT>`, or
// `<PATH>(deleted)`.
func appendFDText(dst []byte, t string) []byte {
	if path, ok := strings.CutSuffix(t, deletedMark); ok {
		return append(append(append(dst, '<'), path...), ">(deleted)"...)
	}
	return append(append(append(dst, '<'), t...), '>')
}

// umode is strace's print_numeric_umode_t: the low 16 bits in octal, C's
// %#03o ("000", "0644", "021505").
func umode(v uint64) string { return string(appendUmode(nil, v)) }

// appendUmode is umode appending to dst.
func appendUmode(dst []byte, v uint64) []byte {
	m := uint64(uint16(v))
	var digits [8]byte
	d := strconv.AppendUint(digits[:0], m, 8)
	for n := len(d) + btoi(m != 0); n < 3; n++ {
		dst = append(dst, '0')
	}
	if m != 0 {
		dst = append(dst, '0')
	}
	return append(dst, d...)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// path prints argument i as a pathname (strace's printpath: up to
// PATH_MAX-1 bytes whatever -s says, `"..."...` when longer) and records it
// as the call's Path when it is the first one, relative to dirfd (an
// AT_FDCWD-relative path passes unix.AT_FDCWD).
func (p *printer) path(i int, dirfd int) { p.pathArg(i, dirfd, true) }

// pathText prints argument i as path does, without recording it as the
// call's Path: for names that print as paths but are not file names
// (mq_open's queue name).
func (p *printer) pathText(i int) { p.pathArg(i, unix.AT_FDCWD, false) }

func (p *printer) pathArg(i int, dirfd int, record bool) {
	v := p.args[i]
	p.begin(v)
	defer p.end()
	if v == 0 {
		p.text = append(p.text, "NULL"...)
		return
	}
	b, nul, ok := p.r.readStr(p.scratch, v, pathMax)
	p.scratch = b[:0]
	if !ok {
		p.text = appendAddr(p.text, v)
		return
	}
	if nul {
		p.text, _ = appendQuote(p.text, b, len(b), quoteNUL|p.hexStyle)
	} else {
		p.text, _ = appendQuote(p.text, b, pathMax-1, quoteNUL|p.hexStyle) // b[pathMax-1] is not NUL
		p.text = append(p.text, "..."...)
	}
	switch {
	case !record || !nul:
	case !p.d.HasPath:
		p.pathBuf = append(p.pathBuf[:0], b...)
		p.d.Path = unsafe.String(unsafe.SliceData(p.pathBuf), len(p.pathBuf))
		p.d.HasPath, p.d.PathDirFD = true, dirfd
	case !p.d.HasPath2:
		p.path2Buf = append(p.path2Buf[:0], b...)
		p.d.Path2 = unsafe.String(unsafe.SliceData(p.path2Buf), len(p.path2Buf))
		p.d.HasPath2, p.d.Path2DirFD = true, dirfd
	}
}

// pathAt prints argument i as a path relative to the dirfd in argument fdArg.
func (p *printer) pathAt(i, fdArg int) { p.path(i, int(int32(p.args[fdArg]))) }

// str is strace's printstr: a NUL-terminated string cut at -s bytes, with
// "..." after the closing quote when it was cut.
func (p *printer) str(v uint64) string {
	if v == 0 {
		return "NULL"
	}
	b, nul, ok := p.r.readStr(nil, v, p.limit+1)
	if !ok {
		return addr(v)
	}
	if nul {
		b = append(b, 0)
	}
	text, unterminated := p.quote(b, min(p.limit, len(b)), quoteNUL)
	if unterminated {
		text += "..."
	}
	return text
}

// strn is strace's printstrn: n bytes at v, NULs included, cut at -s bytes
// with "..." after the closing quote when n is larger. Unreadable bytes
// within the printed part print the address instead.
func (p *printer) strn(v, n uint64) string { return string(p.appendStrn(nil, v, n)) }

// addStrn appends strn's text as the next argument, without a string of
// its own.
func (p *printer) addStrn(v, n uint64) {
	p.begin(p.next())
	p.text = p.appendStrn(p.text, v, n)
	p.end()
}

// appendStrn is strn appending to dst.
func (p *printer) appendStrn(dst []byte, v, n uint64) []byte {
	if v == 0 {
		return append(dst, "NULL"...)
	}
	size := uint64(p.limit) + 1
	if size > n {
		size = n
	}
	b, ok := p.r.readNTo(p.scratch, v, int(size))
	if !ok {
		return appendAddr(dst, v)
	}
	p.scratch = b[:0]
	dst, _ = appendQuote(dst, b, min(len(b), p.limit), p.hexStyle)
	if n > uint64(p.limit) {
		dst = append(dst, "..."...)
	}
	return dst
}

// SignalName is strace's name for signal sig: SIGHUP .. SIGSYS for 1..31
// (golang.org/x/sys/unix), SIGRTMIN for 32 and SIGRT_n for 32+n up to the
// kernel's SIGRTMAX, 64 (the kernel's real-time range, not glibc's, which
// starts at 34), the decimal number otherwise. strace prints these in
// "--- SIGRT_8 {si_signo=SIGRT_8, ...} ---" and "+++ killed by SIGRT_8 +++".
func SignalName(sig syscall.Signal) string { return signalText(int32(sig)) }

// signalText is SignalName for a raw argument: strace's printsignal.
func signalText(sig int32) string {
	switch {
	case sig <= 0:
	case sig < kernelSIGRTMIN:
		if name := unix.SignalName(unix.Signal(sig)); name != "" {
			return name
		}
	case sig == kernelSIGRTMIN:
		return "SIGRTMIN"
	case sig <= kernelSIGRTMAX:
		return "SIGRT_" + strconv.Itoa(int(sig-kernelSIGRTMIN))
	}
	return strconv.Itoa(int(sig))
}

// openFlags is strace's tprint_open_modes: the access mode by name, then
// the other flags.
func openFlags(v uint32) string { return string(appendOpenFlags(nil, v)) }

// appendOpenFlags is openFlags appending to dst.
func appendOpenFlags(dst []byte, v uint32) []byte {
	mode, _ := openAccessModes.lookup(uint64(v & unix.O_ACCMODE))
	dst = append(dst, mode...)
	if rest := v &^ unix.O_ACCMODE; rest != 0 {
		dst = appendFlags(append(dst, '|'), openModeFlags, uint64(rest), "")
	}
	return dst
}

// openArgs prints open's flags (argument i) and, when they create a file,
// the mode after them.
func (p *printer) openArgs(i int) {
	p.begin(p.args[i])
	p.text = appendOpenFlags(p.text, uint32(p.args[i]))
	p.end()
	if p.args[i]&(unix.O_CREAT|oTmpfileBit) != 0 {
		p.mode(i + 1)
	}
}

// argv is strace's printargv: the strings of a NULL-terminated pointer
// array, at most -s of them.
func (p *printer) argv(v uint64) string {
	if v == 0 {
		return "NULL"
	}
	ws := uint64(p.abi.wordSize)
	var b strings.Builder
	var prev uint64
	for n := 0; ; n, prev, v = n+1, v, v+ws {
		word, ok := p.word(v)
		if v < prev || !ok {
			if n == 0 {
				return addr(v)
			}
			b.WriteString(", ..." + comment(hex(v)))
			break
		}
		if n == 0 {
			b.WriteByte('[')
		}
		if word == 0 {
			break
		}
		if n != 0 {
			b.WriteString(", ")
		}
		if n >= p.limit {
			b.WriteString("...")
			break
		}
		b.WriteString(p.str(word))
	}
	b.WriteByte(']')
	return b.String()
}

// envc is strace's printargc: the address of a NULL-terminated pointer
// array and, in a comment, how many pointers it holds.
func (p *printer) envc(v uint64) string {
	s := addr(v)
	if v == 0 {
		return s
	}
	ws := uint64(p.abi.wordSize)
	var prev uint64
	n := 0
	for ; v > prev; prev, v, n = v, v+ws, n+1 {
		word, ok := p.word(v)
		if !ok {
			if n == 0 {
				return s
			}
			v = 0
			break
		}
		if word == 0 {
			break
		}
	}
	c := strconv.Itoa(n) + " var"
	if n != 1 {
		c += "s"
	}
	if v < prev {
		c += ", unterminated"
	}
	return s + comment(c)
}

// word reads one pointer-sized little-endian word.
func (p *printer) word(v uint64) (uint64, bool) {
	b, ok := p.r.readN(v, p.abi.wordSize)
	if !ok {
		return 0, false
	}
	var w uint64
	for i := len(b) - 1; i >= 0; i-- {
		w = w<<8 | uint64(b[i])
	}
	return w, true
}

// decoders maps a syscall name (as Name returns it) to the function that
// prints its arguments. Names not listed print raw. It is built on first
// use: runs that decode nothing do not pay for it at start-up.
var decoders = sync.OnceValue(func() map[string]func(p *printer) {
	m := map[string]func(p *printer){
		"open":  func(p *printer) { p.path(0, unix.AT_FDCWD); p.openArgs(1) },
		"creat": func(p *printer) { p.path(0, unix.AT_FDCWD); p.mode(1) },
		"openat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.openArgs(2)
		},
		"access": func(p *printer) { p.path(0, unix.AT_FDCWD); p.flags(1, accessModes, "?_OK") },
		"faccessat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.flags(2, accessModes, "?_OK")
		},
		"faccessat2": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.flags(2, accessModes, "?_OK")
			p.flags(3, faccessatFlags, "AT_???")
		},
		"stat":    pathPtr,
		"lstat":   pathPtr,
		"stat64":  pathPtr,
		"lstat64": pathPtr,
		"fstat":   func(p *printer) { p.fd(0); p.ptr(1) },
		"fstat64": func(p *printer) { p.fd(0); p.ptr(1) },
		"newfstatat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.ptr(2)
			p.flags(3, atFlags, "AT_???")
		},
		"fstatat64": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.ptr(2)
			p.flags(3, atFlags, "AT_???")
		},
		"statx": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			flags := uint32(p.args[2])
			s := flagsText(atStatxSyncTypes, uint64(flags&atStatxSyncType), "")
			if rest := flags &^ atStatxSyncType; rest != 0 {
				s += "|" + flagsText(atFlags, uint64(rest), "")
			}
			p.add(s)
			p.flags(3, statxMasks, "STATX_???")
			p.ptr(4)
		},
		"readlink": func(p *printer) { p.path(0, unix.AT_FDCWD); p.ptr(1); p.udec(2) },
		"readlinkat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.ptr(2)
			p.udec(3)
		},
		"unlink": onePath,
		"rmdir":  onePath,
		"chdir":  onePath,
		"chroot": onePath,
		"unlinkat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.flags(2, atFlags, "AT_???")
		},
		"mkdir":    func(p *printer) { p.path(0, unix.AT_FDCWD); p.mode(1) },
		"chmod":    func(p *printer) { p.path(0, unix.AT_FDCWD); p.mode(1) },
		"mkdirat":  func(p *printer) { p.dirfd(0); p.pathAt(1, 0); p.mode(2) },
		"fchmodat": func(p *printer) { p.dirfd(0); p.pathAt(1, 0); p.mode(2) },
		"fchmod":   func(p *printer) { p.fd(0); p.mode(1) },
		"rename":   twoPaths,
		"link":     twoPaths,
		"symlink":  func(p *printer) { p.pathText(0); p.path(1, unix.AT_FDCWD) },
		"renameat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.dirfd(2)
			p.pathAt(3, 2)
		},
		"renameat2": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.dirfd(2)
			p.pathAt(3, 2)
			p.flags(4, renameFlags, "RENAME_??")
		},
		"truncate":  func(p *printer) { p.path(0, unix.AT_FDCWD); p.udec(1) },
		"ftruncate": func(p *printer) { p.fd(0); p.udec(1) },
		"execve": func(p *printer) {
			p.path(0, unix.AT_FDCWD)
			p.add(p.argv(p.args[1]))
			p.add(p.envc(p.args[2]))
		},
		"execveat": func(p *printer) {
			p.dirfd(0)
			p.pathAt(1, 0)
			p.add(p.argv(p.args[2]))
			p.add(p.envc(p.args[3]))
			p.flags(4, atFlags, "AT_???")
		},
		"close":     oneFD,
		"fchdir":    oneFD,
		"fsync":     oneFD,
		"fdatasync": oneFD,
		"syncfs":    oneFD,
		"dup":       oneFD,
		"dup2":      func(p *printer) { p.fd(0); p.fd(1) },
		"dup3":      func(p *printer) { p.fd(0); p.fd(1); p.flags(2, openModeFlags, "O_???") },
		"read":      func(p *printer) { p.fd(0); p.ptr(1); p.udec(2) },
		"write": func(p *printer) {
			p.fd(0)
			p.addStrn(p.args[1], p.args[2])
			p.udec(2)
		},
		"socket":     decodeSocket,
		"connect":    decodeBind,
		"bind":       decodeBind,
		"sendto":     decodeSendto,
		"clone":      decodeClone,
		"clone3":     decodeClone3,
		"exit":       func(p *printer) { p.dec(0) },
		"exit_group": func(p *printer) { p.dec(0) },
		"kill":       func(p *printer) { p.dec(0); p.sig(1) },
		"tkill":      func(p *printer) { p.dec(0); p.sig(1) },
		"tgkill":     func(p *printer) { p.dec(0); p.dec(1); p.sig(2) },
	}
	addMoreDecoders(m)
	return m
})

func onePath(p *printer) { p.path(0, unix.AT_FDCWD) }
func oneFD(p *printer)   { p.fd(0) }
func pathPtr(p *printer) { p.path(0, unix.AT_FDCWD); p.ptr(1) }
func twoPaths(p *printer) {
	p.path(0, unix.AT_FDCWD)
	p.path(1, unix.AT_FDCWD)
}
