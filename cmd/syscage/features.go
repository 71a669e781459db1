package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/syscage/syscage/supervisor"
)

// cmdFeatures prints what the kernel offers and what syscage uses of it,
// as runc features does.
func cmdFeatures(args []string) int {
	fs := pflag.NewFlagSet("syscage features", pflag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		usageError(err.Error())
		return exitUsage
	}
	f := supervisor.ProbeFeatures()
	if *asJSON {
		b, _ := json.MarshalIndent(f, "", "  ")
		fmt.Println(string(b))
		return 0
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	fmt.Printf("kernel                      %s\n", f.Kernel)
	fmt.Printf("user notification (5.0)     %s\n", yes(f.UserNotif))
	probed := func(name string, b bool) string {
		if slices.Contains(f.Unknown, name) {
			return "unknown (see the probe error)"
		}
		return yes(b)
	}
	fmt.Printf("CONTINUE (5.5)              %s\n", probed("continue", f.Continue))
	fmt.Printf("ADDFD (5.9)                 %s\n", probed("addfd", f.AddFD))
	fmt.Printf("TSYNC_ESRCH (5.7)           %s\n", yes(f.TSyncESRCH))
	fmt.Printf("WAIT_KILLABLE_RECV (5.19)   %s\n", yes(f.WaitKillableRecv))
	fmt.Printf("SYNC_WAKE_UP (6.6)          %s\n", probed("sync_wake_up", f.SyncWakeUp))
	fmt.Printf("process_vm_readv allowed    %s\n", yes(f.ProcessVMReadv))
	fmt.Printf("pidfd_getfd allowed         %s\n", yes(f.PidfdGetfd))
	fmt.Printf("arches                      %s\n", strings.Join(f.Arches, ", "))
	fmt.Printf("syscage uses                %s\n", strings.Join(f.Uses, ", "))
	if f.Error != "" {
		fmt.Printf("probe error                 %s\n", f.Error)
	}
	return 0
}
