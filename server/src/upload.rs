//! Reading `multipart/form-data` posts: text fields into [`Fields`], files into
//! uploads. A file over the per-file limit is drained (so the browser gets our
//! answer rather than a reset connection) and reported by name.
use crate::parse::Fields;
use axum::extract::Multipart;
use redline_store::evidence::Upload;

pub struct Posted {
    pub fields: Fields,
    pub files: Vec<Upload>,
    /// Files over the per-file limit, by the name the browser sent.
    pub too_large: Vec<String>,
    /// The body could not be read to its end (too large or cut off).
    pub broken: bool,
}

const MAX_TEXT: usize = 64 << 10;

pub async fn read(mut mp: Multipart, max_file: u64) -> Posted {
    let mut pairs = Vec::new();
    let mut files = Vec::new();
    let mut too_large = Vec::new();
    let mut broken = false;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                broken = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let mut bytes = Vec::new();
                let mut over = false;
                loop {
                    match field.chunk().await {
                        Ok(Some(c)) => {
                            if !over && (bytes.len() + c.len()) as u64 > max_file {
                                over = true;
                                bytes = Vec::new();
                            }
                            if !over {
                                bytes.extend_from_slice(&c);
                            }
                        }
                        Ok(None) => break,
                        Err(_) => {
                            broken = true;
                            break;
                        }
                    }
                }
                if over {
                    too_large.push(file_name);
                } else if !(file_name.is_empty() && bytes.is_empty()) {
                    // An empty file input sends a nameless empty part: not a file.
                    files.push(Upload { file_name, bytes });
                }
            }
            None => match field.text().await {
                Ok(t) => pairs.push((name, t.chars().take(MAX_TEXT).collect())),
                Err(_) => broken = true,
            },
        }
        if broken {
            break;
        }
    }
    Posted { fields: Fields::from_pairs(pairs), files, too_large, broken }
}
