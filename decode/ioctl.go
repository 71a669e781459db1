package decode

import "golang.org/x/sys/unix"

// Requests x/sys/unix does not export. The generic tty ones
// (include/uapi/asm-generic/ioctls.h, used by x86 and arm64) are fixed
// numbers; FIONREAD is TIOCINQ there.
const (
	fioNREAD  = unix.TIOCINQ
	fioNBIO   = 0x5421
	fioNCLEX  = 0x5450
	fioCLEX   = 0x5451
	fioASYNC  = 0x5452
	fioQSIZE  = 0x5460
	fioSETOWN = 0x8901 // include/uapi/linux/sockios.h
	fioGETOWN = 0x8903 // include/uapi/linux/sockios.h
)

// ioctlNames are the request names strace's ioctlent gives the common tty,
// file and socket requests, with values from golang.org/x/sys/unix for the
// build's arch. Other requests print as strace prints a request it does not
// know: _IOC(dir, type, nr, size).
var ioctlNames = xlat{
	x(unix.TCGETS, "TCGETS"), x(unix.TCSETS, "TCSETS"), x(unix.TCSETSW, "TCSETSW"), x(unix.TCSETSF, "TCSETSF"),
	x(unix.TCGETA, "TCGETA"), x(unix.TCSETA, "TCSETA"), x(unix.TCSETAW, "TCSETAW"), x(unix.TCSETAF, "TCSETAF"),
	x(unix.TCSBRK, "TCSBRK"), x(unix.TCXONC, "TCXONC"), x(unix.TCFLSH, "TCFLSH"),
	x(unix.TIOCEXCL, "TIOCEXCL"), x(unix.TIOCNXCL, "TIOCNXCL"), x(unix.TIOCSCTTY, "TIOCSCTTY"),
	x(unix.TIOCGPGRP, "TIOCGPGRP"), x(unix.TIOCSPGRP, "TIOCSPGRP"), x(unix.TIOCOUTQ, "TIOCOUTQ"),
	x(unix.TIOCSTI, "TIOCSTI"), x(unix.TIOCGWINSZ, "TIOCGWINSZ"), x(unix.TIOCSWINSZ, "TIOCSWINSZ"),
	x(unix.TIOCMGET, "TIOCMGET"), x(unix.TIOCMBIS, "TIOCMBIS"), x(unix.TIOCMBIC, "TIOCMBIC"),
	x(unix.TIOCMSET, "TIOCMSET"), x(unix.TIOCGSOFTCAR, "TIOCGSOFTCAR"), x(unix.TIOCSSOFTCAR, "TIOCSSOFTCAR"),
	x(fioNREAD, "FIONREAD"), x(unix.TIOCLINUX, "TIOCLINUX"), x(unix.TIOCCONS, "TIOCCONS"),
	x(unix.TIOCGSERIAL, "TIOCGSERIAL"), x(unix.TIOCSSERIAL, "TIOCSSERIAL"), x(unix.TIOCPKT, "TIOCPKT"),
	x(fioNBIO, "FIONBIO"), x(unix.TIOCNOTTY, "TIOCNOTTY"), x(unix.TIOCSETD, "TIOCSETD"),
	x(unix.TIOCGETD, "TIOCGETD"), x(unix.TCSBRKP, "TCSBRKP"), x(unix.TIOCSBRK, "TIOCSBRK"),
	x(unix.TIOCCBRK, "TIOCCBRK"), x(unix.TIOCGSID, "TIOCGSID"), x(unix.TIOCGPTN, "TIOCGPTN"),
	x(unix.TIOCSPTLCK, "TIOCSPTLCK"), x(unix.TIOCGDEV, "TIOCGDEV"), x(unix.TIOCGPTPEER, "TIOCGPTPEER"),
	x(unix.TIOCGEXCL, "TIOCGEXCL"), x(unix.TIOCVHANGUP, "TIOCVHANGUP"),
	x(fioNCLEX, "FIONCLEX"), x(fioCLEX, "FIOCLEX"), x(fioASYNC, "FIOASYNC"),
	x(fioQSIZE, "FIOQSIZE"), x(fioGETOWN, "FIOGETOWN"), x(fioSETOWN, "FIOSETOWN"),
	// strace's ioctlent has BTRFS_IOC_CLONE (include/uapi/linux/btrfs.h)
	// at FICLONE's number and prints both.
	x(unix.FICLONE, "BTRFS_IOC_CLONE or FICLONE"), x(unix.FICLONERANGE, "FICLONERANGE"), x(unix.FIDEDUPERANGE, "FIDEDUPERANGE"),
	x(unix.FS_IOC_GETFLAGS, "FS_IOC_GETFLAGS"), x(unix.FS_IOC_SETFLAGS, "FS_IOC_SETFLAGS"),
	x(unix.BLKGETSIZE64, "BLKGETSIZE64"), x(unix.BLKSSZGET, "BLKSSZGET"), x(unix.BLKGETSIZE, "BLKGETSIZE"),
	x(unix.SIOCGIFCONF, "SIOCGIFCONF"), x(unix.SIOCGIFINDEX, "SIOCGIFINDEX"), x(unix.SIOCGIFFLAGS, "SIOCGIFFLAGS"),
	x(unix.SIOCSIFFLAGS, "SIOCSIFFLAGS"), x(unix.SIOCGIFHWADDR, "SIOCGIFHWADDR"), x(unix.SIOCGIFNAME, "SIOCGIFNAME"),
	x(unix.SIOCGIFADDR, "SIOCGIFADDR"), x(unix.SIOCGIFMTU, "SIOCGIFMTU"), x(unix.SIOCATMARK, "SIOCATMARK"),
	x(unix.SIOCGSTAMP, "SIOCGSTAMP"), x(unix.SIOCINQ, "FIONREAD"), x(unix.SIOCOUTQ, "TIOCOUTQ"),
	x(unix.SIOCETHTOOL, "SIOCETHTOOL"), x(unix.SIOCGIFNETMASK, "SIOCGIFNETMASK"),
	x(unix.SIOCGIFBRDADDR, "SIOCGIFBRDADDR"), x(unix.SIOCGIFDSTADDR, "SIOCGIFDSTADDR"),
	x(unix.SIOCGIFTXQLEN, "SIOCGIFTXQLEN"), x(unix.SIOCGIFMETRIC, "SIOCGIFMETRIC"),
	x(unix.SIOCGIFMAP, "SIOCGIFMAP"), x(unix.SIOCSPGRP, "SIOCSPGRP"), x(unix.SIOCGPGRP, "SIOCGPGRP"),
	x(unix.NS_GET_USERNS, "NS_GET_USERNS"), x(unix.NS_GET_PARENT, "NS_GET_PARENT"),
	x(unix.NS_GET_NSTYPE, "NS_GET_NSTYPE"), x(unix.NS_GET_OWNER_UID, "NS_GET_OWNER_UID"),
	x(unix.RNDGETENTCNT, "RNDGETENTCNT"), x(unix.PERF_EVENT_IOC_ENABLE, "PERF_EVENT_IOC_ENABLE"),
	x(unix.PERF_EVENT_IOC_DISABLE, "PERF_EVENT_IOC_DISABLE"), x(unix.SECCOMP_IOCTL_NOTIF_RECV, "SECCOMP_IOCTL_NOTIF_RECV"),
	x(unix.SECCOMP_IOCTL_NOTIF_SEND, "SECCOMP_IOCTL_NOTIF_SEND"), x(unix.SECCOMP_IOCTL_NOTIF_ID_VALID, "SECCOMP_IOCTL_NOTIF_ID_VALID"),
	x(unix.SECCOMP_IOCTL_NOTIF_ADDFD, "SECCOMP_IOCTL_NOTIF_ADDFD"),
}

