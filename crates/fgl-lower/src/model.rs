//! A typed view of the evaluated `std/aws` resources: what the rules check and the lowering
//! reads. Built from `fgl_eval::Output` (resources as [`Data`]); the evaluator has already
//! checked every field against its stdlib type, so a field of an unexpected shape is only
//! possible if the stdlib and this file disagree: such a resource is left out rather than
//! panicking (and a unit test keeps the two in step).

use fgl_check::{Decls, SchemaId};
use fgl_eval::{Data, Output, Resource};

/// The kinds of `std/aws`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Container,
    Secret,
    LoadBalancer,
    Certificate,
    Network,
}

impl Kind {
    fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "Container" => Kind::Container,
            "Secret" => Kind::Secret,
            "LoadBalancer" => Kind::LoadBalancer,
            "Certificate" => Kind::Certificate,
            "Network" => Kind::Network,
            _ => return None,
        })
    }

    /// How messages and the graph name it.
    pub fn display(self) -> &'static str {
        match self {
            Kind::Container => "aws.Container",
            Kind::Secret => "aws.Secret",
            Kind::LoadBalancer => "aws.LoadBalancer",
            Kind::Certificate => "aws.Certificate",
            Kind::Network => "aws.Network",
        }
    }
}

/// The `std/aws` kind of a schema, if it is one (a user's own `resource Container` in a file
/// named `aws.fgl` is not).
pub fn kind_of(decls: &Decls<'_>, schema: SchemaId) -> Option<Kind> {
    let info = decls.schemas.get(schema.index())?;
    let program = decls.program;
    let file = program.file(program.module(info.module).file);
    if file.is_std && file.name == fgl_check::stdlib::display_name("aws") {
        Kind::from_name(&info.name)
    } else {
        None
    }
}

pub struct Secret<'o> {
    pub res: &'o Resource,
    pub name: &'o str,
    pub description: Option<&'o str>,
    pub kms_key: Option<&'o str>,
}

pub struct Certificate<'o> {
    pub res: &'o Resource,
    pub domain: &'o str,
    pub alt_names: Vec<&'o str>,
    pub zone: &'o str,
}

impl Certificate<'_> {
    /// Every name the certificate covers: `domain`, then `alt_names`, with their field paths.
    pub fn names(&self) -> Vec<(String, &str)> {
        let mut out = vec![("domain".to_string(), self.domain)];
        for (i, name) in self.alt_names.iter().enumerate() {
            out.push((format!("alt_names.{i}"), *name));
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthCheck<'o> {
    pub path: &'o str,
    pub interval: i64,
    pub timeout: i64,
    pub healthy_threshold: i64,
    pub unhealthy_threshold: i64,
}

pub struct Deployment {
    pub min_percent: i64,
    pub max_percent: i64,
    pub circuit_breaker: bool,
    pub rollback: bool,
}

pub struct Container<'o> {
    pub res: &'o Resource,
    pub image: &'o str,
    pub cpu: i64,
    pub memory: i64,
    pub port: Option<i64>,
    pub replicas: i64,
    pub env: Vec<(&'o str, &'o str)>,
    /// Environment variable name → the logical id of the secret.
    pub secrets: Vec<(&'o str, &'o str)>,
    pub command: Option<Vec<&'o str>>,
    pub health: HealthCheck<'o>,
    pub retention_days: i64,
    pub private: bool,
    pub deployment: Deployment,
}

pub struct Route<'o> {
    pub path: Option<&'o str>,
    pub host: Option<&'o str>,
    /// The logical id of the target container.
    pub target: &'o str,
}

pub struct LoadBalancer<'o> {
    pub res: &'o Resource,
    /// The logical id of the certificate.
    pub certificate: Option<&'o str>,
    pub domains: Vec<&'o str>,
    /// The logical id of the default target container.
    pub target: Option<&'o str>,
    pub routes: Vec<Route<'o>>,
    pub redirect_http: bool,
    pub idle_timeout: i64,
    pub internal: bool,
}

