package decode

// oLargefile is O_LARGEFILE as the kernel defines it for this arch
// (arch/arm64/include/uapi/asm/fcntl.h: 0400000). x/sys/unix gives 0 here
// because glibc hides the flag on 64-bit arches; the kernel and strace do not.
const oLargefile = 0o400000
