//! The transparency log (Supreme People's Court, Provisions on Internet
//! Courts, 2018, Art. 11): checkpoints signed with a key outside the database,
//! published with their keys and consistency proofs, and a party's receipt
//! that shows its case's head under a signed root. Checked here only with
//! what the public endpoints give and `rules::transparency`, as an outsider would.
use crate::helpers::{file_case, redline, Client, TestApp};
use redline_rules::transparency::merkle::{verify_consistency, verify_inclusion};
use redline_rules::transparency::{unhex32, verify, Body, Leaf};
use redline_store::entity::{case_event, complaint};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};
use serde_json::Value;

on_both_backends!(
    internet_courts_art11_a_history_rewritten_in_the_database_no_longer_matches_the_signed_checkpoint,
    internet_courts_art11_checkpoints_only_grow_and_a_forked_log_is_refused,
    a_rotated_key_signs_new_checkpoints_and_the_old_ones_still_verify,
    anyone_checks_a_package_on_the_verification_page,
);

/// `redline verify` on the case's package as its party downloads it, with
/// only the published key: (exit code, what it printed).
async fn verify_offline(party: &Client, case_no: &str, key_hex: &str) -> (i32, String) {
    let package = party.get(&format!("/cases/{case_no}/dossier.json")).await;
    assert_eq!(package.status, 200);
    verify_bytes(package.body.as_bytes(), key_hex)
}

