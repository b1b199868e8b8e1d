//! Jurisdiction disputes (管辖争议, Order 121 Art. 33; D11). The agency
//! handling a case that has not been accepted yet refers a dispute with
//! another agency that covers one of the case's places to the nearest agency
//! covering both (`rules::jurisdiction::dispute::referee`), which designates
//! one of the two within seven working days; a designation of the other moves
//! the case there (T15 on Art. 33). A missed D11 is flagged for the referee,
//! with no other effect. Each step is an event in the case's chain.
use crate::actor::{Actor, ORG_AGENCY};
use crate::case::access::{case_by_no, may_act};
use crate::case::transition::apply_in_txn;
use crate::case::write::CaseWrite;
use crate::chain::{self, NewEvent};
use crate::entity::{agency, complaint, jurisdiction_dispute as jd};
use crate::jurisdiction::{of_case, seat};
use crate::notices::compose::to_org;
use crate::{Store, StoreError};
use redline_rules::case::{CaseEvent, CaseState, Role};
use redline_rules::field::FieldError;
use redline_rules::jurisdiction::dispute::{d11_due, referee};
use redline_rules::jurisdiction::region::Region;
use redline_rules::notify::Kind;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

pub const OPEN: &str = "OPEN";
pub const DESIGNATED: &str = "DESIGNATED";
/// Closed without a designation: the case moved on before one was made.
pub const MOOT: &str = "MOOT";

/// A case's disputes, oldest first.
pub async fn of_case_id<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<Vec<jd::Model>, StoreError> {
    Ok(jd::Entity::find().filter(jd::Column::CaseId.eq(case_id)).order_by_asc(jd::Column::Id).all(db).await?)
}

/// The agencies a handling agency may dispute with on this case: other
/// market-supervision agencies covering one of its places that have a common
/// higher level with it on Redline (for the form).
pub fn peers(c: &complaint::Model, agencies: &[agency::Model]) -> Result<Vec<agency::Model>, StoreError> {
    let Some(from) = agencies.iter().find(|a| Some(a.id) == c.agency_id) else { return Ok(vec![]) };
    let from = seat(from)?;
    let seats: Vec<(i64, _)> = agencies.iter().map(|a| Ok((a.id, seat(a)?))).collect::<Result<_, StoreError>>()?;
    let places: Vec<Region> = of_case(c)?.iter().filter_map(|j| Region::parse(&j.region).ok()).collect();
    Ok(agencies
        .iter()
        .zip(&seats)
        .filter(|(a, (_, s))| {
            Some(a.id) != c.agency_id && places.iter().any(|p| s.region.covers(p)) && referee(&from, s, &seats).is_ok()
        })
        .map(|(a, _)| a.clone())
        .collect())
}

