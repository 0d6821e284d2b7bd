package html

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// value is a JSON value decoded with its object keys in document order: a
// check writes its observations in the order a person should read them, and a
// Go map would shuffle them.
type value struct {
	kind   kind
	scalar string   // the text of a string, number, bool or null
	num    float64  // for numbers
	keys   []string // object keys in order, each once
	vals   []*value // vals[i] is the value of keys[i]; objects are small, a scan beats a map
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

// parseJSON decodes raw into a value. Empty input is a null value. It is a
// small recursive-descent parser rather than json.Decoder.Token, which is
// several times slower (the regression report renders every run's
// observations). Malformed input is an error, never a panic or a loop.
func parseJSON(raw []byte) (v *value, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return &value{kind: kNull, scalar: "null"}, nil
	}
	p := parser{b: raw}
	v = p.value(0)
	p.ws()
	if p.err == nil && p.i != len(p.b) {
		p.fail("trailing data")
	}
	if p.err != nil {
		return nil, p.err
	}
	return v, nil
}

// maxNesting stops a pathological document from exhausting the stack.
const maxNesting = 200

type parser struct {
	b   []byte
	i   int
	err error
}

func (p *parser) fail(what string) {
	if p.err == nil {
		p.err = fmt.Errorf("observations are not valid JSON: %s at byte %d", what, p.i)
	}
	p.i = len(p.b) // stop every loop
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *parser) literal(lit string, v *value) *value {
	if !bytes.HasPrefix(p.b[p.i:], []byte(lit)) {
		p.fail("bad literal")
		return &value{kind: kNull, scalar: "null"}
	}
	p.i += len(lit)
	return v
}

func (p *parser) value(depth int) *value {
	p.ws()
	if depth > maxNesting {
		p.fail("nested too deep")
	}
	switch c := p.peek(); {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return &value{kind: kString, scalar: p.str()}
	case c == 't':
		return p.literal("true", &value{kind: kBool, scalar: "true"})
	case c == 'f':
		return p.literal("false", &value{kind: kBool, scalar: "false"})
	case c == 'n':
		return p.literal("null", &value{kind: kNull, scalar: "null"})
	case c == '-' || c >= '0' && c <= '9':
		start := p.i
		for p.i < len(p.b) && strings.IndexByte("+-0123456789.eE", p.b[p.i]) >= 0 {
			p.i++
		}
		s := string(p.b[start:p.i])
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			p.fail("bad number")
		}
		return &value{kind: kNumber, scalar: s, num: f}
	}
	p.fail("unexpected character")
	return &value{kind: kNull, scalar: "null"}
}

func (p *parser) object(depth int) *value {
	v := &value{kind: kObject}
	p.i++ // {
	p.ws()
	if p.peek() == '}' {
		p.i++
		return v
	}
	for p.err == nil {
		p.ws()
		if p.peek() != '"' {
			p.fail("object key expected")
			break
		}
		k := p.str()
		p.ws()
		if p.peek() != ':' {
			p.fail("':' expected")
			break
		}
		p.i++
		fv := p.value(depth + 1)
		v.set(k, fv)
		p.ws()
		switch p.peek() {
		case ',':
			p.i++
		case '}':
			p.i++
			return v
		default:
			p.fail("',' or '}' expected")
		}
	}
	return v
}

func (p *parser) array(depth int) *value {
	v := &value{kind: kArray}
	p.i++ // [
	p.ws()
	if p.peek() == ']' {
		p.i++
		return v
	}
	for p.err == nil {
		v.items = append(v.items, p.value(depth+1))
		p.ws()
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return v
		default:
			p.fail("',' or ']' expected")
		}
	}
	return v
}

// str reads a string token; escapes are rare in observations, so the plain
// case is a slice and only escaped strings go through encoding/json.
func (p *parser) str() string {
	start := p.i
	p.i++ // opening quote
	escaped := false
	for p.i < len(p.b) && p.b[p.i] != '"' {
		if p.b[p.i] == '\\' {
			escaped = true
			p.i++
		}
		p.i++
	}
	if p.i >= len(p.b) {
		p.fail("unterminated string")
		return ""
	}
	p.i++
	raw := p.b[start+1 : p.i-1]
	if !escaped && utf8.Valid(raw) {
		return string(raw)
	}
	var s string
	if err := json.Unmarshal(p.b[start:p.i], &s); err != nil {
		p.fail("bad string")
	}
	return s
}

// get returns the field k of an object, or nil.
func (v *value) get(k string) *value {
	if v == nil || v.kind != kObject {
		return nil
	}
	for i, key := range v.keys {
		if key == k {
			return v.vals[i]
		}
	}
	return nil
}

// set adds or replaces (a duplicate key: the last wins, as in encoding/json)
// field k of an object.
func (v *value) set(k string, f *value) {
	for i, key := range v.keys {
		if key == k {
			v.vals[i] = f
			return
		}
	}
	v.keys = append(v.keys, k)
	v.vals = append(v.vals, f)
}

// numOK returns the field k as a number.
func (v *value) numOK(k string) (float64, bool) {
	f := v.get(k)
	if f == nil || f.kind != kNumber {
		return 0, false
	}
	return f.num, true
}

// appendJSON appends v as JSON (strings re-escaped by encoding/json).
func (v *value) appendJSON(b []byte) []byte {
	switch v.kind {
	case kString:
		q, _ := json.Marshal(v.scalar)
		return append(b, q...)
	case kObject:
		b = append(b, '{')
		for i, k := range v.keys {
			if i > 0 {
				b = append(b, ',')
			}
			q, _ := json.Marshal(k)
			b = append(append(b, q...), ':')
			b = v.vals[i].appendJSON(b)
		}
		return append(b, '}')
	case kArray:
		b = append(b, '[')
		for i, it := range v.items {
			if i > 0 {
				b = append(b, ',')
			}
			b = it.appendJSON(b)
		}
		return append(b, ']')
	}
	return append(b, v.scalar...)
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
			v.vals[i].writeCompact(b)
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
