//! Domain names as ACM and Route53 see them: validity, certificate coverage, zone membership.
//! Names compare without regard to case and to a final dot.

/// Lower case, without a final dot: the form names are compared (and sent to AWS) in.
pub fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Why `name` is not a DNS name ACM and Route53 accept, if it is not. `wildcard` allows `*` as
/// the whole first label.
pub fn invalid(name: &str, wildcard: bool) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.len() > 253 {
        return Some(format!(
            "it has {} characters (at most 253)",
            name.chars().count()
        ));
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Some("it needs at least two labels (`example.com`)".into());
    }
    for (i, label) in labels.iter().enumerate() {
        if *label == "*" {
            if i == 0 && wildcard {
                continue;
            }
            return Some(if wildcard {
                "`*` may only be the whole first label".into()
            } else {
                "a wildcard is not allowed here".into()
            });
        }
        if label.is_empty() {
            return Some("it has an empty label (two dots in a row, or a leading dot)".into());
        }
        if label.len() > 63 {
            return Some(format!("the label `{label}` is longer than 63 characters"));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Some(format!(
                "`{}` is not allowed (letters, digits and `-` only)",
                c.escape_debug()
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("the label `{label}` starts or ends with `-`"));
        }
    }
    None
}

/// Whether a certificate name (possibly `*.x`) covers `host`: equal, or a wildcard matching
/// exactly one label. A wildcard host is covered only by the same wildcard.
pub fn covers(cert_name: &str, host: &str) -> bool {
    let (cert_name, host) = (normalize(cert_name), normalize(host));
    if cert_name == host {
        return true;
    }
    match (cert_name.strip_prefix("*."), host.split_once('.')) {
        (Some(parent), Some((first, rest))) => first != "*" && !first.is_empty() && rest == parent,
        _ => false,
    }
}

/// Whether `name` (possibly `*.x`) lies in the hosted zone `zone`.
pub fn in_zone(name: &str, zone: &str) -> bool {
    let (name, zone) = (normalize(name), normalize(zone));
    let name = name.strip_prefix("*.").unwrap_or(&name);
    name == zone || name.ends_with(&format!(".{zone}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_one_level() {
        assert!(covers("shop.example.com", "SHOP.example.com."));
        assert!(covers("*.example.com", "shop.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("*.example.com", "a.shop.example.com"));
        assert!(covers("*.example.com", "*.example.com"));
        assert!(!covers("shop.example.com", "*.example.com"));
    }

    #[test]
    fn zones_contain_their_subdomains() {
        assert!(in_zone("example.com", "example.com"));
        assert!(in_zone("*.shop.example.com", "example.com."));
        assert!(!in_zone("badexample.com", "example.com"));
        assert!(!in_zone("example.org", "example.com"));
    }

    #[test]
    fn validity() {
        assert_eq!(invalid("shop.example.com", false), None);
        assert_eq!(invalid("*.example.com", true), None);
        assert!(invalid("*.example.com", false).is_some());
        assert!(invalid("a.*.example.com", true).is_some());
        assert!(invalid("shop_app.example.com", false).is_some());
        assert!(invalid("localhost", false).is_some());
        assert!(invalid("-a.example.com", false).is_some());
        assert!(invalid(&format!("{}.com", "a".repeat(64)), false).is_some());
    }
}
