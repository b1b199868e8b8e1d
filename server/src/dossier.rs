//! The case package (案卷材料) a consumer or an officer files with 12315 or
//! keeps on record: the dossier as JSON (the API's document, with the
//! jurisdiction reasoning by article and the hash chain's head), and a ZIP of
//! it with every evidence file as uploaded and a manifest whose SHA-256
//! hashes anyone can check (`sha256sum -c SHA256SUMS`).
use crate::routes::api::cases::dossier_body;
use crate::AppState;
use redline_store::{Actor, StoreError};
use sha2::{Digest, Sha256};
use std::io::Write;

/// What the package holds besides the JSON: (path inside the ZIP, bytes).
pub struct Package {
    pub case_no: String,
    pub json: serde_json::Value,
    pub files: Vec<(String, Vec<u8>)>,
}

/// The evidence a package carries, at most: past it the ZIP is refused (the
/// JSON still lists every file with its hash).
pub const MAX_EVIDENCE_BYTES: i64 = 512 << 20;

/// A file name as it may sit in a ZIP: no directories, no control characters.
fn safe_name(name: &str) -> String {
    let n: String = name.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    let n = n.trim_start_matches('.').to_owned();
    if n.is_empty() {
        "file".to_owned()
    } else {
        n
    }
}

/// The package of `case_no` as `actor` may see it (a party to the case): the
/// dossier is read once; the ZIP adds the files its evidence index names.
pub async fn build(st: &AppState, actor: &Actor, case_no: &str, with_files: bool) -> Result<Package, StoreError> {
    let (body, d) = dossier_body(&st.store, actor, case_no, None).await?;
    let agencies = redline_store::case::queries::agencies(&st.store).await?;
    let jurisdiction: Vec<serde_json::Value> = redline_store::jurisdiction::of_case(&d.case)?
        .into_iter()
        .map(|j| {
            let (zh, en) = redline_store::jurisdiction::place_name(&j.region, &agencies);
            serde_json::json!({ "region": j.region, "place_zh": zh, "place_en": en, "basis": j.basis, "basis_zh": j.basis_zh })
        })
        .collect();
    let chain = redline_store::chain::verify_events(&d.case, &d.events);
    let mut json = serde_json::to_value(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if let Some(o) = json.as_object_mut() {
        o.insert("jurisdiction".into(), serde_json::Value::Array(jurisdiction));
        o.insert(
            "chain".into(),
            serde_json::json!({ "head": d.case.chain_head, "events": d.events.len(), "intact": chain.intact() }),
        );
        o.insert("generated_at".into(), serde_json::json!(st.store.now()));
        // What an offline check needs (`server verify`): each event's hashed
        // text, and the case's logged heads under the newest signed checkpoint.
        let chained: Vec<serde_json::Value> = d
            .events
            .iter()
            .map(|e| {
                serde_json::json!({
                    "seq": e.seq,
                    "content": redline_store::chain::canonical_content(e),
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                })
            })
            .collect();
        o.insert("chain_events".into(), serde_json::Value::Array(chained));
        let receipt = redline_store::transparency::proofs::receipt(&st.store, "case", &d.case.case_no).await?;
        o.insert(
            "transparency".into(),
            receipt.as_ref().map_or(serde_json::Value::Null, crate::routes::transparency::receipt_json),
        );
    }
    let mut files = Vec::new();
    if with_files {
        let total: i64 = body.evidence.iter().map(|e| e.size_bytes).sum();
        if total > MAX_EVIDENCE_BYTES {
            return Err(StoreError::field(
                "form",
                "证据文件合计超过512MB，请分别下载原件",
                "The evidence exceeds 512 MB together; download the originals one by one",
            ));
        }
        for (i, e) in body.evidence.iter().enumerate() {
            let bytes = st
                .vault
                .blobs
                .get(&e.sha256)
                .await
                .map_err(|err| StoreError::Corrupt(format!("evidence {}: {err}", e.id)))?
                .ok_or(StoreError::NotFound)?;
            files.push((format!("evidence/{:03}-{}", i + 1, safe_name(&e.file_name)), bytes));
        }
    }
    Ok(Package { case_no: d.case.case_no.clone(), json, files })
}

fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

impl Package {
    /// The ZIP: `dossier.json`, the evidence files, `manifest.json` (every
    /// file's path, size and SHA-256, and the chain head) and `SHA256SUMS`.
    pub fn zip(&self) -> Result<Vec<u8>, String> {
        let dossier = serde_json::to_vec_pretty(&self.json).map_err(|e| e.to_string())?;
        let mut entries: Vec<(String, &[u8])> = vec![("dossier.json".to_owned(), &dossier)];
        entries.extend(self.files.iter().map(|(p, b)| (p.clone(), b.as_slice())));
        let listed: Vec<serde_json::Value> = entries
            .iter()
            .map(|(p, b)| serde_json::json!({ "path": p, "bytes": b.len(), "sha256": sha256_hex(b) }))
            .collect();
        let manifest = serde_json::to_vec_pretty(&serde_json::json!({
            "case_no": self.case_no,
            "chain_head": self.json.get("chain").and_then(|c| c.get("head")),
            "files": listed,
        }))
        .map_err(|e| e.to_string())?;
        let sums: String = entries.iter().map(|(p, b)| format!("{}  {p}\n", sha256_hex(b))).collect();
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut out);
            // Evidence is mostly images and video, already compressed: stored as is.
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            for (p, b) in entries
                .iter()
                .map(|(p, b)| (p.as_str(), *b))
                .chain([("manifest.json", manifest.as_slice()), ("SHA256SUMS", sums.as_bytes())])
            {
                z.start_file(p, opts).map_err(|e| e.to_string())?;
                z.write_all(b).map_err(|e| e.to_string())?;
            }
            z.finish().map_err(|e| e.to_string())?;
        }
        Ok(out.into_inner())
    }
}
