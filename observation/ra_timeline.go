package observation

// ViewRATimeline: a list of RATimeline, one per lab, for the checks whose
// routers' Router Advertisements change over time (RFC 4191 preference and
// route information, RFC 4861 router lifetime, RFC 6724 rule 3, RFC 8978):
// what each router sent and when, what the SUT's tables made of it, and
// where each new flow went.
const ViewRATimeline = "ra-timeline"

func init() { Register(ViewRATimeline) }

// RATimeline is one lab of such a check: the routers on its link, and the
// events in the order they happened.
type RATimeline struct {
	// Lab says which variant of the check this lab is ("RA order a,b; a
	// High, b Low").
	Lab string `json:"lab"`
	// ObservationOnly is set for a lab whose flows are recorded and not
	// judged (RFC 8978's stale prefix): it gives no verdict.
	ObservationOnly bool             `json:"observation_only,omitempty"`
	Routers         []TimelineRouter `json:"routers"`
	Events          []TimelineEvent  `json:"events"`
	// Notes are what the lab shows beyond the verdict, in words (what the
	// SUT did with a lifetime, how long a stale address stayed in use).
	Notes []string `json:"notes,omitempty"`
}

// TimelineRouter is an emulated router of the lab.
type TimelineRouter struct {
	Name      string `json:"name"`
	MAC       string `json:"mac"`
	LinkLocal string `json:"link_local"`
	Link      string `json:"link"`
}

// TimelineEvent is one thing that happened, AtMS milliseconds after the
// lab's routers started; exactly one of RA, Effect, Flow, Address is set.
// Step names the step of the check's timeline it belongs to.
type TimelineEvent struct {
	AtMS    float64       `json:"at_ms"`
	Step    string        `json:"step,omitempty"`
	RA      *RAEvent      `json:"ra,omitempty"`
	Effect  *EffectEvent  `json:"effect,omitempty"`
	Flow    *FlowEvent    `json:"flow,omitempty"`
	Address *AddressEvent `json:"address,omitempty"`
}

// InfiniteLifetime is the all-ones lifetime of RFC 4861 §4.6.2 (infinity).
const InfiniteLifetime = ^uint32(0)

// RAEvent is a Router Advertisement an emulated router sent to all nodes.
type RAEvent struct {
	Router string `json:"router"`
	// Solicited: an answer to the SUT's Router Solicitation, carrying the
	// router's current advertisement (not a step of the timeline).
	Solicited bool `json:"solicited,omitempty"`
	// Preference is the RFC 4191 Default Router Preference: high, medium,
	// low.
	Preference string `json:"preference"`
	// RouterLifetime in seconds; 0: not a default router (RFC 4861 §6.3.4).
	RouterLifetime uint32     `json:"router_lifetime"`
	Prefixes       []PIOEvent `json:"prefixes,omitempty"`
	Routes         []RIOEvent `json:"routes,omitempty"`
}

// PIOEvent is a Prefix Information Option (on-link, autonomous); lifetimes
// in seconds.
type PIOEvent struct {
	Prefix    string `json:"prefix"`
	Valid     uint32 `json:"valid_lifetime"`
	Preferred uint32 `json:"preferred_lifetime"`
}

// RIOEvent is an RFC 4191 Route Information Option; lifetime in seconds, 0
// withdraws the route.
type RIOEvent struct {
	Prefix     string `json:"prefix"`
	Preference string `json:"preference"`
	Lifetime   uint32 `json:"lifetime"`
}

// EffectEvent is the wait, after a step's advertisements, for the SUT's
// tables to show what a stack that processed them shows (an address, a
// route gone, a deprecated flag). It paces the flows: new flows start when
// the tables show it, or when the wait ends; the wire judges them either
// way.
type EffectEvent struct {
	Awaited []string `json:"awaited"`
	Seen    bool     `json:"seen"`
	// AfterMS is how long it took (or how long the wait lasted).
	AfterMS float64 `json:"after_ms"`
	// Missing are the awaited facts the tables still did not show when the
	// wait ended.
	Missing []string `json:"missing,omitempty"`
}

// A flow's hops are Hops (firsthops.go): where some of its datagrams went,
// the router whose MAC the frames were sent to, marked by the judge.

// FlowEvent is one new flow from the SUT (a fresh UDP socket sending a few
// datagrams) and where it went.
type FlowEvent struct {
	// Purpose says why the flow was sent ("which address does the SUT use
	// for new flows?", "after the withdrawal").
	Purpose string `json:"purpose"`
	// Judged flows make the verdict; the others are observations.
	Judged bool `json:"judged"`
	// BoundTo is the address the socket was bound to; empty: unbound, the
	// kernel chose the source.
	BoundTo string `json:"bound_to,omitempty"`
	// Source is the source the kernel used (empty when no socket got that
	// far).
	Source      string   `json:"source"`
	Destination string   `json:"destination"`
	Sent        int      `json:"sent"`
	SendErrors  []string `json:"send_errors,omitempty"`
	// Accepted is how many datagrams the stack took (none when a set-up
	// call was refused).
	Accepted int   `json:"accepted"`
	Wire     []Hop `json:"wire"`
	// ExpectedRouters may receive the flow; ExpectedSourcePrefix, when
	// set, is the prefix its source must lie in (a prefix, not one
	// address: a stack may hold several in it, temporary ones included).
	ExpectedRouters      []string `json:"expected_routers,omitempty"`
	ExpectedSourcePrefix string   `json:"expected_source_prefix,omitempty"`
	// ExpectedSourceWhy says which rule asks for ExpectedSourcePrefix.
	ExpectedSourceWhy string `json:"expected_source_why,omitempty"`
	// SilentLinks: links on which the capture saw no frame from the SUT.
	SilentLinks []string `json:"silent_links,omitempty"`
	// Table is the SUT's routing table's answer for the flow (`route get`),
	// TableRouter the router it names, TableAgrees whether the wire went
	// there too.
	Table       string `json:"table"`
	TableRouter string `json:"table_router"`
	TableAgrees bool   `json:"table_agrees"`
	// Outcome is the flow's judgement in words: "as expected", or what was
	// wrong; empty for a flow that is not judged.
	Outcome string `json:"outcome,omitempty"`
}

// AddressEvent is an address of the SUT as its kernel held it at that
// moment: flags and remaining lifetimes in seconds (nil: not readable).
type AddressEvent struct {
	Address   string   `json:"address"`
	Flags     []string `json:"flags,omitempty"`
	Valid     *uint32  `json:"valid_lifetime,omitempty"`
	Preferred *uint32  `json:"preferred_lifetime,omitempty"`
	Note      string   `json:"note,omitempty"`
	Gone      bool     `json:"gone,omitempty"`
}
