//! `restore`: an archive made by `backup`, into an empty installation only
//! (nothing is overwritten). Every file is checked against the manifest as it
//! is written, then every case's and tip's hash chain and the presence of
//! every evidence file the database names; if anything fails, what was
//! written is removed again.
use super::archive::{copy_hashing, is_sha, vault_path, Manifest, DATABASE, FORMAT, MANIFEST, SUMS};
use crate::config::Config;
use redline_store::vault::audit;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub async fn run(config: &Config, archive: &Path) -> ExitCode {
    let mut written: Vec<PathBuf> = Vec::new();
    let outcome = restore(config, archive, &mut written).await;
    match outcome {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in written.iter().rev() {
                let _ = std::fs::remove_file(p);
            }
            eprintln!("Restore refused; nothing was kept. {} problem(s):", problems.len());
            for p in problems {
                eprintln!("  - {p}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Whether a file lies anywhere under `dir` (a refused restore leaves its
/// empty directories; uploads in staging do not count).
fn holds_files(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().filter(|e| e.file_name() != ".staging").any(|e| match e.file_type() {
        Ok(t) if t.is_dir() => holds_files(&e.path()),
        _ => true,
    })
}

fn one(p: impl Into<String>) -> Vec<String> {
    vec![p.into()]
}

async fn restore(config: &Config, archive: &Path, written: &mut Vec<PathBuf>) -> Result<String, Vec<String>> {
    let file = std::fs::File::open(archive).map_err(|e| one(format!("{}: {e}", archive.display())))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| one(format!("{} is not a backup archive: {e}", archive.display())))?;
    let manifest: Manifest = {
        let mut m = zip.by_name(MANIFEST).map_err(|_| one(format!("{MANIFEST} is missing")))?;
        let mut text = String::new();
        m.read_to_string(&mut text).map_err(|e| one(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| one(format!("{MANIFEST}: {e}")))?
    };
    if manifest.format != FORMAT {
        return Err(one(format!("{MANIFEST}: format `{}`, this Redline reads `{FORMAT}`", manifest.format)));
    }
    if config.evidence_s3_bucket.is_some() {
        return Err(one("evidence_s3_bucket is set: restore into a local vault (evidence_dir)"));
    }
    let with_database = manifest.files.iter().any(|f| f.path == DATABASE);
    let sqlite = redline_store::db::sqlite_path(&config.database_url);
    let db_target = match (with_database, &sqlite) {
        (true, None) => return Err(one("the archive holds an SQLite database, but database_url is PostgreSQL")),
        (true, Some(p)) if Path::new(p).exists() => {
            return Err(one(format!("restore goes into an empty installation: the database {p} exists")))
        }
        (true, Some(p)) => Some(PathBuf::from(p)),
        (false, _) => None,
    };
    let vault = PathBuf::from(&config.evidence_dir);
    if holds_files(&vault) {
        return Err(one(format!(
            "restore goes into an empty installation: the vault {} is not empty",
            vault.display()
        )));
    }

    // Every file, hashed as it is written; the manifest must list exactly what is there.
    let mut problems = Vec::new();
    let listed: std::collections::BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for name in zip.file_names() {
        if !listed.contains(name) && name != MANIFEST && name != SUMS && !name.ends_with('/') {
            problems.push(format!("{name} is in the archive but not in the manifest"));
        }
    }
    for f in &manifest.files {
        let target = if f.path == DATABASE {
            let t = db_target.clone().expect("an SQLite target");
            t.with_extension("restoring")
        } else {
            let sha = f.path.strip_prefix("vault/").and_then(|p| p.rsplit('/').next()).unwrap_or_default();
            if !is_sha(sha) || f.path != format!("vault/{}", vault_path(sha)) || f.sha256 != sha {
                problems.push(format!("{}: not a vault file name matching its hash", f.path));
                continue;
            }
            vault.join(vault_path(sha))
        };
        let Ok(mut entry) = zip.by_name(&f.path) else {
            problems.push(format!("{} is in the manifest but not in the archive", f.path));
            continue;
        };
        if let Some(dir) = target.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return Err(one(format!("{}: {e}", dir.display())));
            }
        }
        let mut out = match std::fs::File::create(&target) {
            Ok(o) => o,
            Err(e) => return Err(one(format!("{}: {e}", target.display()))),
        };
        written.push(target.clone());
        match copy_hashing(&mut entry, &mut out).and_then(|r| out.sync_all().map(|_| r)) {
            Ok((sha, bytes)) if sha == f.sha256 && bytes == f.bytes => {
                // Evidence is write-once in the vault: sealed as the vault seals it.
                if f.path != DATABASE {
                    let mut p = std::fs::metadata(&target).map_err(|e| one(e.to_string()))?.permissions();
                    p.set_readonly(true);
                    let _ = std::fs::set_permissions(&target, p);
                }
            }
            Ok((sha, _)) => {
                problems.push(format!("{}: its content hashes to {sha}, the manifest says {}", f.path, f.sha256))
            }
            Err(e) => problems.push(format!("{}: {e}", f.path)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Some(target) = &db_target {
        let staged = target.with_extension("restoring");
        std::fs::rename(&staged, target).map_err(|e| one(format!("{}: {e}", target.display())))?;
        written.retain(|p| p != &staged);
        written.push(target.clone());
    }

    // The database as restored (or, vault only, as pg_restore left it): every
    // chain intact, every evidence file it names present.
    let pools =
        redline_store::db::connect(&config.database_url).await.map_err(|e| one(format!("database_url: {e}")))?;
    let chains = audit::verify_all_chains(&pools.read).await.map_err(|e| one(e.to_string()))?;
    let blobs = audit::referenced_blobs(&pools.read).await.map_err(|e| one(e.to_string()))?;
    let _ = pools.read.close_by_ref().await;
    let _ = pools.write.close_by_ref().await;
    for (no, seq, why) in &chains.broken {
        problems.push(format!("{no}: the hash chain breaks at event {seq}: {why}"));
    }
    let missing: Vec<&String> = blobs.iter().filter(|sha| !vault.join(vault_path(sha)).is_file()).collect();
    if let Some(first) = missing.first() {
        problems.push(format!(
            "{} evidence file(s) the database names are not in the archive (first: {first})",
            missing.len()
        ));
    }
    if !problems.is_empty() {
        if db_target.is_some() {
            // The WAL beside a removed database would be taken for its log.
            for t in written.clone().iter().filter(|p| p.extension().is_some_and(|e| e == "db")) {
                written.push(t.with_extension("db-wal"));
                written.push(t.with_extension("db-shm"));
            }
        }
        return Err(problems);
    }
    let files = manifest.files.iter().filter(|f| f.path != DATABASE).count();
    Ok(format!(
        "Restored from {} (made {}): {} case(s) and {} tip(s), every hash chain intact; {files} evidence file(s), every hash verified.",
        archive.display(),
        manifest.created_at,
        chains.cases,
        chains.tips
    ))
}
