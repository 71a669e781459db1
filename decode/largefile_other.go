//go:build !amd64 && !arm64 && !riscv64

package decode

import "golang.org/x/sys/unix"

// oLargefile is O_LARGEFILE as x/sys/unix gives it for this arch. On a
// 64-bit arch where that is 0 the flag prints as a number.
const oLargefile = unix.O_LARGEFILE
