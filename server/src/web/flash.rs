//! What a failed post keeps for one page load: the typed values and the
//! localized errors, under a key bound to the session (or browser id), so a
//! form posted without JavaScript loses nothing. Only the form's own fields
//! are kept, each within that field's own limit, and each client address may
//! leave only so many a hour: anonymous posts cannot grow the database.
use super::extract::Web;
use crate::parse::Fields;
use redline_store::Store;
use std::collections::HashMap;

/// A field a form may keep: its name, its length limit in characters and how
/// many values it may repeat (checkbox groups).
type Keep = (&'static str, usize, usize);

const ONE: usize = 1;

/// Each form's own fields. A form not listed keeps its errors only.
fn fields_of(form: &str) -> &'static [Keep] {
    let kind = form.split_once(':').map_or(form, |(k, _)| k);
    match kind {
        "login" => &[("email", 254, ONE), ("next", 500, ONE)],
        "register" => &[("name", 60, ONE), ("email", 254, ONE), ("next", 500, ONE)],
        "admin" => &[("email", 254, ONE), ("name", 60, ONE), ("org", 40, ONE), ("role", 10, ONE)],
        "org" => &[("email", 254, ONE), ("name", 60, ONE), ("role", 10, ONE), ("subscriber", 254, ONE)],
        // The findings of a package check (`ok\tzh\ten`), shown once.
        "verify" => &[
            ("key", 80, ONE),
            ("case_no", 40, ONE),
            ("holds", 5, ONE),
            ("published_key", 5, ONE),
            ("finding", 1000, 64),
        ],
        "admin-platform" => &[
            ("name", 100, ONE),
            ("name_en", 100, ONE),
            ("code", 32, ONE),
            ("credit_code", 18, ONE),
            ("domicile_region", 6, ONE),
            ("domicile_address", 200, ONE),
        ],
        "admin-agency" => &[("name", 100, ONE), ("name_en", 100, ONE), ("kind", 30, ONE), ("region", 6, ONE)],
        "complaint" => &[
            ("platform", 20, ONE),
            ("room", 300, ONE),
            ("session", 20, ONE),
            ("moment_kind", 10, ONE),
            ("moment_confirmed", 25, ONE),
            ("offset", 20, ONE),
            ("clock", 25, ONE),
            ("product", 200, ONE),
            ("product_id", 20, ONE),
            ("order_no", 64, ONE),
            ("ordered_on", 20, ONE),
            ("amount", 20, ONE),
            ("categories", 40, 16),
            ("demands", 40, 16),
            ("narrative", 5000, ONE),
            ("harm_known_on", 20, ONE),
            ("respondent", 20, ONE),
            ("marketer_id", 20, ONE),
            ("marketer_name", 60, ONE),
            ("seller", 100, ONE),
            ("once", 32, ONE),
        ],
        "case" => &[
            ("role", 20, ONE),
            ("event", 40, ONE),
            ("version", 12, ONE),
            ("message", 2000, ONE),
            ("offer", 40, ONE),
            ("reason", 1000, ONE),
            ("remedy", 500, ONE),
            ("advance_compensation", 20, ONE),
            ("agency_id", 20, ONE),
            ("consent", 5, ONE),
            // The Art. 10 details asked at escalation (Order 121 Art. 10).
            ("complainant_name", 60, ONE),
            ("complainant_phone", 20, ONE),
            ("complainant_address", 200, ONE),
            ("complainant_agent", 5, ONE),
            ("share_contact", 5, ONE),
        ],
        "evidence" => &[("role", 20, ONE), ("note", 500, ONE), ("clip_start", 20, ONE), ("clip_end", 20, ONE)],
        "preservation" => {
            &[("decision", 20, ONE), ("replay_ref", 500, ONE), ("retain_until", 20, ONE), ("reason", 1000, ONE)]
        }
        "records" => &[("records", 20, 8), ("answer", 4000, ONE)],
        "fraud" => &[("role", 20, ONE), ("reason", 1000, ONE)],
        "sessions" => &[
            ("room", 300, ONE),
            ("platform_session_id", 128, ONE),
            ("started_at", 25, ONE),
            ("ended_at", 25, ONE),
            ("replay_ref", 500, ONE),
            ("products", 40_000, ONE),
            ("marketers", 1000, ONE),
        ],
        "policy" => &[("d1", 10, ONE), ("d2", 10, ONE), ("d3", 10, ONE), ("d4", 10, ONE), ("margin", 10, ONE)],
        "tip" => &[
            ("platform", 20, ONE),
            ("room", 300, ONE),
            ("moments", 1000, ONE),
            ("description", 5000, ONE),
            ("categories", 40, 16),
            ("reporter_name", 60, ONE),
            ("reporter_contact", 100, ONE),
            ("target", 20, ONE),
            ("marketer_name", 60, ONE),
            ("mcn_name", 100, ONE),
            // The question past the address's allowance (written by the server).
            ("challenge_q", 8, ONE),
            ("challenge_token", 80, ONE),
            // The staff forms of one tip (`tip:{tip_no}`).
            ("act", 20, ONE),
            ("answer", 20, ONE),
            ("measure", 40, ONE),
            ("message", 2000, ONE),
            ("decision", 20, ONE),
            ("reason", 500, ONE),
        ],
        "hold" => &[("reason", 500, ONE)],
        "unreachable" => &[("party", 20, ONE), ("note", 1000, ONE), ("answer", 1000, ONE)],
        "dispute" => &[("other_agency", 20, ONE), ("reason", 1000, ONE)],
        "violation" => &[("description", 5000, ONE), ("categories", 40, 16)],
        "account-delete" => &[("confirm", 254, ONE)],
        "rating" => &[
            ("OPERATOR_ATTITUDE", 1, ONE),
            ("OPERATOR_SPEED", 1, ONE),
            ("OPERATOR_OUTCOME", 1, ONE),
            ("PLATFORM_ATTITUDE", 1, ONE),
            ("PLATFORM_SPEED", 1, ONE),
            ("PLATFORM_OUTCOME", 1, ONE),
            ("REGULATOR_ATTITUDE", 1, ONE),
            ("REGULATOR_SPEED", 1, ONE),
            ("REGULATOR_OUTCOME", 1, ONE),
            ("comment", 500, ONE),
        ],
        "tipstatus" => &[("receipt", 40, ONE)],
        "publication" => &[("consent", 5, ONE)],
        "narrative" => &[("reason", 500, ONE)],
        "alert" => &[("note", 1000, ONE)],
        "welcome" => &[("name", 60, ONE)],
        // Shown once, written by the server itself.
        "tipfiled" => &[("receipt", 40, ONE), ("tip_no", 40, ONE), ("repeat", 40, ONE), ("email", 254, ONE)],
        "integrations" => &[
            ("new_key", 100, ONE),
            ("new_secret", 100, ONE),
            ("name", 60, ONE),
            ("scopes", 20, 8),
            ("url", 500, ONE),
            ("events", 30, 8),
        ],
        "party-operator" => &[
            ("id", 64, ONE),
            ("kind", 30, ONE),
            ("name", 100, ONE),
            ("credit_code", 18, ONE),
            ("masked_id", 18, ONE),
            ("displayed_address", 200, ONE),
            ("displayed_region", 6, ONE),
            ("business_address", 200, ONE),
            ("business_region", 6, ONE),
            ("contact", 100, ONE),
            ("licences", 2000, ONE),
            ("mcn", 64, ONE),
            ("learned_at", 25, ONE),
        ],
        "party-room" => {
            &[("id", 64, ONE), ("name", 100, ONE), ("url", 300, ONE), ("operator", 64, ONE), ("learned_at", 25, ONE)]
        }
        "party-marketer" => &[
            ("id", 64, ONE),
            ("name", 60, ONE),
            ("account", 100, ONE),
            ("is_virtual", 5, ONE),
            ("mcn", 64, ONE),
            ("identity_ref", 100, ONE),
            ("learned_at", 25, ONE),
        ],
        "party-mcn" => &[
            ("id", 64, ONE),
            ("name", 100, ONE),
            ("credit_code", 18, ONE),
            ("address", 200, ONE),
            ("region", 6, ONE),
            ("learned_at", 25, ONE),
        ],
        _ => &[],
    }
}

