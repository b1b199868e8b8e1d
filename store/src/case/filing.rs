//! Filing a complaint (投诉): the one coordinator from a parsed form to a case
//! routed to the live-room operator, in one transaction.
use crate::actor::Actor;
use crate::case::clocks::{no_due, refresh_next_due};
use crate::case::transition::apply_in_txn;
use crate::entity::{complaint, platform, stream_product, stream_session};
use crate::jurisdiction::Jurisdiction;
use crate::streams::find_room;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::case::{CaseEvent, CaseState, Role};
use redline_rules::jurisdiction::{self, ComplaintFacts, RegionCode, RespondentKind};
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};
use serde::{Deserialize, Serialize};

/// The moment in the stream the complaint is about (Order 117 Art. 16: lets the
/// platform cut the replay).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub enum Moment {
    Offset(i64),
    Clock(DateTime<Utc>),
}

/// A complaint as parsed from the consumer's form (domain.md §6.3).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewComplaint {
    pub platform_id: i64,
    pub room: String,
    pub moment: Moment,
    pub product_name: String,
    pub order_no: Option<String>,
    pub amount_fen: i64,
    pub categories: Vec<String>,
    pub demands: Vec<String>,
    pub narrative: String,
    pub harm_known_on: NaiveDate,
    /// The session the consumer picked (from the room's page), if any.
    pub session_id: Option<i64>,
    /// The product picked from that session's list, if any.
    pub product_id: Option<i64>,
}

