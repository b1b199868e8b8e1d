//! T7: the consumer rates each party that handled a closed case
//! (`rules::rating`), once per party: a row per party and an event in the
//! case's chain with the stars (the comment stays out of the chain, in the row).
use crate::actor::Actor;
use crate::chain::{self, NewEvent};
use crate::entity::{clock, complaint, rating};
use crate::{Store, StoreError};
use redline_rules::case::Role;
use redline_rules::clock::ClockKind;
use redline_rules::rating::{Handler, NewRating, RatingForm};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

/// A case's ratings, in the order given.
pub async fn of_case<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<Vec<rating::Model>, StoreError> {
    Ok(rating::Entity::find()
        .filter(rating::Column::CaseId.eq(case_id))
        .order_by_asc(rating::Column::Id)
        .all(db)
        .await?)
}

/// Whom the consumer may still rate: nobody while the case is open; then the
/// operator (unless the platform answered in its place), the platform once it
/// stepped in, market supervision once the case reached it, each once.
pub async fn may_rate<C: ConnectionTrait>(db: &C, c: &complaint::Model) -> Result<Vec<Handler>, StoreError> {
    if !c.case_state()?.is_terminal() {
        return Ok(Vec::new());
    }
    let by_platform = c.respondent()?.answered_by_platform();
    let stepped_in = by_platform
        || c.platform_decided
        || c.agency_id.is_some()
        || clock::Entity::find()
            .filter(clock::Column::CaseId.eq(c.id))
            .filter(clock::Column::Kind.eq(ClockKind::D3.as_str()))
            .count(db)
            .await?
            > 0;
    let took_part = [
        (Handler::Operator, !by_platform),
        (Handler::Platform, stepped_in),
        (Handler::Regulator, c.agency_id.is_some()),
    ];
    let rated: Vec<String> = of_case(db, c.id).await?.into_iter().map(|r| r.handler).collect();
    Ok(took_part
        .into_iter()
        .filter(|(h, yes)| *yes && !rated.iter().any(|r| r == h.as_str()))
        .map(|(h, _)| h)
        .collect())
}

/// The complainant rates; the form's parties are checked against whom they may rate.
pub async fn rate(store: &Store, actor: &Actor, case_no: &str, mut form: RatingForm) -> Result<NewRating, StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let c = crate::case::access::case_by_no(&txn, case_no).await?;
    if c.consumer_id != actor.user_id {
        return Err(StoreError::Forbidden);
    }
    chain::lock_case(&txn, c.id).await?;
    let c = complaint::Entity::find_by_id(c.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    form.may_rate = may_rate(&txn, &c).await?;
    if form.may_rate.is_empty() {
        return Err(StoreError::field("form", "本案现在不能评价", "This case cannot be rated now"));
    }
    let r = NewRating::try_from(form)?;
    let rows = r.parties.iter().map(|(h, s)| rating::ActiveModel {
        id: NotSet,
        case_id: Set(c.id),
        handler: Set(h.as_str().to_owned()),
        attitude: Set(s[0] as i16),
        speed: Set(s[1] as i16),
        outcome: Set(s[2] as i16),
        comment: Set(r.comment.clone()),
        rated_at: Set(now),
    });
    rating::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    let stars: serde_json::Map<String, serde_json::Value> =
        r.parties.iter().map(|(h, s)| (h.as_str().to_owned(), serde_json::json!(s))).collect();
    let payload = serde_json::json!({ "stars": stars });
    chain::append(&txn, NewEvent::record(&c, "RATED", Role::Consumer, Some(actor.user_id), &payload, now)).await?;
    txn.commit().await?;
    Ok(r)
}
