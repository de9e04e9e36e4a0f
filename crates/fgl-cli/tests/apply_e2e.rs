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
    /// A world with the example's hosted zone.
    fn new(name: &str) -> World {
        let world = World::bare(name);
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

    /// An empty emulator.
    fn bare(name: &str) -> World {
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
        World {
            moto,
            sdk,
            runtime,
            printed: Default::default(),
            call_log: dir.join("calls.log"),
            _dir: TempDir(dir),
        }
    }

    /// `fgl ARGS` in the repository's root, on this emulator only (no environment of the
    /// machine's user), logging its AWS calls.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fgl"));
        cmd.args(args)
            .current_dir(repo_root())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("FGL_CALL_LOG", &self.call_log);
        for (k, v) in self.moto.env() {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `fgl ARGS` with `stdin`, recording what it prints.
    fn fgl(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("fgl starts");
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

    /// The example's ECS service as AWS describes it now.
    fn web_service(&self) -> aws_sdk_ecs::types::Service {
        let ecs = aws_sdk_ecs::Client::new(&self.sdk);
        let out = self
            .block(
                ecs.describe_services()
                    .cluster("shop")
                    .services("shop-web")
                    .send(),
            )
            .expect("DescribeServices");
        out.services()
            .first()
            .cloned()
            .expect("the service shop-web")
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
    let service = &w.web_service();
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
    // The plan for people: grouped by the container, field by field.
    let text = stdout(&w.expect(&["plan", FILE, "--set", "tag=1.4.3"], "", 0));
    let expected = "web (aws.Container)\n    \
        ~ web/task-definition (AWS::ECS::TaskDefinition)\n        \
        ContainerDefinitions[0].Image: \"ghcr.io/acme/shop:1.4.2\" → \"ghcr.io/acme/shop:1.4.3\"\n    \
        ~ web/service (AWS::ECS::Service)\n        \
        TaskDefinition: \"arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:1\" → (known after apply)\n\n\
        Plan: 0 to create, 2 to update, 0 to replace, 0 to delete (25 unchanged).\n";
    assert_eq!(text, expected);
    w.expect(&["apply", FILE, "--yes", "--set", "tag=1.4.3"], "", 0);
    let ecs = aws_sdk_ecs::Client::new(&w.sdk);
    let td_arn = w
        .web_service()
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
        let mut child = w
            .command(&["apply", FILE, "--yes"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("fgl starts");
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

/// Before its first change, apply refuses what would fail halfway, changing nothing: a missing
/// hosted zone, a secret without a value, no consent.
#[test]
fn apply_checks_before_changing_anything() {
    let w = World::bare("preflight");
    // No hosted zone: a conflict of the plan.
    w.expect(&["secret", "set", FILE, "password"], SECRET, 0);
    w.take_calls();
    let out = w.expect(&["apply", FILE, "--yes"], "", 1);
    assert!(
        stdout(&out)
            .contains("conflict cert/zone: AWS::Route53::HostedZone `example.com` was not found"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("apply refused"), "{}", stderr(&out));
    let lock_only = ["SSM PutParameter", "SSM DeleteParameter"];
    assert_eq!(mutating(&w.take_calls()), lock_only);

    // A secret without a value: says which command sets it.
    let ssm = aws_sdk_ssm::Client::new(&w.sdk);
    w.block(ssm.delete_parameter().name("/shop/app/password").send())
        .expect("DeleteParameter");
    let r53 = aws_sdk_route53::Client::new(&w.sdk);
    w.block(
        r53.create_hosted_zone()
            .name("example.com")
            .caller_reference("e2e")
            .send(),
    )
    .expect("CreateHostedZone");
    w.take_calls();
    let out = w.expect(&["apply", FILE, "--yes"], "", 1);
    assert!(
        stderr(&out).contains(
            "secret `password` has no value (/shop/app/password)\n  = help: run `fgl secret set examples/webapp.fgl password`"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(mutating(&w.take_calls()), lock_only);

    // No terminal and no --yes: nothing is applied, and it says how to consent.
    w.expect(&["secret", "set", FILE, "password"], SECRET, 0);
    w.take_calls();
    let out = w.expect(&["apply", FILE], "", 2);
    assert!(
        stderr(&out).contains("apply needs confirmation, and standard input is not a terminal"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("pass --yes"), "{}", stderr(&out));
    assert_eq!(mutating(&w.take_calls()), lock_only);
}

/// `examples/webapp.fgl` with `FGL_TEST_FAIL=<mode>` in the container's environment: the
/// emulator extension (`tests/emulator/fgl_moto.py`) then fails its deployments the way ECS
/// does for that cause.
fn failing_webapp(w: &World, mode: &str) -> String {
    let source = std::fs::read_to_string(repo_root().join(FILE)).expect("the example");
    let changed = source.replace(
        "env = { USER = \"shop\" }",
        &format!("env = {{ USER = \"shop\", FGL_TEST_FAIL = \"{mode}\" }}"),
    );
    assert_ne!(changed, source, "the example's env line moved");
    let path = w._dir.0.join(format!("{mode}.fgl"));
    std::fs::write(&path, changed).expect("the variant");
    path.display().to_string()
}

/// Applies `file` (a first deployment), expecting the rollout to fail: exit 1, and stderr's
/// cause and fix lines.
fn failed_rollout(w: &World, file: &str) -> (String, String) {
    w.expect(&["secret", "set", file, "password"], SECRET, 0);
    let out = w.expect(&["apply", file, "--yes"], "", 1);
    let err = stderr(&out);
    let line = |prefix: &str| {
        err.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{err}"))
            .to_string()
    };
    (line("error: web: "), line("  = fix: "))
}

/// Issue 6, catalogue entry 1: the task cannot read its secret.
#[test]
fn a_secret_the_task_cannot_read_is_the_cause_in_one_line() {
    let w = World::new("fail-secrets");
    let file = failing_webapp(&w, "secrets");
    let (cause, fix) = failed_rollout(&w, &file);
    assert_eq!(
        cause,
        "error: web: web's tasks cannot read secret PASSWORD (/shop/app/password): role shop-web-execution is not allowed ssm:GetParameters"
    );
    assert_eq!(
        fix,
        "  = fix: let the execution role read the parameter — fgl grants it; if you edited the role or the parameter's KMS key, run fgl apply again"
    );
}

/// Issue 6, catalogue entries 2 to 6: an image that does not exist, no network path, the
/// essential container exiting (with its log's last 20 lines), out of memory, failing health
/// checks.
#[test]
fn each_rollout_failure_is_one_cause_and_one_fix() {
    let cases = [
        (
            "image",
            "error: web: web's image ghcr.io/acme/shop:1.4.2 does not exist: the registry has no such repository or tag",
            "  = fix: push the image, or correct image = \"…\" in the file, then run fgl apply again",
        ),
        (
            "network",
            "error: web: web's tasks have no network path to ECR (api.ecr.us-east-1.amazonaws.com) to pull its image: the connection timed out",
            "  = fix: the tasks have a public IP yet cannot connect: the public subnets' route to the internet gateway or the security group's outbound rule is missing; run fgl apply to repair them",
        ),
        (
            "exit",
            "error: web: web exited with code 1; its last 20 log lines are below",
            "  = fix: fix the error the log shows, push a new image and run fgl apply again",
        ),
        (
            "oom",
            "error: web: web ran out of memory: it used all of its 512 MiB and was killed (exit code 137)",
            "  = fix: raise memory to 1024 (the next Fargate size with cpu = 256), or make the app use less; then run fgl apply",
        ),
        (
            "health",
            "error: web: the load balancer's health check of web fails: GET /healthz on port 8080 answers 404, not 200-399",
            "  = fix: make web answer 200-399 on /healthz, or point health.path at a path that does; then run fgl apply",
        ),
    ];
    for (mode, cause, fix) in cases {
        let w = World::new(&format!("fail-{mode}"));
        let file = failing_webapp(&w, mode);
        assert_eq!(
            failed_rollout(&w, &file),
            (cause.to_string(), fix.to_string()),
            "{mode}"
        );
        if mode == "exit" {
            let printed = w.printed.borrow();
            let tail: Vec<&str> = printed.lines().filter(|l| l.starts_with("  | ")).collect();
            assert_eq!(tail.len(), 20, "{printed}");
            assert_eq!(tail[19], "  | Error: connect ECONNREFUSED 10.0.3.7:5432");
        }
    }
}

/// Issue 6, catalogue entry 7, and `fgl status` / `fgl logs`: a failing update is rolled back
/// by the circuit breaker; apply names the revision that serves now; status reports it and
/// exits 1; logs shows the container's lines.
#[test]
fn a_rolled_back_deployment_names_the_revision_serving_now() {
    let w = World::new("rollback");
    w.deploy();
    let out = w.expect(&["status", FILE, "--format", "json"], "", 0);
    let status: Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    assert_eq!(status["healthy"], true, "{status}");
    assert_eq!(status["containers"][0]["state"], "completed", "{status}");
    assert_eq!(status["containers"][0]["running"], 2, "{status}");
    assert_eq!(status["certificates"][0]["status"], "ISSUED", "{status}");

    let file = failing_webapp(&w, "exit");
    let out = w.expect(&["apply", &file, "--yes"], "", 1);
    let err = stderr(&out);
    assert!(
        err.contains("error: web: web exited with code 1; its last 20 log lines are below"),
        "{err}"
    );
    assert!(
        err.contains("rolled back: shop-web:1 is serving now (shop-web:2 failed)"),
        "{err}"
    );
    let out = w.expect(&["status", &file, "--format", "json"], "", 1);
    let status: Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    assert_eq!(status["healthy"], false, "{status}");
    assert_eq!(status["containers"][0]["state"], "failed", "{status}");
    assert_eq!(
        status["containers"][0]["revision"], "shop-web:2",
        "{status}"
    );

    let out = w.expect(&["logs", FILE, "web", "--since", "1h"], "", 0);
    let logs = stdout(&out);
    assert!(
        logs.lines()
            .any(|l| l.ends_with(" Error: connect ECONNREFUSED 10.0.3.7:5432")),
        "{logs}"
    );
    let out = w.expect(&["logs", FILE, "nope"], "", 1);
    assert!(
        stderr(&out).contains("no container `nope`"),
        "{}",
        stderr(&out)
    );
}

/// The ids of the service's deployments, newest first as ECS lists them.
fn deployments(w: &World) -> Vec<String> {
    w.web_service()
        .deployments()
        .iter()
        .filter_map(|d| d.id().map(str::to_string))
        .collect()
}

/// Issue 6, secret rotation: a new value is a redeploy of exactly the containers that read
/// the secret, shown by plan and done by apply; `secret set --redeploy` does it at once.
#[test]
fn a_rotated_secret_redeploys_the_containers_that_read_it() {
    let w = World::new("rotation");
    w.deploy();
    let first = deployments(&w);
    w.expect(&["secret", "set", FILE, "password"], "rotated-1", 0);
    let plan = w.plan_json(&[]);
    assert_eq!(
        changes(&plan),
        [("web/service".to_string(), "update".to_string())]
    );
    let text = stdout(&w.expect(&["plan", FILE], "", 0));
    assert!(
        text.contains("redeploy web: secret `password` changed (version 1 → 2)"),
        "{text}"
    );
    w.take_calls();
    w.expect(&["apply", FILE, "--yes"], "", 0);
    let changed: Vec<String> = mutating(&w.take_calls())
        .into_iter()
        .filter(|c| !c.starts_with("SSM "))
        .collect();
    assert_eq!(changed, ["ECS UpdateService", "ECS TagResource"]);
    let second = deployments(&w);
    assert_ne!(second.first(), first.first(), "a new deployment started");
    assert_eq!(changes(&w.plan_json(&[])), Vec::<(String, String)>::new());

    // At once: set and redeploy in one command.
    let out = w.expect(
        &["secret", "set", FILE, "password", "--redeploy"],
        "rotated-2",
        0,
    );
    assert!(
        stdout(&out).contains("redeploy web: secret `password` changed (version 2 → 3)"),
        "{}",
        stdout(&out)
    );
    assert_ne!(
        deployments(&w).first(),
        second.first(),
        "another deployment"
    );
    assert_eq!(changes(&w.plan_json(&[])), Vec::<(String, String)>::new());
    assert!(!w.printed.borrow().contains("rotated-"));
}
