package main

import (
	_ "github.com/bmatcuk/doublestar/v4"
	_ "github.com/seccomp/libseccomp-golang"
	_ "github.com/spf13/pflag"
	_ "golang.org/x/net/bpf"
	_ "golang.org/x/sys/unix"
	_ "gopkg.in/yaml.v3"
)

func main() {}
