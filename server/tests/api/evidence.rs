//! Evidence (证据): files sniffed, hashed, stored once and served without
//! metadata, what each party may see, the limits, and the tamper-evident
//! history (E-Commerce Law Art. 62; Order 117 Art. 16).
use crate::helpers::{
    case_row, complaint_form, escalated_case, file_case, post_complaint, register, Backend, Client, TestApp,
};
use redline_store::entity::{case_event, evidence};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};

on_both_backends!(
    evidence_is_sniffed_hashed_stored_once_and_served_without_metadata,
    evidence_follows_case_visibility,
    tampering_with_one_event_is_reported_where_the_chain_breaks,
    evidence_can_be_attached_when_filing,
    appends_to_one_case_at_once_are_chained_one_after_another,
);

/// A JPEG whose EXIF block carries a location and a device serial.
pub(crate) fn jpeg_with_exif() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let exif = b"Exif\0\0GPS 30.27N 120.15E SN-PHONE-4711";
    b.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
    b.extend_from_slice(exif);
    b.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02]);
    b.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00, 0x12, 0x34, 0x56, 0xFF, 0xD9]);
    b
}

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

async fn upload(
    c: &Client,
    case_no: &str,
    role: &str,
    extra: &[(&str, &str)],
    files: &[(&str, &str, Vec<u8>)],
) -> crate::helpers::Page {
    let mut p = vec![("role", role)];
    p.extend_from_slice(extra);
    c.post_multipart(&format!("/do/cases/{case_no}/evidence"), &p, files).await
}

async fn evidence_is_sniffed_hashed_stored_once_and_served_without_metadata(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let jpeg = jpeg_with_exif();
    let page = upload(
        &c,
        &case_no,
        "consumer",
        &[("clip_start", "00:42:00"), ("clip_end", "00:43:30"), ("note", "主播口播截图")],
        &[("files", "../../etc/passwd.jpg", jpeg.clone())],
    )
    .await;
    assert!(page.body.contains("passwd.jpg") && page.body.contains("00:42:00–00:43:30"), "listed with its clip");
    assert_eq!(page.body.matches("证据已上传。").count(), 1, "said once");
    let e = evidence::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(e.sha256, sha(&jpeg));
    assert_eq!((e.kind.as_str(), e.mime.as_str(), e.file_name.as_str()), ("IMAGE", "image/jpeg", "passwd.jpg"));
    assert_eq!((e.offset_start_s, e.offset_end_s), (Some(2520), Some(2610)));
    // Stored under its content address, never under the name it came with.
    let dir = std::path::PathBuf::from(&app.running_config().evidence_dir);
    assert!(dir.join(&e.sha256[..2]).join(&e.sha256[2..4]).join(&e.sha256).exists());
    assert!(!dir.join("etc").exists() && !dir.parent().unwrap().join("etc").exists());
    // Shown as a metadata-free copy; the original is kept byte for byte.
    let shown = c.http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap();
    assert_eq!(shown.headers()["content-type"], "image/jpeg");
    assert_eq!(shown.headers()["x-content-type-options"], "nosniff");
    let shown = shown.bytes().await.unwrap();
    assert!(!shown.windows(3).any(|w| w == b"GPS") && !shown.windows(9).any(|w| w == b"SN-PHONE-"));
    let orig = c.http.get(format!("{}/evidence/{}/original", app.url, e.id)).send().await.unwrap();
    assert!(orig.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(orig.bytes().await.unwrap().to_vec(), jpeg);
    // The same file again is a second record of the same blob.
    upload(&c, &case_no, "consumer", &[], &[("files", "again.jpg", jpeg.clone())]).await;
    let rows = evidence::Entity::find().all(&app.store().db).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].sha256, rows[1].sha256);
    // Each upload is a chained case event.
    let m = case_row(&app, &case_no).await;
    let added = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(m.id))
        .filter(case_event::Column::EventType.eq("EVIDENCE_ADDED"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(added, 2);
}

/// Eight uploads to one case at the same moment, each from its own session:
/// the case's row lock (`chain::lock_case`) makes their appends take turns,
/// so every one is kept and the chain runs on without a gap or a fork.
async fn appends_to_one_case_at_once_are_chained_one_after_another(app: TestApp) {
    let first = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&first).await;
    let before = case_row(&app, &case_no).await.chain_seq;
    let mut sessions = vec![first];
    for _ in 1..8 {
        sessions.push(app.signed_in("consumer@demo.redline").await);
    }
    let uploads: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let case_no = case_no.clone();
            tokio::spawn(async move {
                let mut jpeg = jpeg_with_exif();
                jpeg.insert(jpeg.len() - 2, i as u8);
                upload(&c, &case_no, "consumer", &[], &[("files", &format!("shot-{i}.jpg"), jpeg)]).await
            })
        })
        .collect();
    for u in uploads {
        let page = u.await.unwrap();
        assert!(page.url.starts_with(&format!("/cases/{case_no}")), "kept: {}", page.url);
    }
    let m = case_row(&app, &case_no).await;
    assert_eq!(
        evidence::Entity::find().filter(evidence::Column::CaseId.eq(m.id)).count(&app.store().db).await.unwrap(),
        8
    );
    assert_eq!(m.chain_seq, before + 8, "one event per upload");
    let report = redline_store::chain::verify_case(&app.store().db, m.id).await.unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.events as i32, m.chain_seq);
}

