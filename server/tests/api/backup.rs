//! Backup and restore with the server binary, as an operator runs them: a
//! backup taken while the server runs restores into another, empty
//! installation with every file's hash and every case's and tip's chain
//! checked; a damaged archive or a rewritten history is refused and leaves
//! nothing behind; on PostgreSQL the vault travels alone beside pg_dump.
use crate::evidence::jpeg_with_exif;
use crate::helpers::{file_case, redline, Backend, TestApp};
use redline_store::entity::{complaint, evidence, tip};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder};
use std::path::{Path, PathBuf};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join("redline-tests").join(format!("{name}-{}", rand::random::<u32>()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A case with a photo (kept, and its copy without EXIF) and a tip with a screenshot.
async fn populated(backend: Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let p = consumer
        .post_multipart(
            &format!("/do/cases/{case_no}/evidence"),
            &[("role", "consumer"), ("note", "直播截图")],
            &[("files", "截图.jpg", jpeg_with_exif())],
        )
        .await;
    assert_eq!(p.status, 200);
    crate::tips::file(&app.client(), "主播称该饮品可以三天美白，画面中的数字人未作标识。", "").await;
    app
}

/// (case number, chain head) of every case, tip heads, evidence hashes.
async fn fingerprint(db: &DatabaseConnection) -> (Vec<(String, Option<String>)>, Vec<Option<String>>, Vec<String>) {
    let cases = complaint::Entity::find().order_by_asc(complaint::Column::Id).all(db).await.unwrap();
    let tips = tip::Entity::find().order_by_asc(tip::Column::Id).all(db).await.unwrap();
    let files = evidence::Entity::find().order_by_asc(evidence::Column::Id).all(db).await.unwrap();
    (
        cases.into_iter().map(|c| (c.case_no, c.chain_head)).collect(),
        tips.into_iter().map(|t| t.chain_head).collect(),
        files.into_iter().map(|e| e.sha256).collect(),
    )
}

fn vault_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(top) = std::fs::read_dir(root) else { return out };
    for a in top.flatten().filter(|e| e.file_name().len() == 2) {
        for b in std::fs::read_dir(a.path()).unwrap().flatten() {
            for f in std::fs::read_dir(b.path()).unwrap().flatten() {
                out.push((f.file_name().to_string_lossy().into_owned(), std::fs::read(f.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The archive with one member's content changed (same length).
fn tampered(from: &Path, to: &Path, member_prefix: &str) -> String {
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let mut hit = String::new();
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().to_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        if hit.is_empty() && name.starts_with(member_prefix) {
            let last = bytes.len() - 1;
            bytes[last] ^= 0x55;
            hit = name.clone();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    out.finish().unwrap();
    hit
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_backup_taken_while_serving_restores_elsewhere_with_every_hash_and_chain_checked() {
    let app = populated(Backend::Sqlite).await;
    let dir = scratch("backup");
    let archive = dir.join("redline-backup.zip");
    let source =
        [("DATABASE_URL", app.database_url.as_str()), ("REDLINE_EVIDENCE_DIR", app.config.evidence_dir.as_str())];
    let made = redline(&["backup", "--out", archive.to_str().unwrap()], &source);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let (cases, tips, files) = fingerprint(&app.store().db).await;
    let blobs = vault_files(Path::new(&app.config.evidence_dir));
    assert_eq!((files.len(), blobs.len()), (1, 3), "a photo, its copy without EXIF, the tip's screenshot");
    let said = text(&made.stdout);
    assert!(
        said.starts_with(&format!(
            "Backup written to {}: database ({} cases, 1 tips), 3 evidence file(s), ",
            archive.display(),
            cases.len()
        )),
        "{said}"
    );

    // Elsewhere, empty: restored and verified.
    let db_path = dir.join("restored.db");
    let target_url = format!("sqlite://{}?mode=rwc", db_path.display());
    let target_vault = dir.join("vault");
    let target = [("DATABASE_URL", target_url.as_str()), ("REDLINE_EVIDENCE_DIR", target_vault.to_str().unwrap())];
    let restored = redline(&["restore", archive.to_str().unwrap()], &target);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(
        text(&restored.stdout).contains(&format!(
            ": {} case(s) and 1 tip(s), every hash chain intact; 3 evidence file(s), every hash verified.",
            cases.len()
        )),
        "{}",
        text(&restored.stdout)
    );
    let copy = redline_store::db::connect(&target_url).await.unwrap();
    assert_eq!(fingerprint(&copy.read).await, (cases, tips, files));
    assert_eq!(vault_files(&target_vault), blobs, "every evidence file, byte for byte");
    copy.read.close_by_ref().await.unwrap();
    copy.write.close_by_ref().await.unwrap();

    // Never over an installation.
    let again = redline(&["restore", archive.to_str().unwrap()], &target);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains(&format!("the database {} exists", db_path.display())),
        "{}",
        text(&again.stderr)
    );

    // A damaged evidence file: refused by name, nothing left behind.
    let bad = dir.join("damaged.zip");
    let member = tampered(&archive, &bad, "vault/");
    let fresh = dir.join("fresh.db");
    let fresh_url = format!("sqlite://{}?mode=rwc", fresh.display());
    let fresh_vault = dir.join("fresh-vault");
    let into = [("DATABASE_URL", fresh_url.as_str()), ("REDLINE_EVIDENCE_DIR", fresh_vault.to_str().unwrap())];
    let refused = redline(&["restore", bad.to_str().unwrap()], &into);
    assert_eq!(refused.status.code(), Some(1));
    let err = text(&refused.stderr);
    assert!(err.starts_with("Restore refused; nothing was kept. 1 problem(s):"), "{err}");
    assert!(err.contains(&format!("  - {member}: its content hashes to ")), "{err}");
    assert!(!fresh.exists() && vault_files(&fresh_vault).is_empty());

    // A history rewritten in the database (its hashes then fit no chain): refused, nothing kept.
    app.store()
        .db
        .execute_unprepared("UPDATE case_events SET payload_json = '{\"rewritten\":true}' WHERE seq = 1 AND case_id = (SELECT MIN(id) FROM complaints)")
        .await
        .unwrap();
    let first =
        complaint::Entity::find().order_by_asc(complaint::Column::Id).one(&app.store().db).await.unwrap().unwrap();
    let rewritten = dir.join("rewritten.zip");
    // The backup is written, but says at once what `restore` would refuse.
    let warned = redline(&["backup", "--out", rewritten.to_str().unwrap()], &source);
    assert_eq!(warned.status.code(), Some(1));
    let said = text(&warned.stderr);
    assert!(said.contains(&format!("warning: {}: the hash chain breaks at event 1", first.case_no)), "{said}");
    assert!(said.contains("1 hash chain(s) are broken (listed above): `restore` will refuse this archive."));
    assert!(rewritten.is_file());
    let refused = redline(&["restore", rewritten.to_str().unwrap()], &into);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        text(&refused.stderr),
        format!(
            "Restore refused; nothing was kept. 1 problem(s):\n  - {}: the hash chain breaks at event 1: the event's content was changed\n",
            first.case_no
        )
    );
    assert!(!fresh.exists() && vault_files(&fresh_vault).is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_vault_travels_beside_pg_dump() {
    let app = populated(Backend::Postgres).await;
    let dir = scratch("backup-pg");
    let archive = dir.join("vault.zip");
    let source =
        [("DATABASE_URL", app.database_url.as_str()), ("REDLINE_EVIDENCE_DIR", app.config.evidence_dir.as_str())];
    let whole = redline(&["backup", "--out", archive.to_str().unwrap()], &source);
    assert_eq!(whole.status.code(), Some(1));
    assert!(text(&whole.stderr).starts_with("On PostgreSQL, dump the database with pg_dump"));
    let made = redline(&["backup", "--vault-only", "--out", archive.to_str().unwrap()], &source);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(
        text(&made.stdout).contains(": evidence vault only (0 cases, 0 tips), 3 evidence file(s)"),
        "{}",
        text(&made.stdout)
    );
    // Into the same database (as pg_restore would have left it) with an empty vault.
    let target_vault = dir.join("vault");
    let target =
        [("DATABASE_URL", app.database_url.as_str()), ("REDLINE_EVIDENCE_DIR", target_vault.to_str().unwrap())];
    let restored = redline(&["restore", archive.to_str().unwrap()], &target);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    let cases = complaint::Entity::find().all(&app.store().db).await.unwrap().len();
    assert!(
        text(&restored.stdout).contains(&format!(
            ": {cases} case(s) and 1 tip(s), every hash chain intact; 3 evidence file(s), every hash verified."
        )),
        "{}",
        text(&restored.stdout)
    );
    assert_eq!(vault_files(&target_vault), vault_files(Path::new(&app.config.evidence_dir)));
    // Not over a vault that has files.
    let over = redline(&["restore", archive.to_str().unwrap()], &target);
    assert_eq!(over.status.code(), Some(1));
    assert!(text(&over.stderr).contains("is not empty"));
    let _ = std::fs::remove_dir_all(dir);
}
