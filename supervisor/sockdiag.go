package supervisor

import (
	"bytes"
	"encoding/binary"
	"strconv"

	"golang.org/x/sys/unix"
)

// From include/uapi/linux/unix_diag.h (not in golang.org/x/sys/unix).
const (
	udiagShowName    = 0x1        // UDIAG_SHOW_NAME
	udiagShowPeer    = 0x4        // UDIAG_SHOW_PEER
	unixDiagName     = 0          // UNIX_DIAG_NAME, an attribute of the sun_path bytes
	unixDiagPeer     = 2          // UNIX_DIAG_PEER, an attribute of __u32
	sizeofUnixReq    = 24         // struct unix_diag_req
	sizeofUnixMsg    = 16         // struct unix_diag_msg
	inetDiagNoCookie = ^uint32(0) // INET_DIAG_NOCOOKIE
)

// unixInfo is what sock_diag tells of a unix socket.
type unixInfo struct {
	peer  uint32 // the peer's inode, 0 for none
	name  string // the bound address (sun_path; abstract: a leading NUL)
	named bool
}

// unixDiag asks sock_diag (NETLINK_SOCK_DIAG, Linux 3.3) about the unix
// socket with this inode, as strace -yy does: its peer's inode, to print
// `UNIX-STREAM:[1234->1235]`, and its address whatever bytes it holds
// (/proc/net/unix cannot show a newline in a path). ok is false when the
// socket is not in syscage's network namespace (sock_diag only sees its
// own), or the query fails.
func unixDiag(inode string) (info unixInfo, ok bool) {
	ino, err := strconv.ParseUint(inode, 10, 32)
	if err != nil {
		return unixInfo{}, false
	}
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return unixInfo{}, false
	}
	defer unix.Close(fd)
	req := make([]byte, unix.SizeofNlMsghdr+sizeofUnixReq)
	ne := binary.NativeEndian
	ne.PutUint32(req[0:], uint32(len(req)))         // nlmsg_len
	ne.PutUint16(req[4:], unix.SOCK_DIAG_BY_FAMILY) // nlmsg_type
	ne.PutUint16(req[6:], unix.NLM_F_REQUEST)       // nlmsg_flags
	r := req[unix.SizeofNlMsghdr:]
	r[0] = unix.AF_UNIX                               // sdiag_family
	ne.PutUint32(r[4:], ^uint32(0))                   // udiag_states: all
	ne.PutUint32(r[8:], uint32(ino))                  // udiag_ino
	ne.PutUint32(r[12:], udiagShowName|udiagShowPeer) // udiag_show
	ne.PutUint32(r[16:], inetDiagNoCookie)
	ne.PutUint32(r[20:], inetDiagNoCookie)
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return unixInfo{}, false
	}
	buf := make([]byte, 4096)
	n, _, err := unix.Recvfrom(fd, buf, 0)
	if err != nil || n < unix.SizeofNlMsghdr+sizeofUnixMsg {
		return unixInfo{}, false
	}
	msg := buf[:min(n, int(ne.Uint32(buf[0:])))]
	if ne.Uint16(msg[4:]) != unix.SOCK_DIAG_BY_FAMILY || len(msg) < unix.SizeofNlMsghdr+sizeofUnixMsg {
		return unixInfo{}, false // NLMSG_ERROR: no such socket here
	}
	if ne.Uint32(msg[unix.SizeofNlMsghdr+4:]) != uint32(ino) {
		return unixInfo{}, false
	}
	// The attributes (struct rtattr, 4-byte aligned) after unix_diag_msg.
	for a := msg[unix.SizeofNlMsghdr+sizeofUnixMsg:]; len(a) >= 4; {
		l, typ := int(ne.Uint16(a[0:])), ne.Uint16(a[2:])
		if l < 4 || l > len(a) {
			break
		}
		switch {
		case typ == unixDiagPeer && l >= 8:
			info.peer = ne.Uint32(a[4:])
		case typ == unixDiagName:
			// Up to the first NUL, after the leading one of an abstract
			// name, as strace 6.1 prints it (`@"abs"` for "\0abs\0x").
			name := a[4:l]
			start := 0
			if len(name) > 0 && name[0] == 0 {
				start = 1
			}
			if i := bytes.IndexByte(name[start:], 0); i >= 0 {
				name = name[:start+i]
			}
			info.name, info.named = string(name), true
		}
		a = a[min(len(a), (l+3)&^3):]
	}
	return info, true
}
