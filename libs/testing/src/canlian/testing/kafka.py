"""A throwaway Apache Kafka broker for tests.

One JVM runs Kafka in KRaft combined mode (broker and controller, node 1) in a fresh
temporary directory, listening on free ports on 127.0.0.1. The jars come from Maven
Central through ``mvn dependency:copy-dependencies`` and are cached in
``${CANLIAN_CACHE_DIR:-~/.cache/canlian}/kafka-<version>/libs``.

Fault tests can take the broker down and bring it back on the same ports and log dir::

    with KafkaServer() as kafka:
        kafka.halt()     # SIGTERM, clean shutdown
        kafka.start()    # same ports, same data
        kafka.kill()     # SIGKILL, as in a crash
        kafka.freeze()   # SIGSTOP: requests hang instead of failing
        kafka.thaw()

``python -m canlian.testing.kafka --fetch`` only downloads the jars;
``python -m canlian.testing.kafka`` starts a broker and prints its address until Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import base64
import contextlib
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from canlian.testing.ports import free_ports

__all__ = [
    "KAFKA_VERSION",
    "KafkaServer",
    "KafkaServerError",
    "cache_root",
    "fetch_kafka_libs",
]

KAFKA_VERSION = "3.9.1"
SCALA_VERSION = "2.13"
# Kafka 3.9 logs through slf4j 1.7; the reload4j binding routes it to a log4j 1 config.
SLF4J_VERSION = "1.7.36"
RELOAD4J_VERSION = "1.2.25"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
HOST = "127.0.0.1"

_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>canlian.testing</groupId>
  <artifactId>kafka-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_{scala}</artifactId>
      <version>{kafka}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>{slf4j}</version>
    </dependency>
    <dependency>
      <groupId>ch.qos.reload4j</groupId>
      <artifactId>reload4j</artifactId>
      <version>{reload4j}</version>
    </dependency>
  </dependencies>
</project>
"""

_LOG4J = """log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File={path}
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
"""


class KafkaServerError(RuntimeError):
    """The broker could not be fetched, set up, started or stopped."""


def cache_root() -> Path:
    """``$CANLIAN_CACHE_DIR``, else ``~/.cache/canlian``."""
    return Path(os.environ.get("CANLIAN_CACHE_DIR") or "~/.cache/canlian").expanduser()


def fetch_kafka_libs(version: str = KAFKA_VERSION) -> Path:
    """Return the directory of Kafka's jars, downloading them with Maven if not cached."""
    home = cache_root() / f"kafka-{version}"
    libs = home / "libs"
    marker = libs / f"kafka_{SCALA_VERSION}-{version}.jar"
    if marker.is_file():
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KafkaServerError(
            "Maven (mvn) is needed to fetch Kafka; run scripts/install-test-servers.sh"
        )
    home.mkdir(parents=True, exist_ok=True)
    # Download next to the final place and rename, so a half download is never used.
    work = Path(tempfile.mkdtemp(prefix=".fetch-", dir=home))
    try:
        pom = work / "pom.xml"
        pom.write_text(
            _POM.format(
                scala=SCALA_VERSION,
                kafka=version,
                slf4j=SLF4J_VERSION,
                reload4j=RELOAD4J_VERSION,
            )
        )
        out = work / "libs"
        log = work / "mvn.log"
        with log.open("wb") as fh:
            try:
                proc = subprocess.run(
                    [
                        mvn, "-B", "-q", "-f", str(pom),
                        f"{DEPENDENCY_PLUGIN}:copy-dependencies",
                        f"-DoutputDirectory={out}",
                        "-DincludeScope=runtime",
                    ],
                    stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT,
                    cwd=work, timeout=900, check=False,
                )  # fmt: skip
            except subprocess.TimeoutExpired:
                raise KafkaServerError(f"mvn timed out\n{_tail(log)}") from None
        if proc.returncode != 0 or not (out / marker.name).is_file():
            raise KafkaServerError(
                f"fetching Kafka {version} with Maven failed (exit {proc.returncode})\n{_tail(log)}"
            )
        if libs.exists() and not marker.is_file():
            shutil.rmtree(libs)  # a broken cache from elsewhere; ours are complete
        try:
            out.rename(libs)
        except OSError:
            # A concurrent fetch won the race; use its copy.
            if not marker.is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return libs


def _java() -> str:
    if java_home := os.environ.get("JAVA_HOME"):
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file():
            return str(candidate)
    java = shutil.which("java")
    if java is None:
        raise KafkaServerError("java (17+) is needed; run scripts/install-test-servers.sh")
    return java


def _tail(path: Path, lines: int = 40) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 16_384))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return f"(no {path.name})"
    return "\n".join(text.splitlines()[-lines:])


def _random_cluster_id() -> str:
    # Kafka's Uuid text form: URL-safe base64 of 16 bytes, no padding, not starting
    # with "-" (it would be read as a command-line flag).
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


