//! EC2 resources (the network), one module per kind.

pub(crate) mod vpc;

use aws_sdk_ec2::types::{Filter, Tag};

/// A `DescribeX` filter on a tag's value.
pub(crate) fn tag_filter(key: &str, value: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{key}"))
        .values(value)
        .build()
}

/// An EC2 tag.
pub(crate) fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

/// EC2's tags as key/value pairs (a tag without a value has the empty one).
pub(crate) fn pairs(tags: &[Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter()
        .filter_map(|t| Some((t.key()?, t.value().unwrap_or(""))))
}
