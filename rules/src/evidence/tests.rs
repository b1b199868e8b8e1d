use super::*;

fn jpeg_with_exif() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    b.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let exif = b"Exif\0\0GPS 30.27N 120.15E serial X1";
    b.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
    b.extend_from_slice(exif);
    let com = b"shot by Zhang San";
    b.extend_from_slice(&[0xFF, 0xFE, 0x00, (com.len() + 2) as u8]);
    b.extend_from_slice(com);
    b.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02]);
    b.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00]);
    b.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
    b
}

/// Appends a JPEG marker segment (its length counts the two length bytes).
fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(payload);
}

fn png_with_text() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0, 0, 0, 0]);
    }
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut b, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    chunk(&mut b, b"tEXt", b"Author\0Zhang San");
    chunk(&mut b, b"eXIf", b"MM\0*GPS");
    chunk(&mut b, b"IDAT", &[1, 2, 3]);
    chunk(&mut b, b"IEND", &[]);
    b
}

#[test]
fn sniffing_uses_content_not_names() {
    assert_eq!(sniff(&jpeg_with_exif()).unwrap().mime, "image/jpeg");
    assert_eq!(sniff(&png_with_text()).unwrap().kind, EvidenceKind::Image);
    assert_eq!(sniff(b"%PDF-1.7\n...").unwrap().kind, EvidenceKind::Pdf);
    assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0").unwrap().mime, "video/mp4");
    assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0").unwrap().mime, "video/quicktime");
    assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 1]).unwrap().mime, "video/webm");
    assert_eq!(sniff("主播说：假一赔十".as_bytes()).unwrap().kind, EvidenceKind::Chat);
    assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 ").unwrap().mime, "image/webp");
}

#[test]
fn executables_archives_heif_and_binary_are_refused() {
    assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), Err(FileRefusal::UnknownType));
    assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0"), Err(FileRefusal::UnknownType));
    assert_eq!(sniff(b"PK\x03\x04\x14\0"), Err(FileRefusal::UnknownType));
    assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Err(FileRefusal::UnknownType));
    assert_eq!(sniff(&[0xC3, 0x28, 0x00]), Err(FileRefusal::UnknownType));
    assert_eq!(sniff(b""), Err(FileRefusal::Empty));
}

#[test]
fn display_names_lose_paths_and_control_characters() {
    assert_eq!(display_name("../../etc/passwd"), "passwd");
    assert_eq!(display_name("C:\\Users\\a\\截图.png"), "截图.png");
    assert_eq!(display_name("..\u{0}evil\r\n.jpg"), "evil.jpg");
    assert_eq!(display_name("/"), "file");
    assert_eq!(display_name("a<b>:\"|?*.pdf"), "ab.pdf");
    assert_eq!(display_name(&"长".repeat(300)).chars().count(), 120);
}

#[test]
fn jpeg_copy_drops_exif_and_comments_keeps_image_data() {
    let orig = jpeg_with_exif();
    let s = strip_metadata("image/jpeg", &orig).unwrap();
    let find = |hay: &[u8], n: &[u8]| hay.windows(n.len()).any(|w| w == n);
    assert!(find(&orig, b"GPS") && !find(&s, b"GPS"));
    assert!(!find(&s, b"Zhang San"));
    assert!(find(&s, b"JFIF"));
    assert!(s.ends_with(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]));
    assert_eq!(sniff(&s).unwrap().mime, "image/jpeg");
}

