package macos

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type fakeRunner struct {
	calls  []string
	failOn string // a call containing this fails
	out    string // what the failing call prints; "" means a peering EBUSY
}

func (r *fakeRunner) run(_ context.Context, name string, args ...string) ([]byte, error) {
	call := strings.Join(append([]string{name}, args...), " ")
	r.calls = append(r.calls, call)
	if r.failOn != "" && strings.Contains(call, r.failOn) {
		out := r.out
		if out == "" {
			out = "ifconfig: SIOCSDRVSPEC: Device busy"
		}
		return []byte(out), errors.New("exit status 1")
	}
	return nil, nil
}

func TestFethUnit(t *testing.T) {
	for _, tc := range []struct {
		name string
		unit int
		ok   bool
	}{
		{"feth0", 0, true}, {"feth42", 42, true}, {"feth65535", 65535, true},
		{"feth", 0, false}, {"feth01", 0, false}, {"en0", 0, false}, {"feth65536", 0, false}, {"feth-1", 0, false},
	} {
		u, err := FethUnit(tc.name)
		if (err == nil) != tc.ok || u != tc.unit {
			t.Errorf("FethUnit(%q) = %d, %v", tc.name, u, err)
		}
	}
}

func TestFethMAC(t *testing.T) {
	for _, tc := range []struct {
		unit int
		want string
	}{{0, "66:65:74:68:00:00"}, {1, "66:65:74:68:00:01"}, {258, "66:65:74:68:01:02"}} {
		if got := FethMAC(tc.unit).String(); got != tc.want {
			t.Errorf("FethMAC(%d) = %s, want %s", tc.unit, got, tc.want)
		}
	}
}

func TestFethsCreatePair(t *testing.T) {
	for _, tc := range []struct {
		name    string
		failOn  string
		want    []string
		wantErr bool
	}{
		{"ok", "", []string{
			"/sbin/ifconfig feth10 create", "/sbin/ifconfig feth11 create",
			"/sbin/ifconfig feth10 peer feth11",
			"/sbin/ifconfig feth10 up", "/sbin/ifconfig feth11 up",
		}, false},
		{"peer busy rolls back", "peer", []string{
			"/sbin/ifconfig feth10 create", "/sbin/ifconfig feth11 create",
			"/sbin/ifconfig feth10 peer feth11",
			"/sbin/ifconfig feth10 destroy", "/sbin/ifconfig feth11 destroy",
		}, true},
		{"second create fails", "feth11 create", []string{
			"/sbin/ifconfig feth10 create", "/sbin/ifconfig feth11 create",
			"/sbin/ifconfig feth10 destroy",
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeRunner{failOn: tc.failOn}
			err := Feths{Run: r.run}.CreatePair(context.Background(), "feth10", "feth11")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil && !strings.Contains(err.Error(), "Device busy") {
				t.Errorf("error %q lacks ifconfig's output", err)
			}
			if strings.Join(r.calls, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(r.calls, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestFethsRejectsBadNames(t *testing.T) {
	r := &fakeRunner{}
	f := Feths{Run: r.run}
	ctx := context.Background()
	for _, err := range []error{
		f.Create(ctx, "en0"),
		f.Peer(ctx, "feth0", "bridge0"),
		f.Peer(ctx, "feth0", "feth0"),
		f.Destroy(ctx, "feth0; reboot"),
	} {
		if err == nil {
			t.Error("expected an error")
		}
	}
	if len(r.calls) != 0 {
		t.Errorf("ran %v", r.calls)
	}
}

// TestFethsCreateBusy: only a create answered EBUSY (the name of a destroyed
// interface still detaching) is ErrNameBusy; the lab moves to other units on
// it. A peering EBUSY or an existing name is another failure.
func TestFethsCreateBusy(t *testing.T) {
	for _, tc := range []struct {
		name, failOn, out string
		busy              bool
	}{
		{"create answered EBUSY (macOS libc wording)", "feth10 create", "ifconfig: SIOCIFCREATE2: Resource busy", true},
		{"create answered EBUSY (FreeBSD wording)", "feth11 create", "ifconfig: SIOCIFCREATE2: Device busy", true},
		{"name exists", "feth10 create", "ifconfig: SIOCIFCREATE2: File exists", false},
		{"peer busy", "peer", "ifconfig: SIOCSDRVSPEC ifconfig_fake_set_peer: Resource busy", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeRunner{failOn: tc.failOn, out: tc.out}
			err := Feths{Run: r.run}.CreatePair(context.Background(), "feth10", "feth11")
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrNameBusy) != tc.busy {
				t.Errorf("errors.Is(%q, ErrNameBusy) = %v, want %v", err, !tc.busy, tc.busy)
			}
			if !strings.Contains(err.Error(), tc.out) {
				t.Errorf("error %q lacks ifconfig's output", err)
			}
		})
	}
}