def _alive_brokers(host: str, port: int, timeout: float = 5.0) -> int:
    """Number of live brokers in a Metadata (v1) response, or 0 if the broker does not answer.

    A hand-rolled request keeps this synchronous and free of client dependencies, so
    it also works from inside a running event loop.
    """
    client_id = b"canlian-testing"
    # Header v1: api_key=3 (Metadata), api_version=1, correlation_id, client_id;
    # body: topics = [] (v1: empty means "no topics", we only want the brokers).
    payload = struct.pack(">hhih", 3, 1, 7, len(client_id)) + client_id + struct.pack(">i", 0)
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(struct.pack(">i", len(payload)) + payload)
            head = b""
            while len(head) < 12:
                chunk = sock.recv(12 - len(head))
                if not chunk:
                    return 0
                head += chunk
    except OSError:
        return 0
    _size, correlation_id, brokers = struct.unpack(">iii", head)
    return brokers if correlation_id == 7 else 0


class KafkaServer:
    """A private single-node Kafka (KRaft) broker in a temp dir.

    ``bootstrap_servers`` is ``"127.0.0.1:PORT"``. The first ``start()`` formats the
    storage; later ones restart the same broker on the same ports and log dir.
    ``stop()`` shuts it down and deletes the directory.
    """

    def __init__(
        self,
        *,
        version: str = KAFKA_VERSION,
        port: int | None = None,
        controller_port: int | None = None,
        startup_timeout: float = 120.0,
        shutdown_timeout: float = 30.0,
        jvm_args: Sequence[str] = ("-Xmx512m", "-Xms256m"),
        properties: Mapping[str, str] | None = None,
    ) -> None:
        self.host = HOST
        self.version = version
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self.jvm_args = list(jvm_args)
        self.extra_properties = dict(properties or {})
        self._fixed_ports = port is not None or controller_port is not None
        free = free_ports(2)
        self.port: int = port if port is not None else free[0]
        self.controller_port: int = controller_port if controller_port is not None else free[1]
        self.base_dir: Path | None = None
        self._libs: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._formatted = False
        self._log_offset = 0
        self._lock = threading.RLock()

    # -- addresses ---------------------------------------------------------------

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def log_dir(self) -> Path:
        """Kafka's data (``log.dirs``)."""
        return self._base() / "data"

    @property
    def log_path(self) -> Path:
        """The broker's log4j output."""
        return self._base() / "server.log"

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> Self:
        """Format and start on first call, else restart; returns once the broker answers."""
        with self._lock:
            if self.running:
                return self
            self._proc = None
            if not self._formatted:
                self._initialise()
                atexit.register(self.stop)
            for attempt in range(3):
                try:
                    self._launch_and_wait()
                    break
                except KafkaServerError:
                    # Another process may have taken a port between pick and bind.
                    if self._fixed_ports or attempt == 2 or not self._port_conflict():
                        raise
                    self.port, self.controller_port = free_ports(2)
                    self._write_config()
            return self

    def halt(self) -> None:
        """Clean shutdown (SIGTERM; SIGKILL after ``shutdown_timeout``), keeping the data."""
        with self._lock:
            proc = self._proc
            if proc is None:
                return
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGCONT)  # in case it is frozen
                    proc.terminate()
                try:
                    proc.wait(timeout=self.shutdown_timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=30)
                except BaseException:
                    # Interrupted (e.g. a second Ctrl-C): never leave the JVM behind.
                    proc.kill()
                    raise
            self._proc = None

    def kill(self) -> None:
        """SIGKILL the broker, as in a crash."""
        with self._lock:
            proc = self._proc
            if proc is None:
                return
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
            self._proc = None

    def freeze(self) -> None:
        """SIGSTOP the broker: connections hang instead of being refused."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """Undo ``freeze()``."""
        self._signal(signal.SIGCONT)

    def stop(self) -> None:
        """Shut down (SIGKILL if it lingers) and delete the temp dir. Idempotent."""
        with self._lock:
            try:
                self.halt()
            finally:
                if self._proc is not None:  # halt() was interrupted
                    with contextlib.suppress(ProcessLookupError):
                        self._proc.kill()
                    self._proc = None
                if self.base_dir is not None:
                    shutil.rmtree(self.base_dir, ignore_errors=True)
                    self.base_dir = None
                self._formatted = False
                atexit.unregister(self.stop)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<KafkaServer {self.bootstrap_servers} {state}>"

    # -- internals ---------------------------------------------------------------

    def _base(self) -> Path:
        if self.base_dir is None:
            raise KafkaServerError("broker has not been started")
        return self.base_dir

    def _signal(self, sig: signal.Signals) -> None:
        if self._proc is not None and self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.send_signal(sig)

    def _classpath(self) -> str:
        assert self._libs is not None
        return f"{self._libs}/*"  # the JVM expands "dir/*" to every jar in it

    def _initialise(self) -> None:
        self._libs = fetch_kafka_libs(self.version)
        self.base_dir = Path(tempfile.mkdtemp(prefix="canlian-kafka-"))
        try:
            base = self.base_dir
            (base / "log4j.properties").write_text(_LOG4J.format(path=base / "server.log"))
            self._write_config()
            self._run_tool(
                "kafka.tools.StorageTool",
                ["format", "-t", _random_cluster_id(), "-c", str(base / "server.properties")],
                log=base / "format.log",
            )
        except BaseException:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
            raise
        self._formatted = True

    def _write_config(self) -> None:
        base = self._base()
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{self.host}:{self.controller_port}",
            "listeners": (
                f"PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{self.controller_port}"
            ),
            "advertised.listeners": f"PLAINTEXT://{self.host}:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(base / "data"),
            "num.partitions": "3",
            "auto.create.topics.enable": "true",
            "offsets.topic.replication.factor": "1",
            # Fewer internal partitions than the default 50: creating them is most of
            # the delay before the first consumer group or transaction works.
            "offsets.topic.num.partitions": "10",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "10",
            "group.initial.rebalance.delay.ms": "0",
            # After kill() the controller refuses the new broker incarnation until the
            # old one's session expires (default 9 s); shorter keeps crash tests quick.
            "broker.session.timeout.ms": "4000",
            "broker.heartbeat.interval.ms": "500",
            **self.extra_properties,
        }
        (base / "server.properties").write_text("".join(f"{k}={v}\n" for k, v in props.items()))

    def _jvm(self, *extra: str) -> list[str]:
        base = self._base()
        return [
            _java(),
            *extra,
            "-XX:-UsePerfData",  # no hsperfdata files in /tmp
            "-Djava.awt.headless=true",
            f"-Dlog4j.configuration=file:{base / 'log4j.properties'}",
            f"-Dkafka.logs.dir={base}",
            "-cp",
            self._classpath(),
        ]

    def _run_tool(self, main_class: str, args: list[str], *, log: Path) -> None:
        # A short-lived tool JVM: C1 only starts faster.
        argv = [*self._jvm("-Xmx256m", "-XX:TieredStopAtLevel=1"), main_class, *args]
        with log.open("ab") as out:
            try:
                proc = subprocess.run(
                    argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    cwd=self._base(), timeout=120, check=False,
                )  # fmt: skip
            except subprocess.TimeoutExpired:
                raise KafkaServerError(f"{main_class} timed out\n{_tail(log)}") from None
        if proc.returncode != 0:
            raise KafkaServerError(
                f"{main_class} failed (exit {proc.returncode})\n{_tail(log)}\n{self._logs()}"
            )

    def _launch_and_wait(self) -> None:
        base = self._base()
        log = base / "server.log"
        # Errors are searched from here on: a failed start logs its cause first, then
        # enough shutdown noise to push it out of the tail.
        self._log_offset = log.stat().st_size if log.exists() else 0
        argv = [*self._jvm(*self.jvm_args), "kafka.Kafka", str(base / "server.properties")]
        with (base / "stdout.log").open("ab") as out:
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=base,
                # Own session: a Ctrl-C meant for the test run does not hit the broker
                # before stop() can shut it down cleanly.
                start_new_session=True,
            )
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = self._proc.poll()
            if code is not None:
                self._proc = None
                raise KafkaServerError(f"Kafka exited with code {code} on start\n{self._logs()}")
            if _alive_brokers(self.host, self.port) > 0:
                return
            if time.monotonic() > deadline:
                self.kill()
                raise KafkaServerError(
                    f"Kafka did not answer on {self.bootstrap_servers} within "
                    f"{self.startup_timeout}s\n{self._logs()}"
                )
            time.sleep(0.2)

    def _this_run_log(self) -> str:
        try:
            with (self._base() / "server.log").open("rb") as fh:
                fh.seek(self._log_offset)
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _port_conflict(self) -> bool:
        return "Address already in use" in self._this_run_log()

    def _logs(self) -> str:
        if self.base_dir is None:
            return ""
        errors = [
            line
            for line in self._this_run_log().splitlines()
            if line.startswith("[") and ("] ERROR " in line or "] FATAL " in line)
        ]
        first_errors = "\n".join(errors[:10]) or "(none)"
        return (
            f"--- server.log: first errors ---\n{first_errors}\n"
            f"--- server.log: tail ---\n{_tail(self.base_dir / 'server.log', 30)}\n"
            f"--- stdout.log ---\n{_tail(self.base_dir / 'stdout.log', 20)}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run a throwaway Kafka broker until Ctrl-C.")
    parser.add_argument("--fetch", action="store_true", help="only download the jars")
    parser.add_argument("--version", default=KAFKA_VERSION, help="Kafka version")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    if args.fetch:
        print(fetch_kafka_libs(args.version), flush=True)
        return
    with KafkaServer(version=args.version, port=args.port) as server:
        print(f"bootstrap_servers: {server.bootstrap_servers}\ndir: {server.base_dir}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
