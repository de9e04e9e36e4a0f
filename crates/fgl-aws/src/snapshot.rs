//! What the last `discover` listed, kept briefly so that `read` can answer the untaggable
//! children (routes, associations, attachments, ingress rules), the certificate's validation
//! and the hosted zone lookup without asking AWS again: a no-op plan reads each listing once.
//!
//! Correctness first: every create, update and delete of the provider clears it (before and
//! after the call), a discover started before a change never stores what it listed, only the
//! stack it was listed for is answered, and it expires after [`TTL`]. A miss falls back to
//! the real call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_acm::types::CertificateDetail;
use aws_sdk_ec2::types::{InternetGateway, RouteTable, SecurityGroup};
use aws_sdk_route53::types::HostedZone;
use fgl_plan::{Live, ProviderError, Resolved};
use serde_json::Value;

use crate::acm::validation;
use crate::ec2::{
    route, security_group_ingress as ingress, subnet_route_table_association as association,
    vpc_gateway_attachment as attachment,
};
use crate::route53::hosted_zone;

/// How long a listing may answer reads: a plan reads right after it discovers.
const TTL: Duration = Duration::from_secs(60);

/// What one discover of one stack listed, by physical id.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub route_tables: HashMap<String, RouteTable>,
    pub internet_gateways: HashMap<String, InternetGateway>,
    pub security_groups: HashMap<String, SecurityGroup>,
    pub certificates: HashMap<String, CertificateDetail>,
    /// Every hosted zone of the account (`None` until the whole listing is in).
    pub zones: Option<Vec<HostedZone>>,
}

#[derive(Debug, Default)]
struct State {
    /// Bumped by every change and every discover: a discover overtaken stores nothing.
    generation: u64,
    stack: String,
    taken: Option<Instant>,
    listing: Listing,
}

/// The provider's snapshot; cheap to clone (one shared state).
#[derive(Clone, Debug, Default)]
pub(crate) struct Snapshot {
    state: Arc<Mutex<State>>,
}

/// The generation a discover began under: what it records is kept only if no change came
/// in between.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Generation(u64);

impl Snapshot {
    /// Starts a new listing of `stack`, dropping the previous one.
    pub(crate) fn begin(&self, stack: &str) -> Generation {
        let mut s = self.lock();
        s.generation += 1;
        s.stack = stack.to_string();
        s.taken = Some(Instant::now());
        s.listing = Listing::default();
        Generation(s.generation)
    }

    /// Adds what a discover call of generation `g` listed (dropped if a change came since).
    pub(crate) fn record(&self, g: Generation, add: impl FnOnce(&mut Listing)) {
        let mut s = self.lock();
        if s.generation == g.0 {
            add(&mut s.listing);
        }
    }

    /// Forgets everything: called around every create, update and delete.
    pub(crate) fn invalidate(&self) {
        let mut s = self.lock();
        s.generation += 1;
        s.taken = None;
        s.listing = Listing::default();
    }

    /// `answer` on the listing of `stack`, if there is a fresh one; `None` means ask AWS.
    pub(crate) fn answer<T>(
        &self,
        stack: &str,
        answer: impl FnOnce(&Listing) -> Option<T>,
    ) -> Option<T> {
        let s = self.lock();
        let fresh = s.taken.is_some_and(|t| t.elapsed() < TTL);
        if !fresh || s.stack != stack {
            return None;
        }
        answer(&s.listing)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind: still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The snapshot's answer to a read of `node`, when it has one: the untaggable EC2 children
/// from their parent's listing, a validation from its certificate's, a zone lookup from the
/// zones'. `None`: ask AWS.
pub(crate) fn read(
    snapshot: &Snapshot,
    node: &Resolved,
) -> Option<Result<Option<Live>, ProviderError>> {
    let prop = |key: &str| node.properties.get(key).and_then(Value::as_str);
    snapshot.answer(&node.stack, |l| match node.kind.as_str() {
        route::KIND => Some(route::in_table(
            node,
            l.route_tables.get(prop("RouteTableId")?)?,
        )),
        association::KIND => Some(association::in_table(
            node,
            l.route_tables.get(prop("RouteTableId")?)?,
        )),
        attachment::KIND => Some(attachment::in_gateway(
            node,
            l.internet_gateways.get(prop("InternetGatewayId")?)?,
        )),
        ingress::KIND => Some(ingress::in_group(
            node,
            l.security_groups.get(prop("GroupId")?)?,
        )),
        validation::KIND => {
            let arn = prop("CertificateArn")?;
            let detail = l.certificates.get(arn)?;
            Some(Ok(validation::of_certificate(node, arn, Some(detail))))
        }
        hosted_zone::KIND => Some(Ok(hosted_zone::among(node, l.zones.as_deref()?))),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_table(id: &str) -> impl FnOnce(&mut Listing) + '_ {
        move |l| {
            l.route_tables
                .insert(id.into(), RouteTable::builder().route_table_id(id).build());
        }
    }

    fn has_table(s: &Snapshot, stack: &str, id: &str) -> bool {
        s.answer(stack, |l| l.route_tables.get(id).map(|_| ()))
            .is_some()
    }

    #[test]
    fn answers_only_its_stack_until_a_change() {
        let s = Snapshot::default();
        let g = s.begin("shop");
        s.record(g, with_table("rtb-1"));
        assert!(has_table(&s, "shop", "rtb-1"));
        assert!(!has_table(&s, "other", "rtb-1"));
        s.invalidate();
        assert!(!has_table(&s, "shop", "rtb-1"));
    }

    #[test]
    fn a_discover_overtaken_by_a_change_stores_nothing() {
        let s = Snapshot::default();
        let g = s.begin("shop");
        s.invalidate();
        s.record(g, with_table("rtb-1"));
        assert!(!has_table(&s, "shop", "rtb-1"));
    }
}
