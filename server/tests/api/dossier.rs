//! The 12315-ready package (issue 14, part 4): an escalated case's dossier as
//! JSON and as a ZIP whose manifest hashes verify, for the case's parties only.
use crate::helpers::{case_row, escalated_case, TestApp};
use redline_store::entity::evidence;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use std::io::Read;

on_both_backends!(order121_art10_the_escalated_case_package_verifies_file_by_file);

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// Every entry of a ZIP: (path, bytes).
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_owned(), b)
        })
        .collect()
}

/// The files of a package whose listed hash does not match their bytes.
fn unverified(entries: &[(String, Vec<u8>)]) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&entries.iter().find(|(p, _)| p == "manifest.json").expect("a manifest").1).unwrap();
    manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let path = f["path"].as_str().unwrap();
            entries.iter().find(|(p, _)| p == path).is_none_or(|(_, b)| sha(b) != f["sha256"].as_str().unwrap())
        })
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect()
}

async fn order121_art10_the_escalated_case_package_verifies_file_by_file(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let p = consumer
        .post_multipart(
            &format!("/do/cases/{case_no}/evidence"),
            &[("role", "consumer")],
            &[("files", "直播截图.png", png)],
        )
        .await;
    assert!(p.body.contains("直播截图.png"), "evidence uploaded");
    let get = |path: String| {
        let http = consumer.http.clone();
        let url = format!("{}{path}", consumer.base);
        async move { http.get(url).send().await.unwrap() }
    };
    let r = get(format!("/cases/{case_no}/dossier.zip")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let entries = unzip(&r.bytes().await.unwrap());
    let paths: Vec<&str> = entries.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["dossier.json", "evidence/001-直播截图.png", "manifest.json", "SHA256SUMS"]);
    assert_eq!(unverified(&entries), Vec::<String>::new(), "every listed hash matches its file");
    // The evidence file is the one stored, byte for byte.
    let m = case_row(&app, &case_no).await;
    let e =
        evidence::Entity::find().filter(evidence::Column::CaseId.eq(m.id)).one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(sha(&entries[1].1), e.sha256);
    // SHA256SUMS in the format `sha256sum -c` reads.
    let sums = String::from_utf8(entries[3].1.clone()).unwrap();
    assert_eq!(sums.lines().count(), 2);
    assert!(sums.contains(&format!("{}  evidence/001-直播截图.png", e.sha256)));
    // The dossier: Art. 10 details for the consumer, jurisdiction by article, the chain's head.
    let d: serde_json::Value = serde_json::from_slice(&entries[0].1).unwrap();
    assert_eq!(d["case_no"], case_no.as_str());
    assert_eq!(d["complainant"]["name"], "李消费");
    assert_eq!(d["chain"]["head"], m.chain_head.clone().unwrap().as_str());
    assert_eq!(d["chain"]["intact"], true);
    assert_eq!(d["chain"]["events"].as_u64(), Some(d["timeline"].as_array().unwrap().len() as u64));
    assert!(d["jurisdiction"][0]["basis_zh"].as_str().unwrap().contains("第十三条"), "{}", d["jurisdiction"]);
    assert_eq!(d["jurisdiction"][0]["place_zh"], "杭州市拱墅区");
    assert_eq!(d["evidence"][0]["sha256"], e.sha256.as_str());
    // A tampered file is caught by the same check (the guard of the test itself).
    let mut tampered = entries.clone();
    tampered[1].1.push(0);
    assert_eq!(unverified(&tampered), ["evidence/001-直播截图.png"]);
    // The JSON alone; nobody else's; not without signing in.
    let r = get(format!("/cases/{case_no}/dossier.json")).await;
    assert_eq!(r.status().as_u16(), 200);
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["case_no"], case_no.as_str());
    let admin = app.signed_in("admin@demo.redline").await;
    let r = admin.http.get(format!("{}/cases/{case_no}/dossier.zip", admin.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let r = reqwest::get(format!("{}/cases/{case_no}/dossier.zip", app.url)).await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // The regulator, once escalated, gets it too.
    let reg = app.signed_in("regulator@demo.redline").await;
    let r = reg.http.get(format!("{}/cases/{case_no}/dossier.zip", reg.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(unverified(&unzip(&r.bytes().await.unwrap())), Vec::<String>::new());
}
