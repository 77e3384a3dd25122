// Package jsonstream writes a value as JSON onto a writer a piece at a
// time, so that a large answer is never built in memory whole: a struct
// is written field by field and a slice element by element, and only the
// leaves (a string, a number, a map, a value with its own MarshalJSON)
// are marshalled on their own by encoding/json. The bytes written are
// exactly those json.Marshal would give (the tests hold it to that): the
// same field names, omitempty and omitzero, embedded structs, escaping.
// Anything it does not follow to the letter (a ",string" option, two
// fields with one name) is marshalled whole, which is still right, only
// not in pieces.
package jsonstream

import (
	"bufio"
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"
)

// maxDepth is how many levels of structs and slices are written in
// pieces; below it a value is marshalled whole.
const maxDepth = 32

// Write writes v as JSON onto w, followed by nothing (no newline),
// through a buffer of bufferSize bytes.
func Write(w io.Writer, v any) error {
	bw := bufio.NewWriterSize(w, bufferSize)
	e := encoder{w: bw}
	e.value(reflect.ValueOf(v), maxDepth)
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

// bufferSize is the buffer between the pieces and the writer.
const bufferSize = 32 << 10

// encoder writes pieces until the first error.
type encoder struct {
	w   *bufio.Writer
	err error
}

func (e *encoder) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *encoder) writeString(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

// whole marshals v in one piece.
func (e *encoder) whole(v reflect.Value) {
	if b := e.marshal(v); b != nil {
		e.write(b)
	}
}

// marshal is v marshalled by encoding/json, or nil after an error (the
// encoder's first, kept).
func (e *encoder) marshal(v reflect.Value) []byte {
	if e.err != nil {
		return nil
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		e.err = err
		return nil
	}
	return b
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// marshalsItself reports whether encoding/json hands values of t to a
// method of their own.
func marshalsItself(t reflect.Type) bool {
	return t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType)
}

func (e *encoder) value(v reflect.Value, depth int) {
	if e.err != nil {
		return
	}
	if !v.IsValid() {
		e.writeString("null")
		return
	}
	if depth <= 0 || marshalsItself(v.Type()) || isFlat(v.Type()) {
		e.whole(v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.writeString("null")
			return
		}
		e.value(v.Elem(), depth)
	case reflect.Struct:
		e.object(v, depth)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			e.whole(v) // []byte is base64
			return
		}
		if v.IsNil() {
			e.writeString("null")
			return
		}
		e.array(v, depth)
	case reflect.Array:
		e.array(v, depth)
	default:
		e.whole(v)
	}
}

func (e *encoder) array(v reflect.Value, depth int) {
	e.writeString("[")
	if v.Kind() == reflect.Slice && isFlat(v.Type().Elem()) {
		// Elements of a bounded size go flatChunk at a time: one call to
		// encoding/json per element would cost more than the encoding.
		for i := 0; i < v.Len(); i += flatChunk {
			if i > 0 {
				e.writeString(",")
			}
			e.elements(v.Slice(i, min(i+flatChunk, v.Len())))
		}
	} else {
		for i := range v.Len() {
			if i > 0 {
				e.writeString(",")
			}
			e.value(v.Index(i), depth-1)
		}
	}
	e.writeString("]")
}

// flatChunk is how many flat elements of a slice are marshalled at once.
const flatChunk = 256

// elements writes a slice's elements without its brackets.
func (e *encoder) elements(v reflect.Value) {
	if b := e.marshal(v); b != nil {
		e.write(b[1 : len(b)-1])
	}
}

// flatCache holds whether each type met is flat.
var flatCache sync.Map // reflect.Type → bool

// timeType is time.Time, the one type with its own MarshalJSON whose
// answer is known to be short.
var timeType = reflect.TypeFor[time.Time]()

// isFlat reports whether values of t have a bounded encoding with no
// pieces worth writing apart: numbers, booleans, strings, times, and
// structs and pointers made of those only. Strings are taken as short;
// the long ones (an article's text) are fields of their own, written as
// they come.
func isFlat(t reflect.Type) bool {
	if cached, ok := flatCache.Load(t); ok {
		return cached.(bool)
	}
	flat := flatType(t, map[reflect.Type]bool{})
	flatCache.Store(t, flat)
	return flat
}

