// Package strictjson is the strict, allocation-free JSON decoder that the
// JOSE core uses to read the header and payload of every token it verifies,
// together with the small string encoder used when signing.
//
// It exists because encoding/json does not meet the security rules for
// token parsing and is too slow for a verifier that runs on every request.
// encoding/json silently keeps the last of several members with the same
// name, replaces invalid UTF-8 with U+FFFD instead of refusing it, and
// allocates for every value it decodes. A token whose header or payload can
// be read in two different ways by two parsers is a classic source of
// signature-bypass bugs, so this package refuses everything that is not
// plainly one unambiguous JSON object.
//
// A document accepted by Decoder is guaranteed to be:
//
//   - valid JSON as defined by RFC 8259, with nothing but whitespace after
//     the value (no byte order mark, no comments, no NaN or Infinity, no
//     single quotes, no trailing commas, no leading zeros);
//   - a single JSON object at the top level;
//   - free of duplicate member names in every object at every depth, where
//     names are compared after escapes are resolved, so "a" and "\u0061"
//     are the same name;
//   - valid UTF-8 in every string, including escapes: a surrogate escape
//     such as "\ud800" must be part of a correct pair;
//   - nested no deeper than MaxDepth arrays and objects, counting the
//     top-level object.
//
// Every value the caller does not read explicitly is still validated: Skip
// checks a whole value, NextMember and NextElement skip an unread value
// before moving on, and End validates whatever is left of the document.
// A document is therefore either read completely and checked completely or
// reported as an error.
//
// The decoder is general: it knows nothing about particular claims. It reads
// any JSON; the caller chooses, member by member, what to extract. On the
// success path it does not allocate for input without escapes: strings are
// returned as subslices of the input and member names are tracked as
// offsets into it. Decoding errors carry the byte offset of the problem and
// wrap one of the sentinel errors, so callers test them with errors.Is.
//
// Member reads a member and, when it is a scalar, its value in one call.
// It is how the JOSE core reads every header and claims set, and it has a
// fast path for the shape nearly every token has (minified, plain ASCII);
// the fast path hands anything else to the general code at the first byte
// it does not expect, and the fuzz target checks on every input that
// reading with Member and reading with NextMember agree with each other and
// with encoding/json.
package strictjson
