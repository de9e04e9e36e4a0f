#!/usr/bin/env python3
"""moto's server, with ECS deployments that progress and fail on demand.

Run exactly like `moto_server` (same arguments, same server):

    .venv/bin/python tests/emulator/fgl_moto.py -H 127.0.0.1 -p PORT

moto's ECS never runs tasks: a service's only deployment is COMPLETED or IN_PROGRESS for
ever (MOTO_ECS_SERVICE_RUNNING, read at create), UpdateService does not start a deployment
and there are no stopped tasks. This launcher wraps a few of moto's methods, in process,
so that deployments behave like ECS's:

* CreateService, and UpdateService with a new task definition or forceNewDeployment, start
  a deployment: a new PRIMARY `ecs-svc/…` deployment IN_PROGRESS (running 0, pending =
  desired), the previous PRIMARY becomes ACTIVE, an event "(service S) has started N tasks:
  (task …) …", and the service's taskDefinition is the new one.
* Each DescribeServices advances the IN_PROGRESS deployments of the services it describes by
  one step; after FGL_MOTO_ROLLOUT_STEPS steps (default 1) a deployment is COMPLETED, the
  ACTIVE ones are removed and the service reaches a steady state.
* The essential container's environment variable FGL_TEST_FAIL makes the deployment's tasks
  fail (modes: secrets, image, network, exit, oom, health; see FAILURES below): every step
  records stopped tasks (ListTasks desiredStatus=STOPPED, DescribeTasks) and failedTasks;
  after the steps, with the deployment circuit breaker enabled, the deployment FAILS and,
  with rollback, the previous deployment is PRIMARY again. Without the circuit breaker the
  deployment stays IN_PROGRESS and keeps failing tasks, as in ECS.

Everything else is moto's. The patches wrap moto's methods (call the original, then adjust
its result) and keep their state on moto's own objects, so moto's reset works as before.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import types
import uuid
from typing import Any

from moto.core.utils import utcnow
from moto.ecs import models as ecs_models
from moto.ecs import responses as ecs_responses
from moto.elbv2 import models as elbv2_models
from moto.logs import models as logs_models
from moto.moto_api._internal import mock_random

FAIL_ENV = "FGL_TEST_FAIL"
STEPS_ENV = "FGL_MOTO_ROLLOUT_STEPS"

# The ECS of a region serves requests from several threads (werkzeug's threaded server).
_lock = threading.RLock()


def rollout_steps() -> int:
    try:
        return max(int(os.environ.get(STEPS_ENV, "1")), 1)
    except ValueError:
        return 1


def _wraps(cls: type, name: str):
    """Replaces cls.name by the decorated function, which receives the original first."""

    def decorator(wrapper):
        original = getattr(cls, name)

        @functools.wraps(original)
        def patched(self, *args, **kwargs):
            return wrapper(original, self, *args, **kwargs)

        setattr(cls, name, patched)
        return wrapper

    return decorator


# --------------------------------------------------------------------------------------
# Failures: what ECS reports, word for word.
# --------------------------------------------------------------------------------------

ECR_TIMEOUT = (
    "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot "
    "pull registry auth from Amazon ECR: There is a connection issue between the task and "
    "Amazon ECR. Check your task network configuration. RequestError: send request failed "
    'caused by: Post "https://api.ecr.{region}.amazonaws.com/": dial tcp 52.46.146.144:443: '
    "i/o timeout"
)
ESSENTIAL_EXITED = "Essential container in task exited"
OOM_REASON = "OutOfMemoryError: Container killed due to memory usage"
ELB_HEALTH = "Task failed ELB health checks in (target-group {tg})"
CIRCUIT_BREAKER = "ECS deployment circuit breaker: tasks failed to start."

# The last lines an app that cannot reach its database writes (mode `exit`): 25 lines.
EXIT_LOG = [
    "> app@1.0.0 start",
    "> node server.js",
    "",
    "[info] starting app (NODE_ENV=production)",
    "[info] loading configuration from environment",
    "[info] listening port 8080",
    "[info] connecting to database at 10.0.3.7:5432",
    "[warn] database connection attempt 1/3 failed: ECONNREFUSED, retrying in 1s",
    "[warn] database connection attempt 2/3 failed: ECONNREFUSED, retrying in 2s",
    "[warn] database connection attempt 3/3 failed: ECONNREFUSED",
    "[error] cannot connect to the database, exiting",
    "node:internal/process/promises:288",
    "            triggerUncaughtException(err, true /* fromPromise */);",
    "            ^",
    "",
    "Error: connect ECONNREFUSED 10.0.3.7:5432",
    "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {",
    "  errno: -111,",
    "  code: 'ECONNREFUSED',",
    "  syscall: 'connect',",
    "  address: '10.0.3.7',",
    "  port: 5432",
    "}",
    "",
    "Error: connect ECONNREFUSED 10.0.3.7:5432",
]
assert len(EXIT_LOG) == 25

MODES = ("secrets", "image", "network", "exit", "oom", "health")


def _env(container: dict[str, Any]) -> dict[str, str]:
    return {e.get("name"): e.get("value") for e in container.get("environment") or []}


def failing_container(task_def) -> tuple[str | None, dict[str, Any] | None]:
    """The failure mode and the essential container that asks for it, if one does."""
    for container in task_def.container_definitions:
        if container.get("essential", True) is False:
            continue
        mode = _env(container).get(FAIL_ENV)
        if mode:
            return mode.strip().lower(), container
    return None, None


def _secret_arn(value_from: str, region: str, account: str) -> str:
    if value_from.startswith("arn:"):
        return value_from
    return f"arn:aws:ssm:{region}:{account}:parameter/{value_from.lstrip('/')}"


def secrets_reason(task_def, container, task_id: str, region: str, account: str) -> str:
    role = getattr(task_def, "execution_role_arn", None) or "ecsTaskExecutionRole"
    role_name = role.split("/")[-1]
    secrets = [s for c in task_def.container_definitions for s in c.get("secrets") or []]
    own = container.get("secrets") or []
    first = (own or secrets or [{"valueFrom": FAIL_ENV}])[0]["valueFrom"]
    arn = _secret_arn(first, region, account)
    user = f"arn:aws:sts::{account}:assumed-role/{role_name}/{task_id}"
    if ":secretsmanager:" in arn:
        return (
            "ResourceInitializationError: unable to pull secrets or registry auth: execution "
            "resource retrieval failed: unable to retrieve secret from asm: service call has "
            f"been retried 1 time(s): AccessDeniedException: User: {user} is not authorized to "
            f"perform: secretsmanager:GetSecretValue on resource: {arn} because no "
            "identity-based policy allows the secretsmanager:GetSecretValue action"
        )
    return (
        "ResourceInitializationError: unable to pull secrets or registry auth: execution "
        "resource retrieval failed: unable to retrieve secret from ssm: service call has been "
        f"retried 1 time(s): AccessDeniedException: User: {user} is not authorized to perform: "
        f"ssm:GetParameters on resource: {arn} because no identity-based policy allows the "
        "ssm:GetParameters action"
    )


def image_reason(image: str) -> str:
    return (
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to "
        f"resolve ref {image}: {image}: not found"
    )


# --------------------------------------------------------------------------------------
# Deployments.
# --------------------------------------------------------------------------------------


def _event(service, message: str) -> None:
    # ECS lists a service's events newest first.
    service.events.insert(
        0, {"id": str(uuid.uuid4()), "createdAt": utcnow(), "message": message}
    )


def _task_ids(arns: list[str]) -> str:
    return " ".join(f"(task {arn.split('/')[-1]})" for arn in arns)


def _circuit_breaker(service) -> dict[str, Any]:
    config = getattr(service, "deployment_configuration", None) or {}
    return config.get("deploymentCircuitBreaker") or {}


def _set_counts(service, running: int, pending: int) -> None:
    service.running_count = running
    service.pending_count = pending


def start_deployment(backend, service, task_definition_arn: str) -> dict[str, Any]:
    """A new PRIMARY deployment of task_definition_arn; the PRIMARY one becomes ACTIVE."""
    now = utcnow()
    deployment_id = f"ecs-svc/{mock_random.randint(0, 10**19 - 1):019d}"
    for old in service.deployments:
        if old["status"] == "PRIMARY":
            old["status"] = "ACTIVE"
            old["updatedAt"] = now
    # A deployment that failed earlier has been drained by now.
    service.deployments = [
        d for d in service.deployments if d.get("rolloutState") != "FAILED"
    ]
    previous = service.deployments[0] if service.deployments else None
    deployment = {
        "id": deployment_id,
        "status": "PRIMARY",
        "taskDefinition": task_definition_arn,
        "desiredCount": service.desired_count,
        "pendingCount": service.desired_count,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": now,
        "updatedAt": now,
        "launchType": service.launch_type,
        "platformVersion": service.platform_version
        or (previous or {}).get("platformVersion")
        or ("LATEST" if service.launch_type == "FARGATE" else None),
        "platformFamily": "EC2" if service.launch_type == "EC2" else "Linux",
        "networkConfiguration": service.network_configuration or None,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
        "_fgl_steps": 0,
    }
    service.deployments.insert(0, deployment)
    service.task_definition = task_definition_arn
    running = sum(d["runningCount"] for d in service.deployments)
    _set_counts(service, running, service.desired_count)
    # ECS launches the tasks of the deployment right away.
    launch(backend, service, deployment)
    return deployment


def _task_arn(backend, service, task_id: str | None = None) -> str:
    task_id = task_id or uuid.uuid4().hex
    region, account = service.region_name, backend.account_id
    if backend.enable_long_arn_for_name(name="taskLongArnFormat"):
        return f"arn:aws:ecs:{region}:{account}:task/{service.cluster_name}/{task_id}"
    return f"arn:aws:ecs:{region}:{account}:task/{task_id}"


def launch(backend, service, deployment) -> None:
    """ECS starts the deployment's tasks (again, after they failed)."""
    launched = [_task_arn(backend, service) for _ in range(deployment["desiredCount"])]
    deployment["_fgl_launched"] = launched
    if launched:
        _event(
            service,
            f"(service {service.name}) has started {len(launched)} tasks: {_task_ids(launched)}.",
        )