func flatType(t reflect.Type, visiting map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if marshalsItself(t) || visiting[t] {
		return false
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	case reflect.Pointer:
		visiting[t] = true
		defer delete(visiting, t)
		return flatType(t.Elem(), visiting)
	case reflect.Struct:
		visiting[t] = true
		defer delete(visiting, t)
		for i := range t.NumField() {
			if !flatType(t.Field(i).Type, visiting) {
				return false
			}
		}
		return true
	}
	return false
}

func (e *encoder) object(v reflect.Value, depth int) {
	fields, ok := fieldsOf(v.Type())
	if !ok {
		e.whole(v)
		return
	}
	e.writeString("{")
	first := true
	for _, f := range fields {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || (f.omitEmpty && isEmpty(fv)) || (f.omitZero && isZero(fv)) {
			continue
		}
		if !first {
			e.writeString(",")
		}
		first = false
		e.write(f.key)
		e.value(fv, depth-1)
	}
	e.writeString("}")
}

// fieldByIndex follows an embedded path; ok is false when it passes
// through a nil pointer (encoding/json leaves such fields out).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// isEmpty is encoding/json's test for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZero is encoding/json's test for omitzero: the value's own IsZero
// method when it has one, else the zero value.
func isZero(v reflect.Value) bool {
	type zeroer interface{ IsZero() bool }
	if z, ok := v.Interface().(zeroer); ok {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	return v.IsZero()
}

// field is one JSON member of a struct type.
type field struct {
	key                 []byte // the quoted name and a colon
	index               []int
	omitEmpty, omitZero bool
}

// fieldCache holds the fields of each struct type met, or nil when the
// type is to be marshalled whole.
var fieldCache sync.Map // reflect.Type → []field (nil: whole)

// fieldsOf lists the JSON members of a struct type in encoding/json's
// order, or says (ok false) that the type must be marshalled whole.
func fieldsOf(t reflect.Type) ([]field, bool) {
	if cached, found := fieldCache.Load(t); found {
		fields := cached.([]field)
		return fields, fields != nil
	}
	fields, ok := collectFields(t, nil, map[reflect.Type]bool{})
	if ok {
		seen := map[string]bool{}
		for _, f := range fields {
			if seen[string(f.key)] {
				ok = false // encoding/json's rules for clashing names: not followed here
				break
			}
			seen[string(f.key)] = true
		}
	}
	if !ok {
		fields = nil
	}
	fieldCache.Store(t, fields)
	return fields, ok
}

// collectFields walks a struct type's fields, embedded untagged structs
// inlined, as encoding/json does.
func collectFields(t reflect.Type, prefix []int, visiting map[reflect.Type]bool) ([]field, bool) {
	if visiting[t] {
		return nil, false
	}
	visiting[t] = true
	defer delete(visiting, t)
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		index := append(append([]int{}, prefix...), i)
		if sf.Anonymous && name == "" {
			if !sf.IsExported() {
				return nil, false // fields promoted through an unexported type: left to encoding/json
			}
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && !marshalsItself(ft) {
				inner, ok := collectFields(ft, index, visiting)
				if !ok {
					return nil, false
				}
				out = append(out, inner...)
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		var f field
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty":
				f.omitEmpty = true
			case "omitzero":
				f.omitZero = true
			case "string":
				return nil, false
			}
		}
		if name == "" {
			name = sf.Name
		}
		if !plainName(name) {
			return nil, false // encoding/json's rules for odd names: not followed here
		}
		key, err := json.Marshal(name)
		if err != nil {
			return nil, false
		}
		f.key = append(key, ':')
		f.index = index
		out = append(out, f)
	}
	return out, true
}

// plainName reports whether a member name is letters, digits and
// underscores only, which encoding/json takes as written.
func plainName(name string) bool {
	for _, r := range name {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return name != ""
}