async fn evidence_follows_case_visibility(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    upload(&c, &case_no, "consumer", &[], &[("files", "chat.txt", "客服：不退不换".as_bytes().to_vec())]).await;
    let e = evidence::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(e.kind, "CHAT");
    let operator = app.signed_in("operator@demo.redline").await;
    let op_page = operator.get(&format!("/cases/{case_no}")).await;
    assert!(op_page.body.contains("chat.txt"), "the operator of the room sees it");
    let r = operator.http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"), "text is never rendered");
    // A different consumer and an agency not (yet) handling it see nothing.
    let other = app.client();
    register(&app, &other, "王五", "wang5@example.com").await;
    let r = other.http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404, "what a viewer may not see does not exist for them");
    let reg = app.signed_in("regulator@demo.redline").await;
    assert_eq!(reg.http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap().status().as_u16(), 404);
    assert_eq!(
        app.client().http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap().status().as_u16(),
        401
    );
    // Closing the case sets how long its evidence is kept: three years, a policy term (no law
    // fixes one for the portal's case file; it matches the three years of Order 117 Art. 16).
    c.act(&case_no, "consumer", "WITHDRAW", &[]).await;
    let e = evidence::Entity::find_by_id(e.id).one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(e.retain_until, Some(crate::helpers::date("2029-11-23")), "three years from 2026-11-23");
    // The operator cannot upload as the consumer.
    upload(&operator, &case_no, "consumer", &[], &[("files", "x.txt", b"hello".to_vec())]).await;
    assert_eq!(evidence::Entity::find().count(&app.store().db).await.unwrap(), 1);
}

async fn tampering_with_one_event_is_reported_where_the_chain_breaks(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &c).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    let (status, j) = reg.json(&format!("/api/v1/cases/{case_no}/chain")).await;
    assert_eq!(status, 200);
    assert_eq!(j["intact"], true);
    let n = j["events"].as_u64().unwrap();
    // Four from the filing (T1–T3, the preservation request) and five from the
    // steps, and their follow-ups, that take the case to the regulator.
    assert_eq!(n, 9, "{j}");
    assert!(reg.get(&format!("/cases/{case_no}")).await.body.contains("data-intact=\"true\""));
    // Someone with database access rewrites the operator's answer.
    let m = case_row(&app, &case_no).await;
    app.store()
        .db
        .execute_unprepared(&format!(
            "UPDATE case_events SET payload_json = '{{\"type\":\"PLATFORM_DECIDE\",\"offer\":\"FULL\"}}' WHERE case_id = {} AND seq = 5",
            m.id
        ))
        .await
        .unwrap();
    let (_, j) = reg.json(&format!("/api/v1/cases/{case_no}/chain")).await;
    assert_eq!(j["intact"], false);
    assert_eq!(j["broken_at_seq"], 5);
    assert_eq!(j["problem"], "CONTENT_ALTERED");
    let page = reg.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("data-broken-at=\"5\""), "the case page shows where");
    // Deleting an event shows as a gap.
    app.store()
        .db
        .execute_unprepared(&format!("DELETE FROM case_events WHERE case_id = {} AND seq = 3", m.id))
        .await
        .unwrap();
    let (_, j) = reg.json(&format!("/api/v1/cases/{case_no}/chain")).await;
    assert_eq!((j["broken_at_seq"].as_i64(), j["problem"].as_str()), (Some(4), Some("SEQUENCE_GAP")));
    // Removing the newest events is caught by the head kept on the case.
    let case2 = file_case(&c).await;
    let m2 = case_row(&app, &case2).await;
    app.store()
        .db
        .execute_unprepared(&format!("DELETE FROM case_events WHERE case_id = {} AND seq >= 3", m2.id))
        .await
        .unwrap();
    let (_, j) = c.json(&format!("/api/v1/cases/{case2}/chain")).await;
    assert_eq!(j["problem"], "TRUNCATED", "{j}");
    // Someone who knows the algorithm rewrites one event and recomputes its own
    // hash: that event checks out, but the next one no longer links to it.
    let case3 = file_case(&c).await;
    let m3 = case_row(&app, &case3).await;
    let e2 = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(m3.id))
        .filter(case_event::Column::Seq.eq(2))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    let forged = "{\"forged\":true}";
    let rehashed = redline_rules::chain::event_hash(
        e2.prev_hash.as_deref().unwrap(),
        &redline_rules::chain::EventContent {
            case_id: e2.case_id,
            seq: e2.seq,
            at_micros: e2.at.timestamp_micros(),
            actor_user_id: e2.actor_user_id,
            actor_role: &e2.actor_role,
            event_type: &e2.event_type,
            transition_id: &e2.transition_id,
            from_state: &e2.from_state,
            to_state: &e2.to_state,
            payload_json: forged,
        },
    );
    app.store()
        .db
        .execute_unprepared(&format!(
            "UPDATE case_events SET payload_json = '{forged}', hash = '{rehashed}' WHERE id = {}",
            e2.id
        ))
        .await
        .unwrap();
    let (_, j) = c.json(&format!("/api/v1/cases/{case3}/chain")).await;
    assert_eq!((j["broken_at_seq"].as_i64(), j["problem"].as_str()), (Some(3), Some("LINK_BROKEN")), "{j}");
    assert!(c.get(&format!("/cases/{case3}")).await.body.contains("data-broken-at=\"3\""));
    // Not a party: no verification.
    let other = app.signed_in("regulator2@demo.redline").await;
    assert_eq!(other.json(&format!("/api/v1/cases/{case_no}/chain")).await.0, 404);
}

