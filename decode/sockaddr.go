package decode

import (
	"encoding/binary"
	"net/netip"
	"reflect"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Layouts of the socket address structures (include/uapi/linux/in.h, in6.h,
// un.h, netlink.h), read off golang.org/x/sys/unix's mirrors of them. All
// fields are in the tracee's byte order except ports, flow labels and
// addresses, which are in network order.
var (
	sizeofSockaddrStorage = 128 // sizeof(struct sockaddr_storage), include/uapi/linux/socket.h
	sizeofSaFamily        = int(reflect.TypeFor[unix.RawSockaddr]().Field(0).Type.Size())

	offIn4Port = offsetof[unix.RawSockaddrInet4]("Port")
	offIn4Addr = offsetof[unix.RawSockaddrInet4]("Addr")

	offIn6Port     = offsetof[unix.RawSockaddrInet6]("Port")
	offIn6Flowinfo = offsetof[unix.RawSockaddrInet6]("Flowinfo")
	offIn6Addr     = offsetof[unix.RawSockaddrInet6]("Addr")
	// sin6MinLen is SIN6_MIN_LEN: a sockaddr_in6 without sin6_scope_id.
	sin6MinLen = offsetof[unix.RawSockaddrInet6]("Scope_id")

	offUnPath = offsetof[unix.RawSockaddrUnix]("Path")

	offNlPad    = offsetof[unix.RawSockaddrNetlink]("Pad")
	offNlPid    = offsetof[unix.RawSockaddrNetlink]("Pid")
	offNlGroups = offsetof[unix.RawSockaddrNetlink]("Groups")
)

func offsetof[T any](field string) int {
	f, ok := reflect.TypeFor[T]().FieldByName(field)
	if !ok {
		panic("decode: no field " + field)
	}
	return int(f.Offset)
}

// sockaddrPrinter prints the part of a sockaddr after sa_family for one
// family (strace's sa_printers); minLen is the length it needs.
type sockaddrPrinter struct {
	minLen int
	print  func(p *printer, b []byte, n int, sa *Sockaddr) string
}

var sockaddrPrinters = map[uint16]sockaddrPrinter{
	unix.AF_UNIX:    {sizeofSaFamily + 1, printSockaddrUn},
	unix.AF_INET:    {unix.SizeofSockaddrInet4, printSockaddrIn},
	unix.AF_INET6:   {sin6MinLen, printSockaddrIn6},
	unix.AF_NETLINK: {unix.SizeofSockaddrNetlink, printSockaddrNl},
}

// sockaddr prints a struct sockaddr argument of addrlen bytes at v as
// strace's decode_sockaddr does and records it as the call's Sockaddr.
// Families whose layout strace decodes but this package does not (AF_PACKET,
// AF_BLUETOOTH, AF_VSOCK, ...) print their bytes as sa_data.
func (p *printer) sockaddr(v uint64, addrlen int32) string {
	if addrlen < 2 {
		return addr(v)
	}
	n := min(int(addrlen), sizeofSockaddrStorage)
	if v == 0 {
		return "NULL"
	}
	data, ok := p.r.readN(v, n)
	if !ok {
		return addr(v)
	}
	// strace zero-fills its buffer past addrlen, one byte beyond
	// sockaddr_storage, so that a full-length sun_path stays terminated.
	b := make([]byte, sizeofSockaddrStorage+1)
	copy(b, data)

	family := binary.LittleEndian.Uint16(b)
	sa := &Sockaddr{Family: family}
	p.d.Sockaddr = sa
	var s strings.Builder
	s.WriteString("{sa_family=")
	s.WriteString(xvalText(addrFams, uint64(family), "AF_???"))
	if n > sizeofSaFamily {
		s.WriteString(", ")
		if pr, ok := sockaddrPrinters[family]; ok && n >= pr.minLen {
			s.WriteString(pr.print(p, b, n, sa))
		} else {
			text, _ := p.quote(b[sizeofSaFamily:], n-sizeofSaFamily, 0)
			s.WriteString("sa_data=" + text)
		}
	}
	s.WriteString("}")
	return s.String()
}

func printSockaddrIn(p *printer, b []byte, n int, sa *Sockaddr) string {
	port := binary.BigEndian.Uint16(b[offIn4Port:])
	ip := netip.AddrFrom4([4]byte(b[offIn4Addr : offIn4Addr+4]))
	sa.Addr = netip.AddrPortFrom(ip, port)
	return "sin_port=htons(" + strconv.Itoa(int(port)) + "), sin_addr=inet_addr(\"" + ip.String() + "\")"
}

// printSockaddrIn6 prints sin6_scope_id as a number. strace prints the
// scope of a link-local address as if_nametoindex("eth0") when an interface
// of that index exists on the host running strace; decode makes no such
// host lookup.
func printSockaddrIn6(p *printer, b []byte, n int, sa *Sockaddr) string {
	port := binary.BigEndian.Uint16(b[offIn6Port:])
	flow := binary.BigEndian.Uint32(b[offIn6Flowinfo:])
	a16 := [16]byte(b[offIn6Addr : offIn6Addr+16])
	sa.Addr = netip.AddrPortFrom(netip.AddrFrom16(a16), port)
	s := "sin6_port=htons(" + strconv.Itoa(int(port)) + "), sin6_flowinfo=htonl(" +
		strconv.FormatUint(uint64(flow), 10) + "), inet_pton(AF_INET6, \"" + inet6String(a16) + "\", &sin6_addr)"
	if n > sin6MinLen {
		scope := binary.LittleEndian.Uint32(b[sin6MinLen:])
		s += ", sin6_scope_id=" + strconv.FormatUint(uint64(scope), 10)
	}
	return s
}

func printSockaddrUn(p *printer, b []byte, n int, sa *Sockaddr) string {
	unLen := min(n, unix.SizeofSockaddrUnix)
	pathLen := unLen - offUnPath
	path := b[offUnPath:]
	if path[0] != 0 {
		text, _ := p.quote(path, pathLen, quoteNUL)
		end := 0
		for end < pathLen && path[end] != 0 {
			end++
		}
		sa.Path = string(path[:end])
		return "sun_path=" + text
	}
	text, _ := p.quote(path[1:], pathLen-1, 0)
	sa.Path, sa.Abstract = string(path[1:pathLen]), true
	return "sun_path=@" + text
}

func printSockaddrNl(p *printer, b []byte, n int, sa *Sockaddr) string {
	var s string
	if pad := binary.LittleEndian.Uint16(b[offNlPad:]); pad != 0 {
		s = "nl_pad=" + hex(uint64(pad)) + ", "
	}
	pid := binary.LittleEndian.Uint32(b[offNlPid:])
	groups := binary.LittleEndian.Uint32(b[offNlGroups:])
	return s + "nl_pid=" + strconv.Itoa(int(int32(pid))) + ", nl_groups=" + hex0(uint64(groups), 8)
}

// hex0 is C's %#0*llx with width digits: zero-padded to width characters
// including the "0x", which C leaves out for 0 ("00000000").
func hex0(v uint64, width int) string {
	if v == 0 {
		return strings.Repeat("0", width)
	}
	h := strconv.FormatUint(v, 16)
	if pad := width - 2 - len(h); pad > 0 {
		h = strings.Repeat("0", pad) + h
	}
	return "0x" + h
}

// inet6String formats an IPv6 address as glibc's inet_ntop does: the
// longest run of two or more zero groups (the first of equal runs) becomes
// "::", and an address whose first 96 bits are zero (other than :: and ::1),
// or whose first 80 bits are zero followed by ffff, ends in dotted IPv4.
func inet6String(a [16]byte) string {
	var w [8]uint16
	for i := range w {
		w[i] = binary.BigEndian.Uint16(a[2*i:])
	}
	bestBase, bestLen, curBase, curLen := -1, 0, -1, 0
	for i := 0; i < 8; i++ {
		if w[i] == 0 {
			if curBase == -1 {
				curBase, curLen = i, 1
			} else {
				curLen++
			}
			continue
		}
		if curBase != -1 {
			if bestBase == -1 || curLen > bestLen {
				bestBase, bestLen = curBase, curLen
			}
			curBase = -1
		}
	}
	if curBase != -1 && (bestBase == -1 || curLen > bestLen) {
		bestBase, bestLen = curBase, curLen
	}
	if bestBase != -1 && bestLen < 2 {
		bestBase = -1
	}
	var s strings.Builder
	for i := 0; i < 8; i++ {
		if bestBase != -1 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				s.WriteByte(':')
			}
			continue
		}
		if i != 0 {
			s.WriteByte(':')
		}
		if i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff)) {
			s.WriteString(netip.AddrFrom4([4]byte(a[12:16])).String())
			return s.String()
		}
		s.WriteString(strconv.FormatUint(uint64(w[i]), 16))
	}
	if bestBase != -1 && bestBase+bestLen == 8 {
		s.WriteByte(':')
	}
	return s.String()
}