impl LoadBalancer<'_> {
    /// The containers it sends traffic to, each once, in order of appearance (`target`
    /// first), with the field path that names it first.
    pub fn targets(&self) -> Vec<(&str, String)> {
        let mut out: Vec<(&str, String)> = Vec::new();
        let named = self
            .target
            .map(|t| (t, "target".to_string()))
            .into_iter()
            .chain(
                self.routes
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.target, format!("routes.{i}.target"))),
            );
        for (id, path) in named {
            if !out.iter().any(|(t, _)| *t == id) {
                out.push((id, path));
            }
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nat {
    None,
    Single,
    PerAz,
}

pub struct Network<'o> {
    pub res: &'o Resource,
    pub cidr: &'o str,
    pub az_count: i64,
    pub nat: Nat,
    /// The default network [`crate::complete`] added (no source of its own).
    pub implicit: bool,
}

/// Every `std/aws` resource of a stack, by kind, each list in output order.
pub struct Model<'o> {
    pub stack: Option<&'o str>,
    pub secrets: Vec<Secret<'o>>,
    pub certificates: Vec<Certificate<'o>>,
    pub containers: Vec<Container<'o>>,
    pub load_balancers: Vec<LoadBalancer<'o>>,
    pub networks: Vec<Network<'o>>,
    /// Resources of a `std/aws` kind whose fields do not have their schema's shape. The type
    /// checker and the evaluator make this impossible; should it happen anyway, the rules
    /// report it rather than leave the resource out of the graph silently.
    pub malformed: Vec<&'o fgl_eval::Resource>,
}

impl<'o> Model<'o> {
    pub fn new(decls: &Decls<'_>, output: &'o Output) -> Model<'o> {
        let mut model = Model {
            stack: output.stack.as_deref(),
            secrets: Vec::new(),
            certificates: Vec::new(),
            containers: Vec::new(),
            load_balancers: Vec::new(),
            networks: Vec::new(),
            malformed: Vec::new(),
        };
        for res in &output.resources {
            let understood = match kind_of(decls, res.schema) {
                Some(Kind::Secret) => secret(res).map(|r| model.secrets.push(r)),
                Some(Kind::Certificate) => certificate(res).map(|r| model.certificates.push(r)),
                Some(Kind::Container) => container(res).map(|r| model.containers.push(r)),
                Some(Kind::LoadBalancer) => {
                    load_balancer(res).map(|r| model.load_balancers.push(r))
                }
                Some(Kind::Network) => network(res).map(|r| model.networks.push(r)),
                None => Some(()),
            };
            if understood.is_none() {
                model.malformed.push(res);
            }
        }
        model
    }

    pub fn container(&self, id: &str) -> Option<&Container<'o>> {
        self.containers.iter().find(|c| c.res.id == id)
    }

    pub fn certificate(&self, id: &str) -> Option<&Certificate<'o>> {
        self.certificates.iter().find(|c| c.res.id == id)
    }

    pub fn secret(&self, id: &str) -> Option<&Secret<'o>> {
        self.secrets.iter().find(|s| s.res.id == id)
    }

    /// The stack's network: the declared one (the first, if several: a rule reports the
    /// others), or the default one that [`crate::complete`] added.
    pub fn network(&self) -> Option<&Network<'o>> {
        self.networks.first()
    }
}

// Reading fields. `None` means "not of the stdlib's shape"; see the module comment.

fn str_of(d: &Data) -> Option<&str> {
    match d {
        Data::Str(s) => Some(s),
        _ => None,
    }
}

fn int_of(d: &Data) -> Option<i64> {
    match d {
        Data::Int(n) => Some(*n),
        _ => None,
    }
}

fn bool_of(d: &Data) -> Option<bool> {
    match d {
        Data::Bool(b) => Some(*b),
        _ => None,
    }
}