async fn evidence_can_be_attached_when_filing(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let pdf = b"%PDF-1.4\n% test report\n".to_vec();
    let p = post_complaint(&c, &complaint_form("1"), &[("evidence", "检测报告.pdf", pdf.clone())]).await;
    assert!(p.url.starts_with("/cases/"));
    assert!(p.body.contains("检测报告.pdf"));
    let e = evidence::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!((e.kind.as_str(), e.uploaded_role.as_str()), ("PDF", "consumer"));
    // A bad file refuses the whole filing and keeps what was typed.
    let before = redline_store::entity::complaint::Entity::find().count(&app.store().db).await.unwrap();
    let p = post_complaint(&c, &complaint_form("1"), &[("evidence", "report.pdf", b"MZ\x90\0binary".to_vec())]).await;
    assert!(p.url.starts_with("/me/new"));
    assert!(p.body.contains("不支持的文件类型") && p.body.contains("胶原蛋白饮品 30瓶装"));
    assert_eq!(redline_store::entity::complaint::Entity::find().count(&app.store().db).await.unwrap(), before);
}

/// Limits are configuration; these run with small ones (1 MiB a file, 2 MiB a case).
mod limits {
    use super::*;

    async fn small(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |c| {
            c.evidence_max_file = 1 << 20;
            c.evidence_max_case = 2 << 20;
        })
        .await
    }

    async fn rejected(app: TestApp) {
        let c = app.signed_in("consumer@demo.redline").await;
        let case_no = file_case(&c).await;
        let note = [("note", "保留这段说明"), ("clip_start", "00:01:00"), ("clip_end", "00:02:00")];
        // Wrong magic bytes, whatever the name says.
        let p =
            upload(&c, &case_no, "consumer", &note, &[("files", "photo.jpg", b"MZ\x90\0\x03\0\0\0".to_vec())]).await;
        assert!(p.body.contains("不支持的文件类型"), "localized reason");
        assert!(p.body.contains("保留这段说明"), "the note is kept");
        assert!(!p.body.contains("请重新选择文件"), "the file field has its own problem");
        // A bad clip with a good file: the file is lost with the refusal, and said so.
        let jpg = [vec![0xFF, 0xD8, 0xFF], vec![0u8; 64]].concat();
        let p = upload(
            &c,
            &case_no,
            "consumer",
            &[("clip_start", "00:05:00"), ("clip_end", "00:01:00")],
            &[("files", "ok.jpg", jpg)],
        )
        .await;
        assert_eq!(p.body.matches("所选文件未能保留，请重新选择文件").count(), 2, "at the field and in the summary");
        // Too large for one file.
        let big = [vec![0xFF, 0xD8, 0xFF], vec![0u8; (1 << 20) + 10]].concat();
        let p = upload(&c, &case_no, "consumer", &note, &[("files", "big.jpg", big)]).await;
        assert!(p.body.contains("超过单个文件 1 MiB"), "names the limit");
        assert!(p.body.contains("保留这段说明"));
        // A bad clip range.
        let p = upload(
            &c,
            &case_no,
            "consumer",
            &[("clip_start", "00:05:00"), ("clip_end", "00:01:00")],
            &[("files", "a.txt", b"hi".to_vec())],
        )
        .await;
        assert!(p.body.contains("片段结束时间不能早于开始时间"));
        // The per-case total.
        let chunk = |n: u8| [b"%PDF-".to_vec(), vec![n; 900 << 10]].concat();
        upload(&c, &case_no, "consumer", &[], &[("files", "1.pdf", chunk(1))]).await;
        upload(&c, &case_no, "consumer", &[], &[("files", "2.pdf", chunk(2))]).await;
        let p = upload(&c, &case_no, "consumer", &[], &[("files", "3.pdf", chunk(3))]).await;
        assert!(p.body.contains("本案证据总量已达上限"), "per-case limit");
        assert_eq!(evidence::Entity::find().count(&app.store().db).await.unwrap(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_rejected_uploads_say_why_and_keep_the_form() {
        rejected(small(Backend::Sqlite).await).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_rejected_uploads_say_why_and_keep_the_form() {
        rejected(small(Backend::Postgres).await).await
    }
}
