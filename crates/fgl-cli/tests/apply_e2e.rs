//! `fgl secret set`, `plan`, `apply` and `destroy` end to end: the `fgl` binary against moto
//! (the local AWS, started per test on a free port and stopped after it; missing moto fails
//! the test), AWS read back through the SDK. The scenarios of the plan/apply issue, on
//! `examples/webapp.fgl`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::Credentials;
use fgl_emulator::{repo_root, Moto};
use serde_json::Value;

const SECRET: &str = "e2e-Secret-Value-7f3a";

/// One emulator with the example's hosted zone, and the `fgl` binary pointed at it.
struct World {
    moto: Moto,
    sdk: SdkConfig,
    runtime: tokio::runtime::Runtime,
    /// Every byte fgl printed, to prove the secret never appears.
    printed: std::cell::RefCell<String>,
    call_log: PathBuf,
    _dir: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl World {
    fn new(name: &str) -> World {
        let moto = Moto::start();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let sdk = runtime.block_on(
            aws_config::defaults(BehaviorVersion::latest())
                .endpoint_url(&moto.url)
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new("testing", "testing", None, None, "e2e"))
                .load(),
        );
        let dir = std::env::temp_dir().join(format!("fgl-e2e-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let world = World {
            moto,
            sdk,
            runtime,
            printed: Default::default(),
            call_log: dir.join("calls.log"),
            _dir: TempDir(dir),
        };
        let r53 = aws_sdk_route53::Client::new(&world.sdk);
        world
            .runtime
            .block_on(
                r53.create_hosted_zone()
                    .name("example.com")
                    .caller_reference("e2e")
                    .send(),
            )
            .expect("the example's hosted zone");
        world
    }

    /// Runs `fgl ARGS` with `stdin`, recording what it prints.
    fn fgl(&self, args: &[&str], stdin: &str) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fgl"));
        cmd.args(args)
            .current_dir(repo_root())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("FGL_CALL_LOG", &self.call_log)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in self.moto.env() {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("fgl starts");
        if let Some(mut input) = child.stdin.take() {
            input.write_all(stdin.as_bytes()).expect("stdin");
        }
        let out = child.wait_with_output().expect("fgl finishes");
        let mut printed = self.printed.borrow_mut();
        printed.push_str(&String::from_utf8_lossy(&out.stdout));
        printed.push_str(&String::from_utf8_lossy(&out.stderr));
        out
    }

    /// `fgl ARGS`, which must exit with `code`.
    fn expect(&self, args: &[&str], stdin: &str, code: i32) -> Output {
        let out = self.fgl(args, stdin);
        assert_eq!(
            out.status.code(),
            Some(code),
            "fgl {}\n--- stdout\n{}\n--- stderr\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Secret set, then apply from nothing.
    fn deploy(&self) {
        self.expect(
            &["secret", "set", "examples/webapp.fgl", "password"],
            SECRET,
            0,
        );
        self.expect(&["apply", "examples/webapp.fgl", "--yes"], "", 0);
    }

    /// The plan as JSON.
    fn plan_json(&self, extra: &[&str]) -> Value {
        let mut args = vec!["plan", "examples/webapp.fgl", "--format", "json"];
        args.extend_from_slice(extra);
        let out = self.expect(&args, "", 0);
        serde_json::from_slice(&out.stdout).expect("the plan's JSON")
    }

    /// The calls logged so far: (read, mutating), and clears the log.
    fn take_calls(&self) -> Vec<(String, String)> {
        let text = std::fs::read_to_string(&self.call_log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.call_log);
        parse_calls(&text)
    }

    fn block<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }
}

/// `(service, operation)` of each line of an `FGL_CALL_LOG` file (`<ms> <service> <op>`).
fn parse_calls(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            // Service names have spaces (`Route 53`); the operation is the last word.
            let (rest, op) = l.rsplit_once(' ')?;
            let (_ms, service) = rest.split_once(' ')?;
            Some((service.to_string(), op.to_string()))
        })
        .collect()
}

fn mutating(calls: &[(String, String)]) -> Vec<String> {
    calls
        .iter()
        .filter(|(_, op)| {
            !["Describe", "List", "Get", "Head"]
                .iter()
                .any(|p| op.starts_with(p))
        })
        .map(|(s, op)| format!("{s} {op}"))
        .collect()
}