#[test]
fn jpeg_copy_drops_iptc_and_foreign_app2_keeps_the_colour_profile() {
    let mut b = vec![0xFF, 0xD8];
    segment(&mut b, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    // IPTC-IIM in Photoshop's APP13: by-line (2:80) and city (2:90).
    segment(
        &mut b,
        0xED,
        b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x1a\x1c\x02\x50\0\x09Zhang San\x1c\x02\x5a\0\x08Hangzhou",
    );
    // APP2 that is not a colour profile (FlashPix / MPF): dropped.
    segment(&mut b, 0xE2, b"MPF\0MM\0*\0\0\0\x08 serial X1");
    segment(&mut b, 0xE2, b"FPXR\0\0 device Zhang San");
    // APP2 carrying the ICC profile: kept, or colours would shift.
    segment(&mut b, 0xE2, b"ICC_PROFILE\0\x01\x01sRGB IEC61966-2.1");
    b.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02]);
    b.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00]);
    b.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
    let s = strip_metadata("image/jpeg", &b).unwrap();
    let find = |n: &[u8]| s.windows(n.len()).any(|w| w == n);
    assert!(!find(b"Zhang San") && !find(b"Hangzhou") && !find(b"8BIM"), "IPTC gone");
    assert!(!find(b"MPF\0") && !find(b"serial X1") && !find(b"FPXR"), "foreign APP2 gone");
    assert!(find(b"ICC_PROFILE\0\x01\x01sRGB IEC61966-2.1"), "colour profile kept");
    assert_eq!(s.iter().filter(|x| **x == 0xE2).count(), 1, "one APP2 left");
    assert_eq!(s.len(), b.len() - (4 + 53) - (4 + 22) - (4 + 23), "exactly the three blocks removed");
}

#[test]
fn png_copy_drops_text_and_exif_chunks() {
    let s = strip_metadata("image/png", &png_with_text()).unwrap();
    let find = |n: &[u8]| s.windows(n.len()).any(|w| w == n);
    assert!(!find(b"Zhang San") && !find(b"eXIf") && !find(b"tEXt"));
    assert!(find(b"IHDR") && find(b"IDAT") && find(b"IEND"));
}

#[test]
fn webp_copy_drops_exif_and_clears_its_flag() {
    let mut body = b"WEBP".to_vec();
    body.extend_from_slice(b"VP8X");
    body.extend_from_slice(&10u32.to_le_bytes());
    body.extend_from_slice(&[0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    body.extend_from_slice(b"VP8L");
    body.extend_from_slice(&3u32.to_le_bytes());
    body.extend_from_slice(&[1, 2, 3, 0]);
    body.extend_from_slice(b"EXIF");
    body.extend_from_slice(&5u32.to_le_bytes());
    body.extend_from_slice(b"GPS!!\0");
    let mut b = b"RIFF".to_vec();
    b.extend_from_slice(&(body.len() as u32).to_le_bytes());
    b.extend_from_slice(&body);
    let s = strip_metadata("image/webp", &b).unwrap();
    assert!(!s.windows(3).any(|w| w == b"GPS"));
    assert_eq!(s[20], 0x00, "EXIF/XMP flags cleared");
    assert_eq!(u32::from_le_bytes(s[4..8].try_into().unwrap()) as usize, s.len() - 8);
}

#[test]
fn malformed_images_get_no_display_copy() {
    assert_eq!(strip_metadata("image/jpeg", &[0xFF, 0xD8, 0x00]), None);
    assert_eq!(strip_metadata("image/png", b"\x89PNG\r\n\x1a\n\0\0\0\xffIDAT"), None);
    assert_eq!(strip_metadata("application/pdf", b"%PDF-"), None);
}

#[test]
fn order117_art16_preservation_window_is_moment_plus_minus_margin() {
    assert_eq!(ClipRange::around(2530, 300), ClipRange { start_s: 2230, end_s: 2830 });
    assert_eq!(ClipRange::around(100, 300), ClipRange { start_s: 0, end_s: 400 });
    assert_eq!(ClipRange::new(10, 5), None);
    assert_eq!(ClipRange::new(-1, 5), None);
    assert_eq!(hms(3725), "01:02:05");
}

#[test]
fn jpeg_copy_ends_at_the_first_image_and_drops_metadata_between_scans() {
    let mut b = jpeg_with_exif();
    b.truncate(b.len() - 2); // before EOI: add a comment between scans, a second scan, EOI
    let com = b"between scans: Zhang San";
    b.extend_from_slice(&[0xFF, 0xFE, 0x00, (com.len() + 2) as u8]);
    b.extend_from_slice(com);
    b.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00, 0x77, 0xFF, 0xD3, 0x78, 0xFF, 0xD9]);
    // A second image appended after EOI, with its own EXIF (MPF / motion photo).
    b.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x0A]);
    b.extend_from_slice(b"Exif\0\0GPS");
    b.extend_from_slice(&[0xFF, 0xD9]);
    let s = strip_metadata("image/jpeg", &b).unwrap();
    let find = |n: &[u8]| s.windows(n.len()).any(|w| w == n);
    assert!(!find(b"GPS") && !find(b"Zhang San"));
    assert!(s.ends_with(&[0x77, 0xFF, 0xD3, 0x78, 0xFF, 0xD9]), "second scan kept, restart marker intact");
    assert_eq!(s.iter().filter(|x| **x == 0xD8).count(), 1, "one image");
}

