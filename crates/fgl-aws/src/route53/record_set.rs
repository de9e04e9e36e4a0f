//! `AWS::Route53::RecordSet`: records cannot be tagged, so each record fgl owns has an
//! ownership TXT record `_fgl.<name>` = `"fgl:stack=<stack>,fgl:id=<id>,fgl:type=<type>"`
//! (it owns only the record of that type at that name), always changed in
//! the same ChangeResourceRecordSets batch as the record itself (a batch is atomic: there is
//! never a record without its owner, or the reverse). A node's record is the one with its
//! zone, name and type.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, ChangeStatus, HostedZone, ResourceRecord,
    ResourceRecordSet, RrType,
};
use aws_sdk_route53::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Map, Value};

use super::{bare_zone_id, normal_name};
use crate::error::{code_of, sdk};

pub(crate) const KIND: &str = "AWS::Route53::RecordSet";

/// The prefix of ownership records' names.
const OWNER_PREFIX: &str = "_fgl.";
/// The TTL of ownership records: nobody resolves them but fgl.
const OWNER_TTL: i64 = 300;
/// How long a change may take to reach Route53's name servers, polled.
const SYNC_POLLS: u32 = 60;
const SYNC_POLL_INTERVAL: Duration = Duration::from_secs(2);

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["HostedZoneId".into(), "Name".into(), "Type".into()],
        defaults: vec![("AliasTarget.EvaluateTargetHealth".into(), json!(false))],
        hook: Some(std::sync::Arc::new(normalize)),
        ..KindSpec::default()
    }
}

/// Route53 answers names lowercase, with a trailing dot and `*` as `\052`; alias targets may
/// carry a trailing dot; zone ids may carry `/hostedzone/`. Both sides are compared without.
fn normalize(p: &mut Map<String, Value>) {
    if let Some(Value::String(name)) = p.get_mut("Name") {
        *name = normal_name(name);
    }
    if let Some(Value::String(zone)) = p.get_mut("HostedZoneId") {
        *zone = bare_zone_id(zone).to_string();
    }
    if let Some(Value::String(dns)) = p.get_mut("AliasTarget").and_then(|a| a.get_mut("DNSName")) {
        *dns = normal_name(dns);
    }
}

/// The record with the node's zone, name and type, whoever owns it: Live.tags come from its
/// ownership record.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let key = Key::of(&label, node)?;
    let (record, owner) = pair(client, &label, &key).await?;
    // An ownership record of another type at this name does not own this record.
    let owner = owner.filter(|o| owned_type(o).as_deref() == Some(key.rr_type.as_str()));
    Ok(record.map(|r| live(&key.zone, &r, owner.as_ref())))
}

/// Every record of every zone whose ownership record names `stack`: one
/// ListResourceRecordSets per page of records. Also returns every zone, for the snapshot.
pub(crate) async fn discover(
    client: &Client,
    stack: &str,
) -> Result<(Vec<Live>, Vec<HostedZone>), ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let mut pages = client.list_hosted_zones().into_paginator().items().send();
    let mut zones = Vec::new();
    let mut out = Vec::new();
    while let Some(zone) = pages.next().await {
        let zone = zone.map_err(|e| sdk(&label, "ListHostedZones", e))?;
        let zone_id = bare_zone_id(zone.id()).to_string();
        let records = all_records(client, &label, &zone_id).await?;
        // The records ownership records can own, by name and type: an ownership record owns
        // only the record of the type it names, never another record at that name.
        let by_key: HashMap<(String, String), &ResourceRecordSet> = records
            .iter()
            .filter(|r| owned_name(r).is_none())
            .map(|r| ((normal_name(r.name()), r.r#type().as_str().to_string()), r))
            .collect();
        for owner in &records {
            let (Some(target), Some(rr_type)) = (owned_name(owner), owned_type(owner)) else {
                continue;
            };
            if owner_tags(owner).get(STACK_TAG).and_then(Value::as_str) != Some(stack) {
                continue;
            }
            if let Some(record) = by_key.get(&(target, rr_type)) {
                out.push(live(&zone_id, record, Some(owner)));
            }
        }
        zones.push(zone);
    }
    Ok((out, zones))
}

/// Creates the record and its ownership record in one batch; what an earlier attempt left
/// (ours) is overwritten instead. A record or ownership record of someone else is refused
/// here rather than left to Route53, so that nothing is ever overwritten.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let key = Key::of(&label, node)?;
    let (record, owner) = pair(client, &label, &key).await?;
    let ours = match &owner {
        Some(o) if is_node(o, node) => true,
        Some(_) => {
            return Err(ProviderError::hard(format!(
                "{label}: {} is owned by another stack or logical id",
                key.owner_name()
            )))
        }
        None => false,
    };
    if record.is_some() && !ours {
        return Err(ProviderError::hard(format!(
            "{label}: a {} record {} exists and is not this stack's",
            key.rr_type, key.name
        )));
    }
    let action = |exists: bool| {
        if exists {
            ChangeAction::Upsert
        } else {
            ChangeAction::Create
        }
    };
    write(
        client,
        &label,
        &key,
        node,
        [action(record.is_some()), action(ours)],
    )
    .await
}

/// Overwrites the record (and its ownership record) with the node's values.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    _live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    if let Some(f) = fields.iter().find(|f| spec().forces_replace(f)) {
        return Err(ProviderError::hard(format!(
            "{label}: `{f}` cannot be changed in place"
        )));
    }
    let key = Key::of(&label, node)?;
    write(
        client,
        &label,
        &key,
        node,
        [ChangeAction::Upsert, ChangeAction::Upsert],
    )
    .await
}

