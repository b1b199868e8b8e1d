//! The daily deletion: cases and tips whose retention day has passed and that
//! no regulator holds are deleted whole, a batch at a time, each in its own
//! transaction with a line in `deletion_log` (its number, the rule and the
//! day it was kept to: nothing about a person). Evidence files are released
//! to the vault's orphan collector (`vault::orphans`), which deletes a file
//! only when no case or tip still holds the same content. Each case and tip
//! has its own hash chain, so deleting one never touches another's.
use crate::entity::{
    case_event, clock, clock_pause, complainant_detail, complaint, deletion_log, evidence, jurisdiction_dispute,
    preservation_request, public_narrative, rating, records_request, tip, tip_event, tip_evidence, unreachable_notice,
    vault_write,
};
use crate::vault::intake::Vault;
use crate::vault::orphans;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use redline_rules::retention::{expired, Rule};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// What one run deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub cases: usize,
    pub tips: usize,
    /// Rows of every table, the case and tip rows included.
    pub rows: u64,
    /// Vault files deleted because nothing holds them any more.
    pub files: usize,
}

/// Deletes up to `batch` expired cases and `batch` expired tips, then the
/// files they alone held. Idempotent, and safe in several processes: each
/// record is checked again under its lock.
pub async fn run(store: &Store, vault: &Vault, batch: u64) -> Result<Purged, StoreError> {
    let now = store.now();
    let today = crate::time::china_date(now);
    let mut out = Purged::default();
    let cases: Vec<i64> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Id)
        .filter(complaint::Column::RetainUntil.lt(today))
        .filter(complaint::Column::LegalHold.eq(false))
        .order_by_asc(complaint::Column::RetainUntil)
        .limit(batch)
        .into_tuple()
        .all(&store.db)
        .await?;
    for id in cases {
        let txn = store.db.begin().await?;
        if let Some(rows) = delete_case(&txn, id, today, now).await? {
            out.cases += 1;
            out.rows += rows;
        }
        txn.commit().await?;
    }
    let tips: Vec<i64> = tip::Entity::find()
        .select_only()
        .column(tip::Column::Id)
        .filter(tip::Column::RetainUntil.lt(today))
        .filter(tip::Column::LegalHold.eq(false))
        .order_by_asc(tip::Column::RetainUntil)
        .limit(batch)
        .into_tuple()
        .all(&store.db)
        .await?;
    for id in tips {
        let txn = store.db.begin().await?;
        if let Some(rows) = delete_tip(&txn, id, today, now).await? {
            out.tips += 1;
            out.rows += rows;
        }
        txn.commit().await?;
    }
    // The released files are the oldest writes the collector sees.
    out.files = orphans::collect(store, vault, 500).await?.deleted;
    Ok(out)
}

/// `DELETE FROM table WHERE col = id`, for the tables without an entity.
async fn delete_raw(txn: &DatabaseTransaction, table: &str, col: &str, id: i64) -> Result<u64, StoreError> {
    let stmt = Query::delete().from_table(Alias::new(table)).and_where(Expr::col(Alias::new(col)).eq(id)).to_owned();
    Ok(txn.execute_raw(txn.get_database_backend().build(&stmt)).await?.rows_affected())
}

/// Files the deleted rows named: recorded as writes from before the
/// collector's grace period, so it checks them next (and after a crash).
async fn release(txn: &DatabaseTransaction, shas: Vec<String>, now: DateTime<Utc>) -> Result<i64, StoreError> {
    let n = shas.len() as i64;
    if n == 0 {
        return Ok(0);
    }
    let at = now - Duration::minutes(orphans::GRACE_MINUTES + 1);
    let rows =
        shas.into_iter().map(|sha| vault_write::ActiveModel { id: NotSet, sha256: Set(sha), written_at: Set(at) });
    vault_write::Entity::insert_many(rows).exec_without_returning(txn).await?;
    Ok(n)
}

