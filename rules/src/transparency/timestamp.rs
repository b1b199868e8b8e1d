//! RFC 3161 time-stamping of a checkpoint: the request Redline sends a
//! time-stamping authority (TSA) for the SHA-256 of a checkpoint's text, the
//! token taken from its answer, and, in a token, the digest and time the TSA
//! signed. Whether the TSA's signature holds is checked with its certificate
//! (`openssl ts -verify`); that the token is for *this* checkpoint is checked
//! here, by the digest it carries.
use sha2::{Digest, Sha256};

/// id-sha256 (2.16.840.1.101.3.4.2.1), DER-encoded with its tag and length.
const SHA256_OID: [u8; 11] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

/// The digest a checkpoint is stamped by: SHA-256 of its signed text.
pub fn digest_of(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// A DER TimeStampReq (RFC 3161 §2.4.1): version 1, the SHA-256 imprint, a
/// nonce, and the TSA's certificate asked for in the token.
pub fn request_der(digest: &[u8; 32], nonce: u64) -> Vec<u8> {
    let mut alg = vec![0x30, (SHA256_OID.len() + 2) as u8];
    alg.extend_from_slice(&SHA256_OID);
    alg.extend_from_slice(&[0x05, 0x00]);
    let mut imprint = vec![0x30, (alg.len() + 34) as u8];
    imprint.extend_from_slice(&alg);
    imprint.extend_from_slice(&[0x04, 0x20]);
    imprint.extend_from_slice(digest);
    // A positive INTEGER in its shortest form: no leading zero bytes, but one
    // when the top bit would otherwise read as a sign (DER, X.690 §8.3).
    let bytes = nonce.to_be_bytes();
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(7);
    let mut digits = bytes[first..].to_vec();
    if digits[0] & 0x80 != 0 {
        digits.insert(0, 0);
    }
    let mut nonce_der = vec![0x02, digits.len() as u8];
    nonce_der.extend_from_slice(&digits);
    let mut body = vec![0x02, 0x01, 0x01];
    body.extend_from_slice(&imprint);
    body.extend_from_slice(&nonce_der);
    body.extend_from_slice(&[0x01, 0x01, 0xff]);
    let mut out = vec![0x30, body.len() as u8];
    out.extend_from_slice(&body);
    out
}

/// One DER element: (tag, its content, what follows it).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        (rest[..n].iter().fold(0usize, |a, b| (a << 8) | *b as usize), &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The element with `tag` that `input` starts with: (its content, what follows).
fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (t, content, rest) = tlv(input)?;
    (t == tag).then_some((content, rest))
}

/// The whole first element of `input` (tag and length included).
fn element(input: &[u8]) -> Option<&[u8]> {
    let (_, _, rest) = tlv(input)?;
    Some(&input[..input.len() - rest.len()])
}

/// The token in a TimeStampResp (RFC 3161 §2.4.2), if the TSA granted it.
pub fn token_from_response(resp: &[u8]) -> Result<Vec<u8>, String> {
    let (resp, _) = expect(resp, 0x30).ok_or("not a TimeStampResp")?;
    let (status, rest) = expect(resp, 0x30).ok_or("no PKIStatusInfo")?;
    let (code, _) = expect(status, 0x02).ok_or("no status")?;
    // granted (0) or grantedWithMods (1).
    if code.len() != 1 || code[0] > 1 {
        return Err(format!("the TSA refused (status {})", code.iter().map(|b| b.to_string()).collect::<String>()));
    }
    element(rest).map(<[u8]>::to_vec).ok_or_else(|| "no token in the answer".to_owned())
}

/// What a token says was stamped: the SHA-256 digest and the TSA's time
/// (GeneralizedTime, e.g. `20261201034500Z`).
pub fn stamped(token: &[u8]) -> Option<([u8; 32], String)> {
    // ContentInfo { signedData OID, [0] SignedData }
    let (ci, _) = expect(token, 0x30)?;
    let (_, ci) = expect(ci, 0x06)?;
    let (explicit, _) = expect(ci, 0xa0)?;
    let (sd, _) = expect(explicit, 0x30)?;
    // SignedData { version, digestAlgorithms, encapContentInfo, … }
    let (_, sd) = expect(sd, 0x02)?;
    let (_, sd) = expect(sd, 0x31)?;
    let (encap, _) = expect(sd, 0x30)?;
    let (_, encap) = expect(encap, 0x06)?;
    let (explicit, _) = expect(encap, 0xa0)?;
    let (tst, _) = expect(explicit, 0x04)?;
    // TSTInfo { version, policy, messageImprint, serialNumber, genTime, … }
    let (tst, _) = expect(tst, 0x30)?;
    let (_, tst) = expect(tst, 0x02)?;
    let (_, tst) = expect(tst, 0x06)?;
    let (imprint, tst) = expect(tst, 0x30)?;
    let (alg, imprint) = expect(imprint, 0x30)?;
    if !alg.starts_with(&SHA256_OID) {
        return None;
    }
    let (hashed, _) = expect(imprint, 0x04)?;
    let (_, tst) = expect(tst, 0x02)?;
    let (time, _) = expect(tst, 0x18)?;
    Some((hashed.try_into().ok()?, String::from_utf8(time.to_vec()).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3161_a_request_is_der_with_the_imprint_and_a_positive_nonce() {
        let d = digest_of("checkpoint");
        let r = request_der(&d, u64::MAX);
        assert_eq!(r[0], 0x30);
        assert_eq!(r[1] as usize, r.len() - 2, "one SEQUENCE, short length");
        let (body, rest) = expect(&r, 0x30).unwrap();
        assert!(rest.is_empty());
        let (v, body) = expect(body, 0x02).unwrap();
        assert_eq!(v, [1]);
        let (imprint, body) = expect(body, 0x30).unwrap();
        let (_, imprint) = expect(imprint, 0x30).unwrap();
        assert_eq!(expect(imprint, 0x04).unwrap().0, d);
        let (nonce, body) = expect(body, 0x02).unwrap();
        assert_eq!(nonce, [0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "positive: a zero before a top bit");
        let small = request_der(&d, 0x7f);
        assert!(small.windows(3).any(|w| w == [0x02, 0x01, 0x7f]), "shortest form");
        assert!(request_der(&d, 0).windows(3).any(|w| w == [0x02, 0x01, 0x00]), "zero is one byte");
        assert_eq!(expect(body, 0x01).unwrap().0, [0xff], "the certificate is asked for");
    }

    #[test]
    fn rfc3161_a_refused_or_malformed_answer_gives_no_token() {
        // status 2 (rejection), no token
        assert!(token_from_response(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02]).unwrap_err().contains("refused"));
        assert!(token_from_response(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00]).is_err(), "granted but empty");
        assert!(token_from_response(b"not der").is_err());
        assert_eq!(stamped(b"\x30\x00"), None);
    }
}
