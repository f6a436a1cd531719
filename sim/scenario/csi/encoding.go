package csi

import (
	"fmt"
	"unicode/utf8"
)

// Encodings are the character sets a schema may name.
var encodings = []string{"utf-8", "latin-1", "ascii"}

// encode turns text into bytes. A character the encoding cannot hold
// becomes '?', as Java's String.getBytes and most encoders do: the writer
// raises no error, and the text is already damaged on its side. It
// returns the bytes and the first character replaced (0 if none).
func encode(s, enc string) ([]byte, rune) {
	if enc == "utf-8" {
		return []byte(s), 0
	}
	limit := rune(0xFF)
	if enc == "ascii" {
		limit = 0x7F
	}
	b := make([]byte, 0, len(s))
	var lost rune
	for _, r := range s {
		if r > limit {
			if lost == 0 {
				lost = r
			}
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b, lost
}

// decode turns bytes into text. Latin-1 maps every byte to a character,
// so it never fails: UTF-8 bytes read as Latin-1 become mojibake ("é" reads
// "Ã©"). UTF-8 and ASCII meet bytes they cannot read: strict decoding fails
// loudly, the default replaces each with U+FFFD, silently.
func decode(b []byte, enc string, strict bool) (string, error) {
	if enc == "latin-1" {
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r), nil
	}
	out := make([]rune, 0, len(b))
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if enc == "ascii" && b[i] >= 0x80 {
			r, n = utf8.RuneError, 1
		}
		if r == utf8.RuneError && n <= 1 {
			if strict {
				return "", fmt.Errorf("byte 0x%02X at offset %d is not valid %s", b[i], i, enc)
			}
		}
		out = append(out, r)
		i += n
	}
	return string(out), nil
}
