package decode

import (
	"bytes"
	"sync"
)

// pageSize is the unit tracee reads are split on: a read never crosses a
// page boundary, so the bytes of a string that ends just before an unmapped
// page are still read (strace's umovestr does the same). 4 KiB is the
// smallest page size of every supported arch; splitting on a smaller unit
// than the real page is harmless.
const pageSize = 4096

// pathMax is PATH_MAX (include/uapi/linux/limits.h): strace prints at most
// PATH_MAX-1 bytes of a path, whatever -s says.
const pathMax = 4096

// reader reads tracee memory for one Decode call. Reads go through a small
// cache of whole pages: the pointer array and the strings of an execve's
// argv and envp usually share one or two stack pages, which are then read
// once each instead of once per word or string. A page that reads short (a
// Memory with byte-granular regions, as in tests) is served from the cache
// only up to where it read; anything past that is read directly.
type reader struct {
	mem   Memory
	pages []cachedPage // the pages read in this Decode, searched in order
}

// cachedPage is one page of reader's cache: the bytes readable from base.
type cachedPage struct {
	base uint64
	b    []byte
}

// pagePool recycles the cache's page buffers between Decode calls.
var pagePool = sync.Pool{New: func() any { return new([pageSize]byte) }}

// release returns the cached pages to pagePool and empties the cache,
// keeping its slice for the next Decode. Nothing read through r may be
// used after it: every reader method returns copies.
func (r *reader) release() {
	for i, pg := range r.pages {
		if cap(pg.b) == pageSize {
			pagePool.Put((*[pageSize]byte)(pg.b[:pageSize]))
		}
		r.pages[i] = cachedPage{}
	}
	r.pages = r.pages[:0]
}

// maxCachedPages bounds the cache; reads beyond it go straight to Memory.
const maxCachedPages = 64

// direct reads into p at addr through Memory, one page at a time, and
// returns how many leading bytes of p it filled. It stops at the first
// failure and tolerates a Memory that returns a bad count.
func (r *reader) direct(p []byte, addr uint64) int {
	if r.mem == nil {
		return 0
	}
	done := 0
	for done < len(p) {
		want := chunk(addr+uint64(done), len(p)-done)
		n, err := r.mem.ReadAt(p[done:done+want], addr+uint64(done))
		if n < 0 || n > want {
			return done
		}
		done += n
		if n < want || (err != nil && n == 0) {
			return done
		}
	}
	return done
}

// page returns the cached bytes of the page at base, reading it on a miss;
// ok is false when the cache is full and the page is not in it.
func (r *reader) page(base uint64) (b []byte, ok bool) {
	for _, pg := range r.pages {
		if pg.base == base {
			return pg.b, true
		}
	}
	if len(r.pages) >= maxCachedPages {
		return nil, false
	}
	buf := pagePool.Get().(*[pageSize]byte)[:]
	buf = buf[:r.direct(buf, base)]
	r.pages = append(r.pages, cachedPage{base, buf})
	return buf, true
}

// readAt fills p from addr and returns how many leading bytes of p it
// could read. A range that would wrap past 2^64 reads only up to the wrap.
func (r *reader) readAt(p []byte, addr uint64) int {
	done := 0
	for done < len(p) {
		a := addr + uint64(done)
		if a < addr {
			break
		}
		base := a &^ (pageSize - 1)
		off := int(a - base)
		want := min(len(p)-done, pageSize-off)
		if pg, ok := r.page(base); ok && off+want <= len(pg) {
			copy(p[done:done+want], pg[off:])
			done += want
			continue
		}
		n := r.direct(p[done:done+want], a)
		done += n
		if n < want {
			break
		}
	}
	return done
}

// chunk returns how many of n bytes at addr lie in addr's page.
func chunk(addr uint64, n int) int {
	if left := pageSize - int(addr%pageSize); n > left {
		return left
	}
	return n
}

// readN reads exactly n bytes at addr (strace's umoven): ok is false when
// any of them cannot be read. The buffer grows with what was read, so a
// huge n costs only what the tracee really has mapped.
func (r *reader) readN(addr uint64, n int) ([]byte, bool) {
	return r.readNTo(nil, addr, n)
}

// readNTo is readN appending to dst[:0] (nil: a new slice).
func (r *reader) readNTo(dst []byte, addr uint64, n int) ([]byte, bool) {
	if n < 0 {
		return nil, false
	}
	buf := dst[:0]
	if buf == nil {
		buf = make([]byte, 0, min(n, pageSize))
	}
	for len(buf) < n {
		a := addr + uint64(len(buf))
		if a < addr {
			return nil, false
		}
		want := chunk(a, n-len(buf))
		start := len(buf)
		buf = append(buf, make([]byte, want)...)
		if got := r.readAt(buf[start:], a); got != want {
			return nil, false
		}
	}
	return buf, true
}

