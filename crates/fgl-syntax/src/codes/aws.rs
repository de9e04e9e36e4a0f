//! AWS rules: E04xx, reported by `fgl-lower` on the evaluated resources of `std/aws`, offline.
//! Each names AWS's limit in its message and points at the offending field. (Limits a type can
//! say — ports 1–65535, health check intervals 5–300 — are the stdlib's field types, so the
//! checker reports them as E0206 before evaluation.)

use super::CodeInfo;
use crate::diagnostic::Code;

pub const FARGATE_SIZE: Code = Code("E0400");
pub const TARGET_WITHOUT_PORT: Code = Code("E0401");
pub const HEALTH_CHECK_TIMEOUT: Code = Code("E0402");
pub const DOMAIN_NOT_COVERED: Code = Code("E0403");
pub const NEEDS_CERTIFICATE: Code = Code("E0404");
pub const DOMAIN_OUTSIDE_ZONE: Code = Code("E0405");
pub const INVALID_SSM_NAME: Code = Code("E0406");
pub const INVALID_KMS_KEY: Code = Code("E0407");
pub const TOO_FEW_ZONES: Code = Code("E0408");
pub const ENV_SECRET_COLLISION: Code = Code("E0409");
pub const PRIVATE_WITHOUT_NAT: Code = Code("E0410");
pub const INVALID_CIDR: Code = Code("E0411");
pub const SEVERAL_NETWORKS: Code = Code("E0412");
pub const INVALID_DOMAIN_NAME: Code = Code("E0413");
pub const STACK_REQUIRED: Code = Code("E0414");

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: FARGATE_SIZE,
        title: "cpu and memory are not a Fargate size",
        explanation: r#"Fargate runs a task only with one of its cpu/memory combinations (memory in
MiB, 1 GiB = 1024):

| cpu | memory |
|---|---|
| 256 | 512, 1024, 2048 |
| 512 | 1024 to 4096, in 1024 steps |
| 1024 | 2048 to 8192, in 1024 steps |
| 2048 | 4096 to 16384, in 1024 steps |
| 4096 | 8192 to 30720, in 1024 steps |
| 8192 | 16384 to 61440, in 4096 steps |
| 16384 | 32768 to 122880, in 8192 steps |

The error points at `memory` and lists the sizes allowed with that `cpu`.

