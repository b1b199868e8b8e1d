//! The spine: organisations, users, cases, the append-only case event log and clocks.
//! Money is integer fen; timestamps are UTC; calendar dates (due days) are plain dates
//! in Asia/Shanghai.
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m001_spine"
    }
}

pub(crate) fn id(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().auto_increment().primary_key().to_owned()
}
pub(crate) fn text(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}
pub(crate) fn text_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}
pub(crate) fn big(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}
pub(crate) fn big_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().to_owned()
}
pub(crate) fn ts(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().not_null().to_owned()
}
pub(crate) fn ts_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().null().to_owned()
}
pub(crate) fn flag(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).boolean().not_null().default(false).to_owned()
}
pub(crate) fn fk(table: impl IntoIden, col: impl IntoIden, to: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from_tbl(table).from_col(col).to_tbl(to).to_col(Alias::new("id")).to_owned()
}
pub(crate) fn a(s: &str) -> Alias {
    Alias::new(s)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("platforms"))
                .col(id(a("id")))
                .col(text(a("code")).unique_key().to_owned())
                .col(text(a("name")))
                .col(text(a("name_en")))
                .col(text(a("uscc")))
                .col(text(a("domicile_address")))
                .col(text(a("domicile_region")))
                .col(text(a("policy_json")))
                .col(ts(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("operators"))
                .col(id(a("id")))
                .col(text(a("name")))
                .col(text(a("kind")))
                .col(text_null(a("uscc")))
                .col(text_null(a("displayed_address")))
                .col(text_null(a("displayed_region")))
                .col(text_null(a("domicile_region")))
                .col(ColumnDef::new(a("reachable")).boolean().not_null().default(true))
                .col(ts(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("live_rooms"))
                .col(id(a("id")))
                .col(big(a("platform_id")))
                .col(big(a("operator_id")))
                .col(text(a("platform_room_id")))
                .col(text(a("display_name")))
                .col(text(a("url")))
                .col(text(a("disclosed_json")))
                .col(ts(a("disclosed_at")))
                .foreign_key(&mut fk(a("live_rooms"), a("platform_id"), a("platforms")))
                .foreign_key(&mut fk(a("live_rooms"), a("operator_id"), a("operators")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_live_rooms_platform_room")
                .table(a("live_rooms"))
                .col(a("platform_id"))
                .col(a("platform_room_id"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("stream_sessions"))
                .col(id(a("id")))
                .col(big(a("live_room_id")))
                .col(ts(a("started_at")))
                .col(ts_null(a("ended_at")))
                .col(text_null(a("replay_ref")))
                .foreign_key(&mut fk(a("stream_sessions"), a("live_room_id"), a("live_rooms")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_stream_sessions_room_start")
                .table(a("stream_sessions"))
                .col(a("live_room_id"))
                .col(a("started_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("agencies"))
                .col(id(a("id")))
                .col(text(a("name")))
                .col(text(a("name_en")))
                .col(text(a("region_code")).unique_key().to_owned())
                .col(text(a("level")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("users"))
                .col(id(a("id")))
                .col(text(a("email")).unique_key().to_owned())
                .col(text(a("display_name")))
                .col(text(a("password_hash")))
                .col(text(a("locale")))
                .col(flag(a("is_admin")))
                .col(ts(a("created_at")))
                .to_owned(),
        )
        .await?;
        // A person may belong to several organisations (operator, platform, agency).
        m.create_table(
            Table::create()
                .table(a("memberships"))
                .col(id(a("id")))
                .col(big(a("user_id")))
                .col(text(a("org_kind")))
                .col(big(a("org_id")))
                .foreign_key(&mut fk(a("memberships"), a("user_id"), a("users")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_memberships")
                .table(a("memberships"))
                .col(a("user_id"))
                .col(a("org_kind"))
                .col(a("org_id"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("sessions"))
                .col(ColumnDef::new(a("token_hash")).text().not_null().primary_key())
                .col(big(a("user_id")))
                .col(ts(a("created_at")))
                .col(ts(a("expires_at")))
                .foreign_key(&mut fk(a("sessions"), a("user_id"), a("users")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("complaints"))
                .col(id(a("id")))
                .col(text(a("case_no")).unique_key().to_owned())
                .col(big(a("consumer_id")))
                .col(big(a("platform_id")))
                .col(big(a("live_room_id")))
                .col(big_null(a("stream_session_id")))
                .col(ColumnDef::new(a("stream_offset_s")).big_integer().null())
                .col(ts_null(a("stream_clock_at")))
                .col(text(a("product_name")))
                .col(text_null(a("order_no")))
                .col(big(a("amount_fen")))
                .col(text(a("categories_json")))
                .col(text(a("demands_json")))
                .col(text(a("narrative")))
                .col(ColumnDef::new(a("harm_known_on")).date().not_null())
                .col(text(a("state")))
                .col(flag(a("platform_decided")))
                .col(text_null(a("last_offer")))
                .col(flag(a("operator_untimely")))
                .col(flag(a("platform_untimely")))
                .col(big_null(a("agency_id")))
                .col(text(a("jurisdiction_json")))
                .col(ColumnDef::new(a("next_due_on")).date().not_null())
                .col(ColumnDef::new(a("version")).integer().not_null().default(0))
                .col(ts(a("created_at")))
                .col(ts(a("updated_at")))
                .foreign_key(&mut fk(a("complaints"), a("consumer_id"), a("users")))
                .foreign_key(&mut fk(a("complaints"), a("platform_id"), a("platforms")))
                .foreign_key(&mut fk(a("complaints"), a("live_room_id"), a("live_rooms")))
                .foreign_key(&mut fk(a("complaints"), a("agency_id"), a("agencies")))
                .to_owned(),
        )
        .await?;
        // Keyset pagination indexes: (scope, next_due_on, id) and (scope, id).
        for (name, cols) in [
            ("ix_complaints_consumer", vec!["consumer_id", "id"]),
            ("ix_complaints_room_due", vec!["live_room_id", "next_due_on", "id"]),
            ("ix_complaints_platform_due", vec!["platform_id", "next_due_on", "id"]),
            ("ix_complaints_agency_due", vec!["agency_id", "next_due_on", "id"]),
        ] {
            let mut idx = Index::create().name(name).table(a("complaints")).to_owned();
            for c in cols {
                idx.col(a(c));
            }
            m.create_index(idx).await?;
        }
        // Append-only: the application never updates or deletes these rows.
        m.create_table(
            Table::create()
                .table(a("case_events"))
                .col(id(a("id")))
                .col(big(a("case_id")))
                .col(ColumnDef::new(a("seq")).integer().not_null())
                .col(ts(a("at")))
                .col(big_null(a("actor_user_id")))
                .col(text(a("actor_role")))
                .col(text(a("event_type")))
                .col(text(a("transition_id")))
                .col(text(a("from_state")))
                .col(text(a("to_state")))
                .col(text(a("payload_json")))
                .foreign_key(&mut fk(a("case_events"), a("case_id"), a("complaints")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_case_events_seq")
                .table(a("case_events"))
                .col(a("case_id"))
                .col(a("seq"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("clocks"))
                .col(id(a("id")))
                .col(big(a("case_id")))
                .col(text(a("kind")))
                .col(text(a("basis")))
                .col(flag(a("legal")))
                .col(text(a("calendar")))
                .col(ColumnDef::new(a("days")).integer().not_null())
                .col(ColumnDef::new(a("start_on")).date().not_null())
                .col(ts(a("started_at")))
                .col(ColumnDef::new(a("due_on")).date().not_null())
                .col(big(a("paused_secs")))
                .col(ts_null(a("paused_at")))
                .col(text(a("status")))
                .col(flag(a("provisional")))
                .col(text(a("explanation_json")))
                .col(ts_null(a("stopped_at")))
                .foreign_key(&mut fk(a("clocks"), a("case_id"), a("complaints")))
                .to_owned(),
        )
        .await?;
        // The overdue sweep scans running clocks by due date.
        m.create_index(
            Index::create()
                .name("ix_clocks_status_due")
                .table(a("clocks"))
                .col(a("status"))
                .col(a("due_on"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_clocks_case").table(a("clocks")).col(a("case_id")).to_owned()).await?;
        // Pauses of a clock (Order 121 Arts. 21-22), audited.
        m.create_table(
            Table::create()
                .table(a("clock_pauses"))
                .col(id(a("id")))
                .col(big(a("clock_id")))
                .col(text(a("reason")))
                .col(ts(a("paused_at")))
                .col(ts_null(a("resumed_at")))
                .col(big_null(a("actor_user_id")))
                .foreign_key(&mut fk(a("clock_pauses"), a("clock_id"), a("clocks")))
                .to_owned(),
        )
        .await?;
        // Values typed into a form that failed validation, so a JavaScript-free post
        // loses nothing: the page reads them back once.
        m.create_table(
            Table::create()
                .table(a("form_flashes"))
                .col(id(a("id")))
                .col(text(a("session_key")))
                .col(text(a("form")))
                .col(text(a("payload_json")))
                .col(ts(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_form_flashes_key")
                .table(a("form_flashes"))
                .col(a("session_key"))
                .col(a("form"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "form_flashes",
            "clock_pauses",
            "clocks",
            "case_events",
            "complaints",
            "sessions",
            "memberships",
            "users",
            "agencies",
            "stream_sessions",
            "live_rooms",
            "operators",
            "platforms",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
