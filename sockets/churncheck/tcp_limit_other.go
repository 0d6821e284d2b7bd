//go:build !linux

package churncheck

import (
	"context"

	"github.com/netconform/netconform/sockets/tcpchurn"
)

func measureTCPLimited(context.Context, string, string, int64, string, tcpchurn.Config, startFunc) (tcpchurn.Measurement, error) {
	return tcpchurn.Measurement{}, errNoCgroups
}