/// `redline verify` on a package as given.
fn verify_bytes(package: &[u8], key_hex: &str) -> (i32, String) {
    let path = std::env::temp_dir().join(format!("redline-package-{}.json", crate::helpers::unique()));
    std::fs::write(&path, package).unwrap();
    let out = redline(&["verify", "--package", path.to_str().unwrap(), "--key", key_hex], &[]);
    let _ = std::fs::remove_file(&path);
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    let r = reqwest::get(format!("{}{path}", app.url)).await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

async fn checkpoint(app: &TestApp) -> Option<i64> {
    redline_store::transparency::append::checkpoint(app.store(), &app.running.log.signing())
        .await
        .unwrap()
        .map(|c| c.tree_size)
}

/// The published public key of `key_id`.
async fn key(app: &TestApp, key_id: &str) -> [u8; 32] {
    let (_, keys) = get(app, "/transparency/keys").await;
    let k = keys["keys"].as_array().unwrap().iter().find(|k| k["key_id"] == key_id).expect("the key is published");
    unhex32(k["public_key"].as_str().unwrap()).unwrap()
}

/// A checkpoint as an outsider reads it: its text, checked against its signature.
async fn signed_body(app: &TestApp, c: &Value) -> Body {
    let body = Body::parse(c["body"].as_str().unwrap()).expect("the published text parses");
    let public = key(app, c["key_id"].as_str().unwrap()).await;
    assert!(verify(&public, &body, c["signature"].as_str().unwrap()), "the signature verifies");
    body
}

fn hashes(v: &Value) -> Vec<[u8; 32]> {
    v.as_array().unwrap().iter().map(|h| unhex32(h.as_str().unwrap()).unwrap()).collect()
}

/// The attack a plain hash chain cannot see: one event rewritten, every later
/// hash and the head recomputed, all inside the database.
async fn rewrite_history(app: &TestApp, case_no: &str) {
    let db = &app.store().db;
    let c = complaint::Entity::find().filter(complaint::Column::CaseNo.eq(case_no)).one(db).await.unwrap().unwrap();
    let events = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .order_by_asc(case_event::Column::Seq)
        .all(db)
        .await
        .unwrap();
    let mut prev = redline_rules::chain::GENESIS.to_owned();
    for e in events {
        let payload = if e.seq == 1 {
            // The first event says something else now.
            let mut v: Value = serde_json::from_str(&e.payload_json).unwrap();
            v.as_object_mut().expect("an event's payload is an object").insert("amount_fen".into(), 1.into());
            v.to_string()
        } else {
            e.payload_json.clone()
        };
        let content = redline_rules::chain::EventContent {
            case_id: e.case_id,
            seq: e.seq,
            at_micros: e.at.timestamp_micros(),
            actor_user_id: e.actor_user_id,
            actor_role: &e.actor_role,
            event_type: &e.event_type,
            transition_id: &e.transition_id,
            from_state: &e.from_state,
            to_state: &e.to_state,
            payload_json: &payload,
        };
        let hash = redline_rules::chain::event_hash(&prev, &content);
        let mut row = e.clone().into_active_model();
        row.payload_json = Set(payload.clone());
        row.prev_hash = Set(Some(prev.clone()));
        row.hash = Set(Some(hash.clone()));
        row.update(db).await.unwrap();
        prev = hash;
    }
    let mut row = c.into_active_model();
    row.chain_head = Set(Some(prev));
    row.update(db).await.unwrap();
}

async fn internet_courts_art11_a_history_rewritten_in_the_database_no_longer_matches_the_signed_checkpoint(
    app: TestApp,
) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    assert_eq!(checkpoint(&app).await, Some(1), "the new case is the log's first leaf");
    assert_eq!(checkpoint(&app).await, None, "nothing changed: no checkpoint");

    // The party's receipt, checked against the published checkpoint and key.
    let r = consumer.get(&format!("/cases/{case_no}/receipt.json")).await;
    assert_eq!(r.status, 200);
    let receipt: Value = serde_json::from_str(&r.body).unwrap();
    let body = signed_body(&app, &receipt["checkpoint"]).await;
    assert_eq!(body.tree_size, 1);
    let (_, published) = get(&app, "/transparency/checkpoints/1").await;
    assert_eq!(published["body"], receipt["checkpoint"]["body"], "the receipt names the published checkpoint");
    let head = complaint::Entity::find()
        .filter(complaint::Column::CaseNo.eq(&case_no))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    let logged = Leaf {
        kind: "case".into(),
        number: case_no.clone(),
        seq: head.chain_seq.into(),
        head: head.chain_head.clone().unwrap(),
    };
    let heads = receipt["heads"].as_array().unwrap();
    assert_eq!(heads.len(), 1, "logged once");
    let l = &heads[0]["leaf"];
    assert_eq!(
        (l["kind"].as_str(), l["number"].as_str(), l["seq"].as_i64(), l["head"].as_str()),
        (Some("case"), Some(case_no.as_str()), Some(logged.seq), Some(logged.head.as_str()))
    );
    let proof = hashes(&heads[0]["inclusion_proof"]);
    let index = heads[0]["leaf_index"].as_u64().unwrap();
    assert!(
        verify_inclusion(index, body.tree_size, &logged.hash(), &proof, &body.root),
        "the head is in the signed tree"
    );
    // Offline, with only the package and the published key: it holds.
    let key_hex = redline_rules::chain::hex(&key(&app, receipt["checkpoint"]["key_id"].as_str().unwrap()).await);
    let (code, said) = verify_offline(&consumer, &case_no, &key_hex).await;
    assert_eq!(code, 0, "{said}");
    assert!(said.contains(&format!("案卷{case_no}与已签名的透明日志一致")), "{said}");
    assert_eq!(said.matches('✗').count(), 0, "{said}");
    assert!(said.contains(&format!("✓ 案卷中可读的{}条处理记录与哈希记录一致", head.chain_seq)), "{said}");
    // The readable part edited in the file (what a court reads), the hashed
    // text left alone: the check names the event.
    let mut edited: Value =
        serde_json::from_str(&consumer.get(&format!("/cases/{case_no}/dossier.json")).await.body).unwrap();
    edited["timeline"][0]["payload"]["amount_fen"] = 1.into();
    let (code, said) = verify_bytes(edited.to_string().as_bytes(), &key_hex);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("✗ 第1条可读记录与其哈希内容不符"), "{said}");
    assert_eq!(said.matches('✗').count(), 1, "only the readable part: {said}");
    // Another key: the signature does not hold.
    let (code, said) = verify_offline(&consumer, &case_no, &"ab".repeat(32)).await;
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("✗ 检查点签名与该公钥不符"), "{said}");

    // Rewritten inside the database: the plain chain still checks out …
    rewrite_history(&app, &case_no).await;
    let report = redline_store::chain::verify_case(&app.store().db, head.id).await.unwrap();
    assert!(report.intact(), "the attack the plain chain cannot see");
    // … but the rewritten head is not what was signed.
    let now = complaint::Entity::find_by_id(head.id).one(&app.store().db).await.unwrap().unwrap();
    let forged = Leaf { head: now.chain_head.clone().unwrap(), ..logged.clone() };
    assert_ne!(forged.head, logged.head);
    assert!(
        !verify_inclusion(index, body.tree_size, &forged.hash(), &proof, &body.root),
        "the rewritten history does not match"
    );
    // The package now carries the rewritten history, hashes recomputed: the
    // chain holds, the signature holds, the logged head does not.
    let (code, said) = verify_offline(&consumer, &case_no, &key_hex).await;
    assert_eq!(code, 1, "{said}");
    assert!(said.contains(&format!("✓ {}条处理记录的哈希链完整", head.chain_seq)), "{said}");
    assert!(said.contains("✓ 检查点（共1条日志"), "{said}");
    assert!(
        said.contains(&format!("✗ 与已公开的日志不符：第1至第{}条记录", head.chain_seq)),
        "names where it differs from the proven state: {said}"
    );

    // Others see no receipt; nobody signed in sees nothing.
    let other = app.signed_in("admin@demo.redline").await;
    assert_eq!(other.get(&format!("/cases/{case_no}/receipt.json")).await.status, 404);
    assert_eq!(app.client().get(&format!("/cases/{case_no}/receipt.json")).await.status, 401);
}

