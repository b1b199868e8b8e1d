//! The complainant's details for market supervision (Order 121 Art. 10),
//! given when the consumer confirms escalation (T14) and written in the same
//! transaction. They are kept apart from the chained events, which every party
//! reads: respondents see the name, and phone and address only if the consumer
//! agreed; the consumer and the handling agency see everything.
use crate::actor::Actor;
use crate::case::transition::act_in_txn;
use crate::entity::{complainant_detail as cd, complaint, evidence};
use crate::{Store, StoreError};
use redline_rules::case::{CaseEvent, Role};
use redline_rules::intake::complainant::Complainant;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// T14 with the Art. 10 details; an agent must have filed the power of
/// attorney among the case's evidence first.
pub async fn escalate(
    store: &Store,
    case_no: &str,
    actor: &Actor,
    details: Complainant,
    seen_version: Option<i32>,
) -> Result<complaint::Model, StoreError> {
    let now = store.now();
    let (case_no, actor) = (case_no.to_owned(), actor.clone());
    store
        .writer
        .write(move |txn| {
            let (case_no, actor, details) = (case_no.clone(), actor.clone(), details.clone());
            Box::pin(async move {
                // The event records that the details were given, never the details.
                let payload = serde_json::json!({ "consent": true, "consent_basis": "PIPL Arts. 23, 25", "complainant_details": "Order 121 Art. 10" });
                let c = act_in_txn(
                    txn,
                    &case_no,
                    CaseEvent::ConfirmEscalation,
                    Role::Consumer,
                    &actor,
                    payload,
                    seen_version,
                    now,
                )
                .await?;
                if details.is_agent {
                    let filed = evidence::Entity::find()
                        .filter(evidence::Column::CaseId.eq(c.id))
                        .filter(evidence::Column::UploadedRole.eq(Role::Consumer.as_str()))
                        .count(txn)
                        .await?;
                    if filed == 0 {
                        return Err(StoreError::field(
                            "complainant_agent",
                            "代理投诉须先将授权委托书作为证据上传",
                            "An agent first uploads the power of attorney as evidence",
                        ));
                    }
                }
                let row = cd::ActiveModel {
                    case_id: Set(c.id),
                    name: Set(details.name),
                    phone: Set(details.phone),
                    address: Set(details.address),
                    is_agent: Set(details.is_agent),
                    share_contact: Set(details.share_contact),
                    given_at: Set(now),
                };
                cd::Entity::insert(row)
                    .on_conflict(
                        OnConflict::column(cd::Column::CaseId)
                            .update_columns([
                                cd::Column::Name,
                                cd::Column::Phone,
                                cd::Column::Address,
                                cd::Column::IsAgent,
                                cd::Column::ShareContact,
                                cd::Column::GivenAt,
                            ])
                            .to_owned(),
                    )
                    .exec_without_returning(txn)
                    .await?;
                Ok(c)
            })
        })
        .await
}

/// The details as one reader may see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub is_agent: bool,
    pub shared: bool,
}

/// What a reader who is a party through `roles` sees (the caller checked
/// that they are a party): all for the consumer and the agency; for the
/// operator and the platform, what mediation needs.
pub async fn shown_to(store: &Store, c: &complaint::Model, roles: &[Role]) -> Result<Option<Shown>, StoreError> {
    // Given only at escalation, which also names the agency: no read before.
    if c.agency_id.is_none() {
        return Ok(None);
    }
    let Some(d) = cd::Entity::find_by_id(c.id).one(&store.read).await? else {
        return Ok(None);
    };
    let full = roles.iter().any(|r| matches!(r, Role::Consumer | Role::Regulator)) || d.share_contact;
    Ok(Some(Shown {
        name: d.name,
        phone: full.then_some(d.phone),
        address: full.then_some(d.address),
        is_agent: d.is_agent,
        shared: d.share_contact,
    }))
}
