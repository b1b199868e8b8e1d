//! `redline verify --package FILE --key HEX`: the offline check of a case
//! package (`redline_rules::transparency::verify`), said in Chinese and
//! English, one finding a line; exit 0 when every finding holds, 1 when one
//! does not, 2 when the input cannot be read.
use redline_rules::transparency::unhex32;
use redline_rules::transparency::verify::{check, package_from_json};
use std::path::Path;
use std::process::ExitCode;

pub fn run(package: &Path, key: &str) -> ExitCode {
    let Some(public) = unhex32(key.trim()) else {
        eprintln!("公钥应为64位十六进制 / The key must be 64 hex digits");
        return ExitCode::from(2);
    };
    let json: serde_json::Value = match std::fs::read(package).map(|b| serde_json::from_slice(&b)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            eprintln!("案卷不是JSON / The package is not JSON: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("无法读取案卷 / Cannot read the package: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(p) = package_from_json(&json) else {
        eprintln!("案卷缺少处理记录或检查点（请在检查点生成后下载）/ The package lacks its events or a checkpoint (download it after a checkpoint)");
        return ExitCode::from(2);
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
