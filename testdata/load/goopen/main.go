// goopen: 8 goroutines open PATH TOTAL times in all; the Go runtime sends
// SIGURG to its threads meanwhile. Prints: opened=N.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
)

func main() {
	path := os.Args[1]
	total, _ := strconv.Atoi(os.Args[2])
	var opened atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < total; i += 8 {
				f, err := os.Open(path)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				f.Close()
				opened.Add(1)
			}
		}(g)
	}
	wg.Wait()
	fmt.Printf("opened=%d\n", opened.Load())
}
