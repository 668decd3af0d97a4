"""The simulator as a separate process: no Django, command line, SIGTERM, PES_Retour, FTPS."""

import datetime
import ftplib
import io
import re
import signal
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bouquet.helios.pes import PESKind, read_pes, validate_schema
from bouquet.simulators.dgfip import Config, Simulator, main

from .conftest import P_MSG, S2LOW, wait_until


def test_never_imports_django() -> None:
    modules = ", ".join(f"bouquet.simulators.dgfip.{m}" for m in ("analysis", "cli", "server", "state"))
    code = (
        f"import sys, bouquet.simulators.dgfip, {modules}\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))\n"
        "assert 'pyftpdlib' in sys.modules and 'bouquet.helios.pes' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_retour_on_demand(tmp_path: Path) -> None:
    assert main(["retour", "--root", str(tmp_path), "--idcoll", "21340172200014", "--codcol", "221"]) == 0
    [path] = (tmp_path / "sortie").iterdir()
    assert re.fullmatch(r"PES2R_DEP_P_221_01_034000_\d{8}_\d{8}_\d{14}\.xml", path.name)
    doc = read_pes(path)
    assert (doc.kind, doc.header.id_coll, doc.header.cod_col) == (PESKind.RETOUR, "21340172200014", "221")
    assert doc.envelope.nom_fic == path.name
    assert [(b.tag, b.bordereau_count) for b in doc.retour_blocks] == [("PES_DepenseRetour", 1)]
    assert validate_schema(path, PESKind.RETOUR).valid


def test_command_line_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bouquet.simulators.dgfip", "--listen", "127.0.0.1:0", "--root", str(tmp_path)]
        + ["--user", "u", "--password", "p", "--state", str(tmp_path / "log.sqlite3")],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        port = int(re.search(r"listening on 127\.0\.0\.1:(\d+)", first).group(1))  # type: ignore[union-attr]
        ftp = ftplib.FTP()
        ftp.connect("127.0.0.1", port, timeout=10)
        ftp.login("u", "p")
        ftp.sendcmd(f"SITE P_MSG {P_MSG}")
        ftp.storbinary("STOR /entree/PESALR2_cli.xml", io.BytesIO((S2LOW / "pes_aller_ok.xml").read_bytes()))
        ftp.quit()
        wait_until((tmp_path / "sortie" / "ACQUIT_PESALR2_cli.xml").exists)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        log = process.stderr.read()
        assert "upload entree/PESALR2_cli.xml" in log and "acquit sortie/ACQUIT_PESALR2_cli.xml" in log
        assert "stopped" in log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "passtrans.test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert, key_file = directory / "cert.pem", directory / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert, key_file


def test_ftps_passtrans_with_site_meta(tmp_path: Path) -> None:
    pytest.importorskip("OpenSSL", reason="pyftpdlib's FTPS needs pyOpenSSL")
    cert, key = _self_signed(tmp_path)
    simulator = Simulator(
        Config(root=tmp_path / "root", host="localhost", port=0, tls_cert=cert, tls_key=key)
    )
    thread = threading.Thread(target=simulator.serve_forever, daemon=True)
    thread.start()
    try:
        context = ssl.create_default_context(cafile=str(cert))
        ftp = ftplib.FTP_TLS(context=context)
        ftp.connect("localhost", simulator.address[1], timeout=10)
        ftp.login("tdt", "tdt")  # AUTH TLS first: the control channel is required to be secure
        ftp.prot_p()
        assert ftp.sendcmd(f"SITE META P_DEST=VHPCE11;P_APPLI=GHELPES2;P_MSG={P_MSG}").startswith("200")
        ftp.storbinary("STOR /entree/PESALR2_tls.xml", io.BytesIO((S2LOW / "pes_aller_ok.xml").read_bytes()))
        ftp.quit()
        acquit = simulator.sortie / "ACQUIT_PESALR2_tls.xml"
        wait_until(acquit.exists)
        assert all(e.ok for e in read_pes(acquit).ack_elements)
    finally:
        simulator.stop()
        thread.join(timeout=10)