def advance(backend, service) -> None:
    """One step of every IN_PROGRESS deployment of the service."""
    for deployment in list(service.deployments):
        if deployment.get("rolloutState") != "IN_PROGRESS":
            continue
        deployment["_fgl_steps"] = deployment.get("_fgl_steps", 0) + 1
        deployment["updatedAt"] = utcnow()
        last_step = deployment["_fgl_steps"] >= rollout_steps()
        try:
            task_def = backend.describe_task_definition(deployment["taskDefinition"])
            mode, container = failing_container(task_def)
        except Exception:  # deregistered and deleted since: nothing asks for a failure
            task_def, mode, container = None, None, None
        if mode is None or deployment["desiredCount"] == 0:
            if last_step:
                complete(service, deployment)
            continue
        fail_tasks(backend, service, deployment, task_def, mode, container)
        breaker = _circuit_breaker(service)
        if last_step and breaker.get("enable"):
            fail(service, deployment, rollback=bool(breaker.get("rollback")))
        else:
            # Without the circuit breaker ECS keeps launching tasks that fail, for ever.
            launch(backend, service, deployment)


def complete(service, deployment) -> None:
    # The service's tasks pass their health checks now.
    elbv2 = elbv2_models.elbv2_backends[service._account_id][service.region_name]
    for lb in service.load_balancers:
        elbv2.__dict__.get("_fgl_unhealthy", {}).pop(lb.get("targetGroupArn"), None)
    deployment["runningCount"] = deployment["desiredCount"]
    deployment["pendingCount"] = 0
    deployment["rolloutState"] = "COMPLETED"
    deployment["rolloutStateReason"] = f"ECS deployment {deployment['id']} completed."
    deployment["updatedAt"] = utcnow()
    service.deployments = [deployment]
    _set_counts(service, deployment["runningCount"], 0)
    _event(service, f"(service {service.name}) (deployment {deployment['id']}) deployment completed.")
    _event(service, f"(service {service.name}) has reached a steady state.")


