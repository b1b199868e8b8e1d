//! Values and errors of a form that failed validation, kept for one page load so
//! a post made without JavaScript loses nothing the user typed.
use crate::entity::form_flash;
use crate::{Store, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// Keeps a form's values, replacing what the same browser kept for that form.
pub async fn put(store: &Store, session_key: &str, form: &str, payload: &serde_json::Value) -> Result<(), StoreError> {
    form_flash::Entity::delete_many()
        .filter(form_flash::Column::SessionKey.eq(session_key))
        .filter(form_flash::Column::Form.eq(form))
        .exec(&store.db)
        .await?;
    form_flash::ActiveModel {
        session_key: Set(session_key.to_owned()),
        form: Set(form.to_owned()),
        payload_json: Set(payload.to_string()),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(&store.db)
    .await?;
    Ok(())
}

/// Reads and removes the newest flash of a form.
pub async fn take(store: &Store, session_key: &str, form: &str) -> Result<Option<serde_json::Value>, StoreError> {
    Ok(take_each(store, session_key, &[form]).await?.pop().flatten())
}

/// The newest flash of each of a page's forms, in their order, read in one
/// statement (a case page has eleven forms; almost always none is kept), and
/// removed in one more when any was (a failed removal is logged: the values
/// are shown all the same, and go with the day's purge).
pub async fn take_each(
    store: &Store,
    session_key: &str,
    forms: &[&str],
) -> Result<Vec<Option<serde_json::Value>>, StoreError> {
    let rows = form_flash::Entity::find()
        .filter(form_flash::Column::SessionKey.eq(session_key))
        .filter(form_flash::Column::Form.is_in(forms.iter().copied()))
        .order_by_desc(form_flash::Column::Id)
        .all(&store.read)
        .await?;
    if !rows.is_empty() {
        let taken = form_flash::Entity::delete_many()
            .filter(form_flash::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(&store.db)
            .await;
        if let Err(e) = taken {
            tracing::warn!(error = %e, "kept form values not removed");
        }
    }
    let newest =
        |form: &&str| rows.iter().find(|r| r.form == *form).and_then(|r| serde_json::from_str(&r.payload_json).ok());
    Ok(forms.iter().map(newest).collect())
}

/// Deletes kept form values nobody came back for within a day.
pub async fn purge_stale(store: &Store) -> Result<u64, StoreError> {
    let cutoff = store.now() - chrono::Duration::days(1);
    Ok(form_flash::Entity::delete_many()
        .filter(form_flash::Column::CreatedAt.lt(cutoff))
        .exec(&store.db)
        .await?
        .rows_affected)
}

/// Forgets every kept form of a browser (on sign-out).
pub async fn forget(store: &Store, session_key: &str) -> Result<(), StoreError> {
    form_flash::Entity::delete_many().filter(form_flash::Column::SessionKey.eq(session_key)).exec(&store.db).await?;
    Ok(())
}
