"""Tests of fgl_moto.py, the moto launcher whose ECS deployments progress and fail on demand.

    .venv/bin/python -m unittest discover -s tests/emulator

Each test class starts the launcher on a free port and talks to it through boto3.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import unittest
import urllib.request
from pathlib import Path

import boto3

HERE = Path(__file__).resolve().parent
LAUNCHER = HERE / "fgl_moto.py"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    def __init__(self, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environ = dict(os.environ)
        environ.update(env)
        self.process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), "-H", "127.0.0.1", "-p", str(self.port)],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1)
                return
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        "the launcher exited: " + self.process.stderr.read().decode()
                    )
                if time.time() > deadline:
                    self.stop()
                    raise RuntimeError("the launcher did not answer within 60 s")
                time.sleep(0.1)

    def client(self, service: str):
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stderr.close()


SECRET = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/shop/db-password"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/shop-web-execution"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-web:v2"
NO_STEPS = 20  # describes that a deployment which completes never needs


class Base(unittest.TestCase):
    STEPS: str | None = "2"
    emulator: Emulator

    @classmethod
    def setUpClass(cls):
        # MOTO_ECS_SERVICE_RUNNING would make moto's deployments COMPLETED at once.
        env = {"MOTO_ECS_SERVICE_RUNNING": "9"}
        if cls.STEPS is not None:
            env["FGL_MOTO_ROLLOUT_STEPS"] = cls.STEPS
        cls.emulator = Emulator(**env)
        cls.ecs = cls.emulator.client("ecs")
        cls.ec2 = cls.emulator.client("ec2")
        cls.elbv2 = cls.emulator.client("elbv2")
        cls.logs = cls.emulator.client("logs")
        vpc = cls.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        cls.subnet = cls.ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        subnet_b = cls.ec2.create_subnet(
            VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b"
        )["Subnet"]["SubnetId"]
        cls.sg = cls.ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
        lb = cls.elbv2.create_load_balancer(Name="shop", Subnets=[cls.subnet, subnet_b])
        cls.tg = cls.elbv2.create_target_group(
            Name="shop-web", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip"
        )["TargetGroups"][0]["TargetGroupArn"]
        cls.elbv2.create_listener(
            LoadBalancerArn=lb["LoadBalancers"][0]["LoadBalancerArn"],
            Protocol="HTTP",
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": cls.tg}],
        )
        cls.ecs.create_cluster(clusterName="shop")

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()

    # ------------------------------------------------------------------ helpers

    def task_definition(self, family: str, fail: str | None = None, image: str = IMAGE) -> str:
        env = [{"name": "PORT", "value": "8080"}]
        if fail:
            env.append({"name": "FGL_TEST_FAIL", "value": fail})
        container = {
            "name": "web",
            "image": image,
            "essential": True,
            "environment": env,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": SECRET}],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": f"/fgl/{family}",
                    "awslogs-region": REGION,
                    "awslogs-stream-prefix": "ecs",
                },
            },
        }
        return self.ecs.register_task_definition(
            family=family,
            containerDefinitions=[container],
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="256",
            memory="512",
            executionRoleArn=ROLE,
        )["taskDefinition"]["taskDefinitionArn"]

    def create_service(self, name: str, task_def: str, breaker=True, rollback=True, lb=False, desired=2):
        kwargs = {}
        if breaker is not None:
            kwargs["deploymentConfiguration"] = {
                "deploymentCircuitBreaker": {"enable": breaker, "rollback": rollback},
                "maximumPercent": 200,
                "minimumHealthyPercent": 100,
            }
        if lb:
            kwargs["loadBalancers"] = [
                {"targetGroupArn": self.tg, "containerName": "web", "containerPort": 8080}
            ]
        return self.ecs.create_service(
            cluster="shop",
            serviceName=name,
            taskDefinition=task_def,
            desiredCount=desired,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": [self.subnet], "securityGroups": [self.sg]}
            },
            **kwargs,
        )["service"]

    def describe(self, name: str) -> dict:
        return self.ecs.describe_services(cluster="shop", services=[name])["services"][0]

    def settle(self, name: str) -> dict:
        """Describes the service until its PRIMARY deployment is no longer IN_PROGRESS."""
        for _ in range(NO_STEPS):
            service = self.describe(name)
            if all(d["rolloutState"] != "IN_PROGRESS" for d in service["deployments"]):
                return service
        self.fail(f"{name}: still in progress after {NO_STEPS} describes")

    def stopped_tasks(self, name: str) -> list[dict]:
        arns = self.ecs.list_tasks(cluster="shop", serviceName=name, desiredStatus="STOPPED")["taskArns"]
        if not arns:
            return []
        return self.ecs.describe_tasks(cluster="shop", tasks=arns)["tasks"]

    def primary(self, service: dict) -> dict:
        [primary] = [d for d in service["deployments"] if d["status"] == "PRIMARY"]
        return primary

    def messages(self, service: dict) -> list[str]:
        return [e["message"] for e in service["events"]]

    def failed_deployment(self, name, mode, **kwargs):
        """A service on a good revision, then updated to one that fails with `mode`."""
        good = self.task_definition(name)
        self.create_service(name, good, **kwargs)
        self.settle(name)
        bad = self.task_definition(name, fail=mode)
        updated = self.ecs.update_service(cluster="shop", service=name, taskDefinition=bad)["service"]
        new_id = self.primary(updated)["id"]
        service = self.settle(name)
        return good, bad, new_id, service


class Rollouts(Base):
    def test_create_progresses_then_completes(self):
        arn = self.task_definition("plain")
        created = self.create_service("plain", arn)
        [deployment] = created["deployments"]
        self.assertTrue(deployment["id"].startswith("ecs-svc/"))
        self.assertEqual(deployment["status"], "PRIMARY")
        self.assertEqual(deployment["taskDefinition"], arn)
        self.assertEqual(deployment["rolloutState"], "IN_PROGRESS")
        self.assertEqual(deployment["rolloutStateReason"], f"ECS deployment {deployment['id']} in progress.")
        self.assertEqual(
            (deployment["desiredCount"], deployment["runningCount"], deployment["pendingCount"], deployment["failedTasks"]),
            (2, 0, 2, 0),
        )
        self.assertIn("createdAt", deployment)
        self.assertIn("updatedAt", deployment)
        self.assertEqual(created["taskDefinition"], arn)
        self.assertEqual((created["runningCount"], created["pendingCount"]), (0, 2))
        self.assertRegex(
            created["events"][0]["message"],
            r"^\(service plain\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$",
        )

        # Step 1 of 2: still in progress.
        first = self.describe("plain")
        self.assertEqual(self.primary(first)["rolloutState"], "IN_PROGRESS")
        # Step 2 of 2: completed.
        done = self.describe("plain")
        [deployment] = done["deployments"]
        self.assertEqual(deployment["rolloutState"], "COMPLETED")
        self.assertEqual(deployment["rolloutStateReason"], f"ECS deployment {deployment['id']} completed.")
        self.assertEqual((deployment["runningCount"], deployment["pendingCount"]), (2, 0))
        self.assertEqual((done["runningCount"], done["pendingCount"]), (2, 0))
        self.assertEqual(done["events"][0]["message"], "(service plain) has reached a steady state.")
        # It stays completed.
        self.assertEqual(self.describe("plain")["deployments"], done["deployments"])
        # No stopped tasks: a service without FGL_TEST_FAIL is unaffected.
        self.assertEqual(self.stopped_tasks("plain"), [])

    def test_update_with_new_task_definition(self):
        old = self.task_definition("upd")
        self.create_service("upd", old)
        first = self.settle("upd")
        old_id = self.primary(first)["id"]
        new = self.task_definition("upd")
        self.assertNotEqual(old, new)
        updated = self.ecs.update_service(cluster="shop", service="upd", taskDefinition=new)["service"]
        self.assertEqual(updated["taskDefinition"], new)
        self.assertEqual([d["status"] for d in updated["deployments"]], ["PRIMARY", "ACTIVE"])
        primary, active = updated["deployments"]
        self.assertEqual((primary["taskDefinition"], primary["rolloutState"]), (new, "IN_PROGRESS"))
        self.assertEqual((primary["runningCount"], primary["pendingCount"]), (0, 2))
        self.assertEqual((active["id"], active["taskDefinition"], active["runningCount"]), (old_id, old, 2))
        self.assertIn("(service upd) has started 2 tasks:", updated["events"][0]["message"])
        done = self.settle("upd")
        self.assertEqual([(d["id"], d["rolloutState"]) for d in done["deployments"]], [(primary["id"], "COMPLETED")])
        self.assertEqual(done["taskDefinition"], new)

    def test_update_same_task_definition_and_force(self):
        arn = self.task_definition("force")
        self.create_service("force", arn)
        first_id = self.primary(self.settle("force"))["id"]
        # The same task definition and no force: no new deployment.
        same = self.ecs.update_service(cluster="shop", service="force", taskDefinition=arn, desiredCount=3)["service"]
        self.assertEqual([d["id"] for d in same["deployments"]], [first_id])
        self.assertEqual(self.primary(same)["desiredCount"], 3)
        forced = self.ecs.update_service(cluster="shop", service="force", forceNewDeployment=True)["service"]
        self.assertEqual(len(forced["deployments"]), 2)
        primary = self.primary(forced)
        self.assertNotEqual(primary["id"], first_id)
        self.assertEqual((primary["taskDefinition"], primary["rolloutState"], primary["desiredCount"]), (arn, "IN_PROGRESS", 3))
        self.assertEqual([d["id"] for d in self.settle("force")["deployments"]], [primary["id"]])

    def test_other_services_unaffected_and_no_running_tasks_listed(self):
        good = self.task_definition("other")
        self.create_service("other", good)
        bad = self.task_definition("broken", fail="image")
        self.create_service("broken", bad)
        self.settle("broken")
        self.assertEqual(self.primary(self.settle("other"))["rolloutState"], "COMPLETED")
        self.assertEqual(self.stopped_tasks("other"), [])
        # Stopped tasks are listed only with desiredStatus STOPPED, like ECS.
        self.assertEqual(self.ecs.list_tasks(cluster="shop", serviceName="broken")["taskArns"], [])
        by_family = self.ecs.list_tasks(cluster="shop", family="broken", desiredStatus="STOPPED")["taskArns"]
        self.assertEqual(len(by_family), 4)


class Failures(Base):
    def assert_rolled_back(self, name, good, bad, new_id, service, reason_count=4):
        self.assertEqual(service["taskDefinition"], good)
        primary = self.primary(service)
        self.assertEqual((primary["taskDefinition"], primary["rolloutState"]), (good, "COMPLETED"))
        [failed] = [d for d in service["deployments"] if d["id"] == new_id]
        self.assertEqual(failed["status"], "ACTIVE")
        self.assertEqual(failed["taskDefinition"], bad)
        self.assertEqual(failed["rolloutState"], "FAILED")
        self.assertEqual(failed["rolloutStateReason"], "ECS deployment circuit breaker: tasks failed to start.")
        # Two steps of two tasks each.
        self.assertEqual(failed["failedTasks"], reason_count)
        messages = self.messages(service)
        self.assertEqual(messages[0], f"(service {name}) rolling back to deployment {primary['id']}.")
        self.assertEqual(messages[1], f"(service {name}) (deployment {new_id}) deployment failed: tasks failed to start.")
        self.assertEqual((service["runningCount"], service["pendingCount"]), (2, 0))

    def stopped(self, name, new_id, count=4):
        tasks = self.stopped_tasks(name)
        self.assertEqual(len(tasks), count)
        for task in tasks:
            self.assertEqual(task["lastStatus"], "STOPPED")
            self.assertEqual(task["desiredStatus"], "STOPPED")
            self.assertEqual(task["group"], f"service:{name}")
            self.assertEqual(task["startedBy"], new_id)
            self.assertIn("stoppedAt", task)
        return tasks

    def test_secrets(self):
        good, bad, new_id, service = self.failed_deployment("sec", "secrets")
        self.assert_rolled_back("sec", good, bad, new_id, service)
        for task in self.stopped("sec", new_id):
            task_id = task["taskArn"].split("/")[-1]
            self.assertEqual(task["taskDefinitionArn"], bad)
            self.assertEqual(task["stopCode"], "TaskFailedToStart")
            self.assertEqual(
                task["stoppedReason"],
                "ResourceInitializationError: unable to pull secrets or registry auth: execution "
                "resource retrieval failed: unable to retrieve secret from ssm: service call has "
                "been retried 1 time(s): AccessDeniedException: User: "
                f"arn:aws:sts::123456789012:assumed-role/shop-web-execution/{task_id} is not "
                "authorized to perform: ssm:GetParameters on resource: "
                "arn:aws:ssm:us-east-1:123456789012:parameter/shop/db-password because no "
                "identity-based policy allows the ssm:GetParameters action",
            )

    def test_image(self):
        good, bad, new_id, service = self.failed_deployment("img", "image")
        self.assert_rolled_back("img", good, bad, new_id, service)
        reason = (
            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to "
            f"resolve ref {IMAGE}: {IMAGE}: not found"
        )
        for task in self.stopped("img", new_id):
            self.assertEqual(task["stopCode"], "TaskFailedToStart")
            self.assertEqual(task["stoppedReason"], reason)
            self.assertEqual(task["containers"][0]["reason"], reason)
            self.assertNotIn("exitCode", task["containers"][0])

    def test_network(self):
        good, bad, new_id, service = self.failed_deployment("net", "network")
        self.assert_rolled_back("net", good, bad, new_id, service)
        for task in self.stopped("net", new_id):
            self.assertEqual(task["stopCode"], "TaskFailedToStart")
            self.assertEqual(
                task["stoppedReason"],
                "ResourceInitializationError: unable to pull secrets or registry auth: The task "
                "cannot pull registry auth from Amazon ECR: There is a connection issue between "
                "the task and Amazon ECR. Check your task network configuration. RequestError: "
                'send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": '
                "dial tcp 52.46.146.144:443: i/o timeout",
            )

    def test_exit(self):
        good, bad, new_id, service = self.failed_deployment("ex", "exit")
        self.assert_rolled_back("ex", good, bad, new_id, service)
        for task in self.stopped("ex", new_id):
            self.assertEqual(task["stopCode"], "EssentialContainerExited")
            self.assertEqual(task["stoppedReason"], "Essential container in task exited")
            [container] = task["containers"]
            self.assertEqual((container["name"], container["exitCode"]), ("web", 1))
            self.assertIn("startedAt", task)
            task_id = task["taskArn"].split("/")[-1]
            events = self.logs.get_log_events(
                logGroupName="/fgl/ex", logStreamName=f"ecs/web/{task_id}", startFromHead=True
            )["events"]
            self.assertEqual(len(events), 25)
            self.assertEqual(events[-1]["message"], "Error: connect ECONNREFUSED 10.0.3.7:5432")

    def test_oom(self):
        good, bad, new_id, service = self.failed_deployment("oom", "oom")
        self.assert_rolled_back("oom", good, bad, new_id, service)
        for task in self.stopped("oom", new_id):
            self.assertEqual(task["stopCode"], "EssentialContainerExited")
            self.assertEqual(task["stoppedReason"], "Essential container in task exited")
            [container] = task["containers"]
            self.assertEqual(container["exitCode"], 137)
            self.assertEqual(container["reason"], "OutOfMemoryError: Container killed due to memory usage")

    def test_health(self):
        good, bad, new_id, service = self.failed_deployment("hc", "health", lb=True)
        self.assert_rolled_back("hc", good, bad, new_id, service)
        tasks = self.stopped("hc", new_id)
        for task in tasks:
            self.assertEqual(task["stoppedReason"], f"Task failed ELB health checks in (target-group {self.tg})")
            self.assertIn("startedAt", task)
        unhealthy = [m for m in self.messages(service) if "is unhealthy in" in m]
        self.assertEqual(len(unhealthy), 4)
        self.assertRegex(
            unhealthy[0],
            r"^\(service hc\) \(task [0-9a-f]{32}\) \(port 8080\) is unhealthy in \(target-group "
            + re.escape(self.tg)
            + r"\) due to \(reason Health checks failed with these codes: \[404\]\)\.$",
        )
        health = self.elbv2.describe_target_health(TargetGroupArn=self.tg)["TargetHealthDescriptions"]
        self.assertEqual(len(health), 2)  # the last step's tasks
        for target in health:
            self.assertEqual(target["Target"]["Port"], 8080)
            self.assertRegex(target["Target"]["Id"], r"^10\.0\.\d+\.\d+$")
            self.assertEqual(
                target["TargetHealth"],
                {
                    "State": "unhealthy",
                    "Reason": "Target.ResponseCodeMismatch",
                    "Description": "Health checks failed with these codes: [404]",
                },
            )
        # A deployment that completes has healthy tasks again.
        fixed = self.task_definition("hc")
        self.ecs.update_service(cluster="shop", service="hc", taskDefinition=fixed)
        self.assertEqual(self.primary(self.settle("hc"))["taskDefinition"], fixed)
        self.assertEqual(self.elbv2.describe_target_health(TargetGroupArn=self.tg)["TargetHealthDescriptions"], [])

    def test_failure_on_create_without_previous_deployment(self):
        bad = self.task_definition("first", fail="image")
        created = self.create_service("first", bad)
        new_id = self.primary(created)["id"]
        service = self.settle("first")
        [deployment] = service["deployments"]
        self.assertEqual((deployment["id"], deployment["status"], deployment["rolloutState"]), (new_id, "PRIMARY", "FAILED"))
        self.assertEqual(deployment["rolloutStateReason"], "ECS deployment circuit breaker: tasks failed to start.")
        self.assertEqual(self.messages(service)[0], f"(service first) (deployment {new_id}) deployment failed: tasks failed to start.")
        self.assertEqual(service["taskDefinition"], bad)

    def test_breaker_without_rollback(self):
        good, bad, new_id, service = self.failed_deployment("norb", "image", rollback=False)
        primary = self.primary(service)
        self.assertEqual((primary["id"], primary["rolloutState"]), (new_id, "FAILED"))
        self.assertEqual(service["taskDefinition"], bad)

    def test_without_breaker_keeps_failing(self):
        bad = self.task_definition("nocb", fail="network")
        created = self.create_service("nocb", bad, breaker=None)
        new_id = self.primary(created)["id"]
        for _ in range(5):
            service = self.describe("nocb")
        primary = self.primary(service)
        self.assertEqual((primary["id"], primary["rolloutState"]), (new_id, "IN_PROGRESS"))
        self.assertEqual(primary["failedTasks"], 10)
        self.assertEqual(len(self.stopped_tasks("nocb")), 10)


class DefaultSteps(Base):
    STEPS = None  # FGL_MOTO_ROLLOUT_STEPS unset: one step

    def test_one_describe_completes(self):
        arn = self.task_definition("one")
        self.assertEqual(self.primary(self.create_service("one", arn))["rolloutState"], "IN_PROGRESS")
        self.assertEqual(self.primary(self.describe("one"))["rolloutState"], "COMPLETED")

    def test_one_describe_fails(self):
        good, bad, new_id, service = self.failed_deployment("onef", "oom")
        self.assertEqual(self.primary(service)["taskDefinition"], good)
        self.assertEqual(len(self.stopped_tasks("onef")), 2)


if __name__ == "__main__":
    unittest.main()