/// The handling agency refers a dispute with `other` for designation.
pub async fn refer(
    store: &Store,
    actor: &Actor,
    case_no: &str,
    other: i64,
    reason: &str,
) -> Result<jd::Model, StoreError> {
    let reason = redline_rules::jurisdiction::dispute::reason(reason)?;
    let now = store.now();
    let today = crate::time::china_date(now);
    let txn = store.db.begin().await?;
    let c = case_by_no(&txn, case_no).await?;
    if !may_act(&txn, actor, Role::Regulator, &c).await? {
        return Err(StoreError::Forbidden);
    }
    chain::lock_case(&txn, c.id).await?;
    let c = complaint::Entity::find_by_id(c.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    // Read again under the lock: the case may have moved to another agency.
    if !may_act(&txn, actor, Role::Regulator, &c).await? {
        return Err(StoreError::Forbidden);
    }
    if !matches!(c.case_state()?, CaseState::EscalatedToRegulator | CaseState::RegulatorDispatched) {
        return Err(StoreError::field(
            "form",
            "受理决定作出前方可报请指定管辖",
            "A dispute is referred before the acceptance decision",
        ));
    }
    if of_case_id(&txn, c.id).await?.iter().any(|d| d.status == OPEN) {
        return Err(StoreError::field(
            "form",
            "已报请指定管辖，请等待上级部门指定",
            "A dispute is already waiting for designation",
        ));
    }
    let agencies = agency::Entity::find().all(&txn).await?;
    let from = agencies.iter().find(|a| Some(a.id) == c.agency_id).ok_or(StoreError::NoAgency)?;
    let choose = || StoreError::field("other_agency", "请选择争议的另一方部门", "Choose the other agency");
    let to = agencies.iter().find(|a| a.id == other).ok_or_else(choose)?;
    if !peers(&c, &agencies)?.iter().any(|a| a.id == other) {
        let seats: Vec<(i64, _)> = agencies.iter().map(|a| Ok((a.id, seat(a)?))).collect::<Result<_, StoreError>>()?;
        let e = match referee(&seat(from)?, &seat(to)?, &seats) {
            Err(e) => FieldError::new("other_agency", e.message_zh(), e.to_string()),
            Ok(_) => FieldError::new(
                "other_agency",
                "该部门的辖区不包括本案所在地（第十三条）",
                "That agency does not cover the place of the case (Order 121 Art. 13)",
            ),
        };
        return Err(StoreError::Field(e));
    }
    let seats: Vec<(i64, _)> = agencies.iter().map(|a| Ok((a.id, seat(a)?))).collect::<Result<_, StoreError>>()?;
    let judge = referee(&seat(from)?, &seat(to)?, &seats)
        .map_err(|e| StoreError::Field(FieldError::new("other_agency", e.message_zh(), e.to_string())))?;
    let due_on = d11_due(today);
    let row = jd::ActiveModel {
        id: NotSet,
        case_id: Set(c.id),
        raised_by: Set(from.id),
        raised_by_user: Set(actor.user_id),
        other_agency: Set(other),
        referee: Set(judge),
        reason: Set(reason.clone()),
        raised_at: Set(now),
        due_on: Set(due_on),
        status: Set(OPEN.to_owned()),
        designated: Set(None),
        decided_at: Set(None),
        decided_by: Set(None),
        note: Set(None),
        overdue: Set(false),
    }
    .insert(&txn)
    .await?;
    let body = serde_json::json!({
        "other_agency_id": other, "referee_agency_id": judge, "due_on": due_on.to_string(), "message": reason,
        "basis": "Order 121 Art. 33",
    });
    chain::append(
        &txn,
        NewEvent::record(&c, "JURISDICTION_DISPUTED", Role::Regulator, Some(actor.user_id), &body, now),
    )
    .await?;
    for org in [judge, other] {
        to_org(&txn, ORG_AGENCY, org, Kind::JurisdictionDispute, &c.case_no, "/regulator/disputes", None, now).await?;
    }
    txn.commit().await?;
    Ok(row)
}

/// The referee designates one of the two agencies; the case moves there if
/// it is the other one.
pub async fn designate(store: &Store, actor: &Actor, id: i64, designated: i64, note: &str) -> Result<(), StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let d = jd::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    if !actor.agency_ids.contains(&d.referee) {
        return Err(StoreError::Forbidden);
    }
    if designated != d.raised_by && designated != d.other_agency {
        return Err(StoreError::field("designated", "请在争议双方中指定一方", "Designate one of the two agencies"));
    }
    chain::lock_case(&txn, d.case_id).await?;
    let note = note.trim().chars().take(1000).collect::<String>();
    let res = jd::Entity::update_many()
        .col_expr(jd::Column::Status, Expr::value(DESIGNATED))
        .col_expr(jd::Column::Designated, Expr::value(designated))
        .col_expr(jd::Column::DecidedAt, Expr::value(now))
        .col_expr(jd::Column::DecidedBy, Expr::value(actor.user_id))
        .col_expr(jd::Column::Note, Expr::value((!note.is_empty()).then_some(note.clone())))
        .filter(jd::Column::Id.eq(id))
        .filter(jd::Column::Status.eq(OPEN))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::field("form", "该争议已经指定", "This dispute has been designated already"));
    }
    let c = complaint::Entity::find_by_id(d.case_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    // The dispute is moot once the case was decided on, moved elsewhere or
    // withdrawn meanwhile: it is closed as such, and nothing moves.
    let open = matches!(c.case_state()?, CaseState::EscalatedToRegulator | CaseState::RegulatorDispatched);
    if !open || c.agency_id != Some(d.raised_by) {
        jd::Entity::update_many()
            .col_expr(jd::Column::Status, Expr::value(MOOT))
            .col_expr(jd::Column::Designated, Expr::value(Option::<i64>::None))
            .filter(jd::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        return Err(StoreError::field(
            "form",
            "案件已受理、改派或办结，该争议无需再指定",
            "The case has since been decided on, moved or closed: the dispute is moot",
        ));
    }
    let body = serde_json::json!({ "designated_agency_id": designated, "message": note, "basis": "Order 121 Art. 33" });
    if c.agency_id == Some(designated) {
        chain::append(
            &txn,
            NewEvent::record(&c, "JURISDICTION_DESIGNATED", Role::Regulator, Some(actor.user_id), &body, now),
        )
        .await?;
    } else {
        move_to(&txn, c, designated, &d, actor.user_id, &body, now).await?;
    }
    let subject = format!("{} · {}", case_no_of(&txn, d.case_id).await?, Kind::JurisdictionDispute.label_zh());
    for org in [d.raised_by, d.other_agency] {
        to_org(&txn, ORG_AGENCY, org, Kind::JurisdictionDispute, &subject, "/regulator", Some("DESIGNATED"), now)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// T15 on Art. 33: the case goes to the designated agency.
async fn move_to(
    txn: &DatabaseTransaction,
    c: complaint::Model,
    to: i64,
    d: &jd::Model,
    actor_id: i64,
    body: &serde_json::Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let payload = serde_json::json!({
        "agency_id": to, "from_agency_id": c.agency_id, "designated_by": d.referee, "basis": "Order 121 Art. 33",
    });
    let mut w = CaseWrite::new(c);
    apply_in_txn(txn, &mut w, CaseEvent::Dispatch, Role::Regulator, Some(actor_id), payload, now).await?;
    let case = w.case.clone();
    w.event(NewEvent::record(&case, "JURISDICTION_DESIGNATED", Role::Regulator, Some(actor_id), body, now));
    w.finish(txn).await?;
    Ok(())
}

async fn case_no_of<C: ConnectionTrait>(db: &C, id: i64) -> Result<String, StoreError> {
    let no: Option<String> =
        complaint::Entity::find_by_id(id).select_only().column(complaint::Column::CaseNo).into_tuple().one(db).await?;
    no.ok_or(StoreError::NotFound)
}

/// A dispute as the referee's list shows it.
pub struct Referred {
    pub dispute: jd::Model,
    pub case_no: String,
    /// The case's candidate places (region codes) with their articles.
    pub places: Vec<(String, String)>,
}

/// Disputes referred to the actor's agencies: open ones by due date, then
/// the 50 last designated.
pub async fn referred_to(store: &Store, actor: &Actor) -> Result<Vec<Referred>, StoreError> {
    let mut rows = Vec::new();
    for status in [OPEN, DESIGNATED] {
        let q = jd::Entity::find()
            .filter(jd::Column::Referee.is_in(actor.agency_ids.clone()))
            .filter(jd::Column::Status.eq(status));
        let q = if status == OPEN {
            q.order_by_asc(jd::Column::DueOn)
        } else {
            q.order_by_desc(jd::Column::DueOn).limit(50)
        };
        rows.extend(q.order_by_asc(jd::Column::Id).all(&store.read).await?);
    }
    let mut out = Vec::new();
    for d in rows {
        let c = complaint::Entity::find_by_id(d.case_id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
        let places = of_case(&c)?.into_iter().map(|j| (j.region, j.basis_zh)).collect();
        out.push(Referred { dispute: d, case_no: c.case_no, places });
    }
    Ok(out)
}

/// Flags disputes past D11 once each and tells the referee (no other effect).
pub async fn flag_overdue(store: &Store) -> Result<usize, StoreError> {
    let now = store.now();
    let today = crate::time::china_date(now);
    let late = jd::Entity::find()
        .filter(jd::Column::Status.eq(OPEN))
        .filter(jd::Column::Overdue.eq(false))
        .filter(jd::Column::DueOn.lt(today))
        .limit(200)
        .all(&store.db)
        .await?;
    let mut n = 0;
    for d in late {
        let txn = store.db.begin().await?;
        let res = jd::Entity::update_many()
            .col_expr(jd::Column::Overdue, Expr::value(true))
            .filter(jd::Column::Id.eq(d.id))
            .filter(jd::Column::Status.eq(OPEN))
            .filter(jd::Column::Overdue.eq(false))
            .exec(&txn)
            .await?;
        if res.rows_affected == 1 {
            let subject = format!("{} · D11", case_no_of(&txn, d.case_id).await?);
            to_org(&txn, ORG_AGENCY, d.referee, Kind::ClockOverdue, &subject, "/regulator/disputes", Some("D11"), now)
                .await?;
            n += 1;
        }
        txn.commit().await?;
    }
    Ok(n)
}
