package html

import "strconv"

// node is a JSON value prepared for the "node" template: nested key/value
// lists, inline lists of scalars, and tables for lists of objects (per-datagram
// outcomes, per-sample rows...). Every string in it is escaped by html/template
// when rendered: observations come from the system under test and are never
// trusted as markup.
type node struct {
	Kind   string // scalar | object | inline | list | table
	Text   string
	Class  string // for scalars: str | num | bool | null
	Fields []field
	Items  []*node
	Cols   []string
	Rows   [][]*node
	More   int // items or rows left out to keep the page readable
}

type field struct {
	Key string
	Val *node
}

// Limits that keep a huge observation from making the page unusable; what is
// cut is counted on the page, never silently dropped.
const (
	maxRows      = 200
	maxDepth     = 8
	maxText      = 4000
	maxTableCols = 14
)

func genericNode(v *value) *node { return buildNode(v, 0) }

func buildNode(v *value, depth int) *node {
	if v == nil {
		return &node{Kind: "scalar", Text: "null", Class: "null"}
	}
	if depth >= maxDepth && (v.kind == kObject || v.kind == kArray) {
		return &node{Kind: "scalar", Text: v.compact(maxText), Class: "str"}
	}
	switch v.kind {
	case kObject:
		n := &node{Kind: "object"}
		for i, k := range v.keys {
			n.Fields = append(n.Fields, field{Key: k, Val: buildNode(v.vals[i], depth+1)})
		}
		if len(n.Fields) == 0 {
			return &node{Kind: "scalar", Text: "{}", Class: "null"}
		}
		return n
	case kArray:
		return buildArray(v, depth)
	}
	return scalarNode(v)
}

func scalarNode(v *value) *node {
	n := &node{Kind: "scalar", Text: v.scalar}
	switch v.kind {
	case kString:
		n.Class = "str"
		if len(n.Text) > maxText {
			n.Text = n.Text[:maxText] + "… (" + strconv.Itoa(len(v.scalar)-maxText) + " more bytes)"
		}
	case kNumber:
		n.Class = "num"
	case kBool:
		n.Class = "bool"
	default:
		n.Class = "null"
	}
	return n
}

func buildArray(v *value, depth int) *node {
	if len(v.items) == 0 {
		return &node{Kind: "scalar", Text: "(none)", Class: "null"}
	}
	shown, more := v.items, 0
	if len(shown) > maxRows {
		shown, more = shown[:maxRows], len(shown)-maxRows
	}
	if allScalars(v.items) && allShort(v.items) {
		n := &node{Kind: "inline", More: more}
		for _, it := range shown {
			n.Items = append(n.Items, scalarNode(it))
		}
		return n
	}
	if cols := tableColumns(v.items); cols != nil {
		n := &node{Kind: "table", Cols: cols, More: more}
		for _, it := range shown {
			row := make([]*node, len(cols))
			for i, c := range cols {
				if f := it.get(c); f != nil {
					row[i] = buildNode(f, depth+1)
				} else {
					row[i] = &node{Kind: "scalar", Text: "–", Class: "null"}
				}
			}
			n.Rows = append(n.Rows, row)
		}
		return n
	}
	n := &node{Kind: "list", More: more}
	for _, it := range shown {
		n.Items = append(n.Items, buildNode(it, depth+1))
	}
	return n
}

// allShort: a list of short values reads well on one line; longer ones (log
// lines) get a line each.
func allShort(items []*value) bool {
	for _, it := range items {
		if len(it.scalar) > 40 {
			return false
		}
	}
	return true
}

func allScalars(items []*value) bool {
	for _, it := range items {
		if it.kind == kObject || it.kind == kArray {
			return false
		}
	}
	return true
}

// tableColumns returns the union of the keys of a list of objects in order of
// first appearance, or nil when the list is not all objects or too wide to
// read as a table.
func tableColumns(items []*value) []string {
	seen := map[string]bool{}
	var cols []string
	for _, it := range items {
		if it.kind != kObject {
			return nil
		}
		for _, k := range it.keys {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	if len(cols) == 0 || len(cols) > maxTableCols {
		return nil
	}
	return cols
}
