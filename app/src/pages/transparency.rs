//! The transparency log's page for anyone: check a case package against the
//! signed log (the same check as `redline verify`, run on the server without
//! touching the case records), and where to do it entirely offline.
use super::{described_by, error_summary, field_error, framed};
use crate::api::page_ctx;
use crate::i18n::Lang;
use crate::view::FormFlash;
use leptos::prelude::*;

/// One finding as kept with the page: `ok\tzh\ten`.
fn finding(lang: Lang, kept: &str) -> impl IntoView {
    let mut parts = kept.splitn(3, '\t');
    let ok = parts.next() == Some("1");
    let (zh, en) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let said = if lang.is_zh() { zh } else { en }.to_owned();
    view! {
        <li class=if ok { "finding holds" } else { "finding fails" } data-ok=ok.to_string()>
            <span class="mark" aria-hidden="true">{if ok { "✓" } else { "✗" }}</span>" "
            <span class="visually-hidden">{if ok { lang.t("成立：", "Holds: ") } else { lang.t("不成立：", "Fails: ") }}</span>
            {said}
        </li>
    }
}

fn findings(lang: Lang, f: &FormFlash) -> impl IntoView {
    let all = f.values("finding");
    (!all.is_empty()).then(|| {
        let case_no = f.value("case_no");
        let holds = f.value("holds") == "true";
        let verdict = if holds {
            lang.t("案卷与已签名的透明日志一致。", "The package matches the signed transparency log.")
        } else {
            lang.t("案卷与已签名的透明日志不一致，或尚不能完全证明，见下列各项。", "The package does not match the signed log, or is not fully proven yet: see each finding.")
        };
        view! {
            <section class="card" id="findings" data-holds=holds.to_string() aria-live="polite">
                <h2>{format!("{}{case_no}", lang.t("核验结果：", "Result: "))}</h2>
                <p class=if holds { "notice" } else { "warn" } role="status">{verdict}</p>
                <ul class="findings">{all.iter().map(|x| finding(lang, x)).collect_view()}</ul>
                {(f.value("published_key") == "true").then(|| view! {
                    <p class="explain">{lang.t(
                        "签名使用的是本站公布的公钥核验的。若要不依赖本站，请填写您另行保存的公钥（如检查点邮件中的公钥）再核验。",
                        "The signature was checked with the key Redline publishes. To depend on nothing Redline says now, check again with a key you kept yourself (from a checkpoint mail, say).")}</p>
                })}
            </section>
        }
    })
}

/// `/transparency/verify`.
#[component]
pub fn VerifyPackage() -> impl IntoView {
    let data = Resource::new(|| (), |_| page_ctx(Some("verify".into())));
    framed(data, Some(("核验案卷", "Check a case package")), |lang, f: FormFlash| {
        view! {
            <p class="explain">{lang.t(
                "案件当事人可在案件页面下载案卷数据文件。这里检查：每条处理记录的哈希与其内容相符、哈希链完整、可读的处理记录与哈希内容一致、检查点由透明日志的公钥签名、时间戳针对该检查点，以及本案已记入日志的每个状态都在已签名的检查点中。核验只读取您上传的文件，不保存它。",
                "A case's parties download its package (dossier.json) on the case page. This checks that each event's hash follows from its content, that the chain links, that the readable timeline says what the hashed events say, that the checkpoint is signed by the log's key, that the time-stamp is for that checkpoint, and that each logged state of the case is in the signed checkpoint. Only the file you upload is read, and it is not kept.")}</p>
            {findings(lang, &f)}
            <form method="post" enctype="multipart/form-data" action="/do/transparency/verify" id="verify-form" class="card narrow">
                {crate::pages::csrf_field()}
                {error_summary(lang, &f)}
                <label>{lang.t("案卷数据文件", "Package file (dossier.json)")}
                    <input type="file" name="package" accept="application/json,.json" required
                        aria-describedby=described_by(&f, "package")/></label>
                {field_error(&f, "package")}
                <label>{lang.t("公钥（64位十六进制，可不填：不填则使用本站公布的公钥）", "Public key (64 hex digits; leave empty to use the key Redline publishes)")}
                    <input type="text" name="key" value=f.value("key") autocomplete="off" spellcheck="false" maxlength="80"
                        aria-describedby=described_by(&f, "key")/></label>
                {field_error(&f, "key")}
                <button type="submit">{lang.t("核验", "Check")}</button>
            </form>
            <section class="card">
                <h2>{lang.t("完全离线核验", "Check it entirely offline")}</h2>
                <p>{lang.t(
                    "不必信任本站：用 Redline 服务器程序在您自己的电脑上核验，只需案卷和公钥：",
                    "Trust nothing of ours: run Redline's server program on your own computer, with only the package and the key:")}</p>
                <pre><code data-latin="">"redline verify --package dossier.json --key <公钥/key>"</code></pre>
                <p>{lang.t("公钥与全部检查点公开于：", "The keys and every checkpoint are public at: ")}
                    <a href="/transparency/keys"><code data-latin="">"/transparency/keys"</code></a>" · "
                    <a href="/transparency/checkpoints"><code data-latin="">"/transparency/checkpoints"</code></a></p>
                <p class="explain">{lang.t("时间戳服务自身的签名请用其证书核验：", "Check the time-stamping authority's own signature with its certificate: ")}
                    <code data-latin="">"openssl ts -verify"</code></p>
            </section>
        }
        .into_any()
    })
}
