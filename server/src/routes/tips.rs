//! Tips (举报): the public tip form and status lookup (rate-limited per address
//! and per receipt, without third-party services), the staff answers, and a
//! reporter's files for the handling agency.
use crate::parse::{self, Fields};
use crate::upload::{self, Posted};
use crate::web::extract::Web;
use crate::web::extract::{SignedIn, SignedInOr401, Visitor};
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::web::respond::{file_error, file_response, throttled, upload_problem};
use crate::web::security::forged_form;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use redline_rules::field::FieldError;
use redline_store::tip::filing::file_tip;
use redline_store::tip::handling;
use redline_store::tip::reporter::receipt_hash;
use redline_store::tip::views::{open_evidence, status_by_receipt};
use redline_store::vault::intake::store_all;

pub fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/do/tips", post(file).layer(uploads))
        .route("/do/tips/status", post(status))
        .route("/do/tips/receipt-mail", post(mail_receipt))
        .route("/do/staff/tips/{tip_no}/platform", post(platform_answer))
        .route("/do/staff/tips/{tip_no}/regulator", post(regulator_act))
        .route("/staff/tip-evidence/{id}", get(evidence))
}

/// Files one tip may carry.
const MAX_TIP_FILES: usize = 5;

/// Posts (accepted or not) one address may send an hour, as a multiple of the
/// tip limit: what bounds the work an anonymous sender can cause.
const ATTEMPTS_PER_TIP: i32 = 10;
/// Accepted tips one address may send an hour, as a multiple of the tip limit,
/// each past the limit after answering a question.
const ASKED_PER_TIP: i32 = 4;

/// `POST /do/tips`: anyone, no account needed. Only accepted tips count
/// against the address's hourly limit; past it (people on one mobile network
/// share an address) the sender answers a simple question instead of being
/// turned away, up to a hard cap; every post counts against a wider bound.
async fn file(
    State(st): State<AppState>,
    web: Web,
    v: Visitor,
    headers: HeaderMap,
    mp: Multipart,
) -> Result<Response, FormError> {
    let s = &st.store;
    let limit = st.config.tip_limit;
    let attempts = format!("tipattempt:{}", web.client);
    let (posted, allowed) = upload::read_counted(&st, &web, &attempts, limit * ATTEMPTS_PER_TIP, mp).await;
    let Posted { fields: f, files, too_large, broken, forged } = posted;
    if forged {
        return Ok(forged_form(&headers));
    }
    let page = FormPage::new("tip", "/tips/new", v.lang).with_summary();
    // Any refusal loses the chosen files: the form says so.
    let chose_files = !files.is_empty() || !too_large.is_empty();
    let refuse = |e: redline_rules::field::FieldErrors| {
        page.refuse(&f, crate::web::respond::reselect(e, chose_files, "evidence"))
    };
    allowed.map_err(refuse)?;
    let accepted_key = format!("tip:{}", web.client);
    let hour = chrono::Duration::hours(1);
    let accepted = redline_store::web::ratelimit::peek(s, &accepted_key, hour).await.map_err(|e| refuse(e.into()))?;
    if accepted >= limit * ASKED_PER_TIP {
        let left = chrono::Duration::seconds(3600 - s.now().timestamp().rem_euclid(3600));
        return Err(refuse(throttled(left).into()));
    }
    let binding = web.binding.as_deref().unwrap_or("-");
    if accepted >= limit && !st.keys.challenge_ok(binding, f.get("challenge_token"), f.get("challenge_answer"), s.now())
    {
        return Err(challenge(&st, &page, &f, binding));
    }
    let input = parse::tip::tip(&f, v.lang);
    let mut e = input.as_ref().err().cloned().unwrap_or_default();
    if let Some(p) = upload_problem(&too_large, broken, &st, "evidence") {
        e.push(p);
    }
    if files.len() > MAX_TIP_FILES {
        e.push(FieldError::new("evidence", "最多上传5个文件", "At most 5 files"));
    }
    e.into_result().map_err(refuse)?;
    let input = input.map_err(refuse)?;
    let stored = store_all(s, &st.vault, files).await.map_err(|e| refuse(e.field_errors("evidence")))?;
    let filed = file_tip(s, v.actor.as_ref(), input, &stored).await.map_err(|e| refuse(e.into()))?;
    // Counted once accepted; a failure to count loses nothing the sender sent.
    if let Err(e) = redline_store::web::ratelimit::hit(s, &accepted_key, i32::MAX, hour).await {
        tracing::warn!(error = %e, "an accepted tip was not counted");
    }
    // The receipt is shown once, through the one-time form values.
    let shown = Fields::from_pairs(vec![
        ("receipt".into(), filed.receipt),
        ("tip_no".into(), filed.tip.tip_no),
        ("repeat".into(), format!("{:?}", filed.repeat)),
    ]);
    Ok(keep_and_return("tipfiled", "/tips/filed", &shown, Default::default()))
}