/// `(id, action)` of every change in a plan's JSON.
fn changes(plan: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = plan["owners"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|o| o["changes"].as_array().cloned().unwrap_or_default())
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("").to_string(),
                c["action"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const FILE: &str = "examples/webapp.fgl";

/// `%7B%22a%22` → `{"a"`: IAM returns policy documents URL-encoded.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Scenario 1: apply from nothing, then read AWS back and check the wiring.
#[test]
fn webapp_from_nothing_is_wired_as_declared() {
    let w = World::new("wiring");
    w.deploy();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&w.sdk);
    let lbs = w
        .block(elb.describe_load_balancers().names("shop-lb").send())
        .expect("DescribeLoadBalancers");
    let lb = &lbs.load_balancers()[0];
    let lb_arn = lb.load_balancer_arn().expect("an ARN");
    let lb_dns = lb.dns_name().expect("a DNS name").to_string();
    let listeners = w
        .block(elb.describe_listeners().load_balancer_arn(lb_arn).send())
        .expect("DescribeListeners");
    let http = listeners
        .listeners()
        .iter()
        .find(|l| l.port() == Some(80))
        .expect("an HTTP:80 listener");
    let redirect = http.default_actions()[0]
        .redirect_config()
        .expect("HTTP:80 redirects");
    assert_eq!(redirect.protocol(), Some("HTTPS"));
    assert_eq!(redirect.port(), Some("443"));
    let https = listeners
        .listeners()
        .iter()
        .find(|l| l.port() == Some(443))
        .expect("an HTTPS:443 listener");
    assert_eq!(https.protocol().map(|p| p.as_str()), Some("HTTPS"));
    let cert_arn = https.certificates()[0]
        .certificate_arn()
        .expect("a certificate")
        .to_string();
    let acm = aws_sdk_acm::Client::new(&w.sdk);
    let cert = w
        .block(acm.describe_certificate().certificate_arn(&cert_arn).send())
        .expect("DescribeCertificate");
    let cert = cert.certificate().expect("the certificate");
    assert_eq!(cert.domain_name(), Some("shop.example.com"));
    assert_eq!(cert.status().map(|s| s.as_str()), Some("ISSUED"));
    let tgs = w
        .block(elb.describe_target_groups().names("shop-lb-web").send())
        .expect("DescribeTargetGroups");
    let tg_arn = tgs.target_groups()[0]
        .target_group_arn()
        .expect("an ARN")
        .to_string();
    let forward = &https.default_actions()[0];
    let forwards_to = forward.target_group_arn().map(str::to_string).or_else(|| {
        forward
            .forward_config()
            .and_then(|f| f.target_groups().first())
            .and_then(|t| t.target_group_arn())
            .map(str::to_string)
    });
    assert_eq!(forwards_to.as_deref(), Some(tg_arn.as_str()));

    let ecs = aws_sdk_ecs::Client::new(&w.sdk);
    let services = w
        .block(
            ecs.describe_services()
                .cluster("shop")
                .services("shop-web")
                .send(),
        )
        .expect("DescribeServices");
    let service = &services.services()[0];
    let attached = &service.load_balancers()[0];
    assert_eq!(attached.target_group_arn(), Some(tg_arn.as_str()));
    assert_eq!(attached.container_port(), Some(8080));
    assert_eq!(attached.container_name(), Some("web"));
    let td = w
        .block(
            ecs.describe_task_definition()
                .task_definition(service.task_definition().expect("a task definition"))
                .send(),
        )
        .expect("DescribeTaskDefinition");
    let container = &td.task_definition().expect("one").container_definitions()[0];
    let parameter_arn = "arn:aws:ssm:us-east-1:123456789012:parameter/shop/app/password";
    assert_eq!(container.secrets()[0].value_from(), parameter_arn);
    assert_eq!(container.secrets()[0].name(), "PASSWORD");
    assert!(!format!("{td:?}").contains(SECRET));

    let iam = aws_sdk_iam::Client::new(&w.sdk);
    let role = w
        .block(iam.get_role().role_name("shop-web-execution").send())
        .expect("GetRole");
    let role = role.role().expect("the role");
    let policy = w
        .block(
            iam.get_role_policy()
                .role_name(role.role_name())
                .policy_name("fgl-execution")
                .send(),
        )
        .expect("GetRolePolicy");
    let doc: Value =
        serde_json::from_str(&percent_decode(policy.policy_document())).expect("a JSON policy");
    let mut resources: Vec<String> = doc["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| match &s["Resource"] {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        })
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    resources.sort();
    assert_eq!(
        resources,
        [
            "arn:aws:logs:us-east-1:123456789012:log-group:/fgl/shop/web:log-stream:*",
            parameter_arn,
        ]
    );

    let ec2 = aws_sdk_ec2::Client::new(&w.sdk);
    let groups = w
        .block(
            ec2.describe_security_groups()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("group-name")
                        .values("shop-web")
                        .values("shop-lb")
                        .build(),
                )
                .send(),
        )
        .expect("DescribeSecurityGroups");
    let group = |name: &str| {
        groups
            .security_groups()
            .iter()
            .find(|g| g.group_name() == Some(name))
            .unwrap_or_else(|| panic!("security group {name}"))
    };
    let web_sg = group("shop-web");
    let lb_sg_id = group("shop-lb").group_id().expect("an id");
    let ingress = web_sg.ip_permissions();
    assert_eq!(ingress.len(), 1, "{ingress:?}");
    assert!(ingress[0].ip_ranges().is_empty(), "{ingress:?}");
    let sources: Vec<_> = ingress[0]
        .user_id_group_pairs()
        .iter()
        .filter_map(|p| p.group_id())
        .collect();
    assert_eq!(sources, [lb_sg_id]);
    assert_eq!(ingress[0].from_port(), Some(8080));

    let r53 = aws_sdk_route53::Client::new(&w.sdk);
    let zones = w
        .block(
            r53.list_hosted_zones_by_name()
                .dns_name("example.com")
                .send(),
        )
        .expect("ListHostedZonesByName");
    let zone_id = zones.hosted_zones()[0].id().to_string();
    let records = w
        .block(
            r53.list_resource_record_sets()
                .hosted_zone_id(&zone_id)
                .send(),
        )
        .expect("ListResourceRecordSets");
    let alias = records
        .resource_record_sets()
        .iter()
        .find(|r| r.name() == "shop.example.com." && r.r#type().as_str() == "A")
        .expect("the alias record");
    let target = alias.alias_target().expect("an alias").dns_name();
    assert!(
        target
            .trim_end_matches('.')
            .ends_with(&lb_dns.to_lowercase()),
        "{target} vs {lb_dns}"
    );
    assert!(
        !w.printed.borrow().contains(SECRET),
        "the secret's value was printed"
    );
    let log = std::fs::read_to_string(&w.call_log).unwrap_or_default();
    assert!(!log.contains(SECRET));
}

/// Scenario 2: a second plan shows no changes, a second apply makes no mutating call.
#[test]
fn second_plan_is_empty_and_second_apply_changes_nothing() {
    let w = World::new("noop");
    w.deploy();
    w.take_calls();
    let out = w.expect(&["plan", FILE, "--detailed-exitcode"], "", 0);
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
    let calls = w.take_calls();
    assert!(mutating(&calls).is_empty(), "{:?}", mutating(&calls));
    let out = w.expect(&["apply", FILE, "--yes"], "", 0);
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
    let calls = w.take_calls();
    assert_eq!(mutating(&calls), Vec::<String>::new());
}

/// Scenario 3: drift made out of band is shown by plan and repaired by apply.
#[test]
fn drift_is_shown_and_repaired() {
    let w = World::new("drift");
    w.deploy();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&w.sdk);
    let ecs = aws_sdk_ecs::Client::new(&w.sdk);
    let ec2 = aws_sdk_ec2::Client::new(&w.sdk);
    let lbs = w
        .block(elb.describe_load_balancers().names("shop-lb").send())
        .expect("DescribeLoadBalancers");
    let lb_arn = lbs.load_balancers()[0].load_balancer_arn().expect("ARN");
    let listeners = w
        .block(elb.describe_listeners().load_balancer_arn(lb_arn).send())
        .expect("DescribeListeners");
    let https = listeners
        .listeners()
        .iter()
        .find(|l| l.port() == Some(443))
        .and_then(|l| l.listener_arn())
        .expect("HTTPS listener");
    w.block(elb.delete_listener().listener_arn(https).send())
        .expect("DeleteListener");
    let groups = w
        .block(
            ec2.describe_security_groups()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("group-name")
                        .values("shop-web")
                        .build(),
                )
                .send(),
        )
        .expect("DescribeSecurityGroups");
    let web_sg = &groups.security_groups()[0];
    w.block(
        ec2.revoke_security_group_ingress()
            .group_id(web_sg.group_id().expect("id"))
            .set_ip_permissions(Some(web_sg.ip_permissions().to_vec()))
            .send(),
    )
    .expect("RevokeSecurityGroupIngress");
    w.block(
        ecs.delete_service()
            .cluster("shop")
            .service("shop-web")
            .force(true)
            .send(),
    )
    .expect("DeleteService");

    let plan = w.plan_json(&[]);
    let drift = changes(&plan);
    for id in ["lb/listener-https", "lb/ingress/web", "web/service"] {
        assert!(
            drift.contains(&(id.to_string(), "create".to_string())),
            "{id} missing from {drift:?}"
        );
    }
    w.expect(&["apply", FILE, "--yes"], "", 0);
    assert_eq!(changes(&w.plan_json(&[])), Vec::<(String, String)>::new());
}

