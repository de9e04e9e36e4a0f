//! `AWS::CertificateManager::Certificate` and the `fgl::CertificateValidation` wait step
//! against moto (which issues a certificate `MOTO_ACM_VALIDATION_WAIT` seconds after the
//! request: 2 in the harness).

mod common;

use common::check::{assert_no_diff, create_and_read, create_checked, discovered_ids, retag};
use common::{node, nodes, resolved, sdk};
use fgl_plan::{Provider, Resolved};
use serde_json::json;

fn validation_node(stack: &str, arn: &str) -> Resolved {
    resolved(
        stack,
        &node(json!({
            "id": "cert/validation", "kind": "fgl::CertificateValidation",
            "owner": "cert", "owner_kind": "aws.Certificate",
            "properties": {"CertificateArn": arn, "WaitFor": "ISSUED"}
        })),
    )
}

#[tokio::test]
async fn certificate_and_validation() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let acm = aws_sdk_acm::Client::new(&emu.config);
    let cert_n = nodes::certificate("market");

    // A certificate for the same domain made outside fgl is never the node's.
    let outside = acm
        .request_certificate()
        .domain_name("market.example.com")
        .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
        .send()
        .await
        .unwrap();
    let outside_arn = outside.certificate_arn().unwrap().to_string();
    assert_eq!(provider.read(&cert_n).await.unwrap(), None);

    // Create: validation records as attributes, empty second plan, read finds it.
    let (cert, read) = create_and_read(provider, &cert_n).await;
    assert_ne!(cert.physical_id, outside_arn);
    assert_eq!(cert.attrs["Arn"], json!(cert.physical_id));
    let name = cert.attrs["ValidationRecord(market.example.com).Name"]
        .as_str()
        .unwrap();
    let value = cert.attrs["ValidationRecord(market.example.com).Value"]
        .as_str()
        .unwrap();
    assert!(name.contains("market.example.com"), "{name}");
    assert!(!value.is_empty());
    assert_eq!(read.physical_id, cert.physical_id);
    assert_no_diff(provider, &cert_n, &read);

    // A retried create returns the same certificate, never a second one.
    let again = provider.create(&cert_n).await.unwrap();
    assert_eq!(again.physical_id, cert.physical_id);
    let all = acm.list_certificates().send().await.unwrap();
    assert_eq!(all.certificate_summary_list().len(), 2);

    // Every field is create-only.
    let spec = provider.spec(&cert_n.kind);
    assert!(spec.forces_replace("DomainName"));
    assert!(spec.forces_replace("SubjectAlternativeNames[0]"));

    // Discover: ours only, not the one made outside, nothing for another stack.
    let found = provider.discover("market").await.unwrap();
    let arns: Vec<&str> = found.iter().map(|l| l.physical_id.as_str()).collect();
    assert_eq!(arns, [cert.physical_id.as_str()]);
    assert_eq!(found[0].id, "cert/certificate");
    assert!(provider.discover("other").await.unwrap().is_empty());

    // Tags change in place.
    let updated = retag(provider, &cert_n, &cert, "Team", "web").await;
    let tags = acm
        .list_tags_for_certificate()
        .certificate_arn(&cert.physical_id)
        .send()
        .await
        .unwrap();
    let tags = tags.tags().iter().map(|t| (Some(t.key()), t.value()));
    assert!(sdk::has_tag(tags, "Team", "web"));

    // The validation: done once ISSUED (moto issues after its wait).
    let v_n = validation_node("market", &cert.physical_id);
    let done = create_checked(provider, &v_n).await;
    provider.delete(&done).await.unwrap();
    // Deleting the step leaves the certificate alone.
    assert!(provider.read(&cert_n).await.unwrap().is_some());

    // Delete, and again.
    provider.delete(&updated).await.unwrap();
    provider.delete(&updated).await.unwrap();
    assert_eq!(provider.read(&cert_n).await.unwrap(), None);
    assert!(provider.discover("market").await.unwrap().is_empty());
    // The validation of a certificate that is gone is not done.
    assert_eq!(provider.read(&v_n).await.unwrap(), None);
}

#[tokio::test]
async fn validation_of_a_pending_certificate_is_not_done() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let cert = provider.create(&nodes::certificate("shop")).await.unwrap();
    // Right after the request, moto has not issued it yet.
    let v_n = validation_node("shop", &cert.physical_id);
    assert_eq!(provider.read(&v_n).await.unwrap(), None);
}

/// The webapp snapshot's DNS validation chain: the zone looked up, the certificate's
/// validation record written from its attributes (names with trailing dots, as ACM gives
/// them), then the wait until ISSUED; a second plan of each is empty.
#[tokio::test]
async fn validation_chain_through_route53() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let r53 = aws_sdk_route53::Client::new(&emu.config);
    sdk::hosted_zone(&r53, "example.com", "zone").await;
    let zone_n = nodes::zone("shop", "example.com");
    let zone = provider.read(&zone_n).await.unwrap().expect("the zone");
    let mut cert_n = nodes::certificate("shop");
    cert_n.properties = json!({"DomainName": "shop.example.com", "ValidationMethod": "DNS",
        "KeyAlgorithm": "RSA_2048"})
    .as_object()
    .cloned()
    .unwrap();
    let cert = provider.create(&cert_n).await.unwrap();
    assert_no_diff(provider, &cert_n, &cert);

    let record_n = nodes::validation_record(
        "shop",
        zone.attrs["Id"].as_str().unwrap(),
        cert.attrs["ValidationRecord(shop.example.com).Name"].clone(),
        cert.attrs["ValidationRecord(shop.example.com).Value"].clone(),
    );
    let record = provider.create(&record_n).await.unwrap();
    assert_no_diff(provider, &record_n, &record);
    let read = provider.read(&record_n).await.unwrap().expect("the record");
    assert_no_diff(provider, &record_n, &read);
    assert!(read.owned_by("shop"));

    let v_n = validation_node("shop", &cert.physical_id);
    let done = provider.create(&v_n).await.unwrap();
    assert_no_diff(provider, &v_n, &done);
    assert_eq!(
        discovered_ids(provider, "shop").await,
        ["cert/certificate", record_n.id.as_str()]
    );
}
