//! The registry of diagnostic codes, for every stage: syntax (E01xx, [`syntax`]), names and
//! types (E02xx, [`check`]), evaluation (E03xx, [`eval`]) and the AWS rules (E04xx, [`aws`]). Codes are stable: never reuse or
//! renumber one. Each entry carries a title and a long explanation with a wrong and a right
//! example; this registry is the one source of `docs/errors.md` and of `fgl explain`.

mod aws;
mod check;
mod eval;
mod syntax;

use crate::diagnostic::Code;

pub use aws::{
    DOMAIN_NOT_COVERED, DOMAIN_OUTSIDE_ZONE, ENV_SECRET_COLLISION, FARGATE_SIZE,
    HEALTH_CHECK_TIMEOUT, INVALID_CIDR, INVALID_DOMAIN_NAME, INVALID_KMS_KEY, INVALID_SSM_NAME,
    NEEDS_CERTIFICATE, PRIVATE_WITHOUT_NAT, SEVERAL_NETWORKS, STACK_REQUIRED, TARGET_WITHOUT_PORT,
    TOO_FEW_ZONES,
};
pub use check::{
    CYCLE, DUPLICATE_BINDING, DUPLICATE_FIELD, IMPORT_CYCLE, IMPORT_NOT_FOUND, INVALID_STACK,
    MISSING_FIELDS, NOT_CALLABLE, OUT_OF_RANGE, PRIVATE_MEMBER, SECRET_AS_VALUE, TYPE_MISMATCH,
    UNKNOWN_ARGUMENT, UNKNOWN_FIELD, UNKNOWN_NAME, WRONG_ARITY, WRONG_KIND_OF_NAME,
};
pub use eval::{
    ARITHMETIC, BAD_ARGUMENT, CHECK_FAILED, DEPTH_BUDGET, INVALID_LOGICAL_ID, KEY_ERROR,
    PARAM_ERROR, STEP_BUDGET, UNREACHABLE_RESOURCE, VALUE_OUT_OF_TYPE,
};
pub use syntax::{
    ASSIGN_IN_CONDITION, CHAINED_COMPARISON, EXPRESSION_IN_TYPE, INVALID_CHARACTER, INVALID_ESCAPE,
    INVALID_NUMBER, KEYWORD_AS_NAME, MISMATCHED_DELIMITER, MISSING_EQUALS, MISSING_SEPARATOR,
    NESTING_TOO_DEEP, TYPE_IN_EXPRESSION, UNCLOSED_DELIMITER, UNEXPECTED_TOKEN, UNMATCHED_CLOSER,
    UNTERMINATED_INTERPOLATION, UNTERMINATED_STRING,
};

pub struct CodeInfo {
    pub code: Code,
    pub title: &'static str,
    /// Markdown: what it means, a wrong example and a right one.
    pub explanation: &'static str,
}

/// The stages, in pipeline order; each stage's codes are in numeric order.
const STAGES: &[&[CodeInfo]] = &[syntax::CODES, check::CODES, eval::CODES, aws::CODES];

/// Every code, in numeric order.
pub fn all() -> impl Iterator<Item = &'static CodeInfo> {
    STAGES.iter().flat_map(|stage| stage.iter())
}

/// Looks up a code (`E0101`, case-insensitive, with or without the `E`).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    let code = code.trim();
    let wanted = code.strip_prefix(['E', 'e']).unwrap_or(code);
    all().find(|info| info.code.0[1..] == *wanted)
}

/// The ```fgl blocks of a Markdown text, in order: an explanation's wrong and right examples
/// (the tests run them).
pub fn fgl_blocks(markdown: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("```fgl\n") {
        let body = &rest[start + 7..];
        let Some(end) = body.find("```") else { break };
        blocks.push(&body[..end]);
        rest = &body[end + 3..];
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_ordered_and_well_formed() {
        let mut previous = "";
        for info in all() {
            assert!(info.code.0 > previous, "{} is out of order", info.code);
            previous = info.code.0;
            assert!(info.code.0.starts_with('E') && info.code.0.len() == 5);
            assert!(!info.title.is_empty() && info.explanation.contains('\n'));
        }
        assert_eq!(lookup("e0101").map(|i| i.code), Some(UNCLOSED_DELIMITER));
        assert_eq!(lookup("0116").map(|i| i.code), Some(MISMATCHED_DELIMITER));
        assert_eq!(lookup("E0200").map(|i| i.code), Some(UNKNOWN_NAME));
        assert!(lookup("E9999").is_none());
    }
}
