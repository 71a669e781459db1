module github.com/syscage/syscage

go 1.26.0

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4
	github.com/seccomp/libseccomp-golang v0.11.1
	github.com/spf13/pflag v1.1.0
	golang.org/x/net v0.62.0
	golang.org/x/sys v0.50.0
	gopkg.in/yaml.v3 v3.0.1
)
