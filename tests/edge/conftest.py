"""The real TLS edge for tests: nginx (demo server certificate) in front of pytest-django's live server.

Requests go over loopback TLS with the demo client certificates, exactly as Pastell's libcurl would.
"""

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests
from django.test import override_settings

from bouquet.config.nginx import NginxProcess, render_nginx_conf
from bouquet.pki.demo_pki import DemoPki
from bouquet.pki.middleware import clear_validation_cache
from bouquet.pki.testing import demo_pki_for_tests, install_demo_trust
from bouquet.test import PASSWORD, make_user
from tests.conftest import require_tool


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Edge:
    url: str
    demo: DemoPki
    nginx: NginxProcess

    def session(self, user_cert: str | None = None) -> requests.Session:
        """A client trusting the demo server certificate, presenting ``user_cert``'s certificate."""
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE would override ``verify``; no proxy on loopback
        session.verify = str(self.demo.root_cert)
        if user_cert is not None:
            files = self.demo.users[user_cert]
            session.cert = (str(files.cert), str(files.key))
        return session


@pytest.fixture(scope="session")
def demo_pki() -> DemoPki:
    return demo_pki_for_tests()


@pytest.fixture(scope="session")
def edge(live_server, demo_pki, tmp_path_factory) -> Edge:
    """nginx on a free loopback port, proxying to the live server."""
    nginx_bin = require_tool("nginx")
    upstream_port = urlsplit(live_server.url).port
    runtime = tmp_path_factory.mktemp("nginx")
    listen = f"127.0.0.1:{free_port()}"
    conf = render_nginx_conf(
        runtime_dir=runtime,
        server_cert=demo_pki.server_cert,
        server_key=demo_pki.server_key,
        ca_hints=demo_pki.ca_chain,
        static_root=tmp_path_factory.mktemp("static"),
        listen=listen,
        upstream=f"127.0.0.1:{upstream_port}",
        proxy_secret="edge-test-proxy-secret",
    )
    nginx = NginxProcess(conf, runtime, listen, nginx=nginx_bin).start()
    # The live server runs in this process: it demands the secret nginx sends, as in production.
    with override_settings(TRUSTED_PROXY_SECRET="edge-test-proxy-secret"):
        yield Edge(f"https://{listen}", demo_pki, nginx)
    nginx.stop()


NAMES = ("bob", "carol", "dan", "outsider")


@dataclass
class Accounts:
    """valid_rgs → alice only; valid_non_rgs → bob and carol (shared); expired and revoked → dan."""

    alice: object
    bob: object
    carol: object
    dan: object
    outsider: object
    password: str = PASSWORD


@pytest.fixture
def accounts(demo_pki) -> Accounts:
    """Trust the demo PKI, register its certificates and their accounts (committed with live_server)."""
    from bouquet.core.models import User
    from bouquet.pki.services import import_certificate

    install_demo_trust(demo_pki)
    clear_validation_cache()
    # One argon2 hash (about 0.3 s) shared by every account: same password, much faster setup.
    alice = make_user("alice@edge.example.test")
    people = Accounts(
        alice,
        *(
            User.objects.create(
                email=f"{name}@edge.example.test", first_name=name, last_name="Test", password=alice.password
            )
            for name in NAMES
        ),
    )
    bindings = {
        "valid_rgs": [people.alice],
        "valid_non_rgs": [people.bob, people.carol],
        "expired": [people.dan],
        "revoked": [people.dan],
    }
    for name, users in bindings.items():
        import_certificate(data=demo_pki.users[name].cert.read_bytes(), actor=None, bind_to=users)
    yield people
    clear_validation_cache()
