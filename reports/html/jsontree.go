package html

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"
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

// parseJSON decodes raw into a value. Empty input is a null value. It is a
// small recursive-descent parser rather than json.Decoder.Token, which is
// several times slower and the regression report renders every run's
// observations; input that is not valid JSON is rejected first by
// json.Valid, so the parser only ever sees well-formed text.
func parseJSON(raw []byte) (*value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return &value{kind: kNull, scalar: "null"}, nil
	}
	if !json.Valid(raw) {
		return nil, errors.New("observations are not valid JSON")
	}
	p := parser{b: raw}
	return p.value(0), nil
}

// maxNesting stops a pathological document from exhausting the stack; deeper
// values are kept as their JSON text.
const maxNesting = 200

type parser struct {
	b []byte
	i int
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

func (p *parser) value(depth int) *value {
	p.ws()
	if p.i >= len(p.b) {
		return &value{kind: kNull, scalar: "null"}
	}
	switch c := p.b[p.i]; {
	case c == '{' || c == '[':
		if depth >= maxNesting {
			start := p.i
			p.skip()
			return &value{kind: kString, scalar: string(p.b[start:p.i])}
		}
		if c == '{' {
			return p.object(depth)
		}
		return p.array(depth)
	case c == '"':
		return &value{kind: kString, scalar: p.str()}
	case c == 't':
		p.i += 4
		return &value{kind: kBool, scalar: "true"}
	case c == 'f':
		p.i += 5
		return &value{kind: kBool, scalar: "false"}
	case c == 'n':
		p.i += 4
		return &value{kind: kNull, scalar: "null"}
	default:
		start := p.i
		for p.i < len(p.b) && bytes.IndexByte([]byte("+-0123456789.eE"), p.b[p.i]) >= 0 {
			p.i++
		}
		s := string(p.b[start:p.i])
		f, _ := strconv.ParseFloat(s, 64)
		return &value{kind: kNumber, scalar: s, num: f}
	}
}

func (p *parser) object(depth int) *value {
	v := &value{kind: kObject, fields: map[string]*value{}}
	p.i++ // {
	for {
		p.ws()
		if p.b[p.i] == '}' {
			p.i++
			return v
		}
		if p.b[p.i] == ',' {
			p.i++
			p.ws()
		}
		k := p.str()
		p.ws()
		p.i++ // :
		fv := p.value(depth + 1)
		if _, dup := v.fields[k]; !dup {
			v.keys = append(v.keys, k)
		}
		v.fields[k] = fv
	}
}

func (p *parser) array(depth int) *value {
	v := &value{kind: kArray}
	p.i++ // [
	for {
		p.ws()
		if p.b[p.i] == ']' {
			p.i++
			return v
		}
		if p.b[p.i] == ',' {
			p.i++
		}
		v.items = append(v.items, p.value(depth+1))
	}
}

// str reads a string token; escapes are rare in observations, so the plain
// case is a slice and only escaped strings go through encoding/json.
func (p *parser) str() string {
	start := p.i
	p.i++ // opening quote
	escaped := false
	for p.b[p.i] != '"' {
		if p.b[p.i] == '\\' {
			escaped = true
			p.i++
		}
		p.i++
	}
	p.i++
	if !escaped {
		s := p.b[start+1 : p.i-1]
		if utf8.Valid(s) {
			return string(s)
		}
	}
	var s string
	if err := json.Unmarshal(p.b[start:p.i], &s); err != nil {
		return string(p.b[start+1 : p.i-1])
	}
	return s
}

// skip moves past one complete value (used beyond maxNesting).
func (p *parser) skip() {
	depth := 0
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case '"':
			p.str()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				p.i++
				return
			}
		}
		p.i++
	}
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