/// The form again with a question to answer: its text and token go back with
/// the sender's other values, so nothing typed is lost.
fn challenge(st: &AppState, page: &FormPage, f: &Fields, binding: &str) -> FormError {
    let (a, b, token) = st.keys.challenge(binding, st.store.now());
    let mut kept = f.clone();
    kept.0.insert("challenge_q".into(), vec![format!("{a}+{b}")]);
    kept.0.insert("challenge_token".into(), vec![token]);
    kept.0.remove("challenge_answer");
    let asked = f.get("challenge_answer").is_empty();
    page.refuse(
        &kept,
        if asked {
            FieldError::new(
                "challenge_answer",
                "本网络地址提交的举报较多，请回答下面的问题后再提交",
                "Many tips came from this network address: answer the question below and send again",
            )
        } else {
            FieldError::new("challenge_answer", "答案不正确，请再试一次", "That answer is not right; please try again")
        },
    )
}

/// Mails of one receipt an hour (besides the address's lookup limit).
const RECEIPT_MAILS_PER_HOUR: i32 = 3;

/// `POST /do/tips/receipt-mail`: sends the receipt code just shown to the
/// address given, at once and outside the outbox, since the code is never
/// stored in the clear; the address is used for this one mail only.
async fn mail_receipt(State(st): State<AppState>, web: Web, v: Visitor, f: Fields) -> Result<Response, FormError> {
    let s = &st.store;
    let page = FormPage::new("tipfiled", "/tips/filed", v.lang);
    let receipt = f.get("receipt").to_owned();
    // The receipt page comes back showing what it showed, and the address typed.
    let shown = Fields::from_pairs(
        ["receipt", "tip_no", "repeat", "email"].iter().map(|k| ((*k).to_owned(), f.get(k).to_owned())).collect(),
    );
    let hour = chrono::Duration::hours(1);
    for (key, limit) in [
        (format!("receiptmail:{}", web.client), st.config.lookup_limit),
        (format!("receiptmail:{}", receipt_hash(&receipt)), RECEIPT_MAILS_PER_HOUR),
    ] {
        match redline_store::web::ratelimit::hit(s, &key, limit, hour).await {
            Ok(Ok(())) => {}
            Ok(Err(wait)) => return Err(page.refuse(&shown, throttled(wait))),
            Err(e) => return Err(page.refuse(&shown, e)),
        }
    }
    let email = f.get("email");
    if !validator::ValidateEmail::validate_email(&email) {
        return Err(
            page.refuse(&shown, FieldError::new("email", "邮箱格式不正确", "That is not a valid email address"))
        );
    }
    match status_by_receipt(s, &receipt).await {
        Ok(Some(t)) if t.tip_no == f.get("tip_no") => {}
        Ok(_) => return Err(page.refuse(&shown, FieldError::form("回执码无效", "That receipt code is not valid"))),
        Err(e) => return Err(page.refuse(&shown, e)),
    }
    let Some(mailer) = &st.mailer else {
        return Err(page.refuse(
            &shown,
            FieldError::new(
                "email",
                "本站未开通邮件发送，请抄写或截图保存回执码",
                "This site sends no mail: write the code down or take a screenshot",
            ),
        ));
    };
    let tip_no = f.get("tip_no");
    let (subject, body) = match v.lang {
        redline_rules::lang::Lang::Zh => (
            format!("举报 {tip_no} 的回执码"),
            format!("您的举报 {tip_no} 已收到。\n回执码：{receipt}\n凭回执码可在“举报进展查询”页面查看处理进展。请勿将回执码告诉他人。"),
        ),
        redline_rules::lang::Lang::En => (
            format!("Receipt code of tip {tip_no}"),
            format!("Your tip {tip_no} was received.\nReceipt code: {receipt}\nUse it on the \"Follow a tip\" page. Do not share it."),
        ),
    };
    if mailer.send_now(email, &subject, body).await.is_err() {
        // The error may echo the address: not logged.
        tracing::warn!("a receipt mail was not sent");
        return Err(page.refuse(
            &shown,
            FieldError::new("email", "邮件发送失败，请稍后再试", "The mail could not be sent; please try again later"),
        ));
    }
    let msg =
        v.lang.t(&format!("回执码已发送到 {email}。"), &format!("The receipt code was sent to {email}.")).to_owned();
    Ok(keep_and_return("tipfiled", "/tips/filed", &shown, [("notice".to_owned(), msg)].into()))
}