fn ref_of(d: &Data) -> Option<&str> {
    match d {
        Data::Ref(id) | Data::Secret(id) => Some(id),
        _ => None,
    }
}

/// `null` → `Some(None)`; a value read by `f` → `Some(Some(v))`; anything else → `None`.
fn optional<'d, T>(d: &'d Data, f: impl Fn(&'d Data) -> Option<T>) -> Option<Option<T>> {
    match d {
        Data::Null => Some(None),
        other => f(other).map(Some),
    }
}

fn list_of<'d, T>(d: &'d Data, f: impl Fn(&'d Data) -> Option<T>) -> Option<Vec<T>> {
    match d {
        Data::List(items) => items.iter().map(f).collect(),
        _ => None,
    }
}

fn record_of(d: &Data) -> Option<&[(String, Data)]> {
    match d {
        Data::Record(fields) => Some(fields),
        _ => None,
    }
}

fn get<'d>(fields: &'d [(String, Data)], name: &str) -> Option<&'d Data> {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

fn secret(res: &Resource) -> Option<Secret<'_>> {
    let f = &res.fields;
    Some(Secret {
        res,
        name: str_of(get(f, "name")?)?,
        description: optional(get(f, "description")?, str_of)?,
        kms_key: optional(get(f, "kms_key")?, str_of)?,
    })
}

fn certificate(res: &Resource) -> Option<Certificate<'_>> {
    let f = &res.fields;
    Some(Certificate {
        res,
        domain: str_of(get(f, "domain")?)?,
        alt_names: list_of(get(f, "alt_names")?, str_of)?,
        zone: str_of(get(f, "zone")?)?,
    })
}

fn health(d: &Data) -> Option<HealthCheck<'_>> {
    let f = record_of(d)?;
    Some(HealthCheck {
        path: str_of(get(f, "path")?)?,
        interval: int_of(get(f, "interval")?)?,
        timeout: int_of(get(f, "timeout")?)?,
        healthy_threshold: int_of(get(f, "healthy_threshold")?)?,
        unhealthy_threshold: int_of(get(f, "unhealthy_threshold")?)?,
    })
}

fn deployment(d: &Data) -> Option<Deployment> {
    let f = record_of(d)?;
    let breaker = record_of(get(f, "circuit_breaker")?)?;
    Some(Deployment {
        min_percent: int_of(get(f, "min_percent")?)?,
        max_percent: int_of(get(f, "max_percent")?)?,
        circuit_breaker: bool_of(get(breaker, "enabled")?)?,
        rollback: bool_of(get(breaker, "rollback")?)?,
    })
}

fn pairs<'d>(
    d: &'d Data,
    f: impl Fn(&'d Data) -> Option<&'d str>,
) -> Option<Vec<(&'d str, &'d str)>> {
    record_of(d)?
        .iter()
        .map(|(k, v)| Some((k.as_str(), f(v)?)))
        .collect()
}

fn container(res: &Resource) -> Option<Container<'_>> {
    let f = &res.fields;
    let logs = record_of(get(f, "logs")?)?;
    Some(Container {
        res,
        image: str_of(get(f, "image")?)?,
        cpu: int_of(get(f, "cpu")?)?,
        memory: int_of(get(f, "memory")?)?,
        port: optional(get(f, "port")?, int_of)?,
        replicas: int_of(get(f, "replicas")?)?,
        env: pairs(get(f, "env")?, str_of)?,
        secrets: pairs(get(f, "secrets")?, ref_of)?,
        command: optional(get(f, "command")?, |d| list_of(d, str_of))?,
        health: health(get(f, "health")?)?,
        retention_days: int_of(get(logs, "retention_days")?)?,
        private: str_of(get(f, "subnets")?)? == "private",
        deployment: deployment(get(f, "deployment")?)?,
    })
}

fn route(d: &Data) -> Option<Route<'_>> {
    let f = record_of(d)?;
    Some(Route {
        path: optional(get(f, "path")?, str_of)?,
        host: optional(get(f, "host")?, str_of)?,
        target: ref_of(get(f, "target")?)?,
    })
}