def fail(service, deployment, rollback: bool) -> None:
    now = utcnow()
    deployment["rolloutState"] = "FAILED"
    deployment["rolloutStateReason"] = CIRCUIT_BREAKER
    deployment["pendingCount"] = 0
    deployment["runningCount"] = 0
    deployment["updatedAt"] = now
    _event(
        service,
        f"(service {service.name}) (deployment {deployment['id']}) deployment failed: tasks failed to start.",
    )
    previous = next((d for d in service.deployments if d["status"] == "ACTIVE"), None)
    if not rollback or previous is None:
        _set_counts(service, sum(d["runningCount"] for d in service.deployments), 0)
        return
    # Rolled back: the previous deployment serves again; the failed one drains.
    deployment["status"] = "ACTIVE"
    previous["status"] = "PRIMARY"
    previous["updatedAt"] = now
    service.deployments.remove(previous)
    service.deployments.insert(0, previous)
    service.task_definition = previous["taskDefinition"]
    _set_counts(service, previous["runningCount"], previous["pendingCount"])
    _event(service, f"(service {service.name}) rolling back to deployment {previous['id']}.")


# --------------------------------------------------------------------------------------
# Stopped tasks.
# --------------------------------------------------------------------------------------


def fail_tasks(backend, service, deployment, task_def, mode, container) -> None:
    """The tasks this step launched, stopped the way `mode` says."""
    region, account = service.region_name, backend.account_id
    cluster = backend._get_cluster(service.cluster_name)
    arns = deployment.pop("_fgl_launched", None) or [
        _task_arn(backend, service) for _ in range(deployment["desiredCount"])
    ]
    target_group = next(
        (lb.get("targetGroupArn") for lb in service.load_balancers if lb.get("targetGroupArn")),
        None,
    )
    unhealthy = []
    stopped = []
    for arn in arns:
        task_id = arn.split("/")[-1]
        task = _stopped_task(backend, cluster, service, deployment, task_def, arn, task_id)
        failing = next(c for c in task.containers if c.name == container.get("name"))
        ran = mode in ("exit", "oom", "health")
        if mode == "secrets":
            task.stopped_reason = secrets_reason(task_def, container, task_id, region, account)
            task.stop_code = "TaskFailedToStart"
        elif mode == "image":
            task.stopped_reason = image_reason(container.get("image"))
            task.stop_code = "TaskFailedToStart"
            failing.reason = task.stopped_reason
        elif mode == "network":
            task.stopped_reason = ECR_TIMEOUT.format(region=region)
            task.stop_code = "TaskFailedToStart"
        elif mode == "exit":
            task.stopped_reason = ESSENTIAL_EXITED
            task.stop_code = "EssentialContainerExited"
            failing.exitCode = 1
            write_exit_log(backend, region, container, task_id)
        elif mode == "oom":
            task.stopped_reason = ESSENTIAL_EXITED
            task.stop_code = "EssentialContainerExited"
            failing.exitCode = 137
            failing.reason = OOM_REASON
        elif mode == "health":
            task.stopped_reason = ELB_HEALTH.format(tg=target_group)
            task.stop_code = "ServiceSchedulerInitiated"
            for c in task.containers:
                c.exitCode = 143
            port = next(
                (
                    lb.get("containerPort")
                    for lb in service.load_balancers
                    if lb.get("targetGroupArn") == target_group
                ),
                None,
            )
            unhealthy.append((task.private_ip, port, task_id))
        else:
            # An unknown mode: the essential container exits, and says why.
            task.stopped_reason = ESSENTIAL_EXITED
            task.stop_code = "EssentialContainerExited"
            failing.exitCode = 1
            failing.reason = f"unknown {FAIL_ENV} mode {mode!r} (one of {', '.join(MODES)})"
        if ran:
            task.started_at = task.created_at
            task.health_status = "UNKNOWN"
        for c in task.containers:
            if ran:
                c.runtime_id = uuid.uuid4().hex
        backend.tasks.setdefault(cluster.name, {})[arn] = task
        stopped.append(arn)
    deployment["failedTasks"] = deployment.get("failedTasks", 0) + len(stopped)
    if unhealthy and target_group:
        record_unhealthy(region, account, target_group, [(ip, port) for ip, port, _ in unhealthy])
        for _ip, port, task_id in unhealthy:
            _event(
                service,
                f"(service {service.name}) (task {task_id}) (port {port}) is unhealthy in "
                f"(target-group {target_group}) due to (reason Health checks failed with these "
                "codes: [404]).",
            )
    if unhealthy:
        # ECS reports the tasks it stops itself; tasks that fail to start or exit are not.
        _event(service, f"(service {service.name}) has stopped {len(stopped)} running tasks: {_task_ids(stopped)}.")


