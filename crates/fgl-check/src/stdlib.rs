//! The standard library, embedded in the binary: `import "std/NAME"` loads `stdlib/NAME.fgl`.

/// `(NAME, source)` of every `std/NAME` module.
pub const MODULES: &[(&str, &str)] = &[("aws", include_str!("../../../stdlib/aws.fgl"))];

pub fn source(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The name a stdlib module's file is shown under in diagnostics.
pub fn display_name(name: &str) -> String {
    format!("<std>/{name}.fgl")
}
