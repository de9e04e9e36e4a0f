#!/usr/bin/env python3
"""Writes an fgl program declaring N web services, for the check/eval benchmarks.

Each service is made by one function applied to a record: a name, an image built by
interpolation, cpu from a literal union, memory, a port in 1..65535, three env vars, one secret
reference and a domain.

    scripts/gen_services.py 10000 > /tmp/services-10000.fgl
"""

import sys

HEADER = '''import "std/aws"

stack = "bench"

let zone = "example.com"

type Port = 1..65535

db_password = aws.Secret { name = "db/password" }

let service = fn(spec: { name: String, version: String, cpu: 256 | 512 | 1024, memory: Int, port: Port, domain: String }) => aws.Container {
  image = "registry.example.com/${spec.name}:${spec.version}"
  cpu = spec.cpu
  memory = spec.memory
  port = spec.port
  env = { SERVICE = spec.name, DOMAIN = spec.domain, PORT = to_string(spec.port) }
  secrets = { DB_PASSWORD = db_password }
}
'''

# Valid Fargate pairs, so the program stays valid when the AWS rules are checked.
SIZES = [(256, 512), (512, 1024), (1024, 2048)]


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: gen_services.py N")
    n = int(sys.argv[1])
    out = [HEADER]
    for i in range(n):
        cpu, memory = SIZES[i % len(SIZES)]
        out.append(
            f'svc_{i} = service({{ name = "svc-{i}", version = "1.{i % 10}.0", '
            f"cpu = {cpu}, memory = {memory}, port = {8000 + i % 1000}, "
            f'domain = "svc-{i}.${{zone}}" }})\n'
        )
    sys.stdout.write("\n".join(out[:1]) + "\n" + "".join(out[1:]))


if __name__ == "__main__":
    main()
