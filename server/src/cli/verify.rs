//! `redline verify --package FILE --key HEX`: the offline check of a case
//! package (`redline_rules::transparency::verify`), said in Chinese and
//! English, one finding a line; exit 0 when every finding holds, 1 when one
//! does not, 2 when the input cannot be read.
use redline_rules::transparency::verify::{check, read_key, read_package};
use std::path::Path;
use std::process::ExitCode;

pub fn run(package: &Path, key: &str) -> ExitCode {
    let unreadable = |(zh, en): (&str, &str)| {
        eprintln!("{zh} / {en}");
        ExitCode::from(2)
    };
    let public = match read_key(key) {
        Ok(k) => k,
        Err(e) => return unreadable(e),
    };
    let bytes = match std::fs::read(package) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("无法读取案卷 / Cannot read the package: {e}");
            return ExitCode::from(2);
        }
    };
    let p = match read_package(&bytes) {
        Ok(p) => p,
        Err(e) => return unreadable(e),
    };
    let findings = check(&p, &public);
    for f in &findings {
        println!("{} {} / {}", if f.ok { "✓" } else { "✗" }, f.zh, f.en);
    }
    if findings.iter().all(|f| f.ok) {
        println!("案卷{}与已签名的透明日志一致 / Case {} matches the signed transparency log", p.case_no, p.case_no);
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
