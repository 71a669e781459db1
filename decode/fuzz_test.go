package decode

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// fuzzBase is where FuzzDecode maps its memory: not page-aligned, so that
// reads cross a page boundary and run off the end of the mapping.
const fuzzBase = 0x10000ff0

// fuzzCalls are the (arch, nr) pairs of every decoder on the three main
// ABIs, which FuzzDecode picks from so that the decoders get most of the
// inputs.
var fuzzCalls = func() (calls [][2]uint32) {
	for _, arch := range []uint32{x86_64, i386, arm64} {
		for nr := int32(0); nr < maxScanNr; nr++ {
			if decoders()[lookupABI(arch).name(nr)] != nil {
				calls = append(calls, [2]uint32{arch, uint32(nr)})
			}
		}
	}
	return calls
}()

// FuzzDecode feeds random registers and memory to decode (Decode without
// its recover, so a panic fails the target). sel picks a decoded call, or
// with its top bit set takes arch and nr as given. Bit i of ptrs makes
// argument i point into the memory at fuzzBase, at args[i] modulo its size
// plus a little. It checks that the text has the call's shape.
func FuzzDecode(f *testing.F) {
	f.Add(uint16(0), uint32(0), int32(0), uint8(0x3f), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), []byte("/etc/passwd\x00"), uint8(32))
	f.Add(uint16(5), uint32(0), int32(0), uint8(0x06), uint64(0), uint64(16), uint64(32), uint64(3), uint64(0), uint64(0), []byte("\x02\x00\x15\x38\x7f\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00ab\x00"), uint8(8))
	f.Add(uint16(0x8000), uint32(unix.AUDIT_ARCH_X86_64), int32(0x1ff), uint8(0), uint64(1), uint64(2), uint64(3), uint64(4), uint64(5), uint64(6), []byte{}, uint8(0))
	f.Add(uint16(0x8000), uint32(unix.AUDIT_ARCH_I386), int32(11), uint8(0x07), uint64(0), uint64(12), uint64(24), uint64(0), uint64(0), uint64(0), []byte("/bin/sh\x00\xf0\x0f\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00"), uint8(4))
	f.Fuzz(func(t *testing.T, sel uint16, arch uint32, nr int32, ptrs uint8,
		a0, a1, a2, a3, a4, a5 uint64, data []byte, limit uint8) {
		c := Call{Arch: arch, Nr: nr, Args: [6]uint64{a0, a1, a2, a3, a4, a5}}
		if sel&0x8000 == 0 {
			pick := fuzzCalls[int(sel)%len(fuzzCalls)]
			c.Arch, c.Nr = pick[0], int32(pick[1])
		}
		for i := range c.Args {
			if ptrs&(1<<i) != 0 {
				c.Args[i] = fuzzBase + c.Args[i]%uint64(len(data)+16)
			}
		}
		d := decode(c, fakeMem{fuzzBase: data}, Options{StringLimit: int(limit)})
		if !strings.HasPrefix(d.Text, d.Name+"(") || !strings.HasSuffix(d.Text, ")") {
			t.Fatalf("malformed text %q for %s", d.Text, d.Name)
		}
		if !utf8.ValidString(d.Text) {
			t.Fatalf("text is not valid UTF-8: %q", d.Text)
		}
		if d.HasPath && strings.IndexByte(d.Path, 0) >= 0 {
			t.Fatalf("path %q holds a NUL", d.Path)
		}
	})
}
