package decode_test

import (
	"fmt"

	"github.com/syscage/syscage/decode"
	"golang.org/x/sys/unix"
)

// mem is a tracee memory with one NUL-terminated string.
type mem struct {
	addr uint64
	data string
}

func (m mem) ReadAt(p []byte, addr uint64) (int, error) {
	if addr < m.addr || addr-m.addr >= uint64(len(m.data)) {
		return 0, unix.EFAULT
	}
	n := copy(p, m.data[addr-m.addr:])
	if n < len(p) {
		return n, unix.EFAULT
	}
	return n, nil
}

func ExampleDecode() {
	m := mem{0x7ffd1000, "/etc/passwd\x00"}
	c := decode.Call{
		Arch: unix.AUDIT_ARCH_X86_64,
		Nr:   unix.SYS_OPENAT,
		Args: [6]uint64{uint64(0xffffff9c), 0x7ffd1000, unix.O_RDONLY | unix.O_CLOEXEC},
	}
	d := decode.Decode(c, m, decode.Options{})
	fmt.Println(d.Text)
	fmt.Println(d.Path, d.PathDirFD)

	c.Args[1] = 0x7ffd2000 // unmapped
	fmt.Println(decode.Decode(c, m, decode.Options{}).Text)
	// Output:
	// openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC)
	// /etc/passwd -100
	// openat(AT_FDCWD, 0x7ffd2000, O_RDONLY|O_CLOEXEC)
}

func ExampleErrnoResult() {
	fmt.Println("open(...) = " + decode.ErrnoResult(int(unix.ENOENT)))
	fmt.Println(decode.ErrnoResult(1234))
	e, ok := decode.ErrnoByName("ECONNREFUSED")
	fmt.Println(e, ok)
	// Output:
	// open(...) = -1 ENOENT (No such file or directory)
	// -1 (errno 1234)
	// 111 true
}
