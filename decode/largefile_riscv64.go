package decode

// oLargefile is O_LARGEFILE as the kernel defines it for this arch
// (include/uapi/asm-generic/fcntl.h: 00100000). x/sys/unix gives 0 here
// because glibc hides the flag on 64-bit arches; the kernel and strace do not.
const oLargefile = 0o100000
