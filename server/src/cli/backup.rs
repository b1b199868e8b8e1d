//! `backup`: the SQLite database (an online snapshot by `VACUUM INTO`) and
//! the evidence files it refers to, read after the snapshot so that every
//! file the snapshot names is there (files are write-once), in one archive
//! (`archive`). On PostgreSQL the database is dumped by `pg_dump` and
//! `--vault-only` carries the files.
use super::archive::{copy_hashing, is_sha, vault_path, Entry, Manifest, DATABASE, FORMAT, MANIFEST, SUMS};
use crate::config::Config;
use redline_store::vault::audit;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}

pub async fn run(config: &Config, out: &Path, vault_only: bool) -> ExitCode {
    if config.evidence_s3_bucket.is_some() {
        return fail("The vault is an S3 bucket: back it up with the bucket's versioning or replication.");
    }
    let sqlite = redline_store::db::sqlite_path(&config.database_url);
    if !vault_only && sqlite.is_none() {
        return fail("On PostgreSQL, dump the database with pg_dump and back up the files with `backup --vault-only` (README: Backup and restore).");
    }
    let work = out.with_extension("partial.d");
    let _ = std::fs::remove_dir_all(&work);
    if let Err(e) = std::fs::create_dir_all(&work) {
        return fail(format!("{}: {e}", work.display()));
    }
    let result = write_backup(config, out, &work, vault_only).await;
    let _ = std::fs::remove_dir_all(&work);
    match result {
        Ok((m, broken)) => {
            let bytes: u64 = m.files.iter().map(|f| f.bytes).sum();
            let files = m.files.iter().filter(|f| f.path != DATABASE).count();
            println!(
                "Backup written to {}: {} ({} cases, {} tips), {files} evidence file(s), {bytes} bytes; hashes in {MANIFEST} and {SUMS}.",
                out.display(),
                if vault_only { "evidence vault only" } else { "database" },
                m.cases,
                m.tips
            );
            if broken > 0 {
                eprintln!("{broken} hash chain(s) are broken (listed above): `restore` will refuse this archive.");
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("Backup failed: {e}")),
    }
}

async fn write_backup(config: &Config, out: &Path, work: &Path, vault_only: bool) -> Result<(Manifest, usize), String> {
    let mut broken = 0;
    let vault = PathBuf::from(&config.evidence_dir);
    let (blobs, cases, tips, snapshot) = if vault_only {
        (vault_files(&vault)?, 0, 0, None)
    } else {
        let snapshot = work.join("redline.db");
        let db = redline_store::db::open_unmigrated(&config.database_url).await.map_err(|e| e.to_string())?;
        use sea_orm::ConnectionTrait;
        let target = snapshot.display().to_string().replace('\'', "''");
        // A consistent copy of the database as of one moment, taken while it serves.
        db.execute_unprepared(&format!("VACUUM INTO '{target}'")).await.map_err(|e| format!("VACUUM INTO: {e}"))?;
        let _ = db.close().await;
        let snap = redline_store::db::open_unmigrated(&format!("sqlite://{}?mode=ro", snapshot.display()))
            .await
            .map_err(|e| e.to_string())?;
        let blobs = audit::referenced_blobs(&snap).await.map_err(|e| e.to_string())?;
        let chains = audit::verify_all_chains(&snap).await.map_err(|e| e.to_string())?;
        // Written anyway (a damaged database is better kept than lost), but said
        // now: `restore` would refuse it.
        for (no, seq, why) in &chains.broken {
            eprintln!("warning: {no}: the hash chain breaks at event {seq}: {why}");
        }
        broken = chains.broken.len();
        let _ = snap.close().await;
        (blobs.into_iter().collect(), chains.cases, chains.tips, Some(snapshot))
    };
    let out = out.to_path_buf();
    let partial = out.with_extension("partial");
    let written = partial.clone();
    let manifest = tokio::task::spawn_blocking(move || -> Result<Manifest, String> {
        // The whole database and every piece of evidence: readable by its owner only.
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        let file = open.open(&written).map_err(|e| format!("{}: {e}", written.display()))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let mut files = Vec::new();
        if let Some(s) = &snapshot {
            files.push(add(&mut zip, DATABASE, s, zip::CompressionMethod::Deflated)?);
        }
        let mut missing = Vec::new();
        for sha in &blobs {
            let at = vault.join(vault_path(sha));
            let at = if at.is_file() { at } else { vault.join(".quarantine").join(sha) };
            if !at.is_file() {
                missing.push(sha.clone());
                continue;
            }
            // Evidence is mostly compressed already (images, video).
            let e = add(&mut zip, &format!("vault/{}", vault_path(sha)), &at, zip::CompressionMethod::Stored)?;
            if &e.sha256 != sha {
                return Err(format!("the vault file {} is damaged: its content hashes to {}", at.display(), e.sha256));
            }
            files.push(e);
        }
        if !missing.is_empty() {
            return Err(format!(
                "{} evidence file(s) the database refers to are not in the vault (first: {}); was one removed while the backup ran? Run it again.",
                missing.len(),
                missing[0]
            ));
        }
        let manifest = Manifest {
            format: FORMAT.into(),
            created_at: chrono::Utc::now().to_rfc3339(),
            redline_version: env!("CARGO_PKG_VERSION").into(),
            contents: if snapshot.is_some() { "sqlite" } else { "vault-only" }.into(),
            cases,
            tips,
            files,
        };
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file(MANIFEST, options).map_err(|e| e.to_string())?;
        zip.write_all(&serde_json::to_vec_pretty(&manifest).expect("a manifest serializes")).map_err(|e| e.to_string())?;
        // The same hashes for `sha256sum -c` after unzipping.
        zip.start_file(SUMS, options).map_err(|e| e.to_string())?;
        for f in &manifest.files {
            writeln!(zip, "{}  {}", f.sha256, f.path).map_err(|e| e.to_string())?;
        }
        let mut w = zip.finish().map_err(|e| e.to_string())?;
        w.flush().map_err(|e| e.to_string())?;
        w.get_ref().sync_all().map_err(|e| e.to_string())?;
        Ok(manifest)
    })
    .await
    .map_err(|e| e.to_string())?;
    match manifest {
        Ok(m) => {
            std::fs::rename(&partial, &out).map_err(|e| format!("{}: {e}", out.display()))?;
            Ok((m, broken))
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Every file in a local vault (not its staging area or quarantine).
fn vault_files(root: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let Ok(top) = std::fs::read_dir(root) else { return Ok(out) };
    for a in top.flatten().filter(|e| e.file_name().len() == 2) {
        for b in std::fs::read_dir(a.path()).map_err(|e| e.to_string())?.flatten() {
            for f in std::fs::read_dir(b.path()).map_err(|e| e.to_string())?.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if is_sha(&name) {
                    out.push(name);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Adds a file to the archive, hashing what it copies.
fn add<W: Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    name: &str,
    from: &Path,
    method: zip::CompressionMethod,
) -> Result<Entry, String> {
    let options = zip::write::SimpleFileOptions::default().compression_method(method).large_file(true);
    zip.start_file(name, options).map_err(|e| e.to_string())?;
    let mut input = std::fs::File::open(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let (sha256, bytes) = copy_hashing(&mut input, zip).map_err(|e| format!("{}: {e}", from.display()))?;
    Ok(Entry { path: name.into(), sha256, bytes })
}