// readStr reads at most n bytes at addr, stopping after the first NUL
// (strace's umovestr). It returns the bytes before the NUL and nul=true when
// one was found, or all n bytes and nul=false; ok is false when a byte
// before the NUL (or before n) could not be read. The bytes are appended to
// dst[:0] (nil: a new slice).
func (r *reader) readStr(dst []byte, addr uint64, n int) (b []byte, nul, ok bool) {
	b = dst[:0]
	var tmp []byte // for the bytes the page cache does not hold
	for len(b) < n {
		a := addr + uint64(len(b))
		if a < addr {
			return nil, false, false
		}
		want := chunk(a, n-len(b))
		base := a &^ (pageSize - 1)
		off := int(a - base)
		if pg, ok := r.page(base); ok && off < len(pg) {
			// The cached page may end early (a region that starts
			// mid-page, or ends): its NUL, if any, still counts.
			avail := pg[off:min(off+want, len(pg))]
			if i := bytes.IndexByte(avail, 0); i >= 0 {
				return append(b, avail[:i]...), true, true
			}
			if len(avail) == want {
				b = append(b, avail...)
				continue
			}
		}
		if tmp == nil {
			tmp = make([]byte, pageSize)
		}
		got := tmp[:r.direct(tmp[:want], a)]
		if i := bytes.IndexByte(got, 0); i >= 0 {
			return append(b, got[:i]...), true, true
		}
		if len(got) != want {
			return nil, false, false
		}
		b = append(b, got...)
	}
	return b, false, true
}

// quoteStyle selects string_quote's behaviour (strace src/defs.h QUOTE_*).
type quoteStyle int

const (
	// quoteNUL stops at the first NUL (QUOTE_0_TERMINATED).
	quoteNUL quoteStyle = 1 << iota
	// quoteHex prints every byte as \xHH (QUOTE_FORCE_HEX, strace -xx).
	quoteHex
	// quoteHexNonASCII prints the whole string as with quoteHex when it
	// holds a byte that is neither printable ASCII nor one of \t \n \v
	// \f \r (strace -x, HEXSTR_NON_ASCII).
	quoteHexNonASCII
	// quoteHexChars prints as \xHH the bytes that would print in octal
	// (HEXSTR_NON_ASCII_CHARS).
	quoteHexChars
	// quoteEscapeAngle also escapes '<' and '>' (strace's escape_chars
	// "<>", for paths inside -y's angle brackets), and omits the quotes
	// (QUOTE_OMIT_LEADING_TRAILING_QUOTES).
	quoteEscapeAngle
)

// quote renders buf[:size] as strace's string_quote does: in double quotes,
// with \" \\ \f \n \r \t \v escaped, other bytes outside 0x20..0x7e as
// octal (\1, \33, \377; three digits when the next byte within size is an
// octal digit, so that the escape cannot swallow it).
//
// With quoteNUL the string ends at the first NUL. unterminated then reports
// that no NUL was seen within size and buf[size] (when buf has it) is not
// NUL either; without quoteNUL it is always true, as in strace. buf may be
// shorter than size only if it holds a NUL before its end (quoteNUL).
func quote(buf []byte, size int, style quoteStyle) (text string, unterminated bool) {
	b, unterminated := appendQuote(make([]byte, 0, size+2), buf, size, style)
	return string(b), unterminated
}

// appendQuote is quote appending to dst.
func appendQuote(dst, buf []byte, size int, style quoteStyle) (b []byte, unterminated bool) {
	if style&quoteHexNonASCII != 0 && style&quoteHex == 0 {
		for i := 0; i < size; i++ {
			c := buf[i]
			if c == 0 && style&quoteNUL != 0 {
				break
			}
			if c > 0x7e || (c < ' ' && (c < '\t' || c > '\r')) {
				style |= quoteHex
				break
			}
		}
	}
	q := "\""
	if style&quoteEscapeAngle != 0 {
		q = ""
	}
	b = append(dst, q...)
	for i := 0; i < size; i++ {
		c := buf[i]
		if c == 0 && style&quoteNUL != 0 {
			return append(b, q...), false
		}
		if style&quoteHex != 0 {
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\f':
			b = append(b, `\f`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '\v':
			b = append(b, `\v`...)
		default:
			if c >= ' ' && c < 0x7f && (style&quoteEscapeAngle == 0 || (c != '<' && c != '>')) {
				b = append(b, c)
				continue
			}
			if style&quoteHexChars != 0 {
				b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
				continue
			}
			b = append(b, '\\')
			full := i+1 < size && buf[i+1] >= '0' && buf[i+1] <= '7'
			if full || c>>6 != 0 {
				b = append(b, '0'+c>>6)
			}
			if full || c>>3 != 0 {
				b = append(b, '0'+(c>>3)&7)
			}
			b = append(b, '0'+c&7)
		}
	}
	b = append(b, q...)
	if style&quoteNUL != 0 && size < len(buf) && buf[size] == 0 {
		return b, false
	}
	return b, true
}

const hexDigits = "0123456789abcdef"