def _stopped_task(backend, cluster, service, deployment, task_def, arn, task_id):
    """A moto Task, STOPPED, for each of the task definition's containers; no ENI is made."""
    # moto's Task creates an ENI in EC2 for awsvpc: give it a task definition without a
    # network mode (the ENI of a stopped task is gone anyway) and describe the attachment.
    shim = types.SimpleNamespace(
        arn=task_def.arn,
        network_mode=None,
        container_definitions=task_def.container_definitions,
    )
    task = ecs_models.Task(
        cluster=cluster,
        task_definition=shim,
        container_instance_arn=None,
        resource_requirements=None,
        backend=backend,
        group=f"service:{service.name}",
        launch_type=service.launch_type or "",
        started_by=deployment["id"],
        platform_version=deployment.get("platformVersion"),
    )
    task.id = task_id
    task.containers = []
    for definition in task_def.container_definitions:
        container = ecs_models.Container(
            types.SimpleNamespace(arn=task_def.arn, container_definitions=[definition])
        )
        container.task_arn = arn
        container.last_status = "STOPPED"
        container.exitCode = None
        container.health_status = "UNKNOWN"
        task.containers.append(container)
    now = utcnow()
    task.last_status = "STOPPED"
    task.desired_status = "STOPPED"
    task.created_at = now
    task.stopping_at = now
    task.stopped_at = now
    task.execution_stopped_at = now
    task.cpu = task_def.cpu
    task.memory = task_def.memory
    task.availability_zone = f"{service.region_name}a"
    task.connectivity = "CONNECTED"
    task.private_ip = f"10.0.{mock_random.randint(0, 255)}.{mock_random.randint(4, 254)}"
    task._fgl = True
    network = (service.network_configuration or {}).get("awsvpcConfiguration") or {}
    if getattr(task_def, "network_mode", None) == "awsvpc":
        task.attachments = [
            {
                "id": str(uuid.uuid4()),
                "type": "ElasticNetworkInterface",
                "status": "DELETED",
                "details": [
                    {"name": "subnetId", "value": (network.get("subnets") or [""])[0]},
                    {"name": "privateIPv4Address", "value": task.private_ip},
                ],
            }
        ]
    return task