Wrong:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", cpu = 256, memory = 4096 }
```

Right:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", cpu = 1024, memory = 4096 }
```
"#,
    },
    CodeInfo {
        code: TARGET_WITHOUT_PORT,
        title: "load balancer target without a port",
        explanation: r#"A load balancer sends traffic to a container's port: its target group and
the service's load balancer mapping need it. A container used as a `LoadBalancer`'s `target`, or
as the target of one of its `routes`, must declare `port`.

Wrong:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27" }
lb = aws.LoadBalancer { target = web }
```

Right:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", port = 80 }
lb = aws.LoadBalancer { target = web }
```
"#,
    },
    CodeInfo {
        code: HEALTH_CHECK_TIMEOUT,
        title: "health check timeout not below its interval",
        explanation: r#"A target group's health check must time out before the next check starts:
AWS requires `timeout` (2–120 seconds) to be less than `interval` (5–300 seconds).

Wrong:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", port = 80, health = { interval = 10, timeout = 10 } }
```

Right:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", port = 80, health = { interval = 10, timeout = 5 } }
```
"#,
    },
    CodeInfo {
        code: DOMAIN_NOT_COVERED,
        title: "domain not covered by the certificate",
        explanation: r#"Browsers reject an HTTPS answer whose certificate does not name the
requested host. Every name in a `LoadBalancer`'s `domains`, and every `host` of its `routes`,
must be covered by its certificate: equal to its `domain` or one of its `alt_names`, or matched
by a wildcard of exactly one level (`*.example.com` covers `shop.example.com`, not
`example.com` nor `a.shop.example.com`). Names compare without regard to case.

Wrong:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", port = 80 }
cert = aws.Certificate { domain = "shop.example.com", zone = "example.com" }
lb = aws.LoadBalancer { certificate = cert, domains = ["www.example.com"], target = web }
```

Right:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", port = 80 }
cert = aws.Certificate { domain = "shop.example.com", alt_names = ["www.example.com"], zone = "example.com" }
lb = aws.LoadBalancer { certificate = cert, domains = ["www.example.com"], target = web }
```
"#,
    },
    CodeInfo {
        code: NEEDS_CERTIFICATE,
        title: "setting that needs a certificate",
        explanation: r#"Two settings of a `LoadBalancer` need its `certificate`: `domains` (the alias
records are written in the certificate's hosted zone, and the names are served over HTTPS) and
`redirect_http = true` (a redirect to HTTPS needs an HTTPS listener). Set a certificate, or drop
the setting.

Wrong:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", port = 80 }
lb = aws.LoadBalancer { domains = ["shop.example.com"], target = web }
```

Right:

```fgl
import "std/aws"
web = aws.Container { image = "nginx:1.27", port = 80 }
cert = aws.Certificate { domain = "shop.example.com", zone = "example.com" }
lb = aws.LoadBalancer { certificate = cert, domains = ["shop.example.com"], target = web }
```
"#,
    },
    CodeInfo {
        code: DOMAIN_OUTSIDE_ZONE,
        title: "certificate domain outside its hosted zone",
        explanation: r#"ACM validates a certificate through a DNS record for each of its names, which
fgl writes in the certificate's `zone`. A name outside that zone (neither the zone itself nor a
name ending with `.<zone>`) could never be validated, and the certificate would stay pending.

Wrong:

```fgl
import "std/aws"
cert = aws.Certificate { domain = "shop.example.org", zone = "example.com" }
```

Right:

```fgl
import "std/aws"
cert = aws.Certificate { domain = "shop.example.com", zone = "example.com" }
```
"#,
    },
    CodeInfo {
        code: INVALID_SSM_NAME,
        title: "invalid SSM parameter name",
        explanation: r#"A `Secret` becomes the SSM parameter `/<stack>/<name>`, and SSM accepts only
names made of letters, digits, `_`, `.`, `-` and `/` between levels, at most 15 levels deep (the
stack is one, so `name` may have 14), at most 1011 characters, and not starting with `aws` or `ssm`
(reserved by AWS, in any case). Each level must be non-empty: no leading, trailing or doubled
`/`.

Wrong:

```fgl
import "std/aws"
password = aws.Secret { name = "db password" }
```

Right:

```fgl
import "std/aws"
password = aws.Secret { name = "db/password" }
```
"#,
    },
    CodeInfo {
        code: INVALID_KMS_KEY,
        title: "KMS key is not a key id or key ARN",
        explanation: r#"The execution role of each container using a secret gets `kms:Decrypt` on the
secret's KMS key, and an IAM policy can name a key only by its ARN: `kms_key` must be a key id
(`1234abcd-12ab-34cd-56ef-1234567890ab`) or a key ARN (`arn:aws:kms:<region>:<account>:key/<id>`).
An alias (`alias/my-key`) cannot be granted exactly; use the key it points to.

Wrong:

```fgl
import "std/aws"
password = aws.Secret { name = "db/password", kms_key = "alias/app" }
```

Right:

```fgl
import "std/aws"
password = aws.Secret { name = "db/password", kms_key = "1234abcd-12ab-34cd-56ef-1234567890ab" }
```
"#,
    },
    CodeInfo {
        code: TOO_FEW_ZONES,
        title: "load balancer in fewer than 2 availability zones",
        explanation: r#"AWS creates an application load balancer only across subnets in at least two
availability zones. A stack with a `LoadBalancer` needs a `Network` with `az_count` of 2 or more
(the default network has 2).

Wrong:

```fgl
import "std/aws"
network = aws.Network { az_count = 1 }
web = aws.Container { image = "nginx:1.27", port = 80 }
lb = aws.LoadBalancer { target = web }
```

Right:

```fgl
import "std/aws"
network = aws.Network { az_count = 2 }
web = aws.Container { image = "nginx:1.27", port = 80 }
lb = aws.LoadBalancer { target = web }
```
"#,
    },
    CodeInfo {
        code: ENV_SECRET_COLLISION,
        title: "environment variable set twice",
        explanation: r#"A container's `env` and `secrets` both become environment variables of the
task; ECS rejects a task definition that sets one name in both. Rename one of them.

Wrong:

```fgl
import "std/aws"
password = aws.Secret { name = "db/password" }
web = aws.Container { image = "nginx:1.27", env = { PASSWORD = "x" }, secrets = { PASSWORD = password } }
```

Right:

```fgl
import "std/aws"
password = aws.Secret { name = "db/password" }
web = aws.Container { image = "nginx:1.27", env = { USER = "x" }, secrets = { PASSWORD = password } }
```
"#,
    },
    CodeInfo {
        code: PRIVATE_WITHOUT_NAT,
        title: "private subnets without NAT",
        explanation: r#"A container with `subnets = "private"` runs without a public IP, so it reaches
the internet (to pull its image, read its secrets, write its logs) only through a NAT gateway.
The stack's `Network` must have `nat = "single"` or `"per_az"` (the default network has no NAT,
hence no private subnets).

Wrong:

```fgl
import "std/aws"
worker = aws.Container { image = "acme/worker:1", subnets = "private" }
```

Right:

```fgl
import "std/aws"
network = aws.Network { nat = "single" }
worker = aws.Container { image = "acme/worker:1", subnets = "private" }
```
"#,
    },
    CodeInfo {
        code: INVALID_CIDR,
        title: "invalid network CIDR block",
        explanation: r#"A `Network`'s `cidr` is the VPC's IPv4 range, written `a.b.c.d/n` with the host
bits zero. AWS accepts VPCs from /16 to /28; fgl cuts it into 16 equal subnets (a public and a
private one per zone), each at least a /28, so `n` must be between 16 and 24.

Wrong:

```fgl
import "std/aws"
network = aws.Network { cidr = "10.0.0.0/8" }
```

Right:

```fgl
import "std/aws"
network = aws.Network { cidr = "10.0.0.0/16" }
```
"#,
    },
    CodeInfo {
        code: SEVERAL_NETWORKS,
        title: "more than one network",
        explanation: r#"Every container and load balancer of a stack runs in the stack's one network,
so a stack declares at most one `Network` (or none, for the default one). Use separate stacks
for separate networks.

Wrong:

```fgl
import "std/aws"
a = aws.Network {}
b = aws.Network { cidr = "10.1.0.0/16" }
```

Right:

```fgl
import "std/aws"
network = aws.Network { cidr = "10.1.0.0/16" }
```
"#,
    },
    CodeInfo {
        code: INVALID_DOMAIN_NAME,
        title: "invalid domain name",
        explanation: r#"Domain names (a certificate's `domain`, `alt_names` and `zone`, a load
balancer's `domains`, a route's `host`) must be DNS names that ACM and Route53 accept: labels of
1–63 letters, digits and hyphens (not starting or ending with a hyphen) separated by dots, at
most 253 characters, at least two labels; `*` may only be the whole first label of a
certificate name or route host (a wildcard).

Wrong:

```fgl
import "std/aws"
cert = aws.Certificate { domain = "shop_app.example.com", zone = "example.com" }
```

Right:

```fgl
import "std/aws"
cert = aws.Certificate { domain = "shop-app.example.com", zone = "example.com" }
```
"#,
    },
    CodeInfo {
        code: STACK_REQUIRED,
        title: "no stack name",
        explanation: r#"Every AWS name fgl derives starts with the stack's name (`shop-web`, the SSM
parameter `/shop/app/password`), and every resource it creates is tagged `fgl:stack=<stack>`, so
showing the AWS resources (`fgl eval --lowered`, `fgl graph`), planning and applying need one.
`fgl check` and plain `fgl eval` do not.

Wrong (`fgl graph app.fgl`):

```text
import "std/aws"
web = aws.Container { image = "nginx:1.27" }
```

Right (or give one on the command line: `fgl graph app.fgl --stack shop`):

```fgl
import "std/aws"
stack = "shop"
web = aws.Container { image = "nginx:1.27" }
```
"#,
    },
];