// ioctl direction bits (include/uapi/asm-generic/ioctl.h; x86 and arm64
// use the generic layout).
var ioctlDirs = xlat{
	x(0, "_IOC_NONE"), x(2, "_IOC_READ"), x(1, "_IOC_WRITE"), // strace's ioctl_dirs.in order
}

// ioctlRequestText is strace's request printing: the name, or
// _IOC(dir, type, nr, size).
func ioctlRequestText(code uint32) string {
	if n, ok := ioctlNames.lookup(uint64(code)); ok {
		return n
	}
	dir := uint64(code >> 30)
	return "_IOC(" + flagsText(ioctlDirs, dir, "_IOC_???") + ", " + hex(uint64(code>>8&0xff)) + ", " +
		hex(uint64(code&0xff)) + ", " + hex(uint64(code>>16&0x3fff)) + ")"
}

// decodeIoctl prints ioctl as strace does for the tty requests it decodes
// on entry (int arguments as [N], struct winsize), those whose argument
// is an output as the address, requests without an argument with none,
// and any other request's argument in hex.
func decodeIoctl(p *printer) {
	p.fd(0)
	code := uint32(p.args[1])
	p.add(ioctlRequestText(code))
	arg := p.args[2]
	switch code {
	case unix.TIOCSPGRP, unix.TIOCSETD, fioNBIO, fioASYNC, unix.TIOCPKT, unix.TIOCSSOFTCAR, unix.TIOCSPTLCK:
		p.add(p.intPtr(arg))
	case unix.TIOCGPGRP, unix.TIOCGSID, unix.TIOCGETD, unix.TIOCGSOFTCAR, unix.TIOCGPTN, fioNREAD,
		unix.TIOCOUTQ, unix.TIOCGEXCL, unix.TIOCGDEV, unix.TCGETS, unix.TCGETA, unix.TIOCGWINSZ, unix.TIOCMGET:
		p.ptr(2)
	case unix.TCSBRK, unix.TCSBRKP, unix.TIOCSCTTY:
		p.dec(2)
	case unix.TCFLSH:
		p.add(xvalText(xTcflshOptions, arg, "TC???"))
	case unix.TCXONC:
		p.add(xvalText(xTcxoncOptions, arg, "TC???"))
	case unix.FICLONE:
		p.fd(2)
	case unix.SIOCGIFINDEX, unix.SIOCGIFFLAGS, unix.SIOCGIFHWADDR, unix.SIOCGIFADDR, unix.SIOCGIFMTU,
		unix.SIOCGIFNETMASK, unix.SIOCGIFBRDADDR, unix.SIOCGIFDSTADDR, unix.SIOCGIFTXQLEN, unix.SIOCGIFMETRIC, unix.SIOCGIFMAP:
		// strace prints the interface name the request names on
		// entry, the rest on exit (struct ifreq, include/uapi/linux/if.h).
		p.add(p.object(arg, unix.IFNAMSIZ, func(b []byte) string {
			t, _ := p.quote(b, unix.IFNAMSIZ, quoteNUL)
			return "{ifr_name=" + t + "}"
		}))
	case unix.TIOCSWINSZ:
		p.add(p.object(arg, 8, func(b []byte) string {
			return "{ws_row=" + utoa(le16(b, 0)) + ", ws_col=" + utoa(le16(b, 2)) +
				", ws_xpixel=" + utoa(le16(b, 4)) + ", ws_ypixel=" + utoa(le16(b, 6)) + "}"
		}))
	case unix.TIOCSTI:
		p.addStrn(arg, 1)
	case unix.TIOCSBRK, unix.TIOCCBRK, unix.TIOCCONS, unix.TIOCNOTTY, unix.TIOCEXCL, unix.TIOCNXCL,
		fioCLEX, fioNCLEX, unix.TIOCVHANGUP:
	default:
		p.add(hex(arg))
	}
}