#[allow(clippy::too_many_arguments)]
async fn log(
    txn: &DatabaseTransaction,
    kind: &str,
    object_ref: &str,
    rule: Rule,
    until: Option<NaiveDate>,
    rows: u64,
    files: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    deletion_log::Entity::insert(deletion_log::ActiveModel {
        id: NotSet,
        deleted_at: Set(now),
        kind: Set(kind.to_owned()),
        object_ref: Set(object_ref.to_owned()),
        rule: Set(rule.as_str().to_owned()),
        basis: Set(rule.basis().to_owned()),
        retained_until: Set(until),
        rows_deleted: Set(rows as i64),
        files_released: Set(files),
        note: Set(None),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Deletes one case whole if it is still expired, unheld, and none of its
/// evidence is kept longer or held; the number of rows, or `None` if kept.
async fn delete_case(
    txn: &DatabaseTransaction,
    id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<u64>, StoreError> {
    crate::chain::lock_case(txn, id).await?;
    let Some(c) = complaint::Entity::find_by_id(id).one(txn).await? else { return Ok(None) };
    if !expired(c.retain_until, c.legal_hold, today) {
        return Ok(None);
    }
    // A held tip or lead of this case holds the case too.
    let held_tips = tip::Entity::find()
        .filter(tip::Column::LinkedComplaintId.eq(id))
        .filter(tip::Column::LegalHold.eq(true))
        .count(txn)
        .await?;
    if held_tips > 0 {
        return Ok(None);
    }
    let files = evidence::Entity::find().filter(evidence::Column::CaseId.eq(id)).all(txn).await?;
    if files.iter().any(|e| !expired(e.retain_until.or(c.retain_until), e.legal_hold, today)) {
        // Evidence of a stream that ended after the closure is kept longer:
        // the case waits for it, out of the way of the runs before that day.
        if let Some(later) = files.iter().filter_map(|e| e.retain_until).max().filter(|d| *d >= today) {
            complaint::Entity::update_many()
                .col_expr(complaint::Column::RetainUntil, Expr::value(later))
                .filter(complaint::Column::Id.eq(id))
                .exec(txn)
                .await?;
        }
        return Ok(None);
    }
    let shas: Vec<String> = files.into_iter().flat_map(|e| std::iter::once(e.sha256).chain(e.display_sha256)).collect();
    let clocks: Vec<i64> = clock::Entity::find()
        .select_only()
        .column(clock::Column::Id)
        .filter(clock::Column::CaseId.eq(id))
        .into_tuple()
        .all(txn)
        .await?;
    let mut rows = 0;
    if !clocks.is_empty() {
        rows += clock_pause::Entity::delete_many()
            .filter(clock_pause::Column::ClockId.is_in(clocks))
            .exec(txn)
            .await?
            .rows_affected;
    }
    rows += clock::Entity::delete_many().filter(clock::Column::CaseId.eq(id)).exec(txn).await?.rows_affected;
    rows += case_event::Entity::delete_many().filter(case_event::Column::CaseId.eq(id)).exec(txn).await?.rows_affected;
    rows += evidence::Entity::delete_many().filter(evidence::Column::CaseId.eq(id)).exec(txn).await?.rows_affected;
    rows += preservation_request::Entity::delete_many()
        .filter(preservation_request::Column::CaseId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += records_request::Entity::delete_many()
        .filter(records_request::Column::CaseId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += complainant_detail::Entity::delete_many()
        .filter(complainant_detail::Column::CaseId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += public_narrative::Entity::delete_many()
        .filter(public_narrative::Column::CaseId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += jurisdiction_dispute::Entity::delete_many()
        .filter(jurisdiction_dispute::Column::CaseId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += unreachable_notice::Entity::delete_many()
        .filter(unreachable_notice::Column::CaseId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += rating::Entity::delete_many().filter(rating::Column::CaseId.eq(id)).exec(txn).await?.rows_affected;
    rows += delete_raw(txn, "case_search", "case_id", id).await?;
    // A tip filed with the complaint (Order 121 Art. 9) or a lead found in its
    // mediation keeps its link as a tombstone: who may see it is decided by
    // the link, so it must not change when the case goes.
    rows += complaint::Entity::delete_by_id(id).exec(txn).await?.rows_affected;
    let released = release(txn, shas, now).await?;
    log(txn, "CASE", &c.case_no, Rule::CaseFile, c.retain_until, rows, released, now).await?;
    Ok(Some(rows))
}

/// Deletes one tip whole if it is still expired and unheld.
async fn delete_tip(
    txn: &DatabaseTransaction,
    id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<u64>, StoreError> {
    let claimed = tip::Entity::update_many()
        .col_expr(tip::Column::Id, Expr::col(tip::Column::Id))
        .filter(tip::Column::Id.eq(id))
        .exec(txn)
        .await?;
    let Some(t) = tip::Entity::find_by_id(id).one(txn).await? else { return Ok(None) };
    if claimed.rows_affected != 1 || !expired(t.retain_until, t.legal_hold, today) {
        return Ok(None);
    }
    // A tip of a held case is held with it.
    if let Some(case_id) = t.linked_complaint_id {
        if complaint::Entity::find_by_id(case_id).one(txn).await?.is_some_and(|c| c.legal_hold) {
            return Ok(None);
        }
    }
    let rule = t.retain_rule.as_deref().and_then(|r| r.parse::<Rule>().ok()).unwrap_or(Rule::TipWithoutCase);
    let shas: Vec<String> = tip_evidence::Entity::find()
        .select_only()
        .column(tip_evidence::Column::Sha256)
        .filter(tip_evidence::Column::TipId.eq(id))
        .into_tuple()
        .all(txn)
        .await?;
    let mut rows =
        tip_event::Entity::delete_many().filter(tip_event::Column::TipId.eq(id)).exec(txn).await?.rows_affected;
    rows +=
        tip_evidence::Entity::delete_many().filter(tip_evidence::Column::TipId.eq(id)).exec(txn).await?.rows_affected;
    // Repeats merged into this tip (Order 121 Art. 35) keep the link as a tombstone.
    rows += tip::Entity::delete_by_id(id).exec(txn).await?.rows_affected;
    let released = release(txn, shas, now).await?;
    log(txn, "TIP", &t.tip_no, rule, t.retain_until, rows, released, now).await?;
    Ok(Some(rows))
}

/// The newest `limit` lines of the deletion log, oldest first.
pub async fn logged(store: &Store, limit: u64) -> Result<Vec<deletion_log::Model>, StoreError> {
    let mut rows =
        deletion_log::Entity::find().order_by_desc(deletion_log::Column::Id).limit(limit).all(&store.read).await?;
    rows.reverse();
    Ok(rows)
}
