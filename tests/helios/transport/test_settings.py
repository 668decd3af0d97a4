"""Building the client from DGFIP_HELIOS_URL and the HELIOS_* settings (no network, no database)."""

import pytest

from bouquet.helios.transport import (
    FtpDgfipClient,
    WindowBudget,
    client_from_url,
    from_settings,
    window_from_settings,
)
from bouquet.helios.transport.sftp import SftpDgfipClient

HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"


def test_plain_ftp_is_the_gateway():
    client = client_from_url("ftp://user:p%40ss@127.0.0.1:2121/")
    assert isinstance(client, FtpDgfipClient)
    assert (client.host, client.port, client.user, client.password) == ("127.0.0.1", 2121, "user", "p@ss")
    assert (client.entree, client.sortie) == ("/entree", "/sortie")
    assert (client.processed, client.errors) == ("/sortie/traites", "/sortie/erreurs")
    assert not client.tls and not client.site_meta and not client.atomic and not client.delete


def test_ftps_is_passtrans_with_site_meta():
    url = "ftps://u:p@dgfip.example/base/?atomic=1&meta=0&passive=no&delete=yes"
    client = client_from_url(url, cafile="/ca.pem")
    assert client.tls and client.port == 21 and client.cafile == "/ca.pem"
    assert not client.site_meta and client.atomic and not client.passive and client.delete
    assert (client.entree, client.processed) == ("/base/entree", "/base/sortie/traites")


def test_directories_can_be_set_in_the_query():
    client = client_from_url("ftp://h/?entree=/in&sortie=/out&processed=&errors=/out/ko")
    assert (client.entree, client.sortie, client.processed, client.errors) == ("/in", "/out", "", "/out/ko")


def test_sftp_needs_a_host_key():
    client = client_from_url("sftp://u:p@h:2222/", host_key=HOST_KEY, timeout=7)
    assert isinstance(client, SftpDgfipClient)
    assert (client.port, client.user, client.password, client.timeout) == (2222, "u", "p", 7)


@pytest.mark.parametrize("url", ["http://h/", "ftp:///", "ftp://h/?unknown=1"])
def test_invalid_urls(url):
    with pytest.raises(ValueError):
        client_from_url(url)


def test_from_settings(settings):
    settings.DGFIP_HELIOS_URL = "ftps://u:p@127.0.0.1:2990/"
    settings.DGFIP_HELIOS_TIMEOUT = 12
    settings.HELIOS_FTPS_CAFILE = "/etc/ca.pem"
    client = from_settings()
    assert isinstance(client, FtpDgfipClient)
    assert (client.tls, client.timeout, client.cafile, client.port) == (True, 12, "/etc/ca.pem", 2990)
    settings.DGFIP_HELIOS_URL = "sftp://u@127.0.0.1/"
    settings.HELIOS_SFTP_HOST_KEY = HOST_KEY
    assert isinstance(from_settings(), SftpDgfipClient)


def test_default_settings_give_the_local_simulator():
    client = from_settings()
    assert isinstance(client, FtpDgfipClient) and (client.host, client.port) == ("127.0.0.1", 2121)
    assert window_from_settings() == WindowBudget()


def test_window_from_settings(settings):
    settings.HELIOS_WINDOW_HOURS = "8-17"
    settings.HELIOS_WINDOW_DAYS = "0-4"
    settings.HELIOS_WINDOW_BYTES_PER_HOUR = 10_000_000
    window = window_from_settings()
    assert window.hours == frozenset(range(8, 18)) and window.days == frozenset(range(5))
    assert window.bytes_per_slot == 10_000_000
