//! Domain names: valid DNS names (E0413), certificate names inside their hosted zone (E0405),
//! load balancer domains and route hosts covered by the certificate (E0403), and the settings
//! that need a certificate at all (E0404).

use fgl_eval::Resource;
use fgl_syntax::{codes, Diagnostic, Span};

use super::{and_list, by_place};
use crate::dns;
use crate::model::{Certificate, LoadBalancer, Model};

pub fn check(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for cert in &model.certificates {
        certificate(cert, out);
    }
    for lb in &model.load_balancers {
        load_balancer(model, lb, out);
    }
}

/// E0413 for every invalid name among `names` (field path, name); returns the valid ones.
fn valid_names<'n>(
    res: &Resource,
    names: Vec<(String, &'n str)>,
    wildcard: bool,
    out: &mut Vec<Diagnostic>,
) -> Vec<(String, &'n str)> {
    let mut valid = Vec::new();
    let mut invalid: Vec<(Span, (&str, String))> = Vec::new();
    for (path, name) in names {
        match dns::invalid(name, wildcard) {
            Some(why) => invalid.push((res.span_of(&path), (name, why))),
            None => valid.push((path, name)),
        }
    }
    for (span, problems) in by_place(invalid) {
        let message = match problems.as_slice() {
            [(name, why)] => format!("`{name}` is not a valid domain name: {why}"),
            _ => {
                let each: Vec<String> = problems
                    .iter()
                    .map(|(name, why)| format!("`{name}` ({why})"))
                    .collect();
                format!("these are not valid domain names: {}", each.join(", "))
            }
        };
        out.push(
            Diagnostic::error(codes::INVALID_DOMAIN_NAME, span, message)
                .with_primary_message("not a domain name ACM and Route53 accept")
                .with_help(
                    "labels of 1–63 letters, digits and `-`, separated by dots, at most 253 characters",
                ),
        );
    }
    valid
}

fn certificate(cert: &Certificate<'_>, out: &mut Vec<Diagnostic>) {
    let zone_ok = valid_names(cert.res, vec![("zone".into(), cert.zone)], false, out).len() == 1;
    let names = valid_names(cert.res, cert.names(), true, out);
    if !zone_ok {
        return;
    }
    let outside: Vec<(Span, &str)> = names
        .into_iter()
        .filter(|(_, name)| !dns::in_zone(name, cert.zone))
        .map(|(path, name)| (cert.res.span_of(&path), name))
        .collect();
    for (span, names) in by_place(outside) {
        let subject = and_list(&names);
        let verb = if names.len() == 1 { "is" } else { "are" };
        out.push(
            super::error_with_label(
                codes::DOMAIN_OUTSIDE_ZONE,
                span,
                format!(
                    "{subject} {verb} not in the hosted zone `{}`: ACM validates each name through a DNS record in that zone",
                    cert.zone
                ),
                cert.res.span_of("zone"),
                "the hosted zone".to_string(),
            )
            .with_primary_message("outside the certificate's zone")
            .with_help(format!(
                "use names ending with `.{}`, or the zone that holds them",
                dns::normalize(cert.zone)
            )),
        );
    }
}

fn load_balancer(model: &Model<'_>, lb: &LoadBalancer<'_>, out: &mut Vec<Diagnostic>) {
    // The names clients send (domains, route hosts), with their field paths.
    let domains = lb
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("domains.{i}"), *d))
        .collect();
    let mut hosts = valid_names(lb.res, domains, false, out);
    let route_hosts = lb
        .routes
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((format!("routes.{i}.host"), r.host?)))
        .collect();
    hosts.extend(valid_names(lb.res, route_hosts, true, out));

    let Some(cert_id) = lb.certificate else {
        if !lb.domains.is_empty() {
            out.push(
                Diagnostic::error(
                    codes::NEEDS_CERTIFICATE,
                    lb.res.span_of("domains"),
                    format!(
                        "the load balancer `{}` has `domains` but no `certificate`: its alias records go in the certificate's hosted zone, and the names are served over HTTPS",
                        lb.res.id
                    ),
                )
                .with_primary_message("needs a certificate")
                .with_help("add `certificate = cert` with `cert = aws.Certificate { domain = …, zone = … }`"),
            );
        }
        if lb.redirect_http {
            out.push(
                Diagnostic::error(
                    codes::NEEDS_CERTIFICATE,
                    lb.res.span_of("redirect_http"),
                    format!(
                        "the load balancer `{}` redirects HTTP to HTTPS but has no `certificate` for an HTTPS listener",
                        lb.res.id
                    ),
                )
                .with_primary_message("needs a certificate")
                .with_help("set a `certificate`, or remove `redirect_http = true`"),
            );
        }
        return;
    };
    let Some(cert) = model.certificate(cert_id) else {
        return;
    };
    let names = cert.names();
    let uncovered: Vec<(Span, &str)> = hosts
        .into_iter()
        .filter(|(_, host)| !names.iter().any(|(_, name)| dns::covers(name, host)))
        .map(|(path, host)| (lb.res.span_of(&path), host))
        .collect();
    let covered: Vec<&str> = names.iter().map(|(_, n)| *n).collect();
    for (span, hosts) in by_place(uncovered) {
        let verb = if hosts.len() == 1 { "is" } else { "are" };
        out.push(
            Diagnostic::error(
                codes::DOMAIN_NOT_COVERED,
                span,
                format!(
                    "{} {verb} not covered by the certificate `{cert_id}` ({}): HTTPS clients would reject the load balancer's answer",
                    and_list(&hosts),
                    covered.join(", ")
                ),
            )
            .with_primary_message("not covered by the certificate")
            .with_label(cert.res.span_of("domain"), format!("the certificate `{cert_id}`"))
            .with_help(
                "add the names to the certificate's `alt_names` (a wildcard `*.…` covers one level)",
            ),
        );
    }
}
