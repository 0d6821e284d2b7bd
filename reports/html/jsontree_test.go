package html

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseJSONKeepsOrderAndValues(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`{"z":1,"a":[true,false,null],"m":{"k":"v"}}`, `{z: 1, a: [true, false, null], m: {k: v}}`},
		{`[1.5e3, -2, "a\"b\u003c", "é"]`, `[1.5e3, -2, a"b<, é]`},
		{`  "x"  `, `x`},
		{`{"a":1,"a":2}`, `{a: 2}`},
		{``, `null`},
	}
	for _, tt := range tests {
		v, err := parseJSON([]byte(tt.in))
		if err != nil {
			t.Errorf("parseJSON(%q): %v", tt.in, err)
			continue
		}
		if got := v.compact(0); got != tt.want {
			t.Errorf("parseJSON(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{`{"a":`, `[1,]`, `{"a" 1}`, `nul`, `{"a":1}x`, `[}`, `{,}`, `"abc`, `[1 2]`, `-`, `{"a":1,}`, "\"\\u12\""} {
		if _, err := parseJSON([]byte(bad)); err == nil {
			t.Errorf("parseJSON(%q) accepted invalid JSON", bad)
		}
	}
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	if _, err := parseJSON([]byte(deep)); err != nil {
		t.Errorf("nesting 100: %v", err)
	}
	deep = strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	if _, err := parseJSON([]byte(deep)); err == nil {
		t.Errorf("nesting 100000 accepted: the stack is at risk")
	}
}

// FuzzParseJSON: whatever encoding/json accepts, parseJSON accepts too, and
// nothing makes it panic or loop.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}]}`, `[}`, `"\u00e9"`, `-1.5e-3`, `{"a":1,}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := parseJSON(b)
		if err != nil && json.Valid(b) && len(b) < 1000 && !strings.Contains(string(b), "[[[[") {
			t.Errorf("parseJSON rejected valid JSON %q: %v", b, err)
		}
	})
}

// TestAppendJSONRoundTrips: a parsed document written back is JSON with the
// same values (the churn view decodes its facts from it).
func TestAppendJSONRoundTrips(t *testing.T) {
	in := `{"a":"q\"uo\\te </script>\u0001 é","n":-1.5e3,"t":true,"z":null,"l":[1,{"k":"v"},[]],"o":{}}`
	v, err := parseJSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	out := v.appendJSON(nil)
	var want, got any
	if err := json.Unmarshal([]byte(in), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("not JSON: %s: %v", out, err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("round trip: %s", out)
	}
}