async fn internet_courts_art11_checkpoints_only_grow_and_a_forked_log_is_refused(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    file_case(&consumer).await;
    let first = checkpoint(&app).await.expect("a first checkpoint");
    let second_case = file_case(&consumer).await;
    crate::tips::file(&app.client(), "主播宣称“三天美白”，但商品并无相关功效证明。", "").await;
    let second = checkpoint(&app).await.expect("a second checkpoint");
    // The second case, and the tip (its chain is logged too).
    assert_eq!(second, first + 2, "one leaf per changed record");
    let (_, list) = get(&app, "/transparency/checkpoints").await;
    let cps = list["checkpoints"].as_array().unwrap().clone();
    assert_eq!(cps.len(), 2);
    let old = signed_body(&app, &cps[0]).await;
    let new = signed_body(&app, &cps[1]).await;
    assert_eq!(new.prev, old.hash(), "each checkpoint names the one before");
    let (status, c) = get(&app, &format!("/transparency/consistency?from={first}&to={second}")).await;
    assert_eq!(status, 200);
    let proof = hashes(&c["proof"]);
    assert!(verify_consistency(old.tree_size, new.tree_size, &old.root, &new.root, &proof), "the log only grew");
    // A forked log: another first tree cannot be extended to the same second one.
    let forked = redline_rules::transparency::merkle::leaf_hash(b"case\nLC-2099-000001\n1\nforged");
    assert!(!verify_consistency(old.tree_size, new.tree_size, &forked, &new.root, &proof), "a fork is refused");
    assert_eq!(get(&app, &format!("/transparency/consistency?from={second}&to={first}")).await.0, 404);
    assert_eq!(get(&app, "/transparency/consistency?from=1&to=99").await.0, 404);
    // What happened after the newest checkpoint is said to be unproven, not passed over.
    let key_hex = redline_rules::chain::hex(&key(&app, cps[1]["key_id"].as_str().unwrap()).await);
    let (code, said) = verify_offline(&consumer, &second_case, &key_hex).await;
    assert_eq!(code, 0, "all logged so far: {said}");
    let logged = crate::helpers::case_row(&app, &second_case).await.chain_seq;
    consumer.act(&second_case, "consumer", "WITHDRAW", &[("confirm", "1")]).await;
    let now = crate::helpers::case_row(&app, &second_case).await.chain_seq;
    assert!(now > logged);
    let (code, said) = verify_offline(&consumer, &second_case, &key_hex).await;
    assert_eq!(code, 1, "{said}");
    assert!(said.contains(&format!("✗ 第{}至第{now}条记录尚未记入包内的已签名检查点", logged + 1)), "{said}");
}

async fn a_rotated_key_signs_new_checkpoints_and_the_old_ones_still_verify(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    file_case(&consumer).await;
    let first = checkpoint(&app).await.expect("a first checkpoint");
    // Another process on the same database with a new key file: the rotation.
    let rotated = TestApp::spawn_on(&app.database_url, crate::helpers::START, |c| c.seed_demo = false).await;
    assert_ne!(rotated.config.log_key_file, app.config.log_key_file);
    assert_ne!(rotated.running.log.public_key(), app.running.log.public_key());
    file_case(&rotated.signed_in("consumer@demo.redline").await).await;
    let second = checkpoint(&rotated).await.expect("a second checkpoint");
    let (_, keys) = get(&rotated, "/transparency/keys").await;
    assert_eq!(keys["keys"].as_array().unwrap().len(), 2, "both keys published");
    let (_, list) = get(&rotated, "/transparency/checkpoints").await;
    let cps = list["checkpoints"].as_array().unwrap().clone();
    assert_ne!(cps[0]["key_id"], cps[1]["key_id"], "signed by the new key");
    // Each verifies under its own published key (signed_body asserts it), and
    // the old one does not under the new key.
    let old = signed_body(&rotated, &cps[0]).await;
    let new = signed_body(&rotated, &cps[1]).await;
    let new_key = key(&rotated, cps[1]["key_id"].as_str().unwrap()).await;
    assert!(!verify(&new_key, &old, cps[0]["signature"].as_str().unwrap()), "the old checkpoint is the old key's");
    let (_, c) = get(&rotated, &format!("/transparency/consistency?from={first}&to={second}")).await;
    assert!(
        verify_consistency(old.tree_size, new.tree_size, &old.root, &new.root, &hashes(&c["proof"])),
        "one log across keys"
    );
}

