//! The dispatch every service module shares: from the node's kind to the module of that
//! kind, which has `KIND`, `spec`, `read`, `create`, `update` and `delete`, each taking the
//! service's SDK client.

/// A service's `spec`, `read`, `create`, `update` and `delete` by kind:
/// `kinds!(ec2: vpc, subnet)` sends `AWS::EC2::VPC` to `vpc::…` with `&clients.ec2`.
macro_rules! kinds {
    ($client:ident: $($kind:ident),+ $(,)?) => {
        /// How the engine compares `kind`, if this service handles it.
        pub(crate) fn spec(kind: &str) -> Option<fgl_plan::KindSpec> {
            match kind {
                $($kind::KIND => Some($kind::spec()),)+
                _ => None,
            }
        }

        pub(crate) async fn read(
            c: &crate::clients::Clients,
            node: &fgl_plan::Resolved,
        ) -> Result<Option<fgl_plan::Live>, fgl_plan::ProviderError> {
            match node.kind.as_str() {
                $($kind::KIND => $kind::read(&c.$client, node).await,)+
                other => Err(crate::error::unsupported(other)),
            }
        }

        pub(crate) async fn create(
            c: &crate::clients::Clients,
            node: &fgl_plan::Resolved,
        ) -> Result<fgl_plan::Live, fgl_plan::ProviderError> {
            match node.kind.as_str() {
                $($kind::KIND => $kind::create(&c.$client, node).await,)+
                other => Err(crate::error::unsupported(other)),
            }
        }

        pub(crate) async fn update(
            c: &crate::clients::Clients,
            node: &fgl_plan::Resolved,
            live: &fgl_plan::Live,
            fields: &[String],
        ) -> Result<fgl_plan::Live, fgl_plan::ProviderError> {
            match node.kind.as_str() {
                $($kind::KIND => $kind::update(&c.$client, node, live, fields).await,)+
                other => Err(crate::error::unsupported(other)),
            }
        }

        pub(crate) async fn delete(
            c: &crate::clients::Clients,
            live: &fgl_plan::Live,
        ) -> Result<(), fgl_plan::ProviderError> {
            match live.kind.as_str() {
                $($kind::KIND => $kind::delete(&c.$client, live).await,)+
                other => Err(crate::error::unsupported(other)),
            }
        }
    };
}

pub(crate) use kinds;
