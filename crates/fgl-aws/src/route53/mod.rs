//! Route53: hosted zones (looked up) and record sets, owned through TXT ownership records.
//!
//! One module per resource kind, dispatched by `crate::dispatch::kinds!`; the service's own
//! `discover` lists them all.

pub(crate) mod hosted_zone;
pub(crate) mod record_set;

use fgl_plan::{Live, ProviderError};

use crate::clients::Clients;
use crate::snapshot::Generation;

crate::dispatch::kinds!(route53: hosted_zone, record_set);

/// Every record set owned by `stack` (hosted zones are looked up, never owned).
/// The zones listed on the way go to the snapshot, for the zone lookups.
pub(crate) async fn discover(
    c: &Clients,
    stack: &str,
    g: Generation,
) -> Result<Vec<Live>, ProviderError> {
    let (records, zones) = record_set::discover(&c.route53, stack).await?;
    c.snapshot.record(g, |l| l.zones = Some(zones));
    Ok(records)
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
