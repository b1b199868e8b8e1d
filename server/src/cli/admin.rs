//! `admin create`: the first administrator of a new installation (nobody
//! can invite them), or another one with `--force`.
use crate::config::Config;
use redline_store::account::email_links::{self, SiteAdminError};
use std::process::ExitCode;
use std::sync::Arc;

pub async fn create(config: &Config, email: &str, name: &str, force: bool) -> ExitCode {
    let store = match crate::open_store(config, Arc::new(redline_store::ShiftableTime::default())).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("database_url: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = match email_links::invite_site_admin(&store, email, name, force).await {
        Ok(p) => p,
        Err(SiteAdminError::Exists(who)) => {
            eprintln!("An administrator exists already ({who}); add --force to make another.");
            return ExitCode::from(3);
        }
        Err(SiteAdminError::Store(e)) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.addr));
    let link = format!("{base}{path}");
    // With mail configured the link goes to the address (opening it proves
    // the address is theirs); the outbox keeps it and retries if the server
    // does not take it now.
    if let Some(url) = &config.smtp_url {
        let ca = config.smtp_ca_file.as_ref().and_then(|f| std::fs::read(f).ok());
        match crate::mail::Mailer::with_roots(url, &config.mail_from, &base, ca.as_deref()) {
            Ok(m) if m.send_due(&store, 50).await.sent > 0 => {
                println!("An invitation was mailed to {email}: the link in it is valid for 24 hours.");
                return ExitCode::SUCCESS;
            }
            Ok(_) => eprintln!("The mail server did not take the invitation now (the outbox retries)."),
            Err(e) => eprintln!("smtp_url: {e}"),
        }
    }
    println!("Open this link within 24 hours to choose the administrator's password (it works once):");
    println!("{link}");
    ExitCode::SUCCESS
}