fn load_balancer(res: &Resource) -> Option<LoadBalancer<'_>> {
    let f = &res.fields;
    Some(LoadBalancer {
        res,
        certificate: optional(get(f, "certificate")?, ref_of)?,
        domains: list_of(get(f, "domains")?, str_of)?,
        target: optional(get(f, "target")?, ref_of)?,
        routes: list_of(get(f, "routes")?, route)?,
        redirect_http: bool_of(get(f, "redirect_http")?)?,
        idle_timeout: int_of(get(f, "idle_timeout")?)?,
        internal: bool_of(get(f, "internal")?)?,
    })
}

fn network(res: &Resource) -> Option<Network<'_>> {
    let f = &res.fields;
    Some(Network {
        res,
        cidr: str_of(get(f, "cidr")?)?,
        az_count: int_of(get(f, "az_count")?)?,
        nat: match str_of(get(f, "nat")?)? {
            "none" => Nat::None,
            "single" => Nat::Single,
            "per_az" => Nat::PerAz,
            _ => return None,
        },
        implicit: res.spans.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stdlib and this file agree: a program using every field reads back whole.
    #[test]
    fn the_model_reads_every_stdlib_kind() {
        let text = r#"import "std/aws"
stack = "shop"
network = aws.Network { nat = "single" }
s = aws.Secret { name = "a/b", description = "d", kms_key = "1234abcd-12ab-34cd-56ef-1234567890ab" }
cert = aws.Certificate { domain = "shop.example.com", alt_names = ["www.example.com"], zone = "example.com" }
web = aws.Container { image = "i", port = 80, command = ["x"], env = { A = "b" }, secrets = { S = s }, subnets = "private" }
lb = aws.LoadBalancer { certificate = cert, target = web, routes = [{ path = "/x", target = web }] }
"#;
        let root = fgl_check::RootSource {
            name: "t.fgl".into(),
            path: None,
            text: text.into(),
        };
        let (program, diags) = fgl_check::load(&fgl_check::FsHost, root);
        assert!(diags.is_empty(), "{diags:?}");
        let checked = fgl_check::check(&program);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let output =
            fgl_eval::evaluate(&checked.decls, &fgl_eval::Options::default()).expect("evaluates");
        let model = Model::new(&checked.decls, &output);
        assert_eq!(model.networks.len(), 1);
        assert_eq!(model.secrets.len(), 1);
        assert_eq!(model.certificates.len(), 1);
        assert_eq!(model.containers.len(), 1);
        assert_eq!(model.load_balancers.len(), 1);
        let lb = &model.load_balancers[0];
        assert_eq!(lb.targets().len(), 1);
        assert!(lb.redirect_http, "defaults to true with a certificate");
        assert_eq!(model.containers[0].secrets, vec![("S", "s")]);
    }

    /// The default network is built from the stdlib's literal defaults.
    #[test]
    fn the_default_network_comes_from_the_stdlib() {
        let text = "import \"std/aws\"\nweb = aws.Container { image = \"i\" }\n";
        let root = fgl_check::RootSource {
            name: "t.fgl".into(),
            path: None,
            text: text.into(),
        };
        let (program, _) = fgl_check::load(&fgl_check::FsHost, root);
        let checked = fgl_check::check(&program);
        let mut output =
            fgl_eval::evaluate(&checked.decls, &fgl_eval::Options::default()).expect("evaluates");
        crate::complete(&checked.decls, &mut output);
        let model = Model::new(&checked.decls, &output);
        let network = model.network().expect("a default network");
        assert_eq!(network.res.id, crate::DEFAULT_NETWORK_ID);
        assert!(network.implicit);
        assert_eq!(
            (network.cidr, network.az_count, network.nat),
            ("10.0.0.0/16", 2, Nat::None)
        );
    }
}