#[test]
fn truncated_jpeg_scan_gets_no_display_copy() {
    let mut b = jpeg_with_exif();
    b.truncate(b.len() - 2);
    assert_eq!(strip_metadata("image/jpeg", &b), None);
}

#[test]
fn downloads_are_named_by_the_detected_type_not_the_uploaders_extension() {
    assert_eq!(download_name("chat.bat", "text/plain; charset=utf-8"), "chat.txt");
    assert_eq!(download_name("page.html", "text/plain; charset=utf-8"), "page.txt");
    assert_eq!(download_name("x.svg", "image/png"), "x.png");
    assert_eq!(download_name("录屏", "video/mp4"), "录屏.mp4");
    assert_eq!(download_name("archive.tar.gz", "application/pdf"), "archive.tar.pdf");
    assert_eq!(download_name(".htaccess", "image/jpeg"), "htaccess.jpg");
}

#[test]
fn text_is_recognised_across_chunk_boundaries() {
    let chat = "主播：三天美白，原价999元\n".repeat(50);
    let bytes = chat.as_bytes();
    for cut in [1, 2, 3, 7, 64] {
        let mut t = TextCheck::default();
        bytes.chunks(cut).for_each(|c| t.push(c));
        assert!(t.finish(), "chunks of {cut}");
        assert_eq!(sniff_head(&bytes[..HEAD_LEN], t.finish()).unwrap().kind, EvidenceKind::Chat);
    }
    let mut t = TextCheck::default();
    t.push(&bytes[..4]);
    assert!(!t.finish(), "a character cut at the very end is not text");
    let mut t = TextCheck::default();
    t.push(b"abc\0def");
    assert!(!t.finish(), "NUL bytes are not text");
    let mut t = TextCheck::default();
    t.push(&[0xE4, 0xB8]);
    t.push(&[0xFF]);
    assert!(!t.finish(), "an invalid continuation");
}

#[test]
fn every_kind_and_refusal_is_named_in_both_languages() {
    use std::collections::HashSet;
    let kinds = [EvidenceKind::Image, EvidenceKind::Video, EvidenceKind::Pdf, EvidenceKind::Chat];
    let zh: HashSet<_> = kinds.iter().map(|k| k.label_zh()).collect();
    let en: HashSet<_> = kinds.iter().map(|k| k.label_en()).collect();
    assert_eq!((zh.len(), en.len()), (4, 4));
    assert!(zh.contains("聊天记录") && en.contains("chat export"));
    let refusals = [FileRefusal::Empty, FileRefusal::UnknownType, FileRefusal::TooLarge, FileRefusal::CaseFull];
    let zh: HashSet<_> = refusals.iter().map(|r| r.zh()).collect();
    let en: HashSet<_> = refusals.iter().map(|r| r.en()).collect();
    assert_eq!((zh.len(), en.len()), (4, 4));
    assert!(FileRefusal::UnknownType.zh().contains("JPEG") && FileRefusal::UnknownType.en().contains("by content"));
}

