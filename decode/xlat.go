package decode

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// An xlat is one of strace's value tables (src/xlat/*.in): names in the
// order strace tries them, values from golang.org/x/sys/unix for the build's
// GOARCH. Flag sets are printed by trying the entries in order, so a
// multi-bit entry listed first (O_SYNC before O_DSYNC) wins, as in strace.
//
// Each table lists exactly the names strace 6.1 knows, so that a bit newer
// than strace 6.1 prints as a number there and here alike.
type xlat []xval

type xval struct {
	v    uint64
	name string
}

func x(v uint64, name string) xval { return xval{v, name} }

// Values the kernel defines but golang.org/x/sys/unix does not export,
// with the header each comes from. Everything else is taken from unix.
const (
	// __O_SYNC and __O_TMPFILE are the single bits behind O_SYNC
	// (__O_SYNC|O_DSYNC) and O_TMPFILE (__O_TMPFILE|O_DIRECTORY):
	// include/uapi/asm-generic/fcntl.h.
	oSyncBit    = unix.O_SYNC &^ unix.O_DSYNC
	oTmpfileBit = unix.O_TMPFILE &^ unix.O_DIRECTORY
	// AT_STATX_SYNC_TYPE is the mask of the statx sync mode
	// (include/uapi/linux/fcntl.h).
	atStatxSyncType = unix.AT_STATX_FORCE_SYNC | unix.AT_STATX_DONT_SYNC

	// Kernel-internal sendmsg flags that strace names (include/linux/socket.h);
	// not part of the UAPI, hence not in x/sys/unix.
	msgSendpageNotlast = 0x20000
	msgNoSharedFrags   = 0x80000
	msgCmsgCompat      = 0x80000000

	// First real-time signal as the kernel numbers it (SIGRTMIN in
	// include/uapi/asm-generic/signal.h) and the last one (_NSIG = 64,
	// include/uapi/asm-generic/signal.h). glibc's SIGRTMIN is higher: it
	// reserves two for itself, which is why strace names 32 SIGRTMIN and 34
	// SIGRT_2.
	kernelSIGRTMIN = 32
	kernelSIGRTMAX = 64
)

// src/xlat/open_access_modes.in
var openAccessModes = xlat{
	x(unix.O_RDONLY, "O_RDONLY"),
	x(unix.O_WRONLY, "O_WRONLY"),
	x(unix.O_RDWR, "O_RDWR"),
	x(unix.O_ACCMODE, "O_ACCMODE"),
}

// src/xlat/open_mode_flags.in. O_LARGEFILE is oLargefile: x/sys/unix
// gives 0 for it on 64-bit arches, where glibc hides it.
var openModeFlags = xlat{
	x(unix.O_CREAT, "O_CREAT"),
	x(unix.O_EXCL, "O_EXCL"),
	x(unix.O_NOCTTY, "O_NOCTTY"),
	x(unix.O_TRUNC, "O_TRUNC"),
	x(unix.O_APPEND, "O_APPEND"),
	x(unix.O_NONBLOCK, "O_NONBLOCK"),
	x(unix.O_SYNC, "O_SYNC"),
	x(oSyncBit, "__O_SYNC"),
	x(unix.O_DSYNC, "O_DSYNC"),
	x(unix.O_DIRECT, "O_DIRECT"),
	x(oLargefile, "O_LARGEFILE"),
	x(unix.O_NOFOLLOW, "O_NOFOLLOW"),
	x(unix.O_NOATIME, "O_NOATIME"),
	x(unix.O_CLOEXEC, "O_CLOEXEC"),
	x(unix.O_PATH, "O_PATH"),
	x(unix.O_TMPFILE, "O_TMPFILE"),
	x(oTmpfileBit, "__O_TMPFILE"),
	x(unix.O_DIRECTORY, "O_DIRECTORY"),
	x(unix.O_ASYNC, "FASYNC"), // FASYNC is O_ASYNC (include/uapi/asm-generic/fcntl.h)
}

