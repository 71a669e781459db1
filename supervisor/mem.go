package supervisor

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// procMem reads one tracee thread's memory for the decoders
// (decode.Memory). It tries process_vm_readv(2) first, one syscall per read;
// where that is refused (Docker's default seccomp profile gates it behind
// CAP_SYS_PTRACE) it falls back to pread on /proc/PID/mem, kept open per
// thread group in memFiles.
type procMem struct {
	tid   int
	files *memFiles
}

func (m procMem) ReadAt(p []byte, addr uint64) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if !m.files.noVMReadv.Load() {
		n, err := readMem(m.tid, p, addr)
		if err == nil || n > 0 {
			return n, err
		}
		if err != unix.EPERM && err != unix.ENOSYS {
			return 0, err
		}
		m.files.noVMReadv.Store(true)
	}
	return m.files.pread(m.tid, p, addr)
}

// memFiles keeps /proc/TID/mem open per thread, for the fallback path.
// A file is bound to the address space the thread had when it was opened:
// a vfork child's file reads its parent's memory, and after an execve the
// old file reads the old memory for as long as anyone still holds it. So
// the supervisor calls forget on every execve and execveat notification (the
// filter always notifies both), and a read that fails is retried once on a
// fresh file (the address space is gone: the thread exited).
type memFiles struct {
	noVMReadv atomic.Bool
	mu        sync.Mutex
	open      map[int]*os.File
	// warn (Config.Warn) hears once that memory cannot be read at all.
	warn   func(string)
	warned atomic.Bool
}

func (f *memFiles) pread(tid int, p []byte, addr uint64) (int, error) {
	for attempt := 0; attempt < 2; attempt++ {
		file, err := f.get(tid, attempt > 0)
		if err != nil {
			if errors.Is(err, os.ErrPermission) && f.warn != nil && !f.warned.Swap(true) {
				f.warn(fmt.Sprintf("cannot read the memory of traced thread %d (process_vm_readv and %v): "+
					"strings and paths print as addresses, and path rules never match; "+
					"reading needs ptrace access to the tracee (ptrace(2), \"Ptrace access mode checking\")", tid, err))
			}
			return 0, err
		}
		n, err := unix.Pread(int(file.Fd()), p, int64(addr))
		if n > 0 {
			return n, nil
		}
		if err == nil {
			err = errors.New("short read")
		}
		if attempt == 1 {
			return 0, err
		}
	}
	return 0, unix.EIO
}

func (f *memFiles) get(tid int, fresh bool) (*os.File, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.open == nil {
		f.open = make(map[int]*os.File)
	}
	if file, ok := f.open[tid]; ok && !fresh {
		return file, nil
	}
	if old, ok := f.open[tid]; ok {
		old.Close()
		delete(f.open, tid)
	}
	file, err := os.Open("/proc/" + strconv.Itoa(tid) + "/mem")
	if err != nil {
		return nil, err
	}
	f.open[tid] = file
	return file, nil
}

// forget closes the kept files of the given threads: their next read opens
// /proc/TID/mem afresh.
func (f *memFiles) forget(tids ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, tid := range tids {
		if file, ok := f.open[tid]; ok {
			file.Close()
			delete(f.open, tid)
		}
	}
}

// Close closes every kept file.
func (f *memFiles) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for tid, file := range f.open {
		file.Close()
		delete(f.open, tid)
	}
}
