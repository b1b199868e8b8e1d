//! A holder deletes their account (注销账户, PIPL Art. 47(1)). What no duty
//! keeps goes at once: sign-in, sessions, memberships, mailed links, the inbox,
//! published narratives (consent withdrawn, PIPL Art. 15), the link between
//! their tips and the account. What a duty keeps stays until that duty ends:
//! each case they filed, with the Order 121 Art. 10 details in it, until three
//! years after its closure (`rules::retention`), when the daily deletion takes
//! it. The account row stays as an empty shell so the cases' history still
//! names "a deleted user"; its address and name are gone.
use crate::actor::Actor;
use crate::entity::{
    complaint, deletion_log, email_link, membership, notification, public_narrative, session, tip, user,
};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use redline_rules::case::CaseState;
use redline_rules::public::NarrativeStatus;
use redline_rules::retention::Rule;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// One case the holder filed, and how long its file stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptCase {
    pub case_no: String,
    pub state: CaseState,
    /// `None` while the case is open: three years after it closes.
    pub retain_until: Option<NaiveDate>,
    pub legal_hold: bool,
}

/// What deletion would keep: the holder's cases (newest first, at most 500).
pub async fn what_stays(store: &Store, actor: &Actor) -> Result<Vec<KeptCase>, StoreError> {
    let rows = complaint::Entity::find()
        .filter(complaint::Column::ConsumerId.eq(actor.user_id))
        .order_by_desc(complaint::Column::Id)
        .limit(500)
        .all(&store.read)
        .await?;
    rows.into_iter()
        .map(|c| {
            Ok(KeptCase {
                state: c.case_state()?,
                case_no: c.case_no,
                retain_until: c.retain_until,
                legal_hold: c.legal_hold,
            })
        })
        .collect()
}

/// Deletes the account. `confirm` must repeat the account's e-mail address.
/// Refused while a case the holder filed is still open (it needs them to
/// answer), and for the site administrator (who would lock everyone out).
pub async fn delete(store: &Store, actor: &Actor, confirm: &str) -> Result<(), StoreError> {
    if !confirm.trim().eq_ignore_ascii_case(&actor.email) {
        return Err(StoreError::field(
            "confirm",
            "请输入本账户的邮箱地址以确认",
            "Type this account's e-mail address to confirm",
        ));
    }
    if actor.is_admin {
        return Err(StoreError::field(
            "form",
            "系统管理员账户不能自行注销，请先指定其他管理员",
            "The site administrator's account cannot be deleted this way",
        ));
    }
    let now = store.now();
    let uid = actor.user_id;
    let txn = store.db.begin().await?;
    // Claimed first: a concurrent deletion, or a session taken meanwhile, sees it.
    let res = user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(format!("deleted-{uid}@deleted.invalid")))
        .col_expr(user::Column::DisplayName, Expr::value("已注销用户"))
        .col_expr(user::Column::PasswordHash, Expr::value("!deleted"))
        .col_expr(user::Column::DeletedAt, Expr::value(now))
        .filter(user::Column::Id.eq(uid))
        .filter(user::Column::DeletedAt.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    let mine = complaint::Entity::find().filter(complaint::Column::ConsumerId.eq(actor.user_id));
    let states: Vec<String> =
        mine.clone().select_only().column(complaint::Column::State).into_tuple().all(&txn).await?;
    if states.iter().any(|s| s.parse::<CaseState>().map_or(true, |s| !s.is_terminal())) {
        return Err(StoreError::field(
            "form",
            "您还有未办结的投诉：请先撤回或等待办结后再注销账户",
            "You have a complaint still open: withdraw it or wait until it is closed",
        ));
    }
    let mut rows =
        session::Entity::delete_many().filter(session::Column::UserId.eq(uid)).exec(&txn).await?.rows_affected;
    rows +=
        membership::Entity::delete_many().filter(membership::Column::UserId.eq(uid)).exec(&txn).await?.rows_affected;
    rows += email_link::Entity::delete_many()
        .filter(email_link::Column::Email.eq(&actor.email))
        .exec(&txn)
        .await?
        .rows_affected;
    rows += notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(uid))
        .exec(&txn)
        .await?
        .rows_affected;
    // Published narratives come down: the consent behind them is withdrawn.
    let cases = Query::select()
        .column(complaint::Column::Id)
        .from(complaint::Entity)
        .and_where(complaint::Column::ConsumerId.eq(uid))
        .to_owned();
    public_narrative::Entity::update_many()
        .col_expr(public_narrative::Column::Status, Expr::value(NarrativeStatus::Withdrawn.as_str()))
        .col_expr(public_narrative::Column::DecidedAt, Expr::value(now))
        .filter(public_narrative::Column::CaseId.in_subquery(cases))
        .filter(public_narrative::Column::Status.ne(NarrativeStatus::Withdrawn.as_str()))
        .exec(&txn)
        .await?;
    // Their tips keep the name the agency recorded; the account link, the
    // contact progress notices went to and the fingerprint go.
    tip::Entity::update_many()
        .col_expr(tip::Column::ReporterUserId, Expr::value(Option::<i64>::None))
        .col_expr(tip::Column::ReporterContact, Expr::value(Option::<String>::None))
        .col_expr(tip::Column::ReporterFingerprint, Expr::value(Option::<String>::None))
        .filter(tip::Column::ReporterUserId.eq(uid))
        .exec(&txn)
        .await?;
    let rule = Rule::AccountDeletion;
    deletion_log::Entity::insert(deletion_log::ActiveModel {
        id: NotSet,
        deleted_at: Set(now),
        kind: Set("ACCOUNT".to_owned()),
        object_ref: Set(format!("user-{uid}")),
        rule: Set(rule.as_str().to_owned()),
        basis: Set(rule.basis().to_owned()),
        retained_until: Set(None),
        rows_deleted: Set(rows as i64 + 1),
        files_released: Set(0),
        note: Set(Some(format!("{} case file(s) kept until their own retention ends", states.len()))),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}
