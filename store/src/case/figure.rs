//! The cases behind a figure of the monitoring desk (`crate::desk`): the
//! queue filter a figure links to, with the same definitions as
//! `desk::rebuild`, so a figure and its list agree.
use crate::entity::typed::state_names;
use crate::entity::{clock, complaint};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, QueryFilter};

/// What a desk figure counted: cases of one platform, operator or room filed
/// since a week's Monday, open with one holder, or with an outcome. The same
/// definitions as `desk::rebuild`, so a figure and its list agree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figure {
    pub platform: Option<i64>,
    pub operator: Option<i64>,
    pub room: Option<i64>,
    pub since: Option<NaiveDate>,
    pub held: Option<redline_rules::case::Tier>,
    pub outcome: Option<Outcome>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    Resolved,
    /// Went on to the platform (a D3 clock ran) or to market supervision.
    ToPlatform,
    ToRegulator,
    /// A watched clock of this kind ended late (ran out, or runs past its due day).
    Late(redline_rules::clock::ClockKind),
}

impl Outcome {
    pub fn as_str(self) -> String {
        match self {
            Outcome::Resolved => "resolved".to_owned(),
            Outcome::ToPlatform => "to_platform".to_owned(),
            Outcome::ToRegulator => "to_regulator".to_owned(),
            Outcome::Late(k) => format!("late_{}", k.as_str()),
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "resolved" => Some(Outcome::Resolved),
            "to_platform" => Some(Outcome::ToPlatform),
            "to_regulator" => Some(Outcome::ToRegulator),
            _ => s.strip_prefix("late_")?.parse().ok().map(Outcome::Late),
        }
    }
}

/// Narrows `sel` to the cases a desk figure counted.
pub(crate) fn figure_cases(
    sel: sea_orm::Select<complaint::Entity>,
    f: &Figure,
    today: NaiveDate,
    backend: sea_orm::DatabaseBackend,
) -> sea_orm::Select<complaint::Entity> {
    use redline_rules::clock::{ClockKind, ClockStatus};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let mut sel = sel;
    if let Some(p) = f.platform {
        sel = sel.filter(complaint::Column::PlatformId.eq(p));
    }
    if let Some(o) = f.operator {
        sel = sel.filter(complaint::Column::OperatorId.eq(o));
    }
    if let Some(r) = f.room {
        sel = sel.filter(complaint::Column::LiveRoomId.eq(r));
    }
    if let Some(d) = f.since {
        sel = sel.filter(complaint::Column::CreatedAt.gte(crate::time::china_midnight(d)));
    }
    if let Some(t) = f.held {
        sel = sel.filter(complaint::Column::State.is_in(state_names(t.states())));
    }
    // Correlated on the case, so each candidate case costs one seek of its
    // clocks (`ix_clocks_case_status_due`), never a read of all clocks.
    let clocks_of = |kind: ClockKind, late: bool| {
        let mut q = Query::select();
        q.expr(Expr::val(1))
            .from(clock::Entity)
            .and_where(
                Expr::col((clock::Entity, clock::Column::CaseId)).equals((complaint::Entity, complaint::Column::Id)),
            )
            .and_where(clock::Column::Kind.eq(kind.as_str()));
        if late {
            // Stopped after the due day, in Beijing: the desk's own definition.
            let stopped_late = match backend {
                sea_orm::DatabaseBackend::Postgres => {
                    "((\"clocks\".\"stopped_at\") AT TIME ZONE 'Asia/Shanghai')::date > \"clocks\".\"due_on\""
                }
                _ => "date(\"clocks\".\"stopped_at\", '+8 hours') > \"clocks\".\"due_on\"",
            };
            q.cond_where(
                Condition::any()
                    .add(clock::Column::Status.eq(ClockStatus::Expired.as_str()))
                    .add(
                        Condition::all()
                            .add(clock::Column::Status.eq(ClockStatus::Running.as_str()))
                            .add(clock::Column::DueOn.lt(today)),
                    )
                    .add(
                        Condition::all()
                            .add(clock::Column::Status.eq(ClockStatus::Stopped.as_str()))
                            .add(Expr::cust(stopped_late)),
                    ),
            );
        }
        Expr::exists(q.to_owned())
    };
    sel = match f.outcome {
        None => sel,
        Some(Outcome::Resolved) => {
            sel.filter(complaint::Column::State.is_in(state_names(redline_rules::desk::RESOLVED)))
        }
        Some(Outcome::ToRegulator) => sel.filter(complaint::Column::AgencyId.is_not_null()),
        Some(Outcome::ToPlatform) => sel.filter(
            Condition::any().add(complaint::Column::AgencyId.is_not_null()).add(clocks_of(ClockKind::D3, false)),
        ),
        Some(Outcome::Late(k)) => sel.filter(clocks_of(k, true)),
    };
    sel
}
