//! Evidence (证据) rules: what a file is (by its magic bytes, never its name),
//! what name may be shown for it, and the metadata-free copy of an image that
//! the app displays. The original bytes are never changed (E-Commerce Law
//! Art. 62; Order 117 Art. 16).

mod strip;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use strip::strip_metadata;

/// What kind of proof a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EvidenceKind {
    /// 截图/照片
    Image,
    /// 录屏/短视频
    Video,
    /// PDF 文件（检测报告、发票等）
    Pdf,
    /// 聊天记录导出（纯文本）
    Chat,
}

str_enum!(EvidenceKind { Image => "IMAGE", Video => "VIDEO", Pdf => "PDF", Chat => "CHAT" });

impl EvidenceKind {
    pub fn label_zh(&self) -> &'static str {
        match self {
            EvidenceKind::Image => "图片",
            EvidenceKind::Video => "视频",
            EvidenceKind::Pdf => "PDF文件",
            EvidenceKind::Chat => "聊天记录",
        }
    }
    pub fn label_en(&self) -> &'static str {
        match self {
            EvidenceKind::Image => "image",
            EvidenceKind::Video => "video",
            EvidenceKind::Pdf => "PDF",
            EvidenceKind::Chat => "chat export",
        }
    }
}

/// The outcome of sniffing: the kind and the media type Redline will serve it as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: EvidenceKind,
    pub mime: &'static str,
}

/// Why a file is not accepted as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    #[error("empty file")]
    Empty,
    #[error("file type not accepted")]
    UnknownType,
    #[error("file larger than the per-file limit")]
    TooLarge,
    #[error("case evidence would exceed the per-case limit")]
    CaseFull,
}

impl FileRefusal {
    pub fn zh(&self) -> &'static str {
        match self {
            FileRefusal::Empty => "文件为空",
            FileRefusal::UnknownType => {
                "不支持的文件类型：仅接受 JPEG/PNG/WebP 图片、MP4/MOV/WebM 视频、PDF 和纯文本聊天记录（按文件内容识别，与扩展名无关）"
            }
            FileRefusal::TooLarge => "文件超过单个文件大小上限",
            FileRefusal::CaseFull => "本案证据总量已达上限",
        }
    }
    pub fn en(&self) -> &'static str {
        match self {
            FileRefusal::Empty => "The file is empty",
            FileRefusal::UnknownType => {
                "File type not accepted: JPEG/PNG/WebP images, MP4/MOV/WebM videos, PDF and plain-text chat exports only (judged by content, not by name)"
            }
            FileRefusal::TooLarge => "The file is larger than the per-file limit",
            FileRefusal::CaseFull => "This case has reached its evidence limit",
        }
    }
}

/// Identifies a file by its leading bytes. Text counts as a chat export only
/// if it is valid UTF-8 without NUL bytes.
pub fn sniff(bytes: &[u8]) -> Result<Sniffed, FileRefusal> {
    let mut t = TextCheck::default();
    t.push(bytes);
    sniff_head(bytes, t.finish())
}

/// How many leading bytes [`sniff_head`] needs.
pub const HEAD_LEN: usize = 64;

/// As [`sniff`], for a file read as a stream: its first bytes, and whether
/// all of it was text (see [`TextCheck`]).
pub fn sniff_head(bytes: &[u8], all_text: bool) -> Result<Sniffed, FileRefusal> {
    let s = |kind, mime| Ok(Sniffed { kind, mime });
    if bytes.is_empty() {
        return Err(FileRefusal::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return s(EvidenceKind::Image, "image/jpeg");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return s(EvidenceKind::Image, "image/png");
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return s(EvidenceKind::Image, "image/webp");
    }
    if bytes.starts_with(b"%PDF-") {
        return s(EvidenceKind::Pdf, "application/pdf");
    }
    if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return s(EvidenceKind::Video, "video/webm");
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        // ISO base media: the major brand tells video from HEIF stills.
        return match &bytes[8..12] {
            b"qt  " => s(EvidenceKind::Video, "video/quicktime"),
            b"isom" | b"iso2" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1" | b"M4V " | b"dash"
            | b"3gp4" | b"3gp5" | b"3gp6" | b"3g2a" => s(EvidenceKind::Video, "video/mp4"),
            _ => Err(FileRefusal::UnknownType),
        };
    }
    if all_text {
        return s(EvidenceKind::Chat, "text/plain; charset=utf-8");
    }
    Err(FileRefusal::UnknownType)
}

/// Checks, chunk by chunk, that a stream is UTF-8 text without NUL bytes (a
/// chat export), holding at most three bytes of a character cut by a chunk.
#[derive(Debug, Default)]
pub struct TextCheck {
    carry: Vec<u8>,
    bad: bool,
}

impl TextCheck {
    pub fn push(&mut self, chunk: &[u8]) {
        if self.bad {
            return;
        }
        if chunk.contains(&0) {
            self.bad = true;
            return;
        }
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(chunk);
        match std::str::from_utf8(&buf) {
            Ok(_) => {}
            // A character cut at the end of the chunk: keep its bytes.
            Err(e) if e.error_len().is_none() && buf.len() - e.valid_up_to() <= 3 => {
                self.carry = buf[e.valid_up_to()..].to_vec();
            }
            Err(_) => self.bad = true,
        }
    }

    /// Whether everything pushed was text (a cut character at the end is not).
    pub fn finish(&self) -> bool {
        !self.bad && self.carry.is_empty()
    }
}

/// The name to show for an uploaded file: the last path component, without
/// control or reserved characters, at most 120 characters. Storage never uses
/// it (files are stored under their SHA-256), so a hostile name cannot reach
/// the file system.
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned
    }
}

/// The extension of a detected type: downloads are named by what the file
/// is, never by what its uploader called it (`chat.bat`, `page.html`).
pub fn extension_for(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        "video/webm" => "webm",
        "video/quicktime" => "mov",
        "video/mp4" => "mp4",
        m if m.starts_with("text/plain") => "txt",
        _ => "bin",
    }
}

/// The name a file is downloaded under: the uploader's name without its
/// extension, plus the extension of the detected type.
pub fn download_name(stored_name: &str, mime: &str) -> String {
    let name = display_name(stored_name);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name.as_str(),
    };
    format!("{stem}.{}", extension_for(mime))
}

/// A stretch of the stream a piece of evidence shows, in seconds from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClipRange {
    pub start_s: i64,
    pub end_s: i64,
}

impl ClipRange {
    /// Start must not be after end; neither may be negative or beyond 48 hours.
    pub fn new(start_s: i64, end_s: i64) -> Option<ClipRange> {
        let ok = |s: i64| (0..48 * 3600).contains(&s);
        (ok(start_s) && ok(end_s) && start_s <= end_s).then_some(ClipRange { start_s, end_s })
    }

    /// The replay segment to preserve around a moment (Order 117 Art. 16):
    /// `margin` seconds either side, never before the stream start.
    pub fn around(moment_s: i64, margin_s: i64) -> ClipRange {
        ClipRange { start_s: (moment_s - margin_s).max(0), end_s: moment_s + margin_s }
    }
}

/// "hh:mm:ss" for an offset in seconds.
pub fn hms(s: i64) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}
