//! Assignability and join rules, on types built by hand.

use std::path::Path;
use std::rc::Rc;

use fgl_syntax::codes;

use super::fits::{fits, join};
use crate::decls::{self, Decls};
use crate::loader::{load, Host, Program, RootSource};
use crate::ty::{FieldTy, FnTy, Lit, ParamTy, RecordTy, Ty};

struct NoFiles;

impl Host for NoFiles {
    fn read(&self, _: &Path) -> std::io::Result<String> {
        Err(std::io::ErrorKind::NotFound.into())
    }
}

/// A program with a plain schema `Probe`, a resource `Thing` and std/aws (for Secret).
fn program() -> Program {
    let text = r#"
import "std/aws"
schema Probe { path: String = "/", interval: 5..300 = 30, name: String }
resource Thing { name: String }
"#;
    load(
        &NoFiles,
        RootSource {
            name: "t.fgl".into(),
            path: None,
            text: text.into(),
        },
    )
    .0
}

fn with_decls(f: impl FnOnce(&Decls<'_>)) {
    let program = program();
    let (decls, diagnostics) = decls::collect(&program);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    f(&decls);
}

fn schema(decls: &Decls<'_>, display: &str) -> Ty {
    let info = decls
        .schemas
        .iter()
        .find(|s| s.display_name == display)
        .unwrap_or_else(|| panic!("no schema {display}"));
    Ty::Schema(info.id)
}

fn int(n: i64) -> Ty {
    Ty::Lits(vec![Lit::Int(n)])
}

fn string(s: &str) -> Ty {
    Ty::Lits(vec![Lit::Str(s.into())])
}

fn record(fields: &[(&str, Ty, bool)]) -> Ty {
    Ty::Record(Rc::new(RecordTy {
        fields: fields
            .iter()
            .map(|(n, t, o)| FieldTy {
                name: n.to_string(),
                ty: t.clone(),
                optional: *o,
            })
            .collect(),
    }))
}

fn code(found: &Ty, expected: &Ty, decls: &Decls<'_>) -> Option<&'static str> {
    fits(found, expected, decls).err().map(|m| m.code.as_str())
}

#[test]
fn literals_fit_their_base_ranges_and_unions() {
    with_decls(|d| {
        let cpu = Ty::Lits(vec![Lit::Int(256), Lit::Int(512)]);
        assert_eq!(code(&int(256), &cpu, d), None);
        assert_eq!(code(&int(300), &cpu, d), Some("E0206"));
        assert_eq!(code(&int(300), &Ty::Int, d), None);
        assert_eq!(code(&int(3), &Ty::Range(5, 300), d), Some("E0206"));
        assert_eq!(code(&int(-3), &Ty::Range(-5, 5), d), None);
        assert_eq!(code(&string("x"), &Ty::Int, d), Some("E0203"));
        assert_eq!(code(&string("x"), &cpu, d), Some("E0203"));
        let scheme = Ty::Lits(vec![Lit::Str("http".into()), Lit::Str("https".into())]);
        assert_eq!(code(&string("ftp"), &scheme, d), Some("E0206"));
        assert_eq!(code(&string("http"), &scheme, d), None);
    });
}

#[test]
fn computed_values_fit_refinements_until_evaluated() {
    with_decls(|d| {
        assert_eq!(code(&Ty::Int, &Ty::Range(5, 300), d), None);
        assert_eq!(
            code(&Ty::String, &Ty::Lits(vec![Lit::Str("a".into())]), d),
            None
        );
        assert_eq!(code(&Ty::Range(1, 10), &Ty::Range(5, 300), d), None);
        assert_eq!(code(&Ty::Range(1, 4), &Ty::Range(5, 300), d), Some("E0206"));
        assert_eq!(code(&Ty::Range(1, 4), &Ty::Int, d), None);
        assert_eq!(code(&Ty::Int, &Ty::String, d), Some("E0203"));
    });
}

#[test]
fn unknown_and_never_fit_everywhere() {
    with_decls(|d| {
        assert_eq!(code(&Ty::Unknown, &Ty::Int, d), None);
        assert_eq!(code(&Ty::Int, &Ty::Unknown, d), None);
        assert_eq!(code(&Ty::list(Ty::Never), &Ty::list(Ty::String), d), None);
    });
}

#[test]
fn null_and_optionals() {
    with_decls(|d| {
        assert_eq!(code(&Ty::Null, &Ty::optional(Ty::Int), d), None);
        assert_eq!(code(&Ty::Null, &Ty::Int, d), Some("E0203"));
        assert_eq!(
            code(&Ty::optional(Ty::Int), &Ty::optional(Ty::Int), d),
            None
        );
        let misfit = fits(&Ty::optional(Ty::Int), &Ty::Int, d).unwrap_err();
        assert!(misfit.help.unwrap_or_default().contains("??"));
        assert_eq!(code(&int(5), &Ty::optional(Ty::Range(1, 9)), d), None);
    });
}

#[test]
fn secrets_do_not_fit_strings() {
    with_decls(|d| {
        let secret = schema(d, "aws.Secret");
        assert_eq!(code(&secret, &Ty::String, d), Some("E0207"));
        assert_eq!(code(&secret, &Ty::optional(Ty::String), d), Some("E0207"));
        assert_eq!(
            code(&Ty::list(secret.clone()), &Ty::list(Ty::String), d),
            Some("E0207")
        );
        assert_eq!(code(&secret, &secret, d), None);
        let env = record(&[("PW", secret.clone(), false)]);
        assert_eq!(code(&env, &Ty::map(secret.clone()), d), None);
        assert_eq!(code(&env, &Ty::map(Ty::String), d), Some("E0207"));
    });
}

#[test]
fn lists_maps_and_records() {
    with_decls(|d| {
        assert_eq!(code(&Ty::list(int(1)), &Ty::list(Ty::Int), d), None);
        assert_eq!(
            code(&Ty::list(string("a")), &Ty::list(Ty::Int), d),
            Some("E0203")
        );
        let r = record(&[("a", int(1), false), ("b", string("x"), false)]);
        assert_eq!(code(&r, &Ty::map(Ty::Int), d), Some("E0203"));
        let want = record(&[
            ("a", Ty::Int, false),
            ("b", Ty::String, false),
            ("c", Ty::Int, true),
        ]);
        assert_eq!(code(&r, &want, d), None);
        let extra = record(&[
            ("a", int(1), false),
            ("b", string("x"), false),
            ("z", int(1), false),
        ]);
        assert_eq!(code(&extra, &want, d), Some("E0201"));
        let short = record(&[("a", int(1), false)]);
        assert_eq!(code(&short, &want, d), Some("E0202"));
        let misfit = fits(
            &record(&[("a", string("x"), false), ("b", string("y"), false)]),
            &want,
            d,
        )
        .unwrap_err();
        assert_eq!(
            misfit.detail.as_deref(),
            Some("field `a`: expected Int, found \"x\"")
        );
    });
}

#[test]
fn schemas_are_nominal_but_records_instantiate_plain_ones() {
    with_decls(|d| {
        let probe = schema(d, "Probe");
        let thing = schema(d, "Thing");
        assert_eq!(code(&probe, &probe, d), None);
        assert_eq!(code(&thing, &probe, d), Some("E0203"));
        let r = record(&[("name", string("x"), false)]);
        assert_eq!(code(&r, &probe, d), None);
        assert_eq!(code(&record(&[]), &probe, d), Some("E0202"));
        assert_eq!(
            code(
                &record(&[("interval", int(1), false), ("name", string("n"), false)]),
                &probe,
                d
            ),
            Some("E0206")
        );
        // A resource must be instantiated explicitly.
        let misfit = fits(&r, &thing, d).unwrap_err();
        assert_eq!(misfit.code, codes::TYPE_MISMATCH);
        assert!(misfit.help.unwrap_or_default().contains("Thing { … }"));
    });
}

#[test]
fn functions_are_contravariant_in_parameters() {
    with_decls(|d| {
        let f = |params: Vec<(Ty, bool)>, ret: Ty| {
            Ty::Fn(Rc::new(FnTy {
                params: params
                    .into_iter()
                    .map(|(ty, has_default)| ParamTy {
                        name: None,
                        ty,
                        has_default,
                    })
                    .collect(),
                ret,
            }))
        };
        let want = f(vec![(Ty::Int, false)], Ty::String);
        assert_eq!(
            code(&f(vec![(Ty::Int, false)], string("x")), &want, d),
            None
        );
        assert_eq!(
            code(
                &f(vec![(Ty::Int, false), (Ty::Int, true)], Ty::String),
                &want,
                d
            ),
            None
        );
        assert_eq!(
            code(&f(vec![(Ty::Range(1, 2), false)], Ty::String), &want, d),
            None
        );
        assert_eq!(
            code(&f(vec![(Ty::String, false)], Ty::String), &want, d),
            Some("E0203")
        );
        assert_eq!(code(&f(vec![], Ty::String), &want, d), Some("E0203"));
        assert_eq!(
            code(&f(vec![(Ty::Int, false)], Ty::Int), &want, d),
            Some("E0203")
        );
    });
}

#[test]
fn joins() {
    with_decls(|d| {
        assert_eq!(
            join(&int(1), &int(2), d),
            Ty::Lits(vec![Lit::Int(1), Lit::Int(2)])
        );
        assert_eq!(join(&int(1), &Ty::Int, d), Ty::Int);
        assert_eq!(join(&Ty::Null, &Ty::String, d), Ty::optional(Ty::String));
        assert_eq!(join(&Ty::Never, &Ty::Bool, d), Ty::Bool);
        assert_eq!(join(&Ty::Unknown, &Ty::Bool, d), Ty::Unknown);
        assert_eq!(
            join(&int(1), &string("a"), d),
            Ty::Union(vec![int(1), string("a")])
        );
        let mut many = Ty::Never;
        for n in 0..100 {
            many = join(&many, &int(n), d);
        }
        assert_eq!(many, Ty::Int);
        let a = record(&[("x", int(1), false), ("y", Ty::Bool, false)]);
        let b = record(&[("x", int(2), false)]);
        assert_eq!(
            join(&a, &b, d),
            record(&[
                ("x", Ty::Lits(vec![Lit::Int(1), Lit::Int(2)]), false),
                ("y", Ty::Bool, true)
            ])
        );
        let probe = schema(d, "Probe");
        assert_eq!(
            join(&probe, &record(&[("name", string("n"), false)]), d),
            probe
        );
    });
}