def write_exit_log(backend, region, container, task_id) -> None:
    """The container's last lines, in its awslogs group and stream, as the awslogs driver does."""
    config = container.get("logConfiguration") or {}
    if config.get("logDriver") != "awslogs":
        return
    options = config.get("options") or {}
    group = options.get("awslogs-group")
    if not group:
        return
    prefix = options.get("awslogs-stream-prefix")
    name = container.get("name")
    stream = f"{prefix}/{name}/{task_id}" if prefix else f"{name}/{task_id}"
    logs = logs_models.logs_backends[backend.account_id][options.get("awslogs-region") or region]
    if group not in logs.groups:
        logs.create_log_group(group, {})
    if stream not in logs.groups[group].streams:
        logs.create_log_stream(group, stream)
    start = int(utcnow().timestamp() * 1000) - len(EXIT_LOG)
    events = [{"timestamp": start + i, "message": line} for i, line in enumerate(EXIT_LOG)]
    logs.put_log_events(group, stream, events)


# --------------------------------------------------------------------------------------
# ELBv2: the targets of tasks that failed health checks.
# --------------------------------------------------------------------------------------


def record_unhealthy(region, account, target_group_arn, targets) -> None:
    elbv2 = elbv2_models.elbv2_backends[account][region]
    registry = elbv2.__dict__.setdefault("_fgl_unhealthy", {})
    registry[target_group_arn] = list(targets)


