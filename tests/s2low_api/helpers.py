"""Building multipart bodies the way each Pastell dialect does."""

import uuid

PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def multipart(fields: list[tuple[str, str | bytes]], files: list[tuple[str, str, bytes]], *, quoted=True):
    """(body, content type); ``quoted=False`` is Pastell's hand-built dialect (``name=type_pj[]``)."""
    boundary = "-" * 28 + uuid.uuid4().hex[:12]
    q = (lambda n: f'"{n}"') if quoted else (lambda n: n)
    parts = []
    for name, value in fields:
        data = value if isinstance(value, bytes) else value.encode("iso-8859-1")
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; name={q(name)}\r\n\r\n".encode() + data
        )
    for name, filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name={q(name)}; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data)
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def act_fields(number: str = "2025_A001", en_attente: str = "0", brackets: bool = True):
    pj = "type_pj[]" if brackets else "type_pj"
    fields = [
        ("api", "1"),
        ("nature_code", "3"),
        ("number", number),
        ("subject", "Arrêté accentué".encode("iso-8859-1")),
        ("decision_date", "2019-03-25"),
        ("en_attente", en_attente),
        ("document_papier", "0"),
        ("type_acte", "99_AI"),
        (pj, "41_NC"),
        ("classif1", "2"),
        ("classif2", "1"),
    ]
    att = "acte_attachments[]" if brackets else "acte_attachments"
    files = [("acte_pdf_file", "acte.pdf", PDF), (att, "annexe.pdf", PDF)]
    return fields, files
