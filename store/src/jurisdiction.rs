//! Which market-supervision agency receives a case or a tip (Order 121
//! Arts. 13–14 for complaints, Arts. 29 and 31 for tips): the candidate
//! regions in order, with their legal basis, and the first of them with an
//! agency on Redline. Written once for cases and tips.
use crate::entity::{agency, complaint, mcn, operator, platform};
use crate::StoreError;
use redline_rules::jurisdiction::region::{may_move, AgencyKind, MoveBasis, MoveRefused, Region, Seat};
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

/// Order 121 Arts. 13–14: the candidates for a complaint about a live room on
/// a platform: against its operator or marketer, the platform itself, or an MCN.
pub fn for_complaint(
    p: &platform::Model,
    op: &operator::Model,
    respondent: RespondentKind,
    mcn: Option<&mcn::Model>,
) -> Result<Vec<Jurisdiction>, StoreError> {
    let facts = ComplaintFacts {
        respondent,
        platform_domicile: platform_domicile(p)?,
        operator_displayed: region(op.displayed_region.as_deref()),
        operator_reachable: op.reachable,
        operator_domicile: region(op.domicile_region.as_deref()),
        mcn_domicile: region(mcn.and_then(|m| m.region.as_deref())),
    };
    Ok(complaint_candidates(&facts).into_iter().map(Jurisdiction::from).collect())
}

/// Order 121 Arts. 29, 31 and Order 117 Art. 47: the candidates for a tip
/// about a live room's operator or marketer, an MCN, or the platform itself.
pub fn for_tip(
    p: &platform::Model,
    op: &operator::Model,
    target: RespondentKind,
    mcn: Option<&mcn::Model>,
) -> Result<Vec<Jurisdiction>, StoreError> {
    let facts = TipFacts {
        target,
        mcn_domicile: region(mcn.and_then(|m| m.region.as_deref())),
        platform_domicile: platform_domicile(p)?,
        operator_business: region(op.business_region.as_deref()),
        operator_domicile: region(op.domicile_region.as_deref()),
    };
    Ok(tip_candidates(&facts).into_iter().map(Jurisdiction::from).collect())
}

/// The agency that receives a case or tip: one of a candidate's own division
/// or of a division above it (a city bureau covers its counties), the lowest
/// level first (Order 121 Art. 13: generally the county level), then the
/// candidates' order (Art. 14). Market supervision only. One statement.
pub async fn first_agency_of(txn: &DatabaseTransaction, cands: &[Jurisdiction]) -> Result<Option<i64>, StoreError> {
    let places: Vec<Region> = cands.iter().filter_map(|j| Region::parse(&j.region).ok()).collect();
    let chains: Vec<String> =
        places.iter().flat_map(|p| std::iter::successors(Some(p.clone()), Region::parent)).map(String::from).collect();
    let found = agency::Entity::find()
        .filter(agency::Column::RegionCode.is_in(chains))
        .filter(agency::Column::Kind.eq(AgencyKind::MarketSupervision.as_str()))
        .all(txn)
        .await?;
    Ok(found
        .iter()
        .filter_map(|a| {
            let seat = Region::parse(&a.region_code).ok()?;
            let i = places.iter().position(|p| seat.covers(p))?;
            Some((seat.level(), i, a.id))
        })
        .min()
        .map(|(_, _, id)| id))
}

/// An agency's kind and division, as the rules see it.
pub fn seat(a: &agency::Model) -> Result<Seat, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("agency {}: kind {:?}, region {:?}", a.id, a.kind, a.region_code));
    Ok(Seat {
        kind: AgencyKind::parse(&a.kind).ok_or_else(corrupt)?,
        region: Region::parse(&a.region_code).map_err(|_| corrupt())?,
    })
}

/// The candidate places of a case, as recorded at filing.
pub fn of_case(c: &complaint::Model) -> Result<Vec<Jurisdiction>, StoreError> {
    crate::entity::typed::stored_json("complaints.jurisdiction_json", &c.jurisdiction_json)
}

/// Whether a case at `places` handled by `from` may move to `to` (T15), and
/// on which article: `to` must cover one of the places, and be below `from`
/// (Order 121 Art. 41) or above it (Art. 13). Designation between peers
/// (Art. 33) is not offered: no one on Redline designates yet.
pub fn may_move_case(places: &[Jurisdiction], from: &Seat, to: &Seat) -> Result<MoveBasis, MoveRefused> {
    let mut refused = MoveRefused::PlaceNotCovered;
    for place in places.iter().filter_map(|j| Region::parse(&j.region).ok()) {
        match may_move(from, to, &place, None) {
            Ok(basis) => return Ok(basis),
            // A refusal for who moves it says more than one for where.
            Err(e) if e != MoveRefused::PlaceNotCovered => refused = e,
            Err(_) => {}
        }
    }
    Err(refused)
}

/// Of `agencies`, those the case's handling agency may move it to (for the form).
pub fn move_targets(c: &complaint::Model, agencies: Vec<agency::Model>) -> Result<Vec<agency::Model>, StoreError> {
    let Some(from) = agencies.iter().find(|a| Some(a.id) == c.agency_id) else { return Ok(vec![]) };
    let (places, from) = (of_case(c)?, seat(from)?);
    let mut out = Vec::new();
    for to in agencies {
        if Some(to.id) != c.agency_id && may_move_case(&places, &from, &seat(&to)?).is_ok() {
            out.push(to);
        }
    }
    Ok(out)
}

/// Art. 14: the first candidate agency Redline knows receives the case.
pub async fn first_agency(txn: &DatabaseTransaction, c: &complaint::Model) -> Result<Option<i64>, StoreError> {
    first_agency_of(txn, &of_case(c)?).await
}

/// A place as people name it, from the agency whose area it is (Redline keeps
/// no gazetteer): 330105 → 杭州市拱墅区 when that district's agency is on
/// Redline, 杭州市（辖区内） when only the city's is. (zh, en); the code when
/// no agency covers the place.
pub fn place_name(code: &str, agencies: &[agency::Model]) -> (String, String) {
    let Ok(place) = Region::parse(code) else { return (code.to_owned(), code.to_owned()) };
    let covering = agencies
        .iter()
        .filter(|a| a.kind == AgencyKind::MarketSupervision.as_str())
        .filter_map(|a| Region::parse(&a.region_code).ok().filter(|r| r.covers(&place)).map(|r| (r, a)))
        .min_by_key(|(r, _)| r.level());
    match covering {
        Some((r, a)) => {
            let zh = a.name.trim_end_matches("市场监督管理局").to_owned();
            let en = a.name_en.trim_end_matches(" AMR").replace(" AMR,", ",");
            if r == place {
                (zh, en)
            } else {
                (format!("{zh}（辖区内）"), format!("within {en}"))
            }
        }
        None => (format!("行政区划代码 {code}"), format!("division {code}")),
    }
}
