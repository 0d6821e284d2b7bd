package html

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// value is a JSON value decoded with its object keys in document order: a
// check writes its observations in the order a person should read them, and a
// Go map would shuffle them.
type value struct {
	kind   kind
	scalar string  // the text of a string, number, bool or null
	num    float64 // for numbers
	keys   []string
	fields map[string]*value
	items  []*value
}

type kind int

const (
	kNull kind = iota
	kString
	kNumber
	kBool
	kObject
	kArray
)

// parseJSON decodes raw into a value. Empty input is a null value.
func parseJSON(raw []byte) (*value, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return &value{kind: kNull, scalar: "null"}, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	v, err := decodeValue(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

func decodeValue(d *json.Decoder) (*value, error) {
	t, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := &value{kind: kObject, fields: map[string]*value{}}
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				fv, err := decodeValue(d)
				if err != nil {
					return nil, err
				}
				if _, dup := v.fields[k]; !dup {
					v.keys = append(v.keys, k)
				}
				v.fields[k] = fv
			}
			_, err := d.Token() // '}'
			return v, err
		case '[':
			v := &value{kind: kArray}
			for d.More() {
				iv, err := decodeValue(d)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, iv)
			}
			_, err := d.Token() // ']'
			return v, err
		}
		return nil, fmt.Errorf("unexpected delimiter %v", t)
	case string:
		return &value{kind: kString, scalar: t}, nil
	case json.Number:
		f, _ := t.Float64()
		return &value{kind: kNumber, scalar: t.String(), num: f}, nil
	case bool:
		return &value{kind: kBool, scalar: fmt.Sprint(t)}, nil
	case nil:
		return &value{kind: kNull, scalar: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %T", t)
}

// get returns the field k of an object, or nil.
func (v *value) get(k string) *value {
	if v == nil || v.kind != kObject {
		return nil
	}
	return v.fields[k]
}

// str returns the field k as text ("" when absent or not a scalar).
func (v *value) str(k string) string {
	f := v.get(k)
	if f == nil || f.kind == kObject || f.kind == kArray || f.kind == kNull {
		return ""
	}
	return f.scalar
}

// numOK returns the field k as a number.
func (v *value) numOK(k string) (float64, bool) {
	f := v.get(k)
	if f == nil || f.kind != kNumber {
		return 0, false
	}
	return f.num, true
}

// isTrue reports whether field k is the JSON literal true.
func (v *value) isTrue(k string) bool {
	f := v.get(k)
	return f != nil && f.kind == kBool && f.scalar == "true"
}

// compact renders v as one line of JSON-like text, for table cells.
func (v *value) compact(limit int) string {
	var b bytes.Buffer
	v.writeCompact(&b)
	s := b.String()
	if limit > 0 && len(s) > limit {
		s = s[:limit] + "…"
	}
	return s
}

func (v *value) writeCompact(b *bytes.Buffer) {
	switch v.kind {
	case kString:
		b.WriteString(v.scalar)
	case kObject:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteString(": ")
			v.fields[k].writeCompact(b)
		}
		b.WriteByte('}')
	case kArray:
		b.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				b.WriteString(", ")
			}
			it.writeCompact(b)
		}
		b.WriteByte(']')
	default:
		b.WriteString(v.scalar)
	}
}
