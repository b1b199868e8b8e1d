//! Which market-supervision agency receives a case or a tip (Order 121
//! Arts. 13–14 for complaints, Arts. 29 and 31 for tips): the candidate
//! regions in order, with their legal basis, and the first of them with an
//! agency on Redline. Written once for cases and tips.
use crate::entity::{agency, complaint, operator, platform};
use crate::StoreError;
use redline_rules::jurisdiction::{complaint_candidates, tip_candidates, Candidate};
use redline_rules::jurisdiction::{ComplaintFacts, RegionCode, RespondentKind, TipFacts};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

/// A candidate agency region with its legal basis (Order 121 Art. 13).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Jurisdiction {
    pub region: String,
    pub basis: String,
    pub basis_zh: String,
}

impl From<Candidate> for Jurisdiction {
    fn from(c: Candidate) -> Self {
        Jurisdiction {
            region: c.region.as_str().to_owned(),
            basis: c.basis.to_owned(),
            basis_zh: c.basis_zh.to_owned(),
        }
    }
}

fn region(code: Option<&str>) -> Option<RegionCode> {
    code.and_then(|r| RegionCode::parse(r).ok())
}

fn platform_domicile(p: &platform::Model) -> Result<RegionCode, StoreError> {
    RegionCode::parse(&p.domicile_region).map_err(|e| StoreError::Corrupt(format!("platform region: {e}")))
}

/// Order 121 Arts. 13–14: the candidates for a complaint about an operator on a platform.
pub fn for_complaint(p: &platform::Model, op: &operator::Model) -> Result<Vec<Jurisdiction>, StoreError> {
    let facts = ComplaintFacts {
        respondent: RespondentKind::InPlatformOperator,
        platform_domicile: platform_domicile(p)?,
        operator_displayed: region(op.displayed_region.as_deref()),
        operator_reachable: op.reachable,
        operator_domicile: region(op.domicile_region.as_deref()),
    };
    Ok(complaint_candidates(&facts).into_iter().map(Jurisdiction::from).collect())
}

/// Order 121 Arts. 29, 31: the candidates for a tip about a live room.
pub fn for_tip(p: &platform::Model, op: &operator::Model) -> Result<Vec<Jurisdiction>, StoreError> {
    let facts = TipFacts {
        platform_domicile: platform_domicile(p)?,
        operator_business: region(op.business_region.as_deref()),
        operator_domicile: region(op.domicile_region.as_deref()),
    };
    Ok(tip_candidates(&facts).into_iter().map(Jurisdiction::from).collect())
}

/// The first candidate with an agency on Redline.
pub async fn first_agency_of(txn: &DatabaseTransaction, cands: &[Jurisdiction]) -> Result<Option<i64>, StoreError> {
    for j in cands {
        if let Some(a) =
            agency::Entity::find().filter(agency::Column::RegionCode.eq(j.region.as_str())).one(txn).await?
        {
            return Ok(Some(a.id));
        }
    }
    Ok(None)
}

/// Art. 14: the first candidate agency Redline knows receives the case.
pub async fn first_agency(txn: &DatabaseTransaction, c: &complaint::Model) -> Result<Option<i64>, StoreError> {
    let cands: Vec<Jurisdiction> = serde_json::from_str(&c.jurisdiction_json)
        .map_err(|e| StoreError::Corrupt(format!("jurisdiction of {}: {e}", c.case_no)))?;
    first_agency_of(txn, &cands).await
}
