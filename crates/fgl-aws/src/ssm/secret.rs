//! Writing a secret's value (`fgl secret set`): a SecureString parameter tagged as the stack's,
//! created if absent, overwritten if it is already this stack's. The value lives only in a
//! [`SecretValue`], which never prints, and goes to AWS in the request body only.

use std::fmt;

use aws_sdk_ssm::types::{ParameterTier, ParameterType, Tag};
use fgl_plan::{ProviderError, ID_TAG, STACK_TAG};

use super::parameter;
use crate::clients::Clients;
use crate::error::{code_of, sdk};

/// A secret's value. `Debug` and `Display` show `(secret)`: it can be passed around, never
/// printed, logged or put into an error by accident.
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(secret)")
    }
}

impl fmt::Display for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(secret)")
    }
}

/// Where a secret goes: its parameter as the stack's graph describes it.
#[derive(Clone, Debug)]
pub struct SecretTarget {
    pub stack: String,
    /// The parameter node's logical id (`password/parameter`).
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub kms_key: Option<String>,
}

/// What `put` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Created { version: i64 },
    Updated { version: i64 },
}

/// Writes `value` into the secret's parameter. A parameter of that name that this stack does
/// not own is refused: it may be someone else's secret.
pub async fn put(
    c: &Clients,
    target: &SecretTarget,
    value: &SecretValue,
) -> Result<Written, ProviderError> {
    let label = format!("{} {}", parameter::KIND, target.id);
    let existing = parameter::by_name(&c.ssm, &label, &target.name).await?;
    if existing.is_some() {
        let tags = parameter::tags_of(&c.ssm, &label, &target.name).await?;
        let owner = tags.get(STACK_TAG).and_then(|v| v.as_str());
        if owner != Some(target.stack.as_str()) {
            return Err(ProviderError::hard(format!(
                "{label}: {} exists and is not owned by stack `{}` (no tag {STACK_TAG}={}): fgl does not overwrite it",
                target.name, target.stack, target.stack
            )));
        }
    }
    let request = c
        .ssm
        .put_parameter()
        .name(&target.name)
        .value(&value.0)
        .r#type(ParameterType::SecureString)
        .tier(ParameterTier::Standard)
        .set_description(target.description.clone())
        .set_key_id(target.kms_key.clone());
    if existing.is_some() {
        // Tags cannot go with Overwrite; the parameter already has them.
        let out = request
            .overwrite(true)
            .send()
            .await
            .map_err(|e| sdk(&label, "PutParameter", e))?;
        return Ok(Written::Updated {
            version: out.version(),
        });
    }
    let tags = [
        (STACK_TAG, target.stack.as_str()),
        (ID_TAG, target.id.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| Tag::builder().key(k).value(v).build())
    .collect::<Result<Vec<_>, _>>()
    .map_err(|e| ProviderError::hard(format!("{label}: {e}")))?;
    match request.set_tags(Some(tags)).send().await {
        Ok(out) => Ok(Written::Created {
            version: out.version(),
        }),
        // Created meanwhile by another `fgl secret set`: say so rather than overwrite blindly.
        Err(e) if code_of(&e) == Some("ParameterAlreadyExists") => {
            Err(ProviderError::retryable(format!(
                "{label}: {} was created meanwhile; run the command again",
                target.name
            )))
        }
        Err(e) => Err(sdk(&label, "PutParameter", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_value_never_prints() {
        let v = SecretValue::new("hunter2".into());
        assert_eq!(format!("{v} {v:?}"), "(secret) (secret)");
    }
}
