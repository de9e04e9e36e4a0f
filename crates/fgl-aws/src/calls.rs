//! Every AWS operation fgl makes, recorded by an SDK interceptor on every client: the counts
//! behind "a second apply makes zero mutating calls" and the benchmark's calls per resource.
//! With `FGL_CALL_LOG=<file>` each call is also appended to that file as it starts
//! (`<milliseconds since the log was made> <service> <operation>`), like terraform's `TF_LOG`:
//! never parameters, so never a secret.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// One AWS operation: `("ec2", "DescribeVpcs")`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiCall {
    pub service: String,
    pub operation: String,
}

impl ApiCall {
    /// Whether the operation changes anything: AWS names every read-only operation
    /// `Describe…`, `List…`, `Get…` or `Head…`.
    pub fn is_mutating(&self) -> bool {
        !["Describe", "List", "Get", "Head"]
            .iter()
            .any(|p| self.operation.starts_with(p))
    }
}

/// The calls made so far; cheap to clone (one shared log).
#[derive(Clone, Debug, Default)]
pub struct CallLog {
    calls: Arc<Mutex<Vec<ApiCall>>>,
    file: Option<Arc<Mutex<File>>>,
    start: Option<Instant>,
}

impl CallLog {
    /// A log that also appends to the file `FGL_CALL_LOG` names, if it is set and can be
    /// opened (a debugging aid: failing to open it must not stop an apply).
    pub fn from_env() -> Self {
        let file = std::env::var_os("FGL_CALL_LOG").and_then(|path| {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()
                .map(|f| Arc::new(Mutex::new(f)))
        });
        Self {
            calls: Arc::default(),
            file,
            start: Some(Instant::now()),
        }
    }

    /// Every call so far, in the order they started.
    pub fn calls(&self) -> Vec<ApiCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// (read calls, mutating calls) so far.
    pub fn counts(&self) -> (usize, usize) {
        let calls = self.calls();
        let mutating = calls.iter().filter(|c| c.is_mutating()).count();
        (calls.len() - mutating, mutating)
    }

    fn record(&self, call: ApiCall) {
        if let Some(file) = &self.file {
            if let Ok(mut f) = file.lock() {
                // Best effort: the log is a debugging aid.
                let ms = self.start.map(|t| t.elapsed().as_millis()).unwrap_or(0);
                let _ = writeln!(f, "{ms} {} {}", call.service, call.operation);
                let _ = f.flush();
            }
        }
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(call);
        }
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "fgl::CallLog"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(meta) = cfg.load::<Metadata>() {
            self.record(ApiCall {
                service: meta.service().to_string(),
                operation: meta.name().to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(op: &str) -> ApiCall {
        ApiCall {
            service: "ec2".into(),
            operation: op.into(),
        }
    }

    #[test]
    fn reads_are_describe_list_get_head() {
        assert!(!call("DescribeVpcs").is_mutating());
        assert!(!call("ListTagsForResource").is_mutating());
        assert!(!call("GetCallerIdentity").is_mutating());
        assert!(call("CreateVpc").is_mutating());
        assert!(call("PutParameter").is_mutating());
        assert!(call("ChangeResourceRecordSets").is_mutating());
    }

    #[test]
    fn counts_split_reads_from_changes() {
        let log = CallLog::default();
        log.record(call("DescribeVpcs"));
        log.record(call("CreateVpc"));
        log.record(call("DescribeSubnets"));
        assert_eq!(log.counts(), (2, 1));
    }
}
