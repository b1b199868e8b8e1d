//! Links that carry where to go next (`?next=/me/new`): sign-in and
//! registration return the reader to the page that asked them to sign in.

/// `next` when it is a path on this site, never another site: it must start
/// with one `/` (not `//`, which a browser reads as another host) and hold
/// only printable ASCII without a backslash (a browser sends the rest
/// percent-encoded; it also goes into a `Location` header as it is).
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 500
        && next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    ok.then_some(next)
}

/// Percent-encodes everything but ASCII letters and digits (for query values).
pub fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(local_path("/me/new"), Some("/me/new"));
        assert_eq!(local_path("/cases/LC-1?x=1"), Some("/cases/LC-1?x=1"));
        for bad in
            ["//evil.example/", "https://evil.example/", "/\\evil.example", "me/new", "", "/a\nb", "/a b", "/投诉"]
        {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(urlencode("/me/new?a=1&b"), "%2Fme%2Fnew%3Fa%3D1%26b");
    }
}
