//! What the engine relies on, checked against the emulator: an empty second plan after a
//! create or an update, resources owned through their tags, deletes that can be retried, and
//! what discovery lists.

use fgl_aws::AwsProvider;
use fgl_plan::diff::FieldDiff;
use fgl_plan::{Live, Provider, Resolved, STACK_TAG};
use serde_json::json;

/// The diff the engine would plan between `node` and `live`.
fn planned(provider: &AwsProvider, node: &Resolved, live: &Live) -> Vec<FieldDiff> {
    let spec = provider.spec(&node.kind);
    let (desired, tags) = (&node.properties, &node.tags);
    fgl_plan::diff::diff(&spec, desired, &live.properties, tags, &live.tags)
}

/// The fields the engine would pass to `update`.
pub fn diff_fields(provider: &AwsProvider, node: &Resolved, live: &Live) -> Vec<String> {
    let diff = planned(provider, node, live);
    diff.into_iter().map(|f| f.path).collect()
}

/// The engine's "second plan is empty" check: no difference between `node` and `live`.
pub fn assert_no_diff(provider: &AwsProvider, node: &Resolved, live: &Live) {
    let diff = planned(provider, node, live);
    assert!(diff.is_empty(), "{}: {diff:?}\nlive: {live:#?}", node.id);
}

/// Creates `node` and checks the result is the node's (its id, owned by its stack) with an
/// empty second plan; returns it with what `read` finds right after.
pub async fn create_and_read(provider: &AwsProvider, node: &Resolved) -> (Live, Live) {
    let live = provider.create(node).await.unwrap();
    assert_eq!(live.id, node.id);
    assert!(live.owned_by(&node.stack), "{live:?}");
    assert_no_diff(provider, node, &live);
    let read = provider
        .read(node)
        .await
        .unwrap()
        .expect("read after create");
    (live, read)
}

/// `create_and_read`, and `read` finds exactly what `create` returned.
pub async fn create_checked(provider: &AwsProvider, node: &Resolved) -> Live {
    let (live, read) = create_and_read(provider, node).await;
    assert_eq!(read, live);
    live
}

/// Updates `live` to `node` for `fields` and checks the second plan is empty.
pub async fn update_checked(
    provider: &AwsProvider,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Live {
    let updated = provider.update(node, live, fields).await.unwrap();
    assert_no_diff(provider, node, &updated);
    updated
}

/// `node` changed by `change`, updated from `live` for `fields` by `update_checked`.
pub async fn update_changed(
    provider: &AwsProvider,
    node: &Resolved,
    live: &Live,
    fields: &[&str],
    change: impl FnOnce(&mut Resolved),
) -> (Resolved, Live) {
    let mut changed = node.clone();
    change(&mut changed);
    let fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    let updated = update_checked(provider, &changed, live, &fields).await;
    (changed, updated)
}

/// `update_checked` for the fields the engine would plan.
pub async fn update_planned(provider: &AwsProvider, node: &Resolved, live: &Live) -> Live {
    let fields = diff_fields(provider, node, live);
    update_checked(provider, node, live, &fields).await
}

/// Sets the tag `key` of `node` (live as `live`) to `value` in place; the result has it.
pub async fn retag(
    provider: &AwsProvider,
    node: &Resolved,
    live: &Live,
    key: &str,
    value: &str,
) -> Live {
    let mut changed = node.clone();
    changed.tags.insert(key.into(), json!(value));
    let updated = provider
        .update(&changed, live, &[format!("Tags.{key}")])
        .await
        .unwrap();
    assert_eq!(updated.tags[key], json!(value));
    updated
}

/// What `read` finds for `node` when a resource made outside fgl is in the way: found, but
/// without fgl's stack tag.
pub async fn read_unowned(provider: &AwsProvider, node: &Resolved) -> Live {
    let live = provider
        .read(node)
        .await
        .unwrap()
        .expect("the resource in the way");
    assert!(!live.tags.contains_key(STACK_TAG), "{live:?}");
    live
}

/// Deletes `live`: `node` is then read as gone, and deleting again succeeds.
pub async fn delete_twice(provider: &AwsProvider, live: &Live, node: &Resolved) {
    provider.delete(live).await.unwrap();
    assert_eq!(provider.read(node).await.unwrap(), None);
    provider.delete(live).await.unwrap();
}

/// `discover(stack)`, which never writes; prints how many read calls it took for `what`.
pub async fn discover_counted(provider: &AwsProvider, stack: &str, what: &str) -> Vec<Live> {
    let (reads, writes) = provider.call_log().counts();
    let found = provider.discover(stack).await.unwrap();
    let (reads_after, writes_after) = provider.call_log().counts();
    assert_eq!(writes_after, writes);
    eprintln!(
        "discover({stack}) with {what} ({} resources): {} reads",
        found.len(),
        reads_after - reads
    );
    found
}

/// The logical ids of `found`, sorted.
pub fn ids(found: &[Live]) -> Vec<&str> {
    let mut ids: Vec<&str> = found.iter().map(|l| l.id.as_str()).collect();
    ids.sort_unstable();
    ids
}

/// The logical ids `discover(stack)` lists, sorted.
pub async fn discovered_ids(provider: &AwsProvider, stack: &str) -> Vec<String> {
    let found = provider.discover(stack).await.unwrap();
    ids(&found).into_iter().map(String::from).collect()
}
