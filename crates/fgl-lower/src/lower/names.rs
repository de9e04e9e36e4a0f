//! Deterministic AWS names from the stack and logical ids. A name that would break an AWS
//! limit (length, allowed characters) is shortened or cleaned, and then ends with a short
//! stable hash of the full name, so two different ids never share a name and the same id
//! always gets the same one, on every machine and every run.

/// The hex digits of the hash suffix.
pub const HASH_LEN: usize = 6;

/// 64-bit FNV-1a: tiny, stable across platforms and Rust versions (unlike `DefaultHasher`),
/// and plenty for telling names apart within one account.
fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The first [`HASH_LEN`] hex digits of the hash of `text`.
pub fn short_hash(text: &str) -> String {
    format!("{:016x}", fnv1a(text))[..HASH_LEN].to_string()
}

/// The rules of one kind of AWS name.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: usize,
    /// Characters allowed besides ASCII letters and digits.
    pub extra: &'static str,
}

impl Limit {
    pub fn allows(self, c: char) -> bool {
        c.is_ascii_alphanumeric() || self.extra.contains(c)
    }

    /// Whether `name` respects this limit (the tests check every derived name with it).
    pub fn accepts(self, name: &str) -> bool {
        !name.is_empty() && name.len() <= self.max && name.chars().all(|c| self.allows(c))
    }
}

/// Load balancers and target groups: 32 letters, digits and hyphens.
pub const ELB: Limit = Limit {
    max: 32,
    extra: "-",
};
/// IAM roles: 64 of letters, digits and `+=,.@_-`.
pub const IAM_ROLE: Limit = Limit {
    max: 64,
    extra: "+=,.@_-",
};
/// ECS clusters, services, task families and container names: 255 of letters, digits, `_-`.
pub const ECS: Limit = Limit {
    max: 255,
    extra: "_-",
};
/// CloudWatch log groups: 512 of letters, digits and `._-/#`.
pub const LOG_GROUP: Limit = Limit {
    max: 512,
    extra: "._-/#",
};
/// EC2 security groups: 255 characters (fgl keeps to letters, digits and `._-`).
pub const SECURITY_GROUP: Limit = Limit {
    max: 255,
    extra: "._-",
};

/// A name for `full` within `limit`: `.` becomes `-` where `.` is not allowed (ids are dotted
/// paths and never contain `-`, so this stays one-to-one); any other character not allowed
/// becomes `-` and marks the name as changed. A changed or too long name is cut and ends with
/// `-<hash of full>`. Leading and trailing `-` are avoided (ELB refuses them).
pub fn derive(full: &str, limit: Limit) -> String {
    let mut lossy = false;
    let mut name: String = full
        .chars()
        .map(|c| {
            if limit.allows(c) {
                c
            } else {
                if c != '.' {
                    lossy = true;
                }
                '-'
            }
        })
        .collect();
    if name.starts_with('-') || name.ends_with('-') {
        lossy = true;
    }
    if lossy || name.len() > limit.max {
        let keep = limit.max - HASH_LEN - 1;
        name.truncate(keep.min(name.len()));
        let trimmed = name.trim_matches('-').to_string();
        name = if trimmed.is_empty() {
            format!("fgl-{}", short_hash(full))
        } else {
            format!("{trimmed}-{}", short_hash(full))
        };
    }
    name
}

/// `shop-web`, `shop-services-api`: the stack and a logical id.
pub fn base(stack: &str, id: &str) -> String {
    format!("{stack}-{id}")
}

/// An application load balancer's name (≤ 32; AWS also refuses names starting `internal-`).
pub fn load_balancer(stack: &str, id: &str) -> String {
    let full = base(stack, id);
    if full.starts_with("internal-") {
        return derive(&format!("fgl-{full}"), ELB);
    }
    derive(&full, ELB)
}

/// A target group's name (≤ 32): the load balancer and the container it forwards to.
pub fn target_group(stack: &str, lb: &str, container: &str) -> String {
    derive(&format!("{stack}-{lb}-{container}"), ELB)
}

/// An IAM role's name (≤ 64), e.g. `shop-web-execution`.
pub fn role(stack: &str, id: &str, purpose: &str) -> String {
    derive(&format!("{stack}-{id}-{purpose}"), IAM_ROLE)
}

/// The ECS cluster of the stack.
pub fn cluster(stack: &str) -> String {
    derive(stack, ECS)
}

/// An ECS service, task family or container name.
pub fn ecs(stack: &str, id: &str) -> String {
    derive(&base(stack, id), ECS)
}

/// A container's log group: `/fgl/<stack>/<id>`.
pub fn log_group(stack: &str, id: &str) -> String {
    derive(&format!("/fgl/{stack}/{id}"), LOG_GROUP)
}

/// A security group's name; AWS refuses names starting `sg-`.
pub fn security_group(stack: &str, id: &str) -> String {
    let full = base(stack, id);
    if full.starts_with("sg-") {
        return derive(&format!("fgl-{full}"), SECURITY_GROUP);
    }
    derive(&full, SECURITY_GROUP)
}

/// Tag values: at most 256 characters (any). Also used inside Route53's TXT ownership records,
/// whose strings hold at most 255.
pub const TAG_VALUE: usize = 200;

/// A tag value (the `fgl:id` of a node, an EC2 `Name`): kept as is up to [`TAG_VALUE`]
/// characters, else cut and ended with the hash of the whole.
pub fn tag_value(value: &str) -> String {
    if value.chars().count() <= TAG_VALUE {
        return value.to_string();
    }
    let cut: String = value.chars().take(TAG_VALUE - HASH_LEN - 1).collect();
    format!("{cut}-{}", short_hash(value))
}

/// A secret's SSM parameter: `/<stack>/<name>` (the name is checked by rule E0406).
pub fn ssm_parameter(stack: &str, name: &str) -> String {
    format!("/{stack}/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_stay_readable() {
        assert_eq!(load_balancer("shop", "lb"), "shop-lb");
        assert_eq!(target_group("shop", "lb", "web"), "shop-lb-web");
        assert_eq!(ecs("shop", "services.api"), "shop-services-api");
        assert_eq!(
            role("shop", "services.api", "execution"),
            "shop-services.api-execution"
        );
        assert_eq!(log_group("shop", "web"), "/fgl/shop/web");
    }

    #[test]
    fn long_or_changed_names_get_a_stable_hash() {
        let long = target_group("shop-production-eu", "public_lb", "checkout");
        assert!(ELB.accepts(&long) && long.len() <= 32, "{long}");
        assert_eq!(
            long,
            target_group("shop-production-eu", "public_lb", "checkout")
        );
        assert_ne!(
            target_group("shop", "lb", "web_a"),
            target_group("shop", "lb", "web.a"),
            "`_` and `.` both become `-`: the hash keeps them apart"
        );
        assert!(load_balancer("internal", "lb").starts_with("fgl-internal-"));
        assert!(!security_group("sg", "web").starts_with("sg-"));
        assert_eq!(short_hash("x"), short_hash("x"));
        assert_eq!(short_hash("shop-lb").len(), HASH_LEN);
    }
}