/// The verification page, as someone without an account uses it: the
/// package's findings, one by one, with the published key or a typed one.
async fn check_on_the_page(visitor: &Client, package: &[u8], key: &str) -> String {
    let p = visitor
        .post_multipart("/do/transparency/verify", &[("key", key)], &[("package", "dossier.json", package.to_vec())])
        .await;
    assert_eq!((p.status, p.url.as_str()), (200, "/transparency/verify"), "{}", &p.body[..p.body.len().min(400)]);
    p.body
}

async fn anyone_checks_a_package_on_the_verification_page(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    checkpoint(&app).await.expect("a checkpoint");
    let package = consumer.get(&format!("/cases/{case_no}/dossier.json")).await.body.into_bytes();
    // No key typed: the published key of the checkpoint's key id, said so.
    let visitor = app.client();
    let page = check_on_the_page(&visitor, &package, "").await;
    assert!(page.contains("id=\"findings\" data-holds=\"true\""), "{page}");
    assert_eq!((page.matches("data-ok=\"true\"").count(), page.matches("data-ok=\"false\"").count()), (5, 0));
    assert!(page.contains(&format!("核验结果：{case_no}")) && page.contains("案卷与已签名的透明日志一致。"));
    assert!(page.contains("签名使用的是本站公布的公钥核验的"), "says whose key it used");
    // Shown once: the page again has no findings.
    assert!(!visitor.get("/transparency/verify").await.body.contains("id=\"findings\""));
    // Another key, typed: the signature fails and the key stays in its field.
    let other = "AB".repeat(32);
    let page = check_on_the_page(&visitor, &package, &other).await;
    assert_eq!((page.matches("data-ok=\"true\"").count(), page.matches("data-ok=\"false\"").count()), (4, 1));
    assert!(page.contains("检查点签名与该公钥不符") && page.contains(&format!("value=\"{other}\"")), "{page}");
    assert!(!page.contains("签名使用的是本站公布的公钥核验的"));
    // The history rewritten in the database: the new package fails where it departs.
    rewrite_history(&app, &case_no).await;
    let forged = consumer.get(&format!("/cases/{case_no}/dossier.json")).await.body.into_bytes();
    let page = check_on_the_page(&visitor, &forged, "").await;
    assert!(page.contains("data-holds=\"false\""));
    assert_eq!(page.matches("data-ok=\"false\"").count(), 1, "{page}");
    assert!(page.contains("与已公开的日志不符：第1至第"), "{page}");
    // What cannot be checked is said on its field, the typed key kept.
    let refused = |field: &str, why: &str, body: &str| {
        assert!(
            body.contains(&format!("data-field=\"{field}\" role=\"alert\" class=\"field-error\">{why}")),
            "{field}: {}",
            body.split("<main").nth(1).unwrap_or(body)
        );
        assert!(!body.contains("id=\"findings\""));
    };
    let p = visitor
        .post_multipart("/do/transparency/verify", &[("key", "")], &[("package", "a.json", b"not json".to_vec())])
        .await;
    refused("package", "文件不是案卷数据文件（请上传案件页面下载的数据文件）", &p.body);
    let p = visitor
        .post_multipart("/do/transparency/verify", &[("key", "xyz")], &[("package", "a.json", package.clone())])
        .await;
    refused("key", "公钥应为64位十六进制字符", &p.body);
    assert!(p.body.contains("value=\"xyz\""), "the typed key is kept");
    let p = visitor.post_multipart("/do/transparency/verify", &[("key", "")], &[]).await;
    refused("package", "请选择要核验的案卷数据文件", &p.body);
    // Without the form's token, nothing is read.
    let p = visitor
        .post_multipart_raw("/do/transparency/verify", &[("key", "")], &[("package", "a.json", package.clone())])
        .await;
    assert_eq!(p.status, 403);
}
