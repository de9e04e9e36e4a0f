//! SSM parameter names (E0406) and KMS keys (E0407) of secrets.

use fgl_syntax::{codes, Diagnostic};

use crate::model::{Model, Secret};

/// SSM's deepest hierarchy; the stack is the first level.
pub const MAX_LEVELS: usize = 15;
/// SSM allows 1011 characters including the ARN's prefix
/// (`arn:aws:ssm:<region>:<account>:parameter`, up to 61 of them).
pub const MAX_NAME: usize = 950;

/// Why `/<stack>/<name>` is not an SSM parameter name, if it is not.
pub fn invalid_name(stack: Option<&str>, name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.starts_with('/') {
        return Some("it starts with `/` (fgl adds the prefix `/<stack>/` itself)".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')))
    {
        return Some(format!(
            "`{}` is not allowed (SSM accepts letters, digits, `_`, `.`, `-` and `/` between levels)",
            c.escape_debug()
        ));
    }
    if name.split('/').any(str::is_empty) {
        return Some("it has an empty level (a trailing or doubled `/`)".into());
    }
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("aws") || lower.starts_with("ssm") {
        return Some(format!(
            "it starts with `{}`: SSM reserves names starting with `aws` or `ssm` (in any case)",
            &name[..3]
        ));
    }
    if let Some(stack) = stack {
        let lower = stack.to_ascii_lowercase();
        if lower.starts_with("aws") || lower.starts_with("ssm") {
            return Some(format!(
                "its parameter `/{stack}/{name}` starts with `{}`: SSM reserves names starting with `aws` or `ssm`; rename the stack",
                &stack[..3]
            ));
        }
    }
    let levels = name.split('/').count() + 1;
    if levels > MAX_LEVELS {
        return Some(format!(
            "`/<stack>/{name}` has {levels} levels: SSM allows at most {MAX_LEVELS} (the stack is the first)"
        ));
    }
    let full = name.len() + stack.map_or(28, str::len) + 2;
    if full > MAX_NAME {
        return Some(format!(
            "the parameter name would have {full} characters: SSM allows at most {MAX_NAME} here (1011 with the ARN's prefix)"
        ));
    }
    None
}

/// Whether `key` is a KMS key id (`1234abcd-…`, `mrk-…`) or key ARN.
pub fn valid_kms_key(key: &str) -> bool {
    let id = match key.strip_prefix("arn:") {
        Some(rest) => {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            match parts.as_slice() {
                [partition, "kms", region, account, resource]
                    if partition.starts_with("aws")
                        && !region.is_empty()
                        && account.len() == 12
                        && account.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    match resource.strip_prefix("key/") {
                        Some(id) => id,
                        None => return false,
                    }
                }
                _ => return false,
            }
        }
        None => key,
    };
    is_uuid(id)
        || id
            .strip_prefix("mrk-")
            .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn check(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for secret in &model.secrets {
        check_secret(model, secret, out);
    }
}

fn check_secret(model: &Model<'_>, secret: &Secret<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(why) = invalid_name(model.stack, secret.name) {
        out.push(
            Diagnostic::error(
                codes::INVALID_SSM_NAME,
                secret.res.span_of("name"),
                format!("`{}` cannot name an SSM parameter: {why}", secret.name),
            )
            .with_primary_message("not a valid SSM parameter name")
            .with_help("e.g. `app/password`: letters, digits, `_ . -`, levels separated by `/`"),
        );
    }
    if let Some(key) = secret.kms_key {
        if !valid_kms_key(key) {
            out.push(
                Diagnostic::error(
                    codes::INVALID_KMS_KEY,
                    secret.res.span_of("kms_key"),
                    format!(
                        "`{key}` is not a KMS key id or key ARN: the execution role's `kms:Decrypt` must name the key itself"
                    ),
                )
                .with_primary_message("not a key id or key ARN")
                .with_help("use the key's id (`1234abcd-12ab-34cd-56ef-1234567890ab`) or its ARN (`arn:aws:kms:<region>:<account>:key/<id>`), not an alias"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(invalid_name(Some("shop"), "app/password"), None);
        assert_eq!(invalid_name(None, "a.b-c_d/E"), None);
        assert!(invalid_name(Some("shop"), "/app").is_some());
        assert!(invalid_name(Some("shop"), "app//x").is_some());
        assert!(invalid_name(Some("shop"), "app/").is_some());
        assert!(invalid_name(Some("shop"), "db password").is_some());
        assert!(invalid_name(Some("shop"), "AWS-x").is_some());
        assert!(invalid_name(Some("shop"), "ssm").is_some());
        assert!(invalid_name(Some("awsome"), "x").is_some());
        let deep = vec!["a"; 14].join("/");
        assert_eq!(invalid_name(Some("shop"), &deep), None);
        let deeper = vec!["a"; 15].join("/");
        assert!(invalid_name(Some("shop"), &deeper).is_some());
        assert!(invalid_name(Some("shop"), &"a".repeat(1000)).is_some());
    }

    #[test]
    fn kms_keys() {
        assert!(valid_kms_key("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assert!(valid_kms_key(
            "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ));
        assert!(valid_kms_key("mrk-1234abcd12ab34cd56ef1234567890ab"));
        assert!(!valid_kms_key("alias/app"));
        assert!(!valid_kms_key(
            "arn:aws:kms:eu-west-1:111122223333:alias/app"
        ));
        assert!(!valid_kms_key("*"));
    }
}
