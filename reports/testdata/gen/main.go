// Command gen writes the report fixtures in reports/testdata (see package
// reports/fixtures: every registered check, its observations real values of
// its view's observation type).
//
//	go run ./reports/testdata/gen   (from the repository root)
package main

import (
	"log"
	"os"

	"github.com/netconform/netconform/reports/fixtures"
)

func main() {
	out := "reports/testdata"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := fixtures.Write(out); err != nil {
		log.Fatal(err)
	}
}