/// Deletes the record and its ownership record, as they are now (Route53 deletes only
/// exact matches); both gone already is success.
pub(crate) async fn delete(client: &Client, live_r: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live_r.id);
    let key = Key::parse(&label, &live_r.physical_id)?;
    let (record, owner) = pair(client, &label, &key).await?;
    // Only what the ownership record still gives to this stack and id, for this type.
    if let Some(owner) = &owner {
        let ours = owner_tags(owner).get(STACK_TAG) == live_r.tags.get(STACK_TAG)
            && owner_tags(owner).get(ID_TAG) == live_r.tags.get(ID_TAG)
            && owned_type(owner).as_deref() == Some(key.rr_type.as_str());
        if !ours {
            return Err(ProviderError::hard(format!(
                "{label}: {} no longer says the {} record is this stack's: not deleted",
                key.owner_name(),
                key.rr_type
            )));
        }
    } else if record.is_some() {
        return Err(ProviderError::hard(format!(
            "{label}: the {} record {} has no ownership record ({}): not deleted",
            key.rr_type,
            key.name,
            key.owner_name()
        )));
    }
    let changes: Vec<Change> = [record, owner]
        .into_iter()
        .flatten()
        .map(|set| change(&label, ChangeAction::Delete, set))
        .collect::<Result<_, _>>()?;
    if changes.is_empty() {
        return Ok(());
    }
    match submit(client, &label, &key.zone, changes).await {
        // Deleted by someone else between the read and the batch: gone is what was asked.
        Err(e) => match pair(client, &label, &key).await? {
            (None, None) => Ok(()),
            _ => Err(e),
        },
        Ok(()) => Ok(()),
    }
}

/// What identifies a record: zone, name (normalised) and type. Its physical id is
/// `<zone>|<name>|<type>`.
struct Key {
    zone: String,
    name: String,
    rr_type: String,
}

impl Key {
    fn of(label: &str, node: &Resolved) -> Result<Self, ProviderError> {
        let s = |k: &str| {
            node.properties
                .get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    ProviderError::hard(format!("{label}: {k} is missing or not a string"))
                })
        };
        Ok(Self {
            zone: bare_zone_id(s("HostedZoneId")?).to_string(),
            name: normal_name(s("Name")?),
            rr_type: s("Type")?.to_string(),
        })
    }

    fn parse(label: &str, physical_id: &str) -> Result<Self, ProviderError> {
        let mut parts = physical_id.splitn(3, '|');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(zone), Some(name), Some(rr_type)) => Ok(Self {
                zone: zone.to_string(),
                name: name.to_string(),
                rr_type: rr_type.to_string(),
            }),
            _ => Err(ProviderError::hard(format!(
                "{label}: `{physical_id}` is not a record id (zone|name|type)"
            ))),
        }
    }

    fn physical_id(&self) -> String {
        format!("{}|{}|{}", self.zone, self.name, self.rr_type)
    }

    fn owner_name(&self) -> String {
        format!("{OWNER_PREFIX}{}", self.name)
    }
}

/// The record and its ownership record, each if present: one ListResourceRecordSets each.
async fn pair(
    client: &Client,
    label: &str,
    key: &Key,
) -> Result<(Option<ResourceRecordSet>, Option<ResourceRecordSet>), ProviderError> {
    let record = one(client, label, &key.zone, &key.name, &key.rr_type).await?;
    let owner = one(client, label, &key.zone, &key.owner_name(), "TXT").await?;
    Ok((record, owner))
}

