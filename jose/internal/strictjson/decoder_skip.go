package strictjson

// Skipping is validation without extraction: Skip, the automatic skipping
// in NextMember and NextElement, and End all drive the same loop, which
// reuses the streaming state (container stack, name tracking), so a value
// that is skipped is checked exactly like one that is read.

// Skip consumes the next value of any kind and returns its raw bytes, a
// subslice of the input. The value is validated exactly as if it had been
// read piece by piece: syntax, UTF-8, duplicate names in nested objects and
// nesting depth.
func (d *Decoder) Skip() (raw []byte, err error) {
	c, err := d.beginValue()
	if err != nil {
		return nil, err
	}
	if d.depth == 0 && c != '{' {
		return nil, d.kindError(c, Object)
	}
	start := d.pos
	if err := d.run(d.depth); err != nil {
		return nil, err
	}
	return d.data[start:d.pos:d.pos], nil
}

// run reads values until no value is pending and the nesting is back at
// depth base. It walks nested containers iteratively with the same state
// as the streaming methods, so nested objects get the same duplicate and
// depth checks as the top level.
func (d *Decoder) run(base int) error {
	for {
		if d.pending {
			if err := d.value(); err != nil {
				return err
			}
			continue
		}
		if d.depth == base {
			return nil
		}
		var err error
		if d.inObj {
			_, _, err = d.member()
		} else {
			_, err = d.element()
		}
		if err != nil {
			return err
		}
	}
}

// value consumes a scalar or opens a container at the next value.
func (d *Decoder) value() error {
	data := d.data
	pos := skipSpace(data, d.pos)
	d.pos = pos
	if pos >= len(data) {
		return d.fail(codeEOF, pos)
	}
	c := data[pos]
	if d.depth == 0 && c != '{' {
		return d.kindError(c, Object)
	}
	switch kindOf[c] {
	case Object:
		return d.open(true)
	case Array:
		return d.open(false)
	case String:
		end, _, code := scanString(data, pos+1)
		if code != codeOK {
			return d.fail(code, end)
		}
		d.pos = end + 1
	case Number:
		end, code := scanNumber(data, pos)
		if code != codeOK {
			return d.fail(code, end)
		}
		d.pos = end
	case Bool:
		if c == 't' {
			return d.literal("true")
		}
		return d.literal("false")
	case Null:
		return d.literal("null")
	default:
		return d.fail(codeChar, pos)
	}
	d.pending = false
	return nil
}

// End finishes the document: it reads and validates whatever the caller
// left unread, then checks that only whitespace follows the top-level
// object. A nil result means the whole input is one valid, strict JSON
// object.
func (d *Decoder) End() error {
	if d.err != nil {
		return d.err
	}
	if err := d.run(0); err != nil {
		return err
	}
	if !d.started {
		// Only possible without Reset: there was never a document.
		return d.fail(codeOrder, d.pos)
	}
	pos := skipSpace(d.data, d.pos)
	if pos != len(d.data) {
		return d.fail(codeTrailing, pos)
	}
	d.pos = pos
	return nil
}