/// Scenario 4: a new image is one new task definition revision and a service update.
#[test]
fn a_new_image_is_a_new_revision_and_a_service_update() {
    let w = World::new("image");
    w.deploy();
    let plan = w.plan_json(&["--set", "tag=1.4.3"]);
    assert_eq!(
        changes(&plan),
        [
            ("web/service".to_string(), "update".to_string()),
            ("web/task-definition".to_string(), "update".to_string()),
        ]
    );
    w.expect(&["apply", FILE, "--yes", "--set", "tag=1.4.3"], "", 0);
    let ecs = aws_sdk_ecs::Client::new(&w.sdk);
    let services = w
        .block(
            ecs.describe_services()
                .cluster("shop")
                .services("shop-web")
                .send(),
        )
        .expect("DescribeServices");
    let td_arn = services.services()[0]
        .task_definition()
        .expect("a task definition")
        .to_string();
    assert!(td_arn.ends_with("shop-web:2"), "{td_arn}");
    let td = w
        .block(
            ecs.describe_task_definition()
                .task_definition(&td_arn)
                .send(),
        )
        .expect("DescribeTaskDefinition");
    let image = td.task_definition().expect("one").container_definitions()[0].image();
    assert_eq!(image, Some("ghcr.io/acme/shop:1.4.3"));
    let active = w
        .block(
            ecs.list_task_definitions()
                .family_prefix("shop-web")
                .status(aws_sdk_ecs::types::TaskDefinitionStatus::Active)
                .send(),
        )
        .expect("ListTaskDefinitions");
    assert_eq!(active.task_definition_arns(), std::slice::from_ref(&td_arn));
    assert_eq!(
        changes(&w.plan_json(&["--set", "tag=1.4.3"])),
        Vec::<(String, String)>::new()
    );
}

