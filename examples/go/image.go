package client

import (
	"bytes"
	"encoding/binary"
)

var (
	pngSignature  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}
	jpegSignature = []byte{0xff, 0xd8, 0xff}
)

// SniffContentType is "image/png" or "image/jpeg" from the magic bytes, else "".
func SniffContentType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, pngSignature):
		return "image/png"
	case bytes.HasPrefix(data, jpegSignature):
		return "image/jpeg"
	}
	return ""
}

// ImageSize reads width and height from a PNG or JPEG header; ok is false when it cannot.
func ImageSize(data []byte) (width, height int, ok bool) {
	size := func(w, h int) (int, int, bool) { return w, h, w > 0 && h > 0 }
	switch SniffContentType(data) {
	case "image/png": // signature (8), chunk length (4), "IHDR" (4), width, height
		if len(data) < 24 || string(data[12:16]) != "IHDR" {
			return 0, 0, false
		}
		return size(int(binary.BigEndian.Uint32(data[16:])), int(binary.BigEndian.Uint32(data[20:])))
	case "image/jpeg":
		for offset := 2; offset+4 <= len(data); {
			if data[offset] != 0xff {
				return 0, 0, false
			}
			marker := data[offset+1]
			switch {
			case marker == 0xff: // a fill byte
				offset++
			case marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7):
				offset += 2 // a marker without a length
			case marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc:
				if offset+9 > len(data) { // a start of frame: it carries the size
					return 0, 0, false
				}
				h := int(binary.BigEndian.Uint16(data[offset+5:]))
				return size(int(binary.BigEndian.Uint16(data[offset+7:])), h)
			default:
				length := int(binary.BigEndian.Uint16(data[offset+2:]))
				if length < 2 {
					return 0, 0, false
				}
				offset += 2 + length
			}
		}
	}
	return 0, 0, false
}
