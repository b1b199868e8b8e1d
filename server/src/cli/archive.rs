//! `backup` and `restore`.
use crate::config::Config;
use std::path::Path;
use std::process::ExitCode;

pub async fn backup(_config: &Config, _out: &Path, _vault_only: bool) -> ExitCode {
    eprintln!("not yet");
    ExitCode::FAILURE
}

pub async fn restore(_config: &Config, _archive: &Path) -> ExitCode {
    eprintln!("not yet");
    ExitCode::FAILURE
}
