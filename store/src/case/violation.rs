//! T23: the agency mediating a case records a suspected violation it found
//! (Order 121 Art. 27). A lead is opened in its own tip queue, linked to the
//! case and verified under D8 (`tip::lead`), whose chain records it. The
//! case's chain does not: the parties read that chain, and the respondent is
//! not told of an investigation (Order 121 Art. 37 keeps handling details
//! confidential). Mediation goes on: settling the dispute does not discharge
//! the violation.
use crate::actor::Actor;
use crate::case::access::{case_by_no, may_act};
use crate::chain;
use crate::entity::{complaint, tip};
use crate::{Store, StoreError};
use redline_rules::case::{CaseState, Role};
use sea_orm::{EntityTrait, TransactionTrait};

/// Records the finding; the lead's tip is returned.
pub async fn found(
    store: &Store,
    actor: &Actor,
    case_no: &str,
    description: &str,
    categories: &[&str],
) -> Result<tip::Model, StoreError> {
    let (text, cats) = redline_rules::tip::found_violation(description, categories)?;
    let now = store.now();
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
    let (Some(agency), CaseState::Mediation | CaseState::MediationPaused) = (c.agency_id, c.case_state()?) else {
        return Err(StoreError::field(
            "form",
            "只有调解中的案件可以登记发现的违法线索",
            "A violation is recorded on a case in mediation",
        ));
    };
    let t = crate::tip::lead::found_in_mediation(&txn, now, &c, agency, actor.user_id, &text, &cats).await?;
    txn.commit().await?;
    Ok(t)
}