/// `POST /do/tips/status`: looks a receipt up (never in a URL, so it stays out
/// of logs and browser history); limited per address and per receipt.
async fn status(State(st): State<AppState>, web: Web, v: Visitor, f: Fields) -> Result<Response, FormError> {
    let s = &st.store;
    let page = FormPage::new("tipstatus", "/tips/status", v.lang);
    let receipt = f.get("receipt").to_owned();
    let hour = chrono::Duration::hours(1);
    for key in [format!("lookup:{}", web.client), format!("receipt:{}", receipt_hash(&receipt))] {
        match redline_store::web::ratelimit::hit(s, &key, st.config.lookup_limit, hour).await {
            Ok(Ok(())) => {}
            Ok(Err(wait)) => return Err(page.refuse(&f, throttled(wait))),
            Err(e) => return Err(page.refuse(&f, e)),
        }
    }
    match status_by_receipt(s, &receipt).await {
        // Found: the status page shows it from the kept receipt.
        Ok(Some(_)) => Ok(keep_and_return("tipstatus", page.back(), &f, Default::default())),
        Ok(None) => {
            Err(page.refuse(&f, FieldError::new("receipt", "未找到该回执码对应的举报", "No tip has this receipt code")))
        }
        Err(e) => Err(page.refuse(&f, e)),
    }
}

/// `POST /do/staff/tips/{tip_no}/platform`: a measure (Order 117 Art. 12) or no action.
async fn platform_answer(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(tip_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new(format!("tip:{tip_no}"), format!("/staff/tips/{tip_no}"), lang).with_summary();
    let ans = parse::tip::platform_answer(&f).map_err(|e| page.refuse(&f, e))?;
    handling::platform_answer(&st.store, &a, &tip_no, ans).await.map_err(|e| page.refuse(&f, e))?;
    Ok(page.done("平台处置已记录。", "The platform's measure is recorded."))
}

/// `POST /do/staff/tips/{tip_no}/regulator`: extend D9, file a case, not file, decide.
async fn regulator_act(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(tip_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new(format!("tip:{tip_no}"), format!("/staff/tips/{tip_no}"), lang).with_summary();
    let act = parse::tip::regulator_act(&f).map_err(|e| page.refuse(&f, e))?;
    handling::regulator_act(&st.store, &a, &tip_no, act).await.map_err(|e| page.refuse(&f, e))?;
    Ok(page.done("已记录，举报已更新。", "Recorded: the tip is updated."))
}

/// `GET /staff/tip-evidence/{id}`: a reporter's file, for the handling agency only.
async fn evidence(State(st): State<AppState>, who: SignedInOr401, Path(id): Path<i64>) -> Response {
    let SignedInOr401(SignedIn { actor: a, lang }) = who;
    match open_evidence(&st.store, &st.vault, &a, id).await {
        Ok((e, bytes)) => {
            let name = redline_rules::evidence::download_name(&e.file_name, &e.mime);
            file_response(bytes, &e.mime, &name, false)
        }
        Err(e) => file_error(e, lang),
    }
}