/// Scenario 5: an apply is refused while another holds the lock, naming the holder;
/// `--force-unlock` breaks it.
#[test]
fn the_lock_refuses_a_concurrent_apply_and_can_be_forced() {
    let w = World::new("lock");
    w.expect(&["secret", "set", FILE, "password"], SECRET, 0);
    let ssm = aws_sdk_ssm::Client::new(&w.sdk);
    let holder = r#"{"who":"arn:aws:iam::123456789012:user/ana on build-7 (pid 4242)","operation":"apply","since":1700000000}"#;
    w.block(
        ssm.put_parameter()
            .name("/fgl/shop/lock")
            .value(holder)
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .send(),
    )
    .expect("PutParameter");
    let out = w.expect(&["apply", FILE, "--yes"], "", 1);
    let err = stderr(&out);
    assert!(
        err.contains("stack `shop` is locked by arn:aws:iam::123456789012:user/ana on build-7 (pid 4242) (apply since"),
        "{err}"
    );
    assert!(err.contains("--force-unlock"), "{err}");
    w.expect(&["apply", FILE, "--yes", "--force-unlock"], "", 0);
    let gone = w.block(ssm.get_parameter().name("/fgl/shop/lock").send());
    assert!(gone.is_err(), "the lock is released after apply");
}