@_wraps(elbv2_models.ELBv2Backend, "describe_target_health")
def _describe_target_health(original, self, target_group_arn, targets, *args, **kwargs):
    result = original(self, target_group_arn, targets, *args, **kwargs)
    unhealthy = self.__dict__.get("_fgl_unhealthy", {}).get(target_group_arn)
    if not unhealthy:
        return result
    wanted = {t.get("Id") for t in targets or []}
    group = self.target_groups[target_group_arn]
    extra = [
        elbv2_models.FakeHealthStatus(
            ip,
            port or group.port,
            group.health_check_port,
            "unhealthy",
            "Target.ResponseCodeMismatch",
            "Health checks failed with these codes: [404]",
        )
        for ip, port in unhealthy
        if not wanted or ip in wanted
    ]
    ips = {h.instance_id for h in extra}
    return [h for h in result if h.instance_id not in ips] + extra


# --------------------------------------------------------------------------------------
# ECS: the wrapped operations.
# --------------------------------------------------------------------------------------

Backend = ecs_models.EC2ContainerServiceBackend
Responses = ecs_responses.EC2ContainerServiceResponse


@_wraps(Responses, "create_service")
def _create_service(original, self):
    with _lock:
        result = original(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        # moto drops the deployment configuration of CreateService (UpdateService keeps it).
        config = self._get_param("deploymentConfiguration")
        if config is not None:
            service.deployment_configuration = config
        if service.deployment_controller.get("type", "ECS") == "ECS" and service.task_definition:
            # Replace moto's deployment (fixed by MOTO_ECS_SERVICE_RUNNING) with a rollout.
            service.deployments = []
            start_deployment(self.ecs_backend, service, service.task_definition)
        return result


@_wraps(Backend, "update_service")
def _update_service(original, self, service_properties):
    with _lock:
        # moto's forceNewDeployment only renames the deployment: handled here instead.
        force = bool(service_properties.pop("force_new_deployment", False))
        cluster = service_properties.get("cluster", "default")
        name = (service_properties.get("service") or "").split("/")[-1]
        requested = service_properties.get("task_definition")
        service = self._get_service(cluster, name)
        before_task_def = service.task_definition
        before_counts = (service.running_count, service.pending_count)
        result = original(self, service_properties)
        new_arn = self.describe_task_definition(requested).arn if requested else None
        service.task_definition = before_task_def
        # moto sets running = desired at once: the counts are the deployments' business.
        service.running_count, service.pending_count = before_counts
        if service.deployment_controller.get("type", "ECS") != "ECS":
            service.task_definition = new_arn or before_task_def
            return result
        primary = next((d for d in service.deployments if d["status"] == "PRIMARY"), None)
        changed = new_arn is not None and new_arn != before_task_def
        if changed or force or primary is None:
            start_deployment(self, service, new_arn or before_task_def)
        else:
            primary["desiredCount"] = service.desired_count
            if primary.get("rolloutState") == "COMPLETED":
                primary["runningCount"] = service.desired_count
                primary["pendingCount"] = 0
                _set_counts(service, service.desired_count, 0)
            else:
                primary["pendingCount"] = max(service.desired_count - primary["runningCount"], 0)
        return result


@_wraps(Responses, "describe_services")
def _describe_services(original, self):
    with _lock:
        backend = self.ecs_backend
        try:
            services, _ = backend.describe_services(
                self._get_param("cluster", "default"), self._get_param("services", [])
            )
        except Exception:
            services = []  # moto answers the error below
        for service in services:
            if service.status == "ACTIVE":
                advance(backend, service)
        return original(self)


@_wraps(Backend, "list_tasks")
def _list_tasks(original, self, *args, **kwargs):
    names = (
        "cluster_str",
        "container_instance",
        "family",
        "started_by",
        "service_name",
        "desiredStatus",
    )
    params = dict(zip(names, args))
    params.update(kwargs)
    tasks = original(self, *args, **kwargs)
    service_name = params.get("service_name")
    if service_name:
        # moto ignores serviceName; ECS lists the tasks of the service's group.
        group = f"service:{service_name.split('/')[-1]}"
        tasks = [t for t in tasks if t.group == group]
    if not params.get("desiredStatus"):
        # ECS lists RUNNING tasks unless told otherwise; the stopped ones are ours.
        tasks = [t for t in tasks if not getattr(t, "_fgl", False)]
    return tasks


# --------------------------------------------------------------------------------------


def main() -> None:
    from moto.server import main as moto_server_main

    sys.exit(moto_server_main())


if __name__ == "__main__":
    main()