/// The values a form keeps: its own fields only, each within its limits.
pub fn kept_values(form: &str, fields: &Fields) -> HashMap<String, Vec<String>> {
    fields_of(form)
        .iter()
        .filter_map(|(name, max_chars, max_values)| {
            let vs = fields.0.get(*name)?;
            let mut vs: Vec<String> =
                vs.iter().take(*max_values).map(|v| v.chars().take(*max_chars).collect()).collect();
            vs.dedup();
            Some(((*name).to_owned(), vs))
        })
        .collect()
}

/// Kept forms a client address may leave an hour.
const PER_CLIENT_HOUR: i32 = 120;

/// Values and messages to show on the next render of a form, as a handler
/// leaves them on its response for the guard to store.
#[derive(Clone, Debug)]
pub struct Kept {
    form: String,
    values: HashMap<String, Vec<String>>,
    messages: HashMap<String, String>,
}

impl Kept {
    pub fn new(form: &str, fields: &Fields, messages: HashMap<String, String>) -> Kept {
        let messages =
            messages.into_iter().map(|(k, v)| (k.chars().take(40).collect(), v.chars().take(500).collect())).collect();
        Kept { form: form.to_owned(), values: kept_values(form, fields), messages }
    }
}

/// Stores what a response kept, bound to the browser (or session) that will
/// render the form next; bounded per client address.
pub async fn keep(s: &Store, web: &Web, kept: Kept) {
    let Some(binding) = web.binding.as_deref() else { return };
    // Bounded per client: past the limit the form comes back empty.
    let allowed = match redline_store::web::ratelimit::hit(
        s,
        &format!("flash:{}", web.client),
        PER_CLIENT_HOUR,
        chrono::Duration::hours(1),
    )
    .await
    {
        Ok(r) => r.is_ok(),
        Err(e) => {
            tracing::error!(error = %e, "could not count kept forms");
            false
        }
    };
    if allowed {
        let payload = serde_json::json!({ "values": kept.values, "errors": kept.messages });
        let key = redline_store::web::keys::flash_key(binding);
        if let Err(e) = redline_store::web::flash::put(s, &key, &kept.form, &payload).await {
            tracing::error!(error = %e, "could not keep form values");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_forms_own_fields_are_kept_within_their_limits() {
        let mut pairs = vec![
            ("description".to_owned(), "x".repeat(9000)),
            ("password".to_owned(), "secret".to_owned()),
            ("csrf".to_owned(), "token".to_owned()),
        ];
        for i in 0..1280 {
            pairs.push((format!("junk{i}"), "y".repeat(5000)));
            pairs.push(("categories".to_owned(), format!("C{i}")));
        }
        let kept = kept_values("tip", &Fields::from_pairs(pairs));
        assert_eq!(kept.len(), 2, "{:?}", kept.keys().collect::<Vec<_>>());
        assert_eq!(kept["description"][0].chars().count(), 5000);
        assert_eq!(kept["categories"].len(), 16);
        assert!(kept_values("login", &Fields::from_pairs(vec![("password".into(), "pw".into())])).is_empty());
        assert!(kept_values("unknown", &Fields::from_pairs(vec![("a".into(), "b".into())])).is_empty());
        assert_eq!(kept_values("case:LC-1", &Fields::from_pairs(vec![("message".into(), "m".into())])).len(), 1);
    }
}