/// Scenario 6: destroy deletes everything tagged with the stack and nothing else.
#[test]
fn destroy_deletes_the_stack_and_only_the_stack() {
    let w = World::new("destroy");
    let ec2 = aws_sdk_ec2::Client::new(&w.sdk);
    let ssm = aws_sdk_ssm::Client::new(&w.sdk);
    let vpc = w
        .block(ec2.create_vpc().cidr_block("10.9.0.0/16").send())
        .expect("CreateVpc");
    let vpc_id = vpc
        .vpc()
        .and_then(|v| v.vpc_id())
        .expect("an id")
        .to_string();
    // Same name as the stack's group, in another VPC, without fgl's tags.
    let foreign = w
        .block(
            ec2.create_security_group()
                .group_name("shop-web")
                .description("not fgl's")
                .vpc_id(&vpc_id)
                .send(),
        )
        .expect("CreateSecurityGroup");
    w.block(
        ssm.put_parameter()
            .name("/shop/app/unowned")
            .value("keep me")
            .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
            .send(),
    )
    .expect("PutParameter");
    w.deploy();
    let out = w.expect(&["destroy", FILE, "--yes"], "", 0);
    assert!(
        stdout(&out).contains("Destroy complete"),
        "{}",
        stdout(&out)
    );
    // Nothing of the stack is left: the plan would create everything again.
    let plan = w.plan_json(&[]);
    let summary = &plan["summary"];
    assert_eq!(summary["update"], 0, "{plan}");
    assert_eq!(summary["delete"], 0, "{plan}");
    assert_eq!(summary["unchanged"], 0, "{plan}");
    let out = w.expect(&["destroy", FILE, "--yes"], "", 0);
    assert!(
        stdout(&out).contains("Nothing to destroy"),
        "{}",
        stdout(&out)
    );
    // What fgl does not own survives.
    let sg = w.block(
        ec2.describe_security_groups()
            .group_ids(foreign.group_id().expect("id"))
            .send(),
    );
    assert_eq!(sg.expect("the foreign group").security_groups().len(), 1);
    let p = w.block(ssm.get_parameter().name("/shop/app/unowned").send());
    assert!(p.is_ok(), "the unowned parameter survives");
}

/// Scenario 7: an apply killed after its k-th mutating call; the next apply converges and
/// leaves nothing behind twice.
#[test]
fn an_interrupted_apply_converges() {
    for k in [2usize, 9, 20] {
        let w = World::new(&format!("interrupt-{k}"));
        w.expect(&["secret", "set", FILE, "password"], SECRET, 0);
        w.take_calls();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fgl"));
        cmd.args(["apply", FILE, "--yes"])
            .current_dir(repo_root())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("FGL_CALL_LOG", &w.call_log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (key, v) in w.moto.env() {
            cmd.env(key, v);
        }
        let mut child = cmd.spawn().expect("fgl starts");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let text = std::fs::read_to_string(&w.call_log).unwrap_or_default();
            let calls = parse_calls(&text);
            // The lock's PutParameter is the first mutating call; count the resources' own.
            if mutating(&calls).len() > k {
                let _ = child.kill();
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "k = {k}: apply ended ({status}) before its call {k}: nothing was interrupted"
                );
            }
            assert!(
                std::time::Instant::now() < deadline,
                "apply never reached call {k}"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let _ = child.wait();
        // The killed apply held the lock: the next one must break it.
        w.expect(&["apply", FILE, "--yes", "--force-unlock"], "", 0);
        let plan = w.plan_json(&[]);
        assert_eq!(changes(&plan), Vec::<(String, String)>::new(), "k = {k}");
        assert!(
            plan["conflicts"].as_array().is_some_and(Vec::is_empty),
            "k = {k}: {plan}"
        );
        // One of each: no orphan left by the interrupted attempt.
        let ec2 = aws_sdk_ec2::Client::new(&w.sdk);
        let vpcs = w
            .block(
                ec2.describe_vpcs()
                    .filters(
                        aws_sdk_ec2::types::Filter::builder()
                            .name("cidr")
                            .values("10.0.0.0/16")
                            .build(),
                    )
                    .send(),
            )
            .expect("DescribeVpcs");
        let ours = vpcs
            .vpcs()
            .iter()
            .filter(|v| v.tags().iter().any(|t| t.key() == Some("fgl:stack")))
            .count();
        assert_eq!(ours, 1, "k = {k}: VPCs {:?}", vpcs.vpcs());
        let acm = aws_sdk_acm::Client::new(&w.sdk);
        let certs = w
            .block(acm.list_certificates().send())
            .expect("ListCertificates");
        assert_eq!(certs.certificate_summary_list().len(), 1, "k = {k}");
    }
}
