//! `Certificate` → the hosted zone (looked up), an ACM certificate with DNS validation, one
//! validation CNAME per distinct name (ACM gives `*.x` and `x` the same record), and a wait
//! step until ACM reports it ISSUED.

use serde_json::json;

use super::{Cx, Owner};
use crate::dns;
use crate::graph::reference;
use crate::model::{Certificate, Kind};

pub fn lower(cx: &mut Cx<'_>, cert: &Certificate<'_>) {
    let owner = Owner::of(cert.res, Kind::Certificate);
    let zone_name = dns::normalize(cert.zone);
    let zone = cx.add(
        owner,
        "zone",
        "AWS::Route53::HostedZone",
        Some(zone_name.clone()),
        json!({ "Name": format!("{zone_name}.") }),
    );
    cx.lookup(&zone);

    let domain = dns::normalize(cert.domain);
    let alt_names: Vec<String> = cert.alt_names.iter().map(|n| dns::normalize(n)).collect();
    let mut props = json!({
        "DomainName": domain,
        "ValidationMethod": "DNS",
        "KeyAlgorithm": "RSA_2048",
    });
    if !alt_names.is_empty() {
        props["SubjectAlternativeNames"] = json!(alt_names);
    }
    let certificate = cx.add(
        owner,
        "certificate",
        "AWS::CertificateManager::Certificate",
        None,
        props,
    );

    let mut validated: Vec<String> = Vec::new();
    let mut records = Vec::new();
    for name in std::iter::once(&domain).chain(alt_names.iter()) {
        let base = name.strip_prefix("*.").unwrap_or(name).to_string();
        if validated.contains(&base) {
            continue;
        }
        let record = cx.add(
            owner,
            &format!("validation-record/{base}"),
            "AWS::Route53::RecordSet",
            None,
            json!({
                "HostedZoneId": reference(&zone, "Id"),
                "Name": reference(&certificate, &format!("ValidationRecord({base}).Name")),
                "Type": "CNAME",
                "TTL": 300,
                "ResourceRecords": [reference(&certificate, &format!("ValidationRecord({base}).Value"))],
            }),
        );
        records.push(record);
        validated.push(base);
    }
    let wait = cx.add(
        owner,
        "validation",
        "fgl::CertificateValidation",
        None,
        json!({ "CertificateArn": reference(&certificate, "Arn"), "WaitFor": "ISSUED" }),
    );
    for record in records {
        cx.depend(&wait, &record);
    }
}