/// Errors of filing that belong to one form field.
#[derive(Debug)]
pub enum FileError {
    Field(&'static str, &'static str, &'static str),
    Store(StoreError),
}

impl From<StoreError> for FileError {
    fn from(e: StoreError) -> Self {
        FileError::Store(e)
    }
}

impl From<sea_orm::DbErr> for FileError {
    fn from(e: sea_orm::DbErr) -> Self {
        FileError::Store(e.into())
    }
}

/// Files a complaint: T1 submit → T2 triage → T3 route to the operator, atomically.
/// Files already written to the vault (see [`crate::vault::intake::store_file`]) are
/// recorded on the new case in the same transaction.
pub async fn file_complaint(
    store: &Store,
    consumer: &Actor,
    input: NewComplaint,
    evidence: &[crate::vault::intake::Stored],
    limits: crate::vault::intake::Limits,
) -> Result<complaint::Model, FileError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let Some(plat) = platform::Entity::find_by_id(input.platform_id).one(&txn).await? else {
        return Err(FileError::Field("platform", "请选择平台", "Choose a platform"));
    };
    let Some(room) = find_room(&txn, plat.id, &input.room).await? else {
        return Err(FileError::Field(
            "room",
            "在该平台上未找到此直播间（请填写直播间ID或链接）",
            "No such live room on this platform (give its room ID or URL)",
        ));
    };
    let op =
        crate::entity::operator::Entity::find_by_id(room.operator_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    let chosen =
        match input.session_id {
            Some(id) => Some(
                stream_session::Entity::find_by_id(id).one(&txn).await?.filter(|s| s.live_room_id == room.id).ok_or(
                    FileError::Field("session", "该场次不属于此直播间", "That session is not of this live room"),
                )?,
            ),
            None => None,
        };
    // Order 117 Art. 16: pin the moment to a known session where one matches;
    // a moment outside every known session is kept and shown as "session unknown".
    let (session, offset, clock_at) = match &input.moment {
        Moment::Offset(s) => match chosen {
            Some(sess) => {
                let t = sess.started_at + chrono::Duration::seconds(*s);
                if sess.ended_at.is_none_or(|e| t <= e) {
                    (Some(sess), Some(*s), Some(t))
                } else {
                    (None, Some(*s), None)
                }
            }
            None => (None, Some(*s), None),
        },
        Moment::Clock(t) => match crate::streams::session_at(&txn, room.id, *t).await? {
            Some(sess) => {
                let off = (*t - sess.started_at).num_seconds();
                (Some(sess), Some(off), Some(*t))
            }
            None => (None, None, Some(*t)),
        },
    };
    let product = match input.product_id {
        Some(pid) => {
            let p = stream_product::Entity::find_by_id(pid).one(&txn).await?;
            let from_session = |p: &stream_product::Model| {
                session.as_ref().is_some_and(|s| s.id == p.session_id) || input.session_id == Some(p.session_id)
            };
            Some(p.filter(from_session).ok_or(FileError::Field(
                "product",
                "所选商品不属于该场次",
                "That product was not shown in this session",
            ))?)
        }
        None => None,
    };
    let product_name = match (&product, input.product_name.trim()) {
        (Some(p), "") => p.name.clone(),
        (_, n) => n.to_owned(),
    };
    let facts = ComplaintFacts {
        respondent: RespondentKind::InPlatformOperator,
        platform_domicile: RegionCode::parse(&plat.domicile_region).map_err(|e| StoreError::Invalid(e.to_string()))?,
        operator_displayed: op.displayed_region.as_deref().and_then(|r| RegionCode::parse(r).ok()),
        operator_reachable: op.reachable,
        operator_domicile: op.domicile_region.as_deref().and_then(|r| RegionCode::parse(r).ok()),
    };
    let candidates: Vec<Jurisdiction> = jurisdiction::complaint_candidates(&facts)
        .into_iter()
        .map(|c| Jurisdiction {
            region: c.region.as_str().to_owned(),
            basis: c.basis.to_owned(),
            basis_zh: c.basis_zh.to_owned(),
        })
        .collect();
    let placeholder = format!("tmp-{}", rand_suffix());
    let c = complaint::ActiveModel {
        case_no: Set(placeholder),
        consumer_id: Set(consumer.user_id),
        platform_id: Set(plat.id),
        live_room_id: Set(room.id),
        stream_session_id: Set(session.as_ref().map(|s| s.id)),
        stream_offset_s: Set(offset),
        stream_clock_at: Set(clock_at),
        product_name: Set(product_name),
        order_no: Set(input.order_no.clone()),
        amount_fen: Set(input.amount_fen),
        categories_json: Set(serde_json::to_string(&input.categories).unwrap()),
        demands_json: Set(serde_json::to_string(&input.demands).unwrap()),
        narrative: Set(input.narrative.trim().to_owned()),
        harm_known_on: Set(input.harm_known_on),
        state: Set(CaseState::Draft.as_str().to_owned()),
        platform_decided: Set(false),
        last_offer: Set(None),
        operator_untimely: Set(false),
        platform_untimely: Set(false),
        agency_id: Set(None),
        jurisdiction_json: Set(serde_json::to_string(&candidates).unwrap()),
        next_due_on: Set(no_due()),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        product_id: Set(product.as_ref().map(|p| p.id)),
        preservation_overdue: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let year = crate::time::china_date(now).format("%Y");
    let mut a: complaint::ActiveModel = c.into();
    a.case_no = Set(format!("LC-{year}-{:06}", a.id.clone().unwrap()));
    let c = a.update(&txn).await?;
    // What the room disclosed and showed at filing, in the chained record: a later
    // re-report of the session or its products cannot change what was complained of.
    let payload = serde_json::json!({
        "snapshot": room.disclosed_json,
        "session": session.as_ref().map(|s| serde_json::json!({
            "id": s.id, "started_at": s.started_at.to_rfc3339(), "ended_at": s.ended_at.map(|t| t.to_rfc3339()),
        })),
        "product": product.as_ref().map(|p| serde_json::json!({
            "sku": p.sku, "name": p.name, "displayed_price_fen": p.displayed_price_fen,
            "reference_price_fen": p.reference_price_fen, "discount_basis": p.discount_basis, "claims": p.claims,
        })),
    });
    let c = apply_in_txn(&txn, c, CaseEvent::Submit, Role::Consumer, Some(consumer.user_id), payload, now).await?;
    crate::case::preservation::open_in_txn(&txn, &c, session.as_ref(), now).await?;
    // Order 121 Art. 9: a demand to punish is also a tip, handled on its own track.
    if input.demands.iter().any(|d| d == "PUNISH") {
        let tip = crate::tip::filing::NewTip {
            platform_id: plat.id,
            room: room.platform_room_id.clone(),
            moments: vec![match (&c.stream_offset_s, &c.stream_clock_at) {
                (Some(o), _) => redline_rules::evidence::hms(*o),
                (None, Some(t)) => crate::time::china_time(*t),
                _ => String::new(),
            }],
            description: c.narrative.clone(),
            categories: input.categories.iter().filter_map(|s| s.parse().ok()).collect(),
            reporter_name: None,
            reporter_contact: None,
            locale: consumer.locale.clone(),
        };
        crate::tip::filing::file_tip_in_txn(&txn, now, Some(consumer), tip, &[], Some(c.id)).await.map_err(
            |e| match e {
                crate::tip::filing::TipError::Field(f, z, en) => FileError::Field(f, z, en),
                crate::tip::filing::TipError::Store(s) => FileError::Store(s),
            },
        )?;
    }
    refresh_next_due(&txn, c.id).await?;
    if !evidence.is_empty() {
        let desc = crate::case::evidence::Description::default();
        crate::case::evidence::record_in_txn(
            &txn,
            &c,
            evidence,
            &desc,
            Some(consumer.user_id),
            Role::Consumer,
            now,
            limits,
        )
        .await
        .map_err(|e| match e {
            crate::vault::intake::EvidenceError::Store(s) => FileError::Store(s),
            crate::vault::intake::EvidenceError::File(..) | crate::vault::intake::EvidenceError::CaseClosed => {
                FileError::Field("evidence", "证据总量超过本案上限", "The evidence exceeds this case's limit")
            }
        })?;
    }
    let c = complaint::Entity::find_by_id(c.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    txn.commit().await?;
    Ok(c)
}

fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().gen::<u64>())
}