// src/xlat/access_modes.in
var accessModes = xlat{
	x(unix.F_OK, "F_OK"),
	x(unix.R_OK, "R_OK"),
	x(unix.W_OK, "W_OK"),
	x(unix.X_OK, "X_OK"),
}

// src/xlat/faccessat_flags.in
var faccessatFlags = xlat{
	x(unix.AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"),
	x(unix.AT_EACCESS, "AT_EACCESS"),
	x(unix.AT_EMPTY_PATH, "AT_EMPTY_PATH"),
}

// src/xlat/at_flags.in
var atFlags = xlat{
	x(unix.AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"),
	x(unix.AT_REMOVEDIR, "AT_REMOVEDIR"),
	x(unix.AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"),
	x(unix.AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT"),
	x(unix.AT_EMPTY_PATH, "AT_EMPTY_PATH"),
	x(unix.AT_RECURSIVE, "AT_RECURSIVE"),
}

// src/xlat/at_statx_sync_types.in
var atStatxSyncTypes = xlat{
	x(unix.AT_STATX_SYNC_AS_STAT, "AT_STATX_SYNC_AS_STAT"),
	x(unix.AT_STATX_FORCE_SYNC, "AT_STATX_FORCE_SYNC"),
	x(unix.AT_STATX_DONT_SYNC, "AT_STATX_DONT_SYNC"),
	x(atStatxSyncType, "AT_STATX_SYNC_TYPE"),
}

// src/xlat/statx_masks.in
var statxMasks = xlat{
	x(unix.STATX_ALL, "STATX_ALL"),
	x(unix.STATX_BASIC_STATS, "STATX_BASIC_STATS"),
	x(unix.STATX_TYPE, "STATX_TYPE"),
	x(unix.STATX_MODE, "STATX_MODE"),
	x(unix.STATX_NLINK, "STATX_NLINK"),
	x(unix.STATX_UID, "STATX_UID"),
	x(unix.STATX_GID, "STATX_GID"),
	x(unix.STATX_ATIME, "STATX_ATIME"),
	x(unix.STATX_MTIME, "STATX_MTIME"),
	x(unix.STATX_CTIME, "STATX_CTIME"),
	x(unix.STATX_INO, "STATX_INO"),
	x(unix.STATX_SIZE, "STATX_SIZE"),
	x(unix.STATX_BLOCKS, "STATX_BLOCKS"),
	x(unix.STATX_BTIME, "STATX_BTIME"),
	x(unix.STATX_MNT_ID, "STATX_MNT_ID"),
	x(unix.STATX_DIOALIGN, "STATX_DIOALIGN"),
}

// src/xlat/rename_flags.in
var renameFlags = xlat{
	x(unix.RENAME_NOREPLACE, "RENAME_NOREPLACE"),
	x(unix.RENAME_EXCHANGE, "RENAME_EXCHANGE"),
	x(unix.RENAME_WHITEOUT, "RENAME_WHITEOUT"),
}

// src/xlat/addrfams.in
var addrFams = xlat{
	x(unix.AF_UNSPEC, "AF_UNSPEC"),
	x(unix.AF_UNIX, "AF_UNIX"),
	x(unix.AF_INET, "AF_INET"),
	x(unix.AF_AX25, "AF_AX25"),
	x(unix.AF_IPX, "AF_IPX"),
	x(unix.AF_APPLETALK, "AF_APPLETALK"),
	x(unix.AF_NETROM, "AF_NETROM"),
	x(unix.AF_BRIDGE, "AF_BRIDGE"),
	x(unix.AF_ATMPVC, "AF_ATMPVC"),
	x(unix.AF_X25, "AF_X25"),
	x(unix.AF_INET6, "AF_INET6"),
	x(unix.AF_ROSE, "AF_ROSE"),
	x(unix.AF_DECnet, "AF_DECnet"),
	x(unix.AF_NETBEUI, "AF_NETBEUI"),
	x(unix.AF_SECURITY, "AF_SECURITY"),
	x(unix.AF_KEY, "AF_KEY"),
	x(unix.AF_NETLINK, "AF_NETLINK"),
	x(unix.AF_PACKET, "AF_PACKET"),
	x(unix.AF_ASH, "AF_ASH"),
	x(unix.AF_ECONET, "AF_ECONET"),
	x(unix.AF_ATMSVC, "AF_ATMSVC"),
	x(unix.AF_RDS, "AF_RDS"),
	x(unix.AF_SNA, "AF_SNA"),
	x(unix.AF_IRDA, "AF_IRDA"),
	x(unix.AF_PPPOX, "AF_PPPOX"),
	x(unix.AF_WANPIPE, "AF_WANPIPE"),
	x(unix.AF_LLC, "AF_LLC"),
	x(unix.AF_IB, "AF_IB"),
	x(unix.AF_MPLS, "AF_MPLS"),
	x(unix.AF_CAN, "AF_CAN"),
	x(unix.AF_TIPC, "AF_TIPC"),
	x(unix.AF_BLUETOOTH, "AF_BLUETOOTH"),
	x(unix.AF_IUCV, "AF_IUCV"),
	x(unix.AF_RXRPC, "AF_RXRPC"),
	x(unix.AF_ISDN, "AF_ISDN"),
	x(unix.AF_PHONET, "AF_PHONET"),
	x(unix.AF_IEEE802154, "AF_IEEE802154"),
	x(unix.AF_CAIF, "AF_CAIF"),
	x(unix.AF_ALG, "AF_ALG"),
	x(unix.AF_NFC, "AF_NFC"),
	x(unix.AF_VSOCK, "AF_VSOCK"),
	x(unix.AF_KCM, "AF_KCM"),
	x(unix.AF_QIPCRTR, "AF_QIPCRTR"),
	x(unix.AF_SMC, "AF_SMC"),
	x(unix.AF_XDP, "AF_XDP"),
	x(unix.AF_MCTP, "AF_MCTP"),
}

// src/xlat/socktypes.in (the values of every arch but MIPS)
var sockTypes = xlat{
	x(unix.SOCK_STREAM, "SOCK_STREAM"),
	x(unix.SOCK_DGRAM, "SOCK_DGRAM"),
	x(unix.SOCK_RAW, "SOCK_RAW"),
	x(unix.SOCK_RDM, "SOCK_RDM"),
	x(unix.SOCK_SEQPACKET, "SOCK_SEQPACKET"),
	x(unix.SOCK_DCCP, "SOCK_DCCP"),
	x(unix.SOCK_PACKET, "SOCK_PACKET"),
}

// src/xlat/sock_type_flags.in
var sockTypeFlags = xlat{
	x(unix.SOCK_CLOEXEC, "SOCK_CLOEXEC"),
	x(unix.SOCK_NONBLOCK, "SOCK_NONBLOCK"),
}

// src/xlat/inet_protocols.in
var inetProtocols = xlat{
	x(unix.IPPROTO_IP, "IPPROTO_IP"),
	x(unix.IPPROTO_ICMP, "IPPROTO_ICMP"),
	x(unix.IPPROTO_IGMP, "IPPROTO_IGMP"),
	x(unix.IPPROTO_IPIP, "IPPROTO_IPIP"),
	x(unix.IPPROTO_TCP, "IPPROTO_TCP"),
	x(unix.IPPROTO_EGP, "IPPROTO_EGP"),
	x(unix.IPPROTO_PUP, "IPPROTO_PUP"),
	x(unix.IPPROTO_UDP, "IPPROTO_UDP"),
	x(unix.IPPROTO_IDP, "IPPROTO_IDP"),
	x(unix.IPPROTO_TP, "IPPROTO_TP"),
	x(unix.IPPROTO_DCCP, "IPPROTO_DCCP"),
	x(unix.IPPROTO_IPV6, "IPPROTO_IPV6"),
	x(unix.IPPROTO_ROUTING, "IPPROTO_ROUTING"),
	x(unix.IPPROTO_FRAGMENT, "IPPROTO_FRAGMENT"),
	x(unix.IPPROTO_RSVP, "IPPROTO_RSVP"),
	x(unix.IPPROTO_GRE, "IPPROTO_GRE"),
	x(unix.IPPROTO_ESP, "IPPROTO_ESP"),
	x(unix.IPPROTO_AH, "IPPROTO_AH"),
	x(unix.IPPROTO_ICMPV6, "IPPROTO_ICMPV6"),
	x(unix.IPPROTO_NONE, "IPPROTO_NONE"),
	x(unix.IPPROTO_DSTOPTS, "IPPROTO_DSTOPTS"),
	x(unix.IPPROTO_MTP, "IPPROTO_MTP"),
	x(unix.IPPROTO_BEETPH, "IPPROTO_BEETPH"),
	x(unix.IPPROTO_ENCAP, "IPPROTO_ENCAP"),
	x(unix.IPPROTO_PIM, "IPPROTO_PIM"),
	x(unix.IPPROTO_COMP, "IPPROTO_COMP"),
	x(unix.IPPROTO_L2TP, "IPPROTO_L2TP"),
	x(unix.IPPROTO_SCTP, "IPPROTO_SCTP"),
	x(unix.IPPROTO_MH, "IPPROTO_MH"),
	x(unix.IPPROTO_UDPLITE, "IPPROTO_UDPLITE"),
	x(unix.IPPROTO_MPLS, "IPPROTO_MPLS"),
	x(unix.IPPROTO_ETHERNET, "IPPROTO_ETHERNET"),
	x(unix.IPPROTO_RAW, "IPPROTO_RAW"),
	x(unix.IPPROTO_MPTCP, "IPPROTO_MPTCP"),
}

// src/xlat/netlink_protocols.in
var netlinkProtocols = xlat{
	x(unix.NETLINK_ROUTE, "NETLINK_ROUTE"),
	x(unix.NETLINK_UNUSED, "NETLINK_UNUSED"),
	x(unix.NETLINK_USERSOCK, "NETLINK_USERSOCK"),
	x(unix.NETLINK_FIREWALL, "NETLINK_FIREWALL"),
	x(unix.NETLINK_SOCK_DIAG, "NETLINK_SOCK_DIAG"),
	x(unix.NETLINK_NFLOG, "NETLINK_NFLOG"),
	x(unix.NETLINK_XFRM, "NETLINK_XFRM"),
	x(unix.NETLINK_SELINUX, "NETLINK_SELINUX"),
	x(unix.NETLINK_ISCSI, "NETLINK_ISCSI"),
	x(unix.NETLINK_AUDIT, "NETLINK_AUDIT"),
	x(unix.NETLINK_FIB_LOOKUP, "NETLINK_FIB_LOOKUP"),
	x(unix.NETLINK_CONNECTOR, "NETLINK_CONNECTOR"),
	x(unix.NETLINK_NETFILTER, "NETLINK_NETFILTER"),
	x(unix.NETLINK_IP6_FW, "NETLINK_IP6_FW"),
	x(unix.NETLINK_DNRTMSG, "NETLINK_DNRTMSG"),
	x(unix.NETLINK_KOBJECT_UEVENT, "NETLINK_KOBJECT_UEVENT"),
	x(unix.NETLINK_GENERIC, "NETLINK_GENERIC"),
	x(unix.NETLINK_SCSITRANSPORT, "NETLINK_SCSITRANSPORT"),
	x(unix.NETLINK_ECRYPTFS, "NETLINK_ECRYPTFS"),
	x(unix.NETLINK_RDMA, "NETLINK_RDMA"),
	x(unix.NETLINK_CRYPTO, "NETLINK_CRYPTO"),
	x(unix.NETLINK_SMC, "NETLINK_SMC"),
}

// src/xlat/msg_flags.in. MSG_PROBE is the kernel's name for the bit glibc
// and x/sys/unix call MSG_PROXY.
var msgFlags = xlat{
	x(unix.MSG_OOB, "MSG_OOB"),
	x(unix.MSG_PEEK, "MSG_PEEK"),
	x(unix.MSG_DONTROUTE, "MSG_DONTROUTE"),
	x(unix.MSG_CTRUNC, "MSG_CTRUNC"),
	x(unix.MSG_PROXY, "MSG_PROBE"),
	x(unix.MSG_TRUNC, "MSG_TRUNC"),
	x(unix.MSG_DONTWAIT, "MSG_DONTWAIT"),
	x(unix.MSG_EOR, "MSG_EOR"),
	x(unix.MSG_WAITALL, "MSG_WAITALL"),
	x(unix.MSG_FIN, "MSG_FIN"),
	x(unix.MSG_SYN, "MSG_SYN"),
	x(unix.MSG_CONFIRM, "MSG_CONFIRM"),
	x(unix.MSG_RST, "MSG_RST"),
	x(unix.MSG_ERRQUEUE, "MSG_ERRQUEUE"),
	x(unix.MSG_NOSIGNAL, "MSG_NOSIGNAL"),
	x(unix.MSG_MORE, "MSG_MORE"),
	x(unix.MSG_WAITFORONE, "MSG_WAITFORONE"),
	x(msgSendpageNotlast, "MSG_SENDPAGE_NOTLAST"),
	x(unix.MSG_BATCH, "MSG_BATCH"),
	x(msgNoSharedFrags, "MSG_NO_SHARED_FRAGS"),
	x(unix.MSG_ZEROCOPY, "MSG_ZEROCOPY"),
	x(unix.MSG_FASTOPEN, "MSG_FASTOPEN"),
	x(unix.MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC"),
	x(msgCmsgCompat, "MSG_CMSG_COMPAT"),
}

// src/xlat/clone_flags.in (the bits of clone(2)'s flags above CSIGNAL)
var cloneFlags = xlat{
	x(unix.CLONE_VM, "CLONE_VM"),
	x(unix.CLONE_FS, "CLONE_FS"),
	x(unix.CLONE_FILES, "CLONE_FILES"),
	x(unix.CLONE_SIGHAND, "CLONE_SIGHAND"),
	x(unix.CLONE_PIDFD, "CLONE_PIDFD"),
	x(unix.CLONE_PTRACE, "CLONE_PTRACE"),
	x(unix.CLONE_VFORK, "CLONE_VFORK"),
	x(unix.CLONE_PARENT, "CLONE_PARENT"),
	x(unix.CLONE_THREAD, "CLONE_THREAD"),
	x(unix.CLONE_NEWNS, "CLONE_NEWNS"),
	x(unix.CLONE_SYSVSEM, "CLONE_SYSVSEM"),
	x(unix.CLONE_SETTLS, "CLONE_SETTLS"),
	x(unix.CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"),
	x(unix.CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"),
	x(unix.CLONE_UNTRACED, "CLONE_UNTRACED"),
	x(unix.CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"),
	x(unix.CLONE_NEWCGROUP, "CLONE_NEWCGROUP"),
	x(unix.CLONE_NEWUTS, "CLONE_NEWUTS"),
	x(unix.CLONE_NEWIPC, "CLONE_NEWIPC"),
	x(unix.CLONE_NEWUSER, "CLONE_NEWUSER"),
	x(unix.CLONE_NEWPID, "CLONE_NEWPID"),
	x(unix.CLONE_NEWNET, "CLONE_NEWNET"),
	x(unix.CLONE_IO, "CLONE_IO"),
}

// src/xlat/clone3_flags.in: the clone_args.flags bits clone(2) cannot pass.
var clone3Flags = xlat{
	x(unix.CLONE_NEWTIME, "CLONE_NEWTIME"),
	x(unix.CLONE_CLEAR_SIGHAND, "CLONE_CLEAR_SIGHAND"),
	x(unix.CLONE_INTO_CGROUP, "CLONE_INTO_CGROUP"),
}

// cloneAllFlags is what strace's clone3 decoder tries: clone_flags, then
// clone3_flags.
var cloneAllFlags = append(append(xlat{}, cloneFlags...), clone3Flags...)

// src/xlat/ethernet_protocols.in (used for AF_PACKET's protocol)
var ethernetProtocols = xlat{
	x(unix.ETH_P_802_3, "ETH_P_802_3"),
	x(unix.ETH_P_AX25, "ETH_P_AX25"),
	x(unix.ETH_P_ALL, "ETH_P_ALL"),
	x(unix.ETH_P_802_2, "ETH_P_802_2"),
	x(unix.ETH_P_SNAP, "ETH_P_SNAP"),
	x(unix.ETH_P_DDCMP, "ETH_P_DDCMP"),
	x(unix.ETH_P_WAN_PPP, "ETH_P_WAN_PPP"),
	x(unix.ETH_P_PPP_MP, "ETH_P_PPP_MP"),
	x(unix.ETH_P_LOCALTALK, "ETH_P_LOCALTALK"),
	x(unix.ETH_P_CAN, "ETH_P_CAN"),
	x(unix.ETH_P_CANFD, "ETH_P_CANFD"),
	x(unix.ETH_P_CANXL, "ETH_P_CANXL"),
	x(unix.ETH_P_PPPTALK, "ETH_P_PPPTALK"),
	x(unix.ETH_P_TR_802_2, "ETH_P_TR_802_2"),
	x(unix.ETH_P_MOBITEX, "ETH_P_MOBITEX"),
	x(unix.ETH_P_CONTROL, "ETH_P_CONTROL"),
	x(unix.ETH_P_IRDA, "ETH_P_IRDA"),
	x(unix.ETH_P_ECONET, "ETH_P_ECONET"),
	x(unix.ETH_P_HDLC, "ETH_P_HDLC"),
	x(unix.ETH_P_ARCNET, "ETH_P_ARCNET"),
	x(unix.ETH_P_DSA, "ETH_P_DSA"),
	x(unix.ETH_P_TRAILER, "ETH_P_TRAILER"),
	x(unix.ETH_P_LOOP, "ETH_P_LOOP"),
	x(unix.ETH_P_PHONET, "ETH_P_PHONET"),
	x(unix.ETH_P_IEEE802154, "ETH_P_IEEE802154"),
	x(unix.ETH_P_CAIF, "ETH_P_CAIF"),
	x(unix.ETH_P_XDSA, "ETH_P_XDSA"),
	x(unix.ETH_P_MAP, "ETH_P_MAP"),
	x(unix.ETH_P_MCTP, "ETH_P_MCTP"),
	x(unix.ETH_P_PUP, "ETH_P_PUP"),
	x(unix.ETH_P_PUPAT, "ETH_P_PUPAT"),
	x(unix.ETH_P_802_3_MIN, "ETH_P_802_3_MIN"),
	x(unix.ETH_P_IP, "ETH_P_IP"),
	x(unix.ETH_P_X25, "ETH_P_X25"),
	x(unix.ETH_P_ARP, "ETH_P_ARP"),
	x(unix.ETH_P_BPQ, "ETH_P_BPQ"),
	x(unix.ETH_P_IEEEPUP, "ETH_P_IEEEPUP"),
	x(unix.ETH_P_IEEEPUPAT, "ETH_P_IEEEPUPAT"),
	x(unix.ETH_P_ERSPAN2, "ETH_P_ERSPAN2"),
	x(unix.ETH_P_TSN, "ETH_P_TSN"),
	x(unix.ETH_P_BATMAN, "ETH_P_BATMAN"),
	x(unix.ETH_P_DEC, "ETH_P_DEC"),
	x(unix.ETH_P_DNA_DL, "ETH_P_DNA_DL"),
	x(unix.ETH_P_DNA_RC, "ETH_P_DNA_RC"),
	x(unix.ETH_P_DNA_RT, "ETH_P_DNA_RT"),
	x(unix.ETH_P_LAT, "ETH_P_LAT"),
	x(unix.ETH_P_DIAG, "ETH_P_DIAG"),
	x(unix.ETH_P_CUST, "ETH_P_CUST"),
	x(unix.ETH_P_SCA, "ETH_P_SCA"),
	x(unix.ETH_P_TEB, "ETH_P_TEB"),
	x(unix.ETH_P_RARP, "ETH_P_RARP"),
	x(unix.ETH_P_ATALK, "ETH_P_ATALK"),
	x(unix.ETH_P_AARP, "ETH_P_AARP"),
	x(unix.ETH_P_8021Q, "ETH_P_8021Q"),
	x(unix.ETH_P_IPX, "ETH_P_IPX"),
	x(unix.ETH_P_IPV6, "ETH_P_IPV6"),
	x(unix.ETH_P_PAUSE, "ETH_P_PAUSE"),
	x(unix.ETH_P_SLOW, "ETH_P_SLOW"),
	x(unix.ETH_P_WCCP, "ETH_P_WCCP"),
	x(unix.ETH_P_MPLS_UC, "ETH_P_MPLS_UC"),
	x(unix.ETH_P_MPLS_MC, "ETH_P_MPLS_MC"),
	x(unix.ETH_P_ATMMPOA, "ETH_P_ATMMPOA"),
	x(unix.ETH_P_PPP_DISC, "ETH_P_PPP_DISC"),
	x(unix.ETH_P_PPP_SES, "ETH_P_PPP_SES"),
	x(unix.ETH_P_LINK_CTL, "ETH_P_LINK_CTL"),
	x(unix.ETH_P_ATMFATE, "ETH_P_ATMFATE"),
	x(unix.ETH_P_PAE, "ETH_P_PAE"),
	x(unix.ETH_P_REALTEK, "ETH_P_REALTEK"),
	x(unix.ETH_P_AOE, "ETH_P_AOE"),
	x(unix.ETH_P_8021AD, "ETH_P_8021AD"),
	x(unix.ETH_P_802_EX1, "ETH_P_802_EX1"),
	x(unix.ETH_P_ERSPAN, "ETH_P_ERSPAN"),
	x(unix.ETH_P_PREAUTH, "ETH_P_PREAUTH"),
	x(unix.ETH_P_TIPC, "ETH_P_TIPC"),
	x(unix.ETH_P_LLDP, "ETH_P_LLDP"),
	x(unix.ETH_P_MRP, "ETH_P_MRP"),
	x(unix.ETH_P_MACSEC, "ETH_P_MACSEC"),
	x(unix.ETH_P_8021AH, "ETH_P_8021AH"),
	x(unix.ETH_P_MVRP, "ETH_P_MVRP"),
	x(unix.ETH_P_1588, "ETH_P_1588"),
	x(unix.ETH_P_NCSI, "ETH_P_NCSI"),
	x(unix.ETH_P_PRP, "ETH_P_PRP"),
	x(unix.ETH_P_CFM, "ETH_P_CFM"),
	x(unix.ETH_P_FCOE, "ETH_P_FCOE"),
	x(unix.ETH_P_TDLS, "ETH_P_TDLS"),
	x(unix.ETH_P_FIP, "ETH_P_FIP"),
	x(unix.ETH_P_IBOE, "ETH_P_IBOE"),
	x(unix.ETH_P_80221, "ETH_P_80221"),
	x(unix.ETH_P_HSR, "ETH_P_HSR"),
	x(unix.ETH_P_NSH, "ETH_P_NSH"),
	x(unix.ETH_P_LOOPBACK, "ETH_P_LOOPBACK"),
	x(unix.ETH_P_QINQ1, "ETH_P_QINQ1"),
	x(unix.ETH_P_QINQ2, "ETH_P_QINQ2"),
	x(unix.ETH_P_QINQ3, "ETH_P_QINQ3"),
	x(unix.ETH_P_EDSA, "ETH_P_EDSA"),
	x(unix.ETH_P_DSA_8021Q, "ETH_P_DSA_8021Q"),
	x(unix.ETH_P_DSA_A5PSW, "ETH_P_DSA_A5PSW"),
	x(unix.ETH_P_IFE, "ETH_P_IFE"),
	x(unix.ETH_P_AF_IUCV, "ETH_P_AF_IUCV"),
}

// lookup returns the name of the first entry whose value is v (strace's
// xlookup).
func (t xlat) lookup(v uint64) (string, bool) {
	for _, e := range t {
		if e.v == v && e.name != "" {
			return e.name, true
		}
	}
	return "", false
}

// hex is strace's %#llx: "0" for zero, "0x..." otherwise.
func hex(v uint64) string {
	if v == 0 {
		return "0"
	}
	return "0x" + strconv.FormatUint(v, 16)
}

// appendHex is hex appending to dst.
func appendHex(dst []byte, v uint64) []byte {
	if v == 0 {
		return append(dst, '0')
	}
	return strconv.AppendUint(append(dst, "0x"...), v, 16)
}

// comment is strace's tprints_comment: " /* s */", nothing for "".
func comment(s string) string {
	if s == "" {
		return ""
	}
	return " /* " + s + " */"
}

// xvalText prints v as its name, or as hex with dflt in a comment when the
// table does not know it (strace's printxval).
func xvalText(t xlat, v uint64, dflt string) string {
	if name, ok := t.lookup(v); ok {
		return name
	}
	return hex(v) + comment(dflt)
}

// flagsText prints a flag set as strace's printflags does: the names of the
// entries whose bits are all set, in table order, joined by "|", then any
// bits left as hex. An entry of value 0 matches only v == 0. With nothing
// matched it prints the hex value and dflt in a comment; v == 0 with no
// zero entry prints "0" (nothing when dflt is "", as strace's NULL dflt).
func flagsText(t xlat, v uint64, dflt string) string {
	return string(appendFlags(nil, t, v, dflt))
}

// appendFlags is flagsText appending to dst.
func appendFlags(dst []byte, t xlat, v uint64, dflt string) []byte {
	b := dst
	n := 0
	for _, e := range t {
		if !(v != 0 || n == 0) {
			break
		}
		if e.name != "" && (v == e.v || (e.v != 0 && v&e.v == e.v)) {
			if n > 0 {
				b = append(b, '|')
			}
			b = append(b, e.name...)
			n++
			v &^= e.v
		}
		if v == 0 {
			break
		}
	}
	switch {
	case n > 0:
		if v != 0 {
			b = appendHex(append(b, '|'), v)
		}
	case v != 0:
		b = appendHex(b, v)
		if dflt != "" {
			b = append(append(append(b, " /* "...), dflt...), " */"...)
		}
	case dflt != "":
		b = append(b, '0')
	}
	return b
}

// src/xlat/can_protocols.in (strace also uses it for AF_IRDA)
var canProtocols = xlat{
	x(unix.CAN_RAW, "CAN_RAW"),
	x(unix.CAN_BCM, "CAN_BCM"),
	x(unix.CAN_TP16, "CAN_TP16"),
	x(unix.CAN_TP20, "CAN_TP20"),
	x(unix.CAN_MCNET, "CAN_MCNET"),
	x(unix.CAN_ISOTP, "CAN_ISOTP"),
	x(unix.CAN_J1939, "CAN_J1939"),
}

// src/xlat/bt_protocols.in
var btProtocols = xlat{
	x(unix.BTPROTO_L2CAP, "BTPROTO_L2CAP"),
	x(unix.BTPROTO_HCI, "BTPROTO_HCI"),
	x(unix.BTPROTO_SCO, "BTPROTO_SCO"),
	x(unix.BTPROTO_RFCOMM, "BTPROTO_RFCOMM"),
	x(unix.BTPROTO_BNEP, "BTPROTO_BNEP"),
	x(unix.BTPROTO_CMTP, "BTPROTO_CMTP"),
	x(unix.BTPROTO_HIDP, "BTPROTO_HIDP"),
	x(unix.BTPROTO_AVDTP, "BTPROTO_AVDTP"),
}

// xs is x for the generated tables, whose values may be negative C ints
// (RUSAGE_CHILDREN is -1): strace's XLAT() stores those as unsigned int.
func xs(v int64, name string) xval {
	if v < 0 {
		return xval{uint64(uint32(v)), name}
	}
	return xval{uint64(v), name}
}
