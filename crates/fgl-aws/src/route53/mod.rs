//! Route53: hosted zones (looked up) and record sets, owned through TXT ownership records.
//!
//! The service's dispatch: one module per resource kind, each with `KIND`, `spec`, `discover`,
//! `read`, `create`, `update` and `delete`.

pub(crate) mod hosted_zone;
pub(crate) mod record_set;

use fgl_plan::{KindSpec, Live, ProviderError, Resolved};

use crate::clients::Clients;
use crate::error::unsupported;

pub(crate) fn spec(kind: &str) -> Option<KindSpec> {
    Some(match kind {
        hosted_zone::KIND => hosted_zone::spec(),
        record_set::KIND => record_set::spec(),
        _ => return None,
    })
}

/// Every record set owned by `stack` (hosted zones are looked up, never owned).
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    record_set::discover(&c.route53, stack).await
}

pub(crate) async fn read(c: &Clients, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    match node.kind.as_str() {
        hosted_zone::KIND => hosted_zone::read(&c.route53, node).await,
        record_set::KIND => record_set::read(&c.route53, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn create(c: &Clients, node: &Resolved) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        hosted_zone::KIND => Err(hosted_zone::not_found(node)),
        record_set::KIND => record_set::create(&c.route53, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn update(
    c: &Clients,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        hosted_zone::KIND => Err(hosted_zone::never_changed(&node.id)),
        record_set::KIND => record_set::update(&c.route53, node, live, fields).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn delete(c: &Clients, live: &Live) -> Result<(), ProviderError> {
    match live.kind.as_str() {
        hosted_zone::KIND => Err(hosted_zone::never_changed(&live.id)),
        record_set::KIND => record_set::delete(&c.route53, live).await,
        other => Err(unsupported(other)),
    }
}

/// A DNS name as fgl compares it: lowercase, without the trailing dot, with `*` where Route53
/// answers `\052`.
pub(crate) fn normal_name(name: &str) -> String {
    let name = name.replace("\\052", "*").to_lowercase();
    name.strip_suffix('.').unwrap_or(&name).to_string()
}

/// A zone id without Route53's `/hostedzone/` prefix.
pub(crate) fn bare_zone_id(id: &str) -> &str {
    id.strip_prefix("/hostedzone/").unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_route53_answers_them() {
        assert_eq!(normal_name("\\052.Shop.Example.com."), "*.shop.example.com");
        assert_eq!(normal_name("shop.example.com"), "shop.example.com");
        assert_eq!(bare_zone_id("/hostedzone/Z123"), "Z123");
        assert_eq!(bare_zone_id("Z123"), "Z123");
    }
}
