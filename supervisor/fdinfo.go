package supervisor

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
)

// DecodeFDs are strace's -y levels.
const (
	FDNumbers = 0 // 3
	FDPaths   = 1 // -y: 3</etc/hostname>, 4<socket:[1234]>
	FDSockets = 2 // -yy: 4<TCP:[127.0.0.1:40000->127.0.0.1:5432]>
)

// fdFunc returns the decode.Options.FD function for a call of thread tid:
// the text strace -y or -yy prints inside <...>, read from /proc/TID/fd
// and, for sockets with -yy, the socket tables of /proc/TID/net.
func fdFunc(tid, level int, opt decode.Options) func(fd int32) (string, bool) {
	proc := "/proc/" + strconv.Itoa(tid)
	return func(fd int32) (string, bool) {
		link := proc + "/fd/" + strconv.Itoa(int(fd))
		if fd == unix.AT_FDCWD {
			link = proc + "/cwd"
		}
		target, err := os.Readlink(link)
		if err != nil {
			return "", false
		}
		if inode, ok := strings.CutPrefix(target, "socket:["); ok && level >= FDSockets {
			inode = strings.TrimSuffix(inode, "]")
			if text, ok := socketText(proc, inode, opt); ok {
				return text, true
			}
			// Not in the tables yet (not bound or connected): the
			// protocol's name, as strace prints it, "TCP:[1234]".
			buf := make([]byte, 32)
			if n, err := unix.Getxattr(link, "system.sockprotoname", buf); err == nil && n > 0 {
				return strings.TrimRight(string(buf[:n]), "\x00") + ":[" + inode + "]", true
			}
		}
		if strings.HasPrefix(target, "/") {
			if path, ok := strings.CutSuffix(target, " (deleted)"); ok {
				return decode.FDPathText(path, opt) + " (deleted)", true // strace: 3</tmp/x>(deleted)
			}
			return decode.FDPathText(target, opt), true
		}
		// pipe:[123], socket:[456], anon_inode:[eventfd]: quoted too, as
		// strace -y -xx prints them in hex.
		return decode.FDPathText(target, opt), true
	}
}

// socketText describes the socket with this inode as strace -yy does,
// from the tables in /proc/PID/net (the tracee's network namespace).
func socketText(proc, inode string, opt decode.Options) (string, bool) {
	for _, t := range []struct{ file, name string }{
		{"tcp", "TCP"}, {"tcp6", "TCPv6"}, {"udp", "UDP"}, {"udp6", "UDPv6"},
	} {
		if text, ok := inetSocket(proc+"/net/"+t.file, t.name, inode); ok {
			return text, true
		}
	}
	return unixSocket(proc+"/net/unix", inode, opt, unixDiag)
}

// inetSocket finds inode in a /proc/net/{tcp,udp}[6] table.
func inetSocket(file, name, inode string) (string, bool) {
	f, err := os.Open(file)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || fields[9] != inode {
			continue
		}
		local, ok1 := procAddr(fields[1])
		remote, ok2 := procAddr(fields[2])
		if !ok1 || !ok2 {
			return "", false
		}
		text := name + ":[" + local.String()
		if remote.Port() != 0 || !remote.Addr().IsUnspecified() {
			text += "->" + remote.String()
		}
		return text + "]", true
	}
	return "", false
}

// procAddr parses "0100007F:1F90" (an address as the kernel stores it,
// 32-bit words in host order, and a port in hex).
func procAddr(s string) (netip.AddrPort, bool) {
	a, p, ok := strings.Cut(s, ":")
	port, err := strconv.ParseUint(p, 16, 16)
	raw, err2 := hex.DecodeString(a)
	if !ok || err != nil || err2 != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.AddrPort{}, false
	}
	for i := 0; i+4 <= len(raw); i += 4 {
		binary.BigEndian.PutUint32(raw[i:], binary.NativeEndian.Uint32(raw[i:]))
	}
	addr, _ := netip.AddrFromSlice(raw)
	return netip.AddrPortFrom(addr, uint16(port)), true
}

// unixSocket finds inode in /proc/net/unix and describes it as strace -yy
// does: `UNIX-STREAM:[1234->1235,"/path"]` for a stream socket,
// `UNIX:[1234]` for the other types, `@"name"` for an abstract address,
// the path quoted as a string with opt's -x style. diag (unixDiag) gives
// the peer and the address when the socket is in syscage's network
// namespace; otherwise there is no peer and the path is the rest of the
// table's line (which cannot show a newline).
func unixSocket(file, inode string, opt decode.Options, diag func(inode string) (unixInfo, bool)) (string, bool) {
	f, err := os.Open(file)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	for sc.Scan() {
		// Num RefCount Protocol Flags Type St Inode [Path]
		line := sc.Text()
		var fields [7]string
		rest := line
		for i := range fields {
			rest = strings.TrimLeft(rest, " ")
			end := strings.IndexByte(rest, ' ')
			if end < 0 {
				end = len(rest)
			}
			fields[i], rest = rest[:end], rest[end:]
		}
		if fields[6] != inode {
			continue
		}
		kind := "UNIX"
		if fields[4] == "0001" {
			kind = "UNIX-STREAM"
		}
		text := kind + ":[" + inode
		path, named := strings.CutPrefix(rest, " ")
		named = named && path != ""
		if info, ok := diag(inode); ok {
			if info.peer != 0 {
				text += "->" + strconv.FormatUint(uint64(info.peer), 10)
			}
			path, named = info.name, info.named
		} else if name, ok := strings.CutPrefix(path, "@"); ok && named {
			path = "\x00" + name // the table's @ for the abstract namespace
		}
		if named {
			if name, ok := strings.CutPrefix(path, "\x00"); ok {
				text += ",@" + decode.QuoteText(name, opt)
			} else {
				text += "," + decode.QuoteText(path, opt)
			}
		}
		return text + "]", true
	}
	return "", false
}