// decodeSocket prints socket(domain, type, protocol) as strace does: the
// protocol by name for the families whose protocol tables strace has.
func decodeSocket(p *printer) {
	family := p.args[0]
	p.add(xvalText(addrFams, uint64(uint32(family)), "AF_???"))
	p.add(sockType(uint32(p.args[1])))
	proto := p.args[2]
	switch family {
	case unix.AF_INET, unix.AF_INET6:
		p.add(xvalText(inetProtocols, uint64(uint32(proto)), "IPPROTO_???"))
	case unix.AF_NETLINK:
		p.add(xvalText(netlinkProtocols, uint64(uint32(proto)), "NETLINK_???"))
	case unix.AF_PACKET:
		p.add("htons(" + xvalText(ethernetProtocols, uint64(ntohs(uint16(proto))), "ETH_P_???") + ")")
	case unix.AF_IRDA:
		p.add(xvalText(canProtocols, uint64(uint32(proto)), "IRDAPROTO_???"))
	case unix.AF_CAN:
		p.add(xvalText(canProtocols, uint64(uint32(proto)), "CAN_???"))
	case unix.AF_BLUETOOTH:
		p.add(xvalText(btProtocols, uint64(uint32(proto)), "BTPROTO_???"))
	case unix.AF_RXRPC:
		p.add(xvalText(addrFams, uint64(uint32(proto)), "AF_???"))
	default:
		p.udec(2)
	}
}

