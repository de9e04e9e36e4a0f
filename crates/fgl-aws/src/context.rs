//! The apply context: the account (STS GetCallerIdentity), the region (the SDK's
//! configuration) and the availability zones that can take subnets (EC2).

use aws_sdk_ec2::types::{AvailabilityZoneState, Filter};
use fgl_plan::{Context, ProviderError};

use crate::clients::Clients;
use crate::error::sdk;

pub(crate) async fn read(c: &Clients) -> Result<Context, ProviderError> {
    let region = c.region.clone().ok_or_else(|| {
        ProviderError::hard(
            "no AWS region: set AWS_REGION, `region` in the AWS profile, or pass --region",
        )
    })?;
    let (who, zones) = tokio::join!(
        c.sts.get_caller_identity().send(),
        c.ec2
            .describe_availability_zones()
            .filters(
                Filter::builder()
                    .name("zone-type")
                    .values("availability-zone")
                    .build()
            )
            .send()
    );
    let who = who.map_err(|e| sdk("the AWS account", "sts:GetCallerIdentity", e))?;
    let account = who
        .account()
        .ok_or_else(|| ProviderError::hard("sts:GetCallerIdentity returned no account"))?
        .to_string();
    let zones = zones.map_err(|e| sdk("the region's zones", "DescribeAvailabilityZones", e))?;
    // Zones in name order, so that `${aws:az:0}` is the same zone on every run.
    let mut names: Vec<String> = zones
        .availability_zones()
        .iter()
        .filter(|z| z.state() == Some(&AvailabilityZoneState::Available))
        .filter_map(|z| z.zone_name().map(str::to_string))
        .collect();
    names.sort();
    Ok(Context {
        account,
        region,
        zones: names,
    })
}
