//! Lossless removal of metadata (EXIF with GPS and device serials, XMP, IPTC,
//! comments, text chunks) from JPEG, PNG and WebP. Pixels are copied byte for
//! byte; a malformed file yields `None` and is then offered only as a download.

/// A display copy of an image without its metadata, or `None` if `mime` is not
/// an image Redline strips, or the file does not parse.
pub fn strip_metadata(mime: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    match mime {
        "image/jpeg" => jpeg(bytes),
        "image/png" => png(bytes),
        "image/webp" => webp(bytes),
        _ => None,
    }
}

fn jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        // Skip fill bytes before a marker.
        if *b.get(i)? != 0xFF {
            return None;
        }
        while *b.get(i + 1)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            // Standalone markers carry no length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                i += 2;
                continue;
            }
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            _ => {}
        }
        let len = u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]) as usize;
        if len < 2 {
            return None;
        }
        let end = i + 2 + len;
        let seg = b.get(i..end)?;
        let payload = &seg[4..];
        let keep = match marker {
            0xE1 | 0xED | 0xFE => false,                   // EXIF/XMP, IPTC, comment
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"), // colour profile only
            0xE3..=0xEC | 0xEF => false,                   // vendor blocks (maker notes, etc.)
            _ => true,                                     // JFIF, Adobe, tables, frames
        };
        if keep {
            out.extend_from_slice(seg);
        }
        i = end;
        if marker == 0xDA {
            // Entropy-coded data runs to the next real marker (0xFF00 is a stuffed
            // byte, 0xFFD0–D7 restarts). Then the segment loop goes on: another
            // scan's tables, metadata between scans (dropped), or EOI, after which
            // nothing is copied: phones append whole second images with their
            // own EXIF there (MPF, motion photos).
            let mut j = i;
            loop {
                if *b.get(j)? == 0xFF {
                    match *b.get(j + 1)? {
                        0x00 | 0xD0..=0xD7 => j += 2,
                        0xFF => j += 1,
                        _ => break,
                    }
                } else {
                    j += 1;
                }
            }
            out.extend_from_slice(&b[i..j]);
            i = j;
        }
    }
}

fn png(b: &[u8]) -> Option<Vec<u8>> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIG) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIG);
    let mut i = SIG.len();
    while i < b.len() {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = b.get(i + 4..i + 8)?;
        let end = i.checked_add(12)?.checked_add(len)?;
        let chunk = b.get(i..end)?;
        if !matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

fn webp(b: &[u8]) -> Option<Vec<u8>> {
    if b.len() < 12 || &b[..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return None;
    }
    let mut body = Vec::with_capacity(b.len());
    body.extend_from_slice(b"WEBP");
    let mut i = 12;
    while i + 8 <= b.len() {
        let kind = &b[i..i + 4];
        let len = u32::from_le_bytes(b[i + 4..i + 8].try_into().ok()?) as usize;
        let padded = len + (len & 1);
        let end = (i + 8).checked_add(padded)?.min(b.len());
        let chunk = b.get(i..end)?;
        if i + 8 + len > b.len() {
            return None;
        }
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut c = chunk.to_vec();
                // Flags byte: clear "has EXIF" (0x08) and "has XMP" (0x04).
                *c.get_mut(8)? &= !0x0C;
                body.extend_from_slice(&c);
            }
            _ => body.extend_from_slice(chunk),
        }
        i = end;
    }
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&u32::try_from(body.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&body);
    Some(out)
}