func ntohs(v uint16) uint16 { return v<<8 | v>>8 }

// sockTypeMask is SOCK_TYPE_MASK (include/linux/net.h): the socket type
// below the SOCK_CLOEXEC and SOCK_NONBLOCK flags.
const sockTypeMask = 0xf

// sockType is strace's tprint_sock_type.
func sockType(v uint32) string {
	if name, ok := sockTypes.lookup(uint64(v & sockTypeMask)); ok {
		v &^= sockTypeMask
		if v == 0 {
			return name
		}
		return name + "|" + flagsText(sockTypeFlags, uint64(v), "SOCK_???")
	}
	return flagsText(sockTypeFlags, uint64(v), "SOCK_???")
}

// decodeBind prints bind and connect: fd, sockaddr, addrlen.
func decodeBind(p *printer) {
	p.fd(0)
	p.add(p.sockaddr(p.args[1], int32(p.args[2])))
	p.dec(2)
}

// decodeSendto prints sendto: fd, the data as a string, its length, flags,
// the destination sockaddr and its length.
func decodeSendto(p *printer) {
	p.fd(0)
	p.addStrn(p.args[1], p.args[2])
	p.udec(2)
	p.flags(3, msgFlags, "MSG_???")
	p.add(p.sockaddr(p.args[4], int32(p.args[5])))
	p.dec(5)
}