#[test]
fn downloads_are_named_by_the_detected_type() {
    for (mime, ext) in [
        ("image/jpeg", "jpg"),
        ("image/png", "png"),
        ("image/webp", "webp"),
        ("application/pdf", "pdf"),
        ("video/webm", "webm"),
        ("video/quicktime", "mov"),
        ("video/mp4", "mp4"),
        ("text/plain; charset=utf-8", "txt"),
        ("application/x-msdownload", "bin"),
    ] {
        assert_eq!(extension_for(mime), ext, "{mime}");
    }
}

#[test]
fn jpeg_copy_handles_fill_bytes_standalone_markers_and_vendor_blocks() {
    let mut b = vec![0xFF, 0xD8];
    segment(&mut b, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    // Fill bytes before a marker (ITU T.81 B.1.1.2), then a standalone TEM marker.
    b.extend_from_slice(&[0xFF, 0xFF, 0xFF]);
    segment(&mut b, 0xE3, b"maker note: Zhang San");
    b.extend_from_slice(&[0xFF, 0x01]);
    segment(&mut b, 0xEF, b"vendor: serial X1");
    b.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02]);
    b.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00]);
    // Scan data with a stuffed byte, a restart marker, then fill bytes before EOI.
    b.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD9]);
    let s = strip_metadata("image/jpeg", &b).unwrap();
    let find = |n: &[u8]| s.windows(n.len()).any(|w| w == n);
    assert!(!find(b"Zhang San") && !find(b"serial X1"), "vendor blocks (APP3, APP15) dropped");
    assert!(find(&[0xFF, 0x01]), "the standalone marker is kept");
    assert!(s.ends_with(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD9]), "scan data intact");
    let mut expected = vec![0xFF, 0xD8];
    segment(&mut expected, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    expected
        .extend_from_slice(&[0xFF, 0x01, 0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02, 0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00]);
    expected.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD9]);
    assert_eq!(s, expected, "exactly the image, nothing else");
}

#[test]
fn jpeg_segments_with_impossible_lengths_get_no_display_copy() {
    for len in [0u8, 1] {
        let b = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, len, 0xFF, 0xD9];
        assert_eq!(strip_metadata("image/jpeg", &b), None, "length {len}");
    }
    // Length 2 is an empty segment, which is fine.
    let b = [0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x02, 0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0xD9];
    assert_eq!(strip_metadata("image/jpeg", &b), Some(vec![0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0xD9]));
}

#[test]
fn webp_copy_keeps_padded_chunks_and_refuses_cut_ones() {
    fn riff(body: &[u8]) -> Vec<u8> {
        let mut b = b"RIFF".to_vec();
        b.extend_from_slice(&u32::try_from(body.len()).unwrap().to_le_bytes());
        b.extend_from_slice(body);
        b
    }
    // An odd-length chunk carries one padding byte; the last chunk ends exactly at the end.
    let mut body = b"WEBP".to_vec();
    body.extend_from_slice(b"VP8L");
    body.extend_from_slice(&3u32.to_le_bytes());
    body.extend_from_slice(&[1, 2, 3, 0]);
    body.extend_from_slice(b"ICCP");
    body.extend_from_slice(&2u32.to_le_bytes());
    body.extend_from_slice(&[7, 8]);
    let b = riff(&body);
    assert_eq!(strip_metadata("image/webp", &b), Some(b.clone()), "nothing to drop, nothing changed");
    // A chunk that claims more than the file holds.
    let mut cut = b.clone();
    cut.truncate(cut.len() - 1);
    assert_eq!(strip_metadata("image/webp", &cut), None);
    // Not a WebP container at all.
    assert_eq!(strip_metadata("image/webp", b"RIFF\0\0\0\0WEB"), None);
    assert_eq!(strip_metadata("image/webp", b"RIFX\x04\0\0\0WEBP"), None);
    assert_eq!(strip_metadata("image/webp", b"RIFF\x04\0\0\0WEBX"), None);
    assert_eq!(strip_metadata("image/webp", b"RIFF\x04\0\0\0WEBP"), Some(b"RIFF\x04\0\0\0WEBP".to_vec()));
}