/// The record set named `name` of type `rr_type`, if any (records are listed from that
/// name and type on, so it is the first one when it exists).
async fn one(
    client: &Client,
    label: &str,
    zone: &str,
    name: &str,
    rr_type: &str,
) -> Result<Option<ResourceRecordSet>, ProviderError> {
    let out = match client
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .start_record_name(name)
        .start_record_type(RrType::from(rr_type))
        .max_items(1)
        .send()
        .await
    {
        Ok(out) => out,
        // The zone is gone, and its records with it.
        Err(e) if code_of(&e) == Some("NoSuchHostedZone") => return Ok(None),
        Err(e) => return Err(sdk(label, "ListResourceRecordSets", e)),
    };
    Ok(out
        .resource_record_sets()
        .iter()
        .find(|r| normal_name(r.name()) == name && r.r#type().as_str() == rr_type)
        .cloned())
}

/// Every record set of a zone, across pages.
async fn all_records(
    client: &Client,
    label: &str,
    zone: &str,
) -> Result<Vec<ResourceRecordSet>, ProviderError> {
    let mut out = Vec::new();
    let mut next: Option<(String, RrType, Option<String>)> = None;
    loop {
        let mut call = client.list_resource_record_sets().hosted_zone_id(zone);
        if let Some((name, rr_type, identifier)) = next.take() {
            call = call
                .start_record_name(name)
                .start_record_type(rr_type)
                .set_start_record_identifier(identifier);
        }
        let page = call
            .send()
            .await
            .map_err(|e| sdk(label, "ListResourceRecordSets", e))?;
        out.extend(page.resource_record_sets().iter().cloned());
        match (
            page.is_truncated(),
            page.next_record_name(),
            page.next_record_type(),
        ) {
            (true, Some(name), Some(rr_type)) => {
                next = Some((
                    name.to_string(),
                    rr_type.clone(),
                    page.next_record_identifier().map(str::to_string),
                ));
            }
            _ => return Ok(out),
        }
    }
}

/// Writes the node's record and its ownership record in one batch, with `actions` for each.
async fn write(
    client: &Client,
    label: &str,
    key: &Key,
    node: &Resolved,
    actions: [ChangeAction; 2],
) -> Result<Live, ProviderError> {
    let record = desired(label, node)?;
    let owner = owner_record(label, key, &node.stack, &node.id)?;
    let [record_action, owner_action] = actions;
    let changes = vec![
        change(label, record_action, record.clone())?,
        change(label, owner_action, owner.clone())?,
    ];
    submit(client, label, &key.zone, changes).await?;
    Ok(live(&key.zone, &record, Some(&owner)))
}

/// Submits a batch and waits (bounded) until Route53 has it on its name servers: ACM and
/// browsers must see the record once fgl says it exists.
async fn submit(
    client: &Client,
    label: &str,
    zone: &str,
    changes: Vec<Change>,
) -> Result<(), ProviderError> {
    let batch = ChangeBatch::builder()
        .set_changes(Some(changes))
        .build()
        .map_err(|e| ProviderError::hard(format!("{label}: {e}")))?;
    let out = client
        .change_resource_record_sets()
        .hosted_zone_id(zone)
        .change_batch(batch)
        .send()
        .await
        .map_err(|e| sdk(label, "ChangeResourceRecordSets", e))?;
    let Some(mut info) = out.change_info().cloned() else {
        return Ok(());
    };
    for _ in 0..SYNC_POLLS {
        if info.status() == &ChangeStatus::Insync {
            return Ok(());
        }
        tokio::time::sleep(SYNC_POLL_INTERVAL).await;
        let got = client
            .get_change()
            .id(info.id())
            .send()
            .await
            .map_err(|e| sdk(label, "GetChange", e))?;
        match got.change_info() {
            Some(i) => info = i.clone(),
            None => return Ok(()),
        }
    }
    Err(ProviderError::retryable(format!(
        "{label}: change {} not in sync on Route53's name servers yet",
        info.id()
    )))
}

fn change(
    label: &str,
    action: ChangeAction,
    set: ResourceRecordSet,
) -> Result<Change, ProviderError> {
    Change::builder()
        .action(action)
        .resource_record_set(set)
        .build()
        .map_err(|e| ProviderError::hard(format!("{label}: {e}")))
}

/// The node's record set for Route53: a plain record (TTL and values) or an alias.
fn desired(label: &str, node: &Resolved) -> Result<ResourceRecordSet, ProviderError> {
    let p = &node.properties;
    let bad = |e: aws_sdk_route53::error::BuildError| ProviderError::hard(format!("{label}: {e}"));
    let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default();
    let values = p
        .get("ResourceRecords")
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(|value| ResourceRecord::builder().value(value).build().map_err(bad))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let alias = match p.get("AliasTarget") {
        Some(a) => {
            let f = |k: &str| a.get(k).and_then(Value::as_str).unwrap_or_default();
            Some(
                AliasTarget::builder()
                    .hosted_zone_id(f("HostedZoneId"))
                    .dns_name(f("DNSName"))
                    .evaluate_target_health(
                        a.get("EvaluateTargetHealth")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    )
                    .build()
                    .map_err(bad)?,
            )
        }
        None => None,
    };
    ResourceRecordSet::builder()
        .name(s("Name"))
        .r#type(RrType::from(s("Type")))
        .set_ttl(p.get("TTL").and_then(Value::as_i64))
        .set_resource_records(values)
        .set_alias_target(alias)
        .build()
        .map_err(bad)
}

/// The ownership record of `key` for `stack`/`id`.
fn owner_record(
    label: &str,
    key: &Key,
    stack: &str,
    id: &str,
) -> Result<ResourceRecordSet, ProviderError> {
    let bad = |e: aws_sdk_route53::error::BuildError| ProviderError::hard(format!("{label}: {e}"));
    // The type too: a name can hold several records (an apex's A, MX, TXT), and only the
    // one of this type is fgl's.
    let value = format!(
        "\"{STACK_TAG}={stack},{ID_TAG}={id},{TYPE_KEY}={}\"",
        key.rr_type
    );
    ResourceRecordSet::builder()
        .name(key.owner_name())
        .r#type(RrType::Txt)
        .ttl(OWNER_TTL)
        .resource_records(
            ResourceRecord::builder()
                .value(value)
                .build()
                .map_err(bad)?,
        )
        .build()
        .map_err(bad)
}

/// The name an ownership record owns, if `set` is one.
fn owned_name(set: &ResourceRecordSet) -> Option<String> {
    if set.r#type() != &RrType::Txt {
        return None;
    }
    normal_name(set.name())
        .strip_prefix(OWNER_PREFIX)
        .map(str::to_string)
}

