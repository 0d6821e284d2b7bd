package doctor

import "runtime"

// LabNeeds are what every lab check needs on this OS: a check that builds a
// lab asks for these, plus its own extras, so that nothing above the doctor
// has to know which OS it runs on.
func LabNeeds() []Need {
	switch runtime.GOOS {
	case "linux":
		return []Need{NeedRoot, NeedNetns, NeedVeth, NeedAFPacket, NeedIPv6}
	case "darwin":
		return []Need{NeedRoot, NeedFeth, NeedFethPeer, NeedBPF, NeedIPv6}
	}
	return []Need{NeedRoot}
}