/// The key of the owned record's type in an ownership record's value.
const TYPE_KEY: &str = "fgl:type";

/// The `key=value` pairs of an ownership record's value.
fn owner_fields(owner: &ResourceRecordSet) -> Vec<(String, String)> {
    let Some(value) = owner.resource_records().first().map(|r| r.value()) else {
        return Vec::new();
    };
    value
        .trim_matches('"')
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The tags an ownership record stands for: `fgl:stack` and `fgl:id` from its value.
fn owner_tags(owner: &ResourceRecordSet) -> Map<String, Value> {
    owner_fields(owner)
        .into_iter()
        .filter(|(k, _)| k == STACK_TAG || k == ID_TAG)
        .map(|(k, v)| (k, json!(v)))
        .collect()
}

/// The type of the record an ownership record owns (none: it owns nothing).
fn owned_type(owner: &ResourceRecordSet) -> Option<String> {
    owner_fields(owner)
        .into_iter()
        .find(|(k, _)| k == TYPE_KEY)
        .map(|(_, v)| v)
}

fn is_node(owner: &ResourceRecordSet, node: &Resolved) -> bool {
    let tags = owner_tags(owner);
    let rr_type = node.properties.get("Type").and_then(Value::as_str);
    crate::tags::is_node(&tags, node) && owned_type(owner).as_deref() == rr_type
}

/// A record as the engine sees it, owned as its ownership record says.
fn live(zone: &str, set: &ResourceRecordSet, owner: Option<&ResourceRecordSet>) -> Live {
    let name = normal_name(set.name());
    let rr_type = set.r#type().as_str().to_string();
    let mut p = Map::new();
    p.insert("HostedZoneId".into(), json!(zone));
    p.insert("Name".into(), json!(name));
    p.insert("Type".into(), json!(rr_type));
    if let Some(ttl) = set.ttl() {
        p.insert("TTL".into(), json!(ttl));
    }
    let values: Vec<&str> = set.resource_records().iter().map(|r| r.value()).collect();
    if !values.is_empty() {
        p.insert("ResourceRecords".into(), json!(values));
    }
    if let Some(a) = set.alias_target() {
        p.insert(
            "AliasTarget".into(),
            json!({
                "DNSName": normal_name(a.dns_name()),
                "HostedZoneId": a.hosted_zone_id(),
                "EvaluateTargetHealth": a.evaluate_target_health(),
            }),
        );
    }
    let tags = owner.map(owner_tags).unwrap_or_default();
    let key = Key {
        zone: zone.to_string(),
        name,
        rr_type,
    };
    let mut attrs = Map::new();
    attrs.insert("Name".into(), json!(key.name));
    Live {
        id: tags
            .get(ID_TAG)
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| key.physical_id()),
        kind: KIND.to_string(),
        physical_id: key.physical_id(),
        properties: p,
        tags,
        attrs,
        depends_on: Vec::new(),
    }
}
